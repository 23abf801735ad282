"""The search index: Pagefind, one bundle per folder of story pages (per year,
and per month in the newest year).

Pagefind cannot update an index; it reads every page again. With one bundle
per year, and per month in the newest, a new story re-indexes its own month
only: the other bundles are kept or linked from the last build when the
stories in them are unchanged. It also bounds Pagefind's memory by one year
of pages instead of the archive.
The search page loads the first bundle and merges the others in the browser
(Pagefind's ``mergeIndex``).

Pagefind runs while the writer is still busy with the rest of the site: its
input, the story pages of the shards, is written first, a shard's pages
after another's, and each shard is indexed as soon as its pages are written
(``SearchIndexer``; in a rebuild, before the rest of the site is queued:
``writer.IncrementalWriter.start_background``). A shard names its pages one
by one: an old story's page still in the staging folder is not read.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pagefind_bin

from .writer import digest, link_or_copy

#: Bundles live in ``pagefind/<shard>/`` of the site.
BUNDLE_FOLDER = "pagefind"
#: The search page loads every bundle: beyond this many, one bundle for all.
MAX_SHARDS = 40
#: What Pagefind reads of a page. Once one page is marked ``data-pagefind-body``
#: (the theme marks each story's text) Pagefind indexes only marked parts, but
#: it still parses every page whole; told so, it skips the rest of the page
#: (navigation, lists of related stories, JSON-LD): a third of its time, and
#: the same bundles byte for byte.
ROOT_SELECTOR = "[data-pagefind-body]"


@dataclass(frozen=True)
class SearchShard:
    """One Pagefind bundle: the story pages under one folder of the site."""

    name: str  # the folder, e.g. "2024"; also the bundle's folder
    folder: str  # where the pages it reads are, e.g. "2024/"; "" for the whole site
    key: str  # changes whenever the indexed part of one of its pages may
    pages: tuple[str, ...] = ()  # its stories' pages, if named one by one (``pages_glob``)

    @property
    def bundle(self) -> str:
        return f"{BUNDLE_FOLDER}/{self.name}/"

    @property
    def glob(self) -> str:
        """The pages Pagefind reads, relative to the site."""
        return pages_glob(self.folder, self.pages) if self.pages else pages_under(self.folder)


def search_shards(stories: Iterable[Any], site_key: str, card: Callable[[Any], str]) -> list[SearchShard]:
    """The shards of a newest-first list of stories, newest shard first.

    A story's shard is the first folder of its page: its year, with the
    site's URLs. The newest year is split by the next folder (its months)
    when that makes at most 12 shards: new stories land there, and Pagefind
    then reads one month again, not a year (a busy wire files 100,000
    stories a year). Stories saved at the top of the site, or URLs whose
    first folder is not a period (more than ``MAX_SHARDS`` of them), leave
    nothing sensible to split by: then one shard reads every page.
    """
    stories = list(stories)
    paths = {id(story): story.save_as for story in stories}  # a Pelican property: worked out once
    groups: dict[str, list[Any]] = {}
    for story in stories:
        groups.setdefault(paths[id(story)].partition("/")[0], []).append(story)
    if any("/" not in path for path in paths.values()) or len(groups) > MAX_SHARDS:
        return [_shard("all", "", site_key, stories, paths, card)]
    folders: dict[str, list[Any]] = {}
    for year, members in groups.items():
        months: dict[str, list[Any]] = {}
        for story in members:
            parts = paths[id(story)].split("/")
            months.setdefault("/".join(parts[:2]) if len(parts) > 2 else year, []).append(story)
        split = not folders and len(months) <= 12 and year not in months  # the newest year only
        folders.update(months if split else {year: members})
    return [
        _shard(folder.replace("/", "-"), f"{folder}/", site_key, members, paths, card)
        for folder, members in folders.items()
    ]


def pages_under(folder: str) -> str:
    """Pagefind's glob for the pages under ``folder`` ("" for the whole site)."""
    return f"{folder}**/*.{{html}}"


def pages_glob(folder: str, pages: tuple[str, ...]) -> str:
    """Pagefind's glob for ``pages``, all under ``folder``, named one by one
    after it (Pagefind walks that folder only)."""
    return folder + "{" + ",".join(page[len(folder):] for page in pages) + "}"


#: What a page's path may hold to be named in a glob as it is.
_PLAIN_PATH = re.compile(r"[\w./~-]+")
#: The longest glob that names pages: Pagefind 1.x rejects a glob of about
#: 200,000 characters ("did not parse as a valid glob"; 186,000 passed).
#: A year of 10,000 stories names its 1,700 pages in 100,000.
MAX_NAMED_GLOB = 120_000


def _shard(name: str, folder: str, site_key: str, members: list[Any], paths: dict[int, str],
           card: Callable[[Any], str]) -> SearchShard:
    """A shard reads its stories' pages, named: a page left in the output
    folder by a story gone since is not indexed (nor are archive pages), so
    it can start before the writer has deleted such pages. Under the
    whole-site folder, with paths a glob would read otherwise, or too many
    to name (``MAX_NAMED_GLOB``), every page under the folder is read."""
    pages = tuple(sorted(paths[id(story)] for story in members))
    if (not folder or not all(_PLAIN_PATH.fullmatch(page) for page in pages)
            or len(pages_glob(folder, pages)) > MAX_NAMED_GLOB):
        pages = ()
    glob = pages_glob(folder, pages) if pages else pages_under(folder)
    return SearchShard(name, folder, digest(site_key, pagefind_version(), ROOT_SELECTOR, glob,
                                            *map(card, members)), pages)


@functools.cache
def pagefind_version() -> str:
    """A new Pagefind may write other bundles from the same pages. (Read
    once: each reading searches the installed packages.)"""
    try:
        return importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:
        return "?"


def start_pagefind(site: str, shard: SearchShard, folder: str) -> tuple[subprocess.Popen, Any]:
    """Pagefind on one shard, started: the process and the file of its output
    (not a pipe: nobody reads it before Pagefind ends).

    The glob goes in a configuration file in ``folder``, where Pagefind runs
    (the only configuration it finds there): a year's pages named one by one
    pass the length an argument may have.
    """
    with open(os.path.join(folder, "pagefind.json"), "w", encoding="utf-8") as handle:
        json.dump({"glob": shard.glob}, handle)
    command = [str(pagefind_bin.get_executable()), "--site", os.path.abspath(site),
               "--root-selector", ROOT_SELECTOR, "--output-path", os.path.join(os.path.abspath(site), shard.bundle),
               "--silent"]
    log = tempfile.TemporaryFile()
    return subprocess.Popen(command, cwd=folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL), log


def link_tree(source: str, target: str) -> None:
    """Recreate ``source`` at ``target`` with hard links (copies across devices)."""
    for root, dirs, files in os.walk(source):
        dirs.sort()
        folder = os.path.join(target, os.path.relpath(root, source))
        os.makedirs(folder, exist_ok=True)
        for name in files:
            link_or_copy(os.path.join(root, name), os.path.join(folder, name))


class SearchIndexer:
    """Pagefind over the shards of ``site`` (the staging folder), one run at a
    time, in the background of the build.

    A shard whose key equals the one its bundle in the staging folder was
    built with (``staged``) keeps it; else, when it equals the published
    bundle's (``previous``), that one is linked from ``published``. ``keys``
    are the keys to remember for the next build; ``reused`` counts the
    shards kept or linked.
    """

    def __init__(self, site: str, published: str, shards: list[SearchShard], previous: dict,
                 staged: dict | None = None) -> None:
        self.site, self.published = site, published
        self.keys = {shard.bundle: shard.key for shard in shards}
        self.reused = 0
        self._to_index: list[SearchShard] = []
        self._to_link: list[SearchShard] = []
        staged = staged or {}
        for shard in shards:
            old = os.path.join(published, shard.bundle)
            if staged.get(shard.bundle) == shard.key:
                self.reused += 1
                continue
            if shard.bundle in staged:  # its files may be links to the published bundle's
                shutil.rmtree(os.path.join(site, shard.bundle), ignore_errors=True)
            if previous.get(shard.bundle) == shard.key and os.path.isfile(os.path.join(old, "pagefind.js")):
                self.reused += 1
                self._to_link.append(shard)
            else:
                self._to_index.append(shard)
        # The pages each run reads: named, or all under its folder.
        self._read_pages = {page: i for i, shard in enumerate(self._to_index) for page in shard.pages}
        self._read_folders = tuple(shard.folder for shard in self._to_index if not shard.pages)
        self._unwritten = [0] * len(self._to_index)  # pages each run waits for
        self._next_run = 0  # the position in ``_to_index`` of the next run to start
        self._running: tuple[SearchShard, subprocess.Popen, Any] | None = None
        self._started = False
        self._config: tempfile.TemporaryDirectory | None = None  # where Pagefind runs (``start_pagefind``)

    @property
    def names_its_pages(self) -> bool:
        """Whether every run reads only pages it names: then it may start
        before the staging folder is cleared of pages gone since."""
        return all(shard.pages for shard in self._to_index)

    @property
    def walks(self) -> tuple[str, ...]:
        """The folders of the site its runs walk, looking for the pages they
        read (those of the runs that name them)."""
        return tuple(shard.folder for shard in self._to_index if shard.pages)

    def reads(self, path: str) -> bool:
        """Whether a Pagefind run reads the output file ``path`` (a story page
        of a shard to index): it must be written before that run."""
        return path in self._read_pages or (bool(self._read_folders) and path.startswith(self._read_folders))

    def order(self, path: str) -> int:
        """Where a page it ``reads`` comes in the order of the runs: written
        in this order, each run can start as soon as its own pages are."""
        if path in self._read_pages:
            return self._read_pages[path]
        return next(i for i, shard in enumerate(self._to_index) if not shard.pages and path.startswith(shard.folder))

    def start(self, unwritten: Iterable[str] = ()) -> None:
        """Link the unchanged bundles and start indexing, once. The pages it
        reads that are still to be written (``unwritten``) are waited for:
        each is reported to ``busy`` once written."""
        if not self._started:
            self._started = True
            for shard in self._to_link:
                link_tree(os.path.join(self.published, shard.bundle), os.path.join(self.site, shard.bundle))
        for path in unwritten:
            self._unwritten[self.order(path)] += 1
        self._next()

    def busy(self, written: str | None = None) -> bool:
        """True while Pagefind runs or has runs to come. ``written``: a page
        has just been written. Starts the next run once the one before has
        ended and its own pages are written."""
        if written is not None and self.reads(written):
            self._unwritten[self.order(written)] -= 1
        if self._running is not None and self._running[1].poll() is not None:
            self._finish()
        self._next()
        return self._running is not None or self._next_run < len(self._to_index)

    def wait(self) -> None:
        """Start if not yet started, and wait for every run to end (every
        page is written by now)."""
        if not self._started:
            self.start()
        self._unwritten = [0] * len(self._to_index)
        self._next()
        while self._running is not None:
            self._running[1].wait()
            self._finish()
            self._next()
        if self._config is not None:
            self._config.cleanup()
            self._config = None

    def _next(self) -> None:
        """Start the next run, if none runs and its pages are written."""
        position = self._next_run
        if self._running is None and position < len(self._to_index) and not self._unwritten[position]:
            self._next_run += 1
            shard = self._to_index[position]
            if self._config is None:
                self._config = tempfile.TemporaryDirectory(prefix="wire-pagefind-")
            self._running = (shard, *start_pagefind(self.site, shard, self._config.name))

    def _finish(self) -> None:
        shard, process, log = self._running
        self._running = None
        log.seek(0)
        output = log.read().decode("utf-8", "replace").strip()
        log.close()
        if process.returncode != 0:
            raise RuntimeError(f"Pagefind failed on {shard.glob}: {output}")
