"""The Pelican reader: a thin adapter from a wire file to content and metadata.

Reading a story (decoding, parsing, finding its entities, writing its HTML) is
the costly part of reading, and each file is independent: ``read_ahead`` does
it for every file Pelican has not cached, in one process per core, before
Pelican asks the reader for the files one by one.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

from pelican.readers import BaseReader
from pelican.utils import slugify

from .collate import fingerprint
from .entities import extract_entities
from .parse import decode_wire, parse_story
from .render import story_html
from .story import Entity, RejectedStory, Story


def display_path(path: str) -> str:
    """The path as the user typed it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def read_story(path: str, max_bytes: int) -> Story:
    """Read and parse one file, or raise :class:`RejectedStory`."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise RejectedStory(f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise RejectedStory(f"cannot read file ({error.strerror})") from None
    return parse_story(decode_wire(data), os.path.basename(path))


def story_slug(story: Story, settings: dict) -> str:
    """Slug from the title; path-like or markup-only titles fall back to the id."""
    slug = slugify(
        story.title,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=False,
    )[:80].strip("-")
    return slug or f"story-{story.source_id}"


@dataclass(frozen=True)
class WireFile:
    """What reading one wire file gives: the story, or why it was rejected."""

    story: Story | None = None
    entities: tuple[Entity, ...] = ()
    html: str = ""
    text_hash: str = ""
    rejected: str = ""


def read_wire_file(path: str, max_bytes: int) -> WireFile:
    try:
        story = read_story(path, max_bytes)
    except RejectedStory as error:
        return WireFile(rejected=error.reason)
    return WireFile(story, extract_entities(story), story_html(story), fingerprint(story))


def _read_wire_file(job: tuple[str, int]) -> WireFile | None:
    try:
        return read_wire_file(*job)
    except Exception:  # a bug, not bad input: Pelican reports it when it reads the file itself
        return None


def read_ahead(paths: list[str], max_bytes: int, workers: int) -> dict[str, WireFile]:
    """Read many files in ``workers`` processes: path -> WireFile.

    A file whose reading fails unexpectedly is left out, so that Pelican
    reads it in turn and reports it as it reports any file it cannot process.
    """
    if workers < 2 or len(paths) < 2:
        return {}
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        files = pool.map(_read_wire_file, [(path, max_bytes) for path in paths], chunksize=64)
    return {path: wire for path, wire in zip(paths, files) if wire is not None}


class WireReader(BaseReader):
    """Reads ``.txt`` wire files; a rejected file becomes a skipped one.

    Rejections are returned as metadata rather than raised, so Pelican skips the
    file quietly and the plugin reports it once, in one line (see ``plugin``).
    """

    enabled = True
    file_extensions = ["txt"]

    #: Files read ahead by ``read_ahead``, taken out as Pelican asks for them.
    read_ahead: dict[str, WireFile] = {}

    def read(self, path):
        source = display_path(path)
        wire = WireReader.read_ahead.pop(path, None) or read_wire_file(path, self.settings["WIRE_MAX_BYTES"])
        if wire.rejected:
            return "", {"status": "skip", "wire_rejected": wire.rejected, "wire_source": source}

        story = wire.story
        news = story.dateline is not None
        category = self.settings["WIRE_NEWS_CATEGORY" if news else "WIRE_FEATURE_CATEGORY"]
        metadata = {
            "title": story.title,
            "date": self.process_metadata("date", story.date.isoformat()),
            "slug": story_slug(story, self.settings),
            "category": self.process_metadata("category", category),
            "summary": story.lede,
            "story": story,
            "source_id": story.source_id,
            "text_hash": wire.text_hash,
            "entities": wire.entities,
            "wire_source": source,
        }
        return wire.html, metadata
