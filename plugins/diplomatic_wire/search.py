"""The search index: Pagefind, one bundle per folder of story pages (per year).

Pagefind cannot update an index; it reads every page again. With one bundle
per year, a new story re-indexes its own year only: the other years' bundles
are linked from the last build when the stories in them are unchanged. It
also bounds Pagefind's memory by one year of pages instead of the archive.
The search page loads the first bundle and merges the others in the browser
(Pagefind's ``mergeIndex``).
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .writer import digest, link_or_copy

#: Bundles live in ``pagefind/<shard>/`` of the site.
BUNDLE_FOLDER = "pagefind"
#: The search page loads every bundle: beyond this many, one bundle for all.
MAX_SHARDS = 40


@dataclass(frozen=True)
class SearchShard:
    """One Pagefind bundle: the story pages under one folder of the site."""

    name: str  # the folder, e.g. "2024"; also the bundle's folder
    glob: str  # the pages Pagefind reads, relative to the site
    key: str  # changes whenever the indexed part of one of its pages may

    @property
    def bundle(self) -> str:
        return f"{BUNDLE_FOLDER}/{self.name}/"


def search_shards(stories: Iterable[Any], site_key: str, card: Callable[[Any], str]) -> list[SearchShard]:
    """The shards of a newest-first list of stories, newest shard first.

    A story's shard is the first folder of its page (its year, with the site's
    URLs). Stories saved at the top of the site, or URLs whose first folder is
    not a period (more than ``MAX_SHARDS`` of them), leave nothing sensible to
    split by: then one shard reads every page.
    """
    stories = list(stories)
    groups: dict[str, list[str]] = {}
    for story in stories:
        groups.setdefault(story.save_as.partition("/")[0], []).append(card(story))
    if any("/" not in story.save_as for story in stories) or len(groups) > MAX_SHARDS:
        return [_shard("all", "**/*.{html}", site_key, [card(s) for s in stories])]
    return [_shard(name, f"{name}/**/*.{{html}}", site_key, cards) for name, cards in groups.items()]


def _shard(name: str, glob: str, site_key: str, cards: list[str]) -> SearchShard:
    return SearchShard(name, glob, digest(site_key, pagefind_version(), glob, *cards))


def pagefind_version() -> str:
    """A new Pagefind may write other bundles from the same pages."""
    try:
        return importlib.metadata.version("pagefind-bin")
    except importlib.metadata.PackageNotFoundError:
        return "?"


def run_pagefind(site: str, shard: SearchShard) -> None:
    output = os.path.join(site, shard.bundle)
    command = [sys.executable, "-m", "pagefind_bin", "--site", site, "--glob", shard.glob,
               "--output-path", output, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"Pagefind failed on {shard.glob}: {(result.stderr or result.stdout).strip()}")


def link_tree(source: str, target: str) -> None:
    """Recreate ``source`` at ``target`` with hard links (copies across devices)."""
    for root, dirs, files in os.walk(source):
        dirs.sort()
        folder = os.path.join(target, os.path.relpath(root, source))
        os.makedirs(folder, exist_ok=True)
        for name in files:
            link_or_copy(os.path.join(root, name), os.path.join(folder, name))


def build_search_index(site: str, published: str, shards: list[SearchShard],
                       previous: dict[str, str]) -> tuple[dict[str, str], int]:
    """Index ``site`` (the staging folder) shard by shard.

    A shard whose key equals the one the published bundle was built with is
    linked from ``published``. Returns the keys to remember for the next build
    and how many shards were reused.
    """
    keys, reused = {}, 0
    for shard in shards:
        keys[shard.bundle] = shard.key
        old = os.path.join(published, shard.bundle)
        if previous.get(shard.bundle) == shard.key and os.path.isfile(os.path.join(old, "pagefind.js")):
            link_tree(old, os.path.join(site, shard.bundle))
            reused += 1
        else:
            run_pagefind(site, shard)
    return keys, reused
