"""Knowing when nothing changed: a digest of every input of a build.

The digest covers the settings, the plugin's code, the theme, the hand-written
pages and the wire files (by name, size and modification time). A build whose
digest equals the last successful build's into the same, untouched output
folder would write the same bytes again, so it can stop at once. What every
page shows besides its stories (the site key) takes the bytes of the theme,
pages and code instead (``folders_content_digest``).
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import pickle
import re
import shutil
import time
from collections.abc import Iterable

_ADDRESS = re.compile(r" at 0x[0-9a-f]+")
# Settings that differ between two runs of the same build without changing it.
_VOLATILE = {"OUTPUT_PATH", "WIRE_PUBLISHED_OUTPUT", "WIRE_SITE_KEY", "WIRE_STATE_PATH", "WIRE_WORKERS"}


def tree_listing(folder: str, skip: frozenset[str] = frozenset()) -> list[tuple[str, int, int]]:
    """(relative path, size, mtime) of every file under ``folder``, sorted;
    bytecode caches are left out (Python rewrites them on its own), and the
    folders in ``skip`` (absolute paths)."""
    listing: list[tuple[str, int, int]] = []

    def walk(path: str, prefix: str) -> None:
        try:
            with os.scandir(path) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            return
        folders = []
        for entry in entries:
            try:
                if entry.is_dir():
                    if entry.name != "__pycache__" and not entry.is_symlink() and os.path.abspath(entry.path) not in skip:
                        folders.append(entry)
                    continue
                stat = entry.stat()
            except OSError:
                continue
            listing.append((prefix + entry.name, stat.st_size, stat.st_mtime_ns))
        for entry in folders:
            walk(entry.path, prefix + entry.name + os.sep)

    walk(folder, "")
    return listing


def settings_digest(settings: dict, ignore: tuple[str, ...] = ()) -> str:
    """Stable digest of the settings; object addresses are not part of it."""
    stable = {k: v for k, v in settings.items() if k not in _VOLATILE and k not in ignore}
    text = json.dumps(stable, sort_keys=True, default=repr)
    return hashlib.sha256(_ADDRESS.sub("", text).encode()).hexdigest()


def folders_digest(folders: list[str]) -> str:
    """Digest of the names, sizes and modification times of every file in ``folders``."""
    digest = hashlib.sha256()
    for folder in folders:
        digest.update(f"\0{os.path.abspath(folder)}\0".encode())
        for entry in tree_listing(folder):
            digest.update(repr(entry).encode())
    return digest.hexdigest()


#: A time is trusted only once it is this old: file systems keep times in
#: steps (2 s on FAT), and a change made within the same step would leave it
#: as it was. (A file's digest is kept for the next build, a folder's time
#: recorded for the next listing, only past it: ``staging.settled_times``.)
SETTLED_AFTER_NS = 2_000_000_000


def folders_content_digest(folders: list[str], skip: Iterable[str] = (), known: dict | None = None) -> str:
    """Digest of the names and bytes of every file in ``folders`` but those
    under ``skip``: what the output depends on. Their times are not: a fresh
    checkout or copy of the theme and code gives every file a new one, and
    with ``folders_digest`` every page of the site was rendered again.

    ``known``: each file's digest as taken before, by path, with its size
    and time then (updated in place): a file with the same size and time is
    not read again, so that a folder of photos beside the pages is read
    once, not at each build. 1.3 ms for the theme, pages and plugin code
    read, 0.4 ms known."""
    digest = hashlib.sha256()
    skipped = frozenset(os.path.abspath(folder) for folder in skip)
    taken, settled = {}, time.time_ns() - SETTLED_AFTER_NS
    for folder in folders:
        digest.update(f"\0{os.path.abspath(folder)}\0".encode())
        for name, size, mtime in tree_listing(folder, skipped):
            path = os.path.join(os.path.abspath(folder), name)
            stamp, bytes_seen = (known or {}).get(path, (None, None))
            if stamp != (size, mtime) or not isinstance(bytes_seen, str):  # a record of another form: read
                try:
                    bytes_seen = file_digest(path)
                except OSError:
                    bytes_seen = None
            if mtime < settled and bytes_seen is not None:
                taken[path] = ((size, mtime), bytes_seen)
            digest.update(f"{name}\0{size}\0{bytes_seen or 'unreadable'}".encode())
    if known is not None:
        known.clear()
        known.update(taken)
    return digest.hexdigest()


def bytes_digest(data: bytes) -> str:
    """What tells a file's bytes from any others: the site key's files
    (``folders_content_digest``) and each story's file, which the object
    cache compares when only the file's time changed (``reader``)."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def file_digest(path: str) -> str:
    """``bytes_digest`` of the file at ``path``, read in chunks (raises OSError)."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=16)).hexdigest()


def input_digest(settings: dict, files: str, ignore: tuple[str, ...] = ()) -> str:
    """Digest of the settings (but ``ignore``) and of the files (``folders_digest``)."""
    return combined_digest(settings_digest(settings, ignore), files)


def combined_digest(settings_part: str, files: str) -> str:
    """``input_digest`` from the settings' digest taken before (``settings_digest``)."""
    return hashlib.sha256(f"{settings_part}\0{files}".encode()).hexdigest()


def output_stamp(output: str) -> list:
    """What shows the output folder is the one the last build left: the
    folder itself (every build swaps in a new one) and its home page. A
    missing one is stamped None, which no build leaves."""
    stamp: list = []
    for path in (output, os.path.join(output, "index.html")):
        try:
            stat = os.stat(path)
        except OSError:
            stamp.append(None)
            continue
        stamp += [stat.st_ino, stat.st_mtime_ns, stat.st_size]
    return stamp


class OutputRecord:
    """A file in the cache about one output folder (by its absolute path).

    Pickled: a rebuild of 10,000 stories reads and writes three records of
    22,000-32,000 names (files and keys, their inodes, the spare's): 0.14 s
    as JSON, 0.06 s pickled. Anything unreadable is no record (``None``).
    """

    def __init__(self, cache_path: str, output: str, kind: str) -> None:
        name = hashlib.sha256(os.path.abspath(output).encode()).hexdigest()[:16]
        self.path = os.path.join(cache_path, f"wire-{kind}-{name}.pickle")

    def load(self):
        try:
            with open(self.path, "rb") as handle:
                return pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError):
            return None

    def save(self, data) -> None:
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with open(self.path, "wb") as handle:
            pickle.dump(data, handle, protocol=pickle.HIGHEST_PROTOCOL)

    def forget(self) -> None:
        try:
            os.remove(self.path)
        except OSError:
            pass

    def move_to(self, other: OutputRecord) -> None:
        """Make this record ``other``'s (none if there is none), and forget it."""
        try:
            os.replace(self.path, other.path)
        except FileNotFoundError:
            other.forget()


def files_record(cache_path: str, output: str) -> OutputRecord:
    """The record of each file of a published output folder: its render key,
    or None for a file written without one (see ``writer``)."""
    return OutputRecord(cache_path, output, "files")


def content_cache(cache_path: str, site_key: str, keep: int) -> str:
    """The content cache folder for one version of the settings, theme and
    plugin code, marked as the latest used. Of the others, the ``keep - 1``
    used last are kept (``make html`` and ``make publish`` differ in their
    settings) and older ones deleted: 70 MB each at 10,000 stories."""
    folder = os.path.join(cache_path, f"content-{site_key[:16]}")
    os.makedirs(folder, exist_ok=True)
    os.utime(folder)
    others = [f for f in glob.glob(os.path.join(glob.escape(cache_path), "content-*")) if f != folder]
    others.sort(key=_modified, reverse=True)
    for old in others[max(keep - 1, 0):]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def _modified(path: str) -> float:
    try:
        return os.path.getmtime(path)
    except OSError:
        return 0.0


class BuildState:
    """The digest of the last successful build into one output folder."""

    def __init__(self, cache_path: str, output: str) -> None:
        self.record = OutputRecord(cache_path, output, "build")
        self.output = output

    def is_current(self, digest: str) -> bool:
        state = self.record.load() or {}
        return state.get("digest") == digest and state.get("output") == output_stamp(self.output)

    def save(self, digest: str) -> None:
        self.record.save({"digest": digest, "output": output_stamp(self.output)})

    def forget(self) -> None:
        self.record.forget()
