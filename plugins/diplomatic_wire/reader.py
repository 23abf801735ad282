"""The Pelican reader: a thin adapter from a wire file to content and metadata.

Reading a story (decoding, parsing, finding its entities, writing its HTML) is
the costly part of reading, and each file is independent: ``read_ahead`` does
it for every file Pelican has not cached, in processes started before Pelican
lists the files (one per core, one in a rebuild), while Pelican asks the
reader for the files one by one.
"""

from __future__ import annotations

import concurrent.futures
import datetime
import multiprocessing
import os
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pelican.readers import BaseReader
from pelican.utils import slugify

from .collate import fingerprint
from .entities import extract_entities, prepare
from .incremental import bytes_digest
from .parse import decode_wire, parse_story
from .render import story_html
from .story import Entity, RejectedStory, Story


def display_path(path: str) -> str:
    """The path as the user typed it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def read_wire_bytes(path: str, max_bytes: int) -> bytes:
    """The bytes of one file, or raise :class:`RejectedStory`."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise RejectedStory(f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise RejectedStory(f"cannot read file ({error.strerror})") from None


def story_slug(story: Story, substitutions=()) -> str:
    """Slug from the title (Pelican's ``slugify`` with the site's
    ``SLUG_REGEX_SUBSTITUTIONS``); path-like or markup-only titles fall back
    to the id."""
    slug = slugify(story.title, regex_subs=list(substitutions), preserve_case=False)[:80].strip("-")
    return slug or f"story-{story.source_id}"


@dataclass(frozen=True)
class WireFile:
    """What reading one wire file gives: the story, or why it was rejected."""

    story: Story | None = None
    entities: tuple[Entity, ...] = ()
    html: str = ""
    text_hash: str = ""
    slug: str = ""
    rejected: str = ""
    source_digest: str = ""  # of the file's bytes (``bytes_digest``)


def read_wire_file(path: str, max_bytes: int, slug_substitutions=()) -> WireFile:
    try:
        data = read_wire_bytes(path, max_bytes)
        story = parse_story(decode_wire(data), os.path.basename(path))
    except RejectedStory as error:
        return WireFile(rejected=error.reason)
    return WireFile(story, extract_entities(story), story_html(story), fingerprint(story),
                    story_slug(story, slug_substitutions), source_digest=bytes_digest(data))


def _read_wire_file(job: tuple) -> WireFile | None:
    try:
        return read_wire_file(*job)
    except Exception:  # a bug, not bad input: Pelican reports it when it reads the file itself
        return None


def _prepare_worker() -> None:
    """A reading process's first work, before it is given files."""
    try:
        prepare()
    except Exception:  # each file's reading then fails too, and is left to Pelican
        pass


#: Files that the one process started for a rebuild (``ReadAhead``) reads,
#: at most; more are read by a process per core started then.
READ_BY_ONE_AT_MOST = 200


class ReadAhead:
    """Wire files being read by worker processes, handed out on request.

    The ``workers`` processes start when this is made, and build the
    extraction tables at once (0.2 s): made before Pelican loads its cache
    and lists the files, they are ready when ``read`` gives them the files.
    Files are read in the order given, which is the order Pelican asks for
    them in: the next one is usually ready when asked for, and Pelican makes
    the articles of the previous ones meanwhile, instead of waiting for all.
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pending: set[str] = set()
        self._ready: dict[str, WireFile | None] = {}
        self._results: Iterator[tuple[str, WireFile | None]] = iter(())
        self._pool: concurrent.futures.ProcessPoolExecutor | None = concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("fork"), initializer=_prepare_worker)
        self._pool.submit(int)  # a forking pool starts all its processes at its first task

    def read(self, paths: list[str], max_bytes: int, slug_substitutions=()) -> None:
        """Start reading ``paths``, in this order (once each)."""
        paths = list(dict.fromkeys(paths))
        self._pending.update(paths)
        jobs = [(path, max_bytes, slug_substitutions) for path in paths]
        self._results = zip(paths, self._pool.map(_read_wire_file, jobs, chunksize=16))

    def pop(self, path: str, default: WireFile | None = None) -> WireFile | None:
        """The file read ahead (once), or ``default`` when it was not, or
        its reading failed unexpectedly."""
        if path not in self._pending:
            return default
        while path not in self._ready:
            done, wire = next(self._results)
            self._ready[done] = wire
        self._pending.remove(path)
        if not self._pending:
            self.close()
        wire = self._ready.pop(path)
        return default if wire is None else wire

    def close(self) -> None:
        """Stop the workers. When files are left unasked for, the batches not
        started are dropped and those started (16 files at most) finish: a
        worker killed as it sends a result (``Pool.terminate``) can leave the
        result queue locked, and the pool then waits for ever."""
        if self._pool is None:
            return
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._pool = None
        self._pending.clear()


def read_ahead(paths: list[str], max_bytes: int, workers: int, slug_substitutions=(),
               started: ReadAhead | None = None) -> ReadAhead | dict:
    """Start reading files in up to ``workers`` processes (nothing with one
    worker). A single new file is read ahead too: on the other core, its
    reading overlaps Pelican's loop over the cached stories.

    The processes ``started`` before read the files if they are as many as
    wanted, or the files few (``READ_BY_ONE_AT_MOST``); else they stop, and
    as many as wanted start.

    A file whose reading fails unexpectedly is not handed out, so that Pelican
    reads it in turn and reports it as it reports any file it cannot process.
    """
    if workers < 2 or not paths:
        if started is not None:
            started.close()
        return {}
    wanted = min(workers, len(paths))
    if started is not None and started.workers < wanted and len(paths) > READ_BY_ONE_AT_MOST:
        started.close()
        started = None
    ahead = started if started is not None else ReadAhead(wanted)
    ahead.read(paths, max_bytes, slug_substitutions)
    return ahead


def slug_substitutions(settings: dict) -> tuple:
    """The site's ``SLUG_REGEX_SUBSTITUTIONS``, as the worker processes that
    make the slugs get them."""
    return tuple(map(tuple, settings.get("SLUG_REGEX_SUBSTITUTIONS", [])))


def published_at(story: Story, timezone: str) -> datetime.datetime:
    """00:00 of the story's date in the site's time zone, as the contract says.

    A plain ``datetime``, where Pelican's date parser would give its
    ``SafeDatetime``: that one formats in Python (``%-d`` on every platform),
    30 µs a use, and Pelican formats each story's date about ten times a
    build (its URL and path patterns, its date line).
    """
    return datetime.datetime.combine(story.date, datetime.time(), tzinfo=zoneinfo.ZoneInfo(timezone))


_entities: dict[Entity, Entity] = {}


def shared_entities(entities: tuple[Entity, ...]) -> tuple[Entity, ...]:
    """The same entities, one object for each distinct one in this process.
    Most stories name the same few countries, people and forums: the object
    cache then pickles each once per shard, and a rebuild of 10,000 stories
    loads it 15 % faster."""
    return tuple(_entities.setdefault(entity, entity) for entity in entities)


class WireReader(BaseReader):
    """Reads ``.txt`` wire files; a rejected file becomes a skipped one.

    Rejections are returned as metadata rather than raised, so Pelican skips the
    file quietly and the plugin reports it once, in one line (see ``plugin``).
    """

    enabled = True
    file_extensions = ["txt"]

    #: Files read ahead by ``read_ahead``, taken out as Pelican asks for them.
    read_ahead: ReadAhead | dict = {}

    def __init__(self, settings):
        super().__init__(settings)
        # For the files this reader reads itself: every file with one worker.
        self.slug_substitutions = slug_substitutions(settings)
        # One Category per name, shared by its stories (Pelican makes one per
        # story), so that its slug is worked out once, not 10,000 times.
        self._categories: dict[str, Any] = {}

    def read(self, path):
        source = display_path(path)
        wire = WireReader.read_ahead.pop(path, None) or read_wire_file(
            path, self.settings["WIRE_MAX_BYTES"], self.slug_substitutions)
        if wire.rejected:
            return "", {"status": "skip", "wire_rejected": wire.rejected, "wire_source": source}

        story = wire.story
        news = story.dateline is not None
        category = self.settings["WIRE_NEWS_CATEGORY" if news else "WIRE_FEATURE_CATEGORY"]
        metadata = {
            "title": story.title,
            "date": published_at(story, self.settings["TIMEZONE"]),
            "slug": wire.slug,
            "category": self._category(category),
            "summary": story.lede,
            "story": story,
            "source_id": story.source_id,
            "text_hash": wire.text_hash,
            "source_digest": wire.source_digest,
            "entities": shared_entities(wire.entities),
            "wire_source": source,
        }
        return wire.html, metadata

    def _category(self, name: str):
        category = self._categories.get(name)
        if category is None:
            category = self._categories[name] = self.process_metadata("category", name)
        return category
