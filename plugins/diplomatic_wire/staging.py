"""Atomic output: build into a folder beside OUTPUT_PATH, swap it in at the end.

A build that fails or is interrupted never touches the published folder: the
staging folder is dropped (now, or by the next build if the process was
killed). Files whose bytes did not change keep their old modification time,
so rsync and static hosts see only what really changed.

The replaced folder is kept beside the published one, hidden, as the spare
(``.NAME.spare``): the next build starts from it instead of an empty folder,
and writes only the files that differ from it. Making a new tree of tens of
thousands of links and folders each build took seconds of system calls. The
spare is used only with the record of what is in it (``SpareRecord``); any
other is deleted in the background.

When there is no spare (the first rebuild after a cold build), the staging
folder starts as a copy of the published one made of hard links, made by
``cp`` while Pelican starts and reads the stories (``LinkedCopy``; started
by ``uptodate`` before Pelican is imported, ``start_early_copy``).
"""

from __future__ import annotations

import atexit
import collections
import filecmp
import functools
import glob
import json
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from typing import Any, NamedTuple

from .background import in_background
from .incremental import SETTLED_AFTER_NS, OutputRecord, files_record, output_stamp
from .settings import worker_count
from .uptodate import EARLY_COPY_ENV

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def make_folder_beside(final: str, kind: str) -> str:
    """A new, empty folder ``.NAME.KIND-XXXXXXXX`` beside ``final``, named
    so that no other build uses it, with the permissions of ``os.makedirs``."""
    parent, name = os.path.split(os.path.abspath(final))
    os.makedirs(parent, exist_ok=True)
    folder = tempfile.mkdtemp(prefix=f".{name}.{kind}-", dir=parent)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(folder, 0o777 & ~umask)
    return folder


def remove_stale_staging(final: str, keep: str | None = None) -> None:
    """Delete staging folders left by builds that were killed, and retired
    outputs whose deletion did not finish: in the background, as they are
    out of sight already. ``keep``: this build's own staging folder."""
    parent, name = os.path.split(os.path.abspath(final))
    for kind in ("staging", "retired"):
        pattern = os.path.join(glob.escape(parent), f".{glob.escape(name)}.{kind}-*")
        for stale in glob.glob(pattern):
            if stale != keep:
                delete_in_background(stale)


class Listing(NamedTuple):
    """What an output folder holds, by paths relative to it: each file's
    inode, and each folder's modification time (the folder itself is not
    one of them)."""

    files: dict[str, int]
    folders: dict[str, int]


def list_folder(folder: str, parts: int = 1, sizes: dict[str, int] | None = None) -> Listing:
    """The ``Listing`` of ``folder``: its files from the directory entries
    alone (no stat call per file), a stat call per folder.

    With ``parts`` of 2 or more, half of the folder's entries (by ``sizes``,
    as ``share_out`` shares them) are listed in a forked process: the 18,500
    folders of a 10,000-story site take 0.2 s to list in one.
    """
    shares = share_out(os.listdir(folder), sizes or {}, 2) if parts >= 2 else []
    if len(shares) < 2:
        return _list_under(folder)
    other = in_background(_list_under, folder, shares[1], workers=parts)
    found = _list_under(folder, shares[0])
    files, folders = other()
    found.files.update(files)
    found.folders.update(folders)
    return found


def _list_under(folder: str, entries: list[str] | None = None) -> Listing:
    """``list_folder`` of ``folder``, or of its ``entries`` only."""
    found = Listing({}, {})
    start = len(os.path.join(folder, ""))
    pending = [folder] if entries is None else []
    for name in entries or ():
        path = os.path.join(folder, name)
        info = os.lstat(path)
        if stat.S_ISDIR(info.st_mode):
            found.folders[name] = info.st_mtime_ns
            pending.append(path)
        else:
            found.files[name] = info.st_ino
    while pending:
        with os.scandir(pending.pop()) as listing:
            for entry in listing:
                if entry.is_dir(follow_symlinks=False):
                    found.folders[entry.path[start:]] = entry.stat(follow_symlinks=False).st_mtime_ns
                    pending.append(entry.path)
                else:
                    found.files[entry.path[start:]] = entry.inode()
    return found


def list_changes(folder: str, origin: Listing) -> Listing:
    """``list_folder`` of ``folder``, which held ``origin`` when that was
    listed: only the folders whose time changed since are listed again.

    A file added, removed or replaced changes the time of its folder, and
    nothing the build does writes into a file in place (the published
    folder shares its files). A stat call per folder instead of a listing:
    0.06 s instead of 0.2 s at 10,000 stories. The folder itself is always
    listed: moving it may change its time or not.
    """
    base = os.path.join(folder, "")
    kept: dict[str, int] = {}
    changed: dict[str, int] = {}
    for name, mtime in origin.folders.items():
        try:
            info = os.lstat(base + name)
        except OSError:
            continue  # gone: its folder changed, and is listed again
        if not stat.S_ISDIR(info.st_mode):
            continue  # likewise
        (kept if info.st_mtime_ns == mtime else changed)[name] = info.st_mtime_ns
    found = Listing({path: inode for path, inode in origin.files.items() if path.rpartition("/")[0] in kept},
                    {**kept, **changed})
    pending = ["", *changed]
    while pending:
        name = pending.pop()
        prefix = f"{name}/" if name else ""
        with os.scandir(base + name) as listing:
            for entry in listing:
                path = prefix + entry.name
                if not entry.is_dir(follow_symlinks=False):
                    found.files[path] = entry.inode()
                elif path not in found.folders:  # new since
                    found.folders[path] = entry.stat(follow_symlinks=False).st_mtime_ns
                    pending.append(path)
    return found


def list_staged(folder: str, origin: Listing | None, parts: int, sizes: dict[str, int] | None) -> Listing:
    """The ``Listing`` of a staging folder: its changes since ``origin``
    (``list_changes``), or the whole of it when it was not listed."""
    return list_changes(folder, origin) if origin is not None else list_folder(folder, parts, sizes)


def settled_times(folders: dict[str, int], listed_at: int) -> dict[str, int]:
    """``folders`` with the times a later ``list_changes`` may trust: -1
    (listed again, whatever its time) for those changed just before they
    were listed, at ``listed_at`` (ns)."""
    recent = listed_at - SETTLED_AFTER_NS
    return {name: mtime if mtime < recent else -1 for name, mtime in folders.items()}


def keep_unchanged_mtimes(old: str, new: str, old_inodes: dict[str, int] | None = None,
                          parts: int = 1, sizes: dict[str, int] | None = None,
                          origin: Listing | None = None) -> Listing:
    """Give every file whose bytes are unchanged its old modification time;
    return the ``Listing`` of ``new``.

    Files linked from the last build are the same inode, hence the same time:
    only the others are compared. ``old_inodes``: the files of ``old`` as
    they were published, if recorded (listing a folder per story takes
    0.3 s at 10,000 stories). A record out of date costs nothing worse than
    a comparison or a file keeping its own time: times are copied only
    between files whose bytes are compared equal. ``origin``: what ``new``
    held when the build started, if listed (see ``list_changes``).
    ``parts``, ``sizes``: see ``list_folder``.
    """
    if old_inodes is None:
        old_inodes = list_folder(old, parts, sizes).files
    listing = list_staged(new, origin, parts, sizes)
    for path, inode in listing.files.items():
        if old_inodes.get(path, inode) == inode:
            continue  # new, or linked from the last build
        previous, fresh = os.path.join(old, path), os.path.join(new, path)
        try:
            info = os.stat(previous)
            if info.st_size == os.stat(fresh).st_size and filecmp.cmp(previous, fresh, shallow=False):
                os.utime(fresh, ns=(info.st_atime_ns, info.st_mtime_ns))
        except OSError:
            continue
    return listing


def delete_in_background(folder: str) -> None:
    """Delete a retired output folder without making the build wait for it.

    Tens of thousands of files take seconds to unlink; the new output is
    already published. A deletion cut short is finished by the next build
    (``remove_stale_staging``).
    """
    command = [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", folder]
    subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, start_new_session=True)


def _exchange(a: str, b: str) -> bool:
    """Swap two paths in one step (Linux renameat2); False where unsupported."""
    import ctypes.util

    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(staging: str, final: str, spare: str | None = None, final_inodes: dict[str, int] | None = None,
            parts: int = 1, sizes: dict[str, int] | None = None, origin: Listing | None = None) -> Listing:
    """Make ``staging`` the published folder; the old one becomes ``spare``,
    or is deleted (in the background: it is out of sight at once). Returns
    the ``Listing`` of the new published folder.
    ``final_inodes``: the files of ``final``, if recorded when it was published.
    ``parts``, ``sizes``, ``origin``: see ``keep_unchanged_mtimes``."""
    if not os.path.isdir(final):
        listing = list_staged(staging, origin, parts, sizes)
        os.rename(staging, final)
        return listing
    listing = keep_unchanged_mtimes(final, staging, final_inodes, parts, sizes, origin)
    retired = make_folder_beside(final, "retired")  # empty: rename() may replace it
    if _exchange(staging, final):
        os.rename(staging, retired)
    else:
        os.rename(final, retired)
        os.rename(staging, final)
    if spare is None:
        delete_in_background(retired)
    else:
        retire(spare)
        os.rename(retired, spare)
    return listing


def retire(folder: str) -> None:
    """Take ``folder`` out of the way at once and delete it in the background."""
    if os.path.isdir(folder):
        retired = make_folder_beside(folder, "retired")
        os.rename(folder, retired)
        delete_in_background(retired)


def spare_path(final: str) -> str:
    parent, name = os.path.split(os.path.abspath(final))
    return os.path.join(parent, f".{name}.spare")


class SpareRecord:
    """What the spare folder holds: the record its last build left of each
    of its files (see ``writer.IncrementalWriter``), and the folder's stamp
    when it became the spare, so that no other folder is taken for it; and
    its ``Listing``, recorded when it was published (``listing``)."""

    def __init__(self, cache_path: str, final: str) -> None:
        self.folder = spare_path(final)
        self.record = OutputRecord(cache_path, self.folder, "spare")
        self.listing = OutputRecord(cache_path, self.folder, "inodes")

    def save(self, files: dict) -> None:
        self.record.save({"stamp": output_stamp(self.folder), "files": files})

    def claim(self, staging: str, site_key: str | None = None) -> tuple[dict, Listing | None]:
        """Move the spare to ``staging`` (an empty folder); return its
        files' record and its ``Listing`` (None if not recorded). ({}, None)
        and ``staging`` left empty when there is no spare with a record.
        Either way the records are gone: a build that fails midway leaves
        no spare that could be trusted.

        A spare built with another ``site_key`` (other settings, theme or
        code, as recorded when it was published) is not used either: every
        render key differs, so each of its files would be replaced one by
        one with a link to the published file (3.8 s of a rebuild of 10,000
        stories after a cold build over the site); a linked copy of the
        published folder takes its place (1.2 s, beside the build)."""
        saved = self.record.load() or {}
        listed = self.listing.load() or {}
        self.record.forget()
        self.listing.forget()
        stamp = output_stamp(self.folder)
        listing = recorded_listing(listed, stamp[0])
        built_with = listed.get("site") if listing is not None else None
        if (saved.get("stamp") != stamp or not isinstance(saved.get("files"), dict) or not saved["files"]
                or (site_key and built_with and built_with != site_key)):
            retire(self.folder)
            return {}, None
        os.rename(self.folder, staging)
        files = keyed_files(staging, saved["files"])
        if not files:
            empty_folder(staging)
            return {}, None
        return files, listing


def recorded_listing(record: dict, folder_inode: Any) -> Listing | None:
    """The ``Listing`` in a record saved by ``StagedOutput.publish``, if it
    is one of the folder with that inode."""
    stamp, files, folders = record.get("stamp"), record.get("files"), record.get("folders")
    if not (isinstance(stamp, list) and stamp and stamp[0] == folder_inode
            and isinstance(files, dict) and isinstance(folders, dict)):
        return None
    return Listing(files, folders)


def keyed_files(folder: str, files: dict) -> dict:
    """The keyed part of the record ``files`` of ``folder``'s files. The files
    written without a key (theme files, the sitemap) are unlinked: they are
    written again if still wanted, and Pelican would truncate a linked one in
    place."""
    for name in [name for name, key in files.items() if key is None]:
        try:
            os.unlink(os.path.join(folder, name))
        except FileNotFoundError:
            pass
        del files[name]
    return files


class LinkedCopy:
    """The published folder recreated in an empty staging folder with hard
    links, by ``cp`` in the background, with the record of its files.

    At 10,000 stories this is 32,700 links and 18,500 folders: about 1.1 s
    of system calls, made while Pelican reads the stories, where the writer
    would make them one by one on its own. The copy is made in ``parts``
    shares of the folder's entries at once, one ``cp`` each (two ``cp -a``
    took 0.8-1.1 s at 10,000 stories): the writer waits for it when Pelican is done
    reading. ``sizes``: how many files each entry holds, as far as known,
    to share them out evenly. Where ``cp`` cannot link (not GNU ``cp``,
    another file system), the staging folder is emptied again and the
    writer links what it reuses itself.

    The folders keep their times, and nothing else of ``cp -a``'s: their
    owner, mode and extended attributes are those any folder the build
    makes gets, as in a cold build, and copying them was half of the
    copy's system calls (1.65 s -> 1.1 s for the whole site with one
    ``cp``). Links are linked, not followed.

    The copy is listed when done: a recorded file someone deleted from the
    published folder since is not in it, and must not count as kept; a file
    someone added is not the build's, and is unlinked.
    """

    _SCRIPT = 'published=$1 staging=$2; shift 2; cd "$published" ' \
              '&& cp --recursive --link --no-dereference --preserve=timestamps -t "$staging" -- "$@" ' \
              '&& cd "$staging" && find "$@" -type f -print0'

    def __init__(self, published: str, staging: str, files: dict, parts: int = 1,
                 sizes: dict[str, int] | None = None, started: list | None = None) -> None:
        """``started``: the processes and listings of a copy started before
        this process became Pelican (``adopt_early_copy``)."""
        self.staging, self.files = staging, files
        self.processes: list[tuple[Any, Any]] = list(started or [])
        self.failed = False
        if started is None and self.can_copy() and files:
            try:
                entries = os.listdir(published)
            except OSError:
                self.failed, entries = True, []
            for share in share_out(entries, sizes or {}, parts):
                self.processes.append(self.start(published, staging, share))
        if self.processes:
            atexit.register(self.stop)  # after the staging folder's removal: runs before it

    @staticmethod
    def can_copy() -> bool:
        return bool(shutil.which("cp") and shutil.which("find"))

    @classmethod
    def start(cls, published: str, staging: str, entries: list[str]) -> tuple[subprocess.Popen, Any]:
        """``cp`` of ``entries`` of the published folder, then ``find`` of
        what it copied: the process and the file its listing goes to."""
        listing = tempfile.TemporaryFile()
        # "./NAME": no entry can pass for an option of cp or find
        process = subprocess.Popen(
            ["sh", "-c", cls._SCRIPT, "sh", os.path.abspath(published), os.path.abspath(staging),
             *(f"./{entry}" for entry in entries)],
            stdin=subprocess.DEVNULL, stdout=listing, stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group: stop() ends cp and find too
        )
        return process, listing

    def stop(self) -> None:
        _stop(self.processes)

    def take(self) -> dict:
        """Wait for the copy; the keyed record of the files in it, or {} and
        an empty staging folder when it failed (or was not started)."""
        processes, self.processes = self.processes, []
        present: set[str] = set()
        failed, self.failed = self.failed, False
        for process, listing in processes:
            with listing:
                failed = process.wait() != 0 or failed
                listing.seek(0)
                # "./NAME\0" for each file, decoded at once (32,700 names at 10,000 stories)
                present.update(name.removeprefix("./") for name in os.fsdecode(listing.read()).split("\0") if name)
        if failed:
            empty_folder(self.staging)
            return {}
        keyed = {name: key for name, key in self.files.items() if key is not None}
        keyed_folders = tuple(name for name in keyed if name.endswith("/"))
        unkeyed = present.difference(keyed)  # files of keyed folders (search bundles), and strays
        for name in unkeyed:
            if not name.startswith(keyed_folders):
                # Written without a key (see keyed_files), or not the last build's (added by hand).
                os.unlink(os.path.join(self.staging, name))
        folders = {name.rpartition("/")[0] + "/" for name in unkeyed}  # a keyed folder's files are not keyed
        return {name: key for name, key in keyed.items() if name in present or name in folders}


def start_early_copy(final: str, state: str) -> None:
    """Start the linked copy of ``final`` before Pelican is imported.

    Called by ``uptodate`` just before it becomes Pelican (in the same
    process, or by ``exec``: the copy stays its child and the descriptor of
    its listing stays open). Importing Pelican and setting it up take 0.2 s
    on one core, while the other is idle; the copy takes about 1.2 s of
    system time at 10,000 stories, and a build without a spare (the first
    after a cold build; every build of a CI job that restores the output
    and the cache but not the spare) waited for it or shared the cores
    with it. Only where the build will want it: the published folder and
    the record of its files (``state``: the cache folder), and no spare.
    """
    if (os.path.exists(spare_path(final)) or not os.path.isdir(final)
            or not os.path.isfile(files_record(state, final).path) or not LinkedCopy.can_copy()):
        return
    staging = make_folder_beside(final, "staging")
    process, listing = LinkedCopy.start(final, staging, os.listdir(final))
    descriptor = os.dup(listing.fileno())  # kept open, through ``exec`` too
    os.set_inheritable(descriptor, True)
    # JSON: the published and staging folders, the copy's process and the descriptor of its listing.
    os.environ[EARLY_COPY_ENV] = json.dumps({"final": os.path.abspath(final), "staging": staging,
                                             "pid": process.pid, "fd": descriptor})


class _StartedChild:
    """A child process started before this process became Pelican, with
    what ``LinkedCopy`` asks of a ``subprocess.Popen``."""

    def __init__(self, pid: int) -> None:
        self.pid, self.returncode = pid, None

    def _reaped(self, flags: int) -> int | None:
        try:
            pid, status = os.waitpid(self.pid, flags)
        except ChildProcessError:  # not ours, or reaped already
            return 1
        return os.waitstatus_to_exitcode(status) if pid else None

    def poll(self) -> int | None:
        if self.returncode is None:
            self.returncode = self._reaped(os.WNOHANG)
        return self.returncode

    def wait(self) -> int:
        if self.returncode is None:
            self.returncode = self._reaped(0)
        return self.returncode


def _stop(processes: list) -> None:
    """End copies (their process groups: ``cp`` and ``find`` too)."""
    for process, _ in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def discard_early_copy(final: str) -> None:
    """End the copy ``start_early_copy`` started for a build that stops
    before it stages anything (nothing changed), and delete it."""
    early = adopt_early_copy(final)
    if early is not None:
        _stop(early[1])
        delete_in_background(early[0])


def adopt_early_copy(final: str) -> tuple[str, list] | None:
    """The staging folder and the process of the linked copy of ``final``
    that ``start_early_copy`` started, if any (once: a watching Pelican
    builds again)."""
    told = os.environ.pop(EARLY_COPY_ENV, None)
    if not told:
        return None
    try:
        early = json.loads(told)
        process = _StartedChild(int(early["pid"]))  # only a child of this process can be waited for or ended
        parent, name = os.path.split(os.path.abspath(final))
        beside = os.path.dirname(early["staging"]) == parent and os.path.basename(early["staging"]).startswith(
            f".{name}.staging-")
        if early["final"] != os.path.abspath(final) or not beside or not os.path.isdir(early["staging"]):
            _stop([(process, None)])
            return None
        return early["staging"], [(process, os.fdopen(int(early["fd"]), "w+b"))]
    except (ValueError, KeyError, TypeError, OSError):
        return None


def share_out(entries: list[str], sizes: dict[str, int], parts: int) -> list[list[str]]:
    """``entries`` in at most ``parts`` shares of about the same total size
    (``sizes``, 1 where unknown): the largest first, each into the smallest
    share so far."""
    shares: list[list[str]] = [[] for _ in range(max(1, parts))]
    totals = [0] * len(shares)
    for entry in sorted(entries, key=lambda e: (-sizes.get(e, 1), e)):
        smallest = totals.index(min(totals))
        shares[smallest].append(entry)
        totals[smallest] += sizes.get(entry, 1)
    return [share for share in shares if share]


def empty_folder(folder: str) -> None:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)


class StagedOutput:
    """Points one Pelican run at a staging folder and publishes it on success.

    The staging folder starts as the spare, when there is one, else as a
    linked copy of the published folder (``take_linked_copy``): the writer
    gets the record of its files as ``WIRE_STAGED_FILES``.
    """

    def __init__(self, pelican) -> None:
        self.pelican = pelican
        self.final = getattr(pelican, "wire_final_output", None) or pelican.output_path
        pelican.wire_final_output = self.final
        state = pelican.settings["WIRE_STATE_PATH"]
        self.spare = SpareRecord(state, self.final)
        early = adopt_early_copy(self.final)  # a linked copy already under way (``uptodate``)
        if early is not None and os.path.exists(self.spare.folder):  # a spare since: the copy is not needed
            _stop(early[1])
            early = None
        remove_stale_staging(self.final, keep=early[0] if early else None)
        self.staging = early[0] if early else make_folder_beside(self.final, "staging")
        self.site_key = pelican.settings.get("WIRE_SITE_KEY")  # before the stories extend it (``finish_context``)
        self.inodes = OutputRecord(state, self.final, "inodes")
        # What the staging folder held when it was made, if known (``list_changes``).
        self.origin: Listing | None = None
        if early:
            pelican.settings["WIRE_STAGED_FILES"] = {}
        else:
            pelican.settings["WIRE_STAGED_FILES"], self.origin = self.spare.claim(self.staging, self.site_key)
        pelican.output_path = self.staging
        pelican.settings["OUTPUT_PATH"] = self.staging
        pelican.settings["WIRE_PUBLISHED_OUTPUT"] = self.final
        atexit.register(shutil.rmtree, self.staging, True)
        self.linked_copy: LinkedCopy | None = None
        if not pelican.settings["WIRE_STAGED_FILES"] and os.path.isdir(self.final):
            self.linked_copy = LinkedCopy(self.final, self.staging, files_record(state, self.final).load() or {},
                                          worker_count(pelican.settings), self._entry_sizes,
                                          started=early[1] if early else None)
        elif early:  # the published folder is gone since
            _stop(early[1])
            empty_folder(self.staging)

    @functools.cached_property
    def published_listing(self) -> Listing | None:
        """The ``Listing`` of the published folder, as recorded when it was
        published; None without a record of this very folder. Read once: a
        first rebuild shares out its linked copy by it, and publishing
        compares with it."""
        recorded = self.inodes.load() or {}
        if recorded.get("stamp") != output_stamp(self.final):
            return None
        return recorded_listing(recorded, recorded["stamp"][0])

    @functools.cached_property
    def _entry_sizes(self) -> dict[str, int]:
        """How many files each entry of the published folder held when it
        was published, from the record of its files (empty without one).
        Counted once: the linked copy and publishing both share out by it."""
        listing = self.published_listing
        return collections.Counter(name.partition("/")[0] for name in listing.files) if listing is not None else {}

    def take_linked_copy(self) -> None:
        """Before anything is written: the staging folder holds the linked
        copy of the published folder, if one was started, and the writer
        gets its record. The copy's folders have the times of the
        published ones: it starts as the published folder's ``Listing``."""
        if self.linked_copy is not None:
            self.pelican.settings["WIRE_STAGED_FILES"] = self.linked_copy.take()
            self.linked_copy = None
            if self.pelican.settings["WIRE_STAGED_FILES"]:
                self.origin = self.published_listing

    def publish(self, published_files: dict) -> list[str]:
        """Swap the staging folder in; the replaced one, whose files
        ``published_files`` records, becomes the spare, with its ``Listing``.
        Returns the files of the new published folder."""
        published = self.published_listing
        # Without the record of the replaced folder's files, it cannot serve.
        spare = self.spare.folder if published_files else None
        if spare is not None and published is not None:
            self.inodes.move_to(self.spare.listing)
        else:
            self.inodes.forget()
            self.spare.listing.forget()
        listing = swap_in(self.staging, self.final, spare, published.files if published is not None else None,
                          worker_count(self.pelican.settings), self._entry_sizes, self.origin)
        self.inodes.save({"stamp": output_stamp(self.final), "files": listing.files,
                          "folders": settled_times(listing.folders, time.time_ns()), "site": self.site_key})
        if published_files and os.path.isdir(self.spare.folder):
            self.spare.save(published_files)
        self.pelican.output_path = self.final
        self.pelican.settings["OUTPUT_PATH"] = self.final
        return list(listing.files)
