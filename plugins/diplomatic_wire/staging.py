"""Atomic output: build into a folder beside OUTPUT_PATH, swap it in at the end.

A build that fails or is interrupted never touches the published folder: the
staging folder is dropped (now, or by the next build if the process was
killed). Files whose bytes did not change keep their old modification time,
so rsync and static hosts see only what really changed. The replaced folder
is renamed out of sight and deleted in the background.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import filecmp
import glob
import os
import shutil
import subprocess
import sys
import tempfile

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


def remove_stale_staging(final: str) -> None:
    """Delete staging folders left by builds that were killed, and retired
    outputs whose deletion did not finish: in the background, as they are
    out of sight already."""
    parent, name = os.path.split(os.path.abspath(final))
    for kind in ("staging", "retired"):
        pattern = os.path.join(glob.escape(parent), f".{glob.escape(name)}.{kind}-*")
        for stale in glob.glob(pattern):
            delete_in_background(stale)


def file_inodes(folder: str) -> dict[str, int]:
    """Relative path -> inode of every file under ``folder``, from the
    directory entries alone (no stat call per file)."""
    found: dict[str, int] = {}
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(folder, relative)) as entries:
            for entry in entries:
                path = os.path.join(relative, entry.name)
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                else:
                    found[path] = entry.inode()
    return found


def keep_unchanged_mtimes(old: str, new: str) -> None:
    """Give every file whose bytes are unchanged its old modification time.

    Files linked from the last build are the same inode, hence the same time:
    only the others are compared.
    """
    old_inodes = file_inodes(old)
    for path, inode in file_inodes(new).items():
        if old_inodes.get(path, inode) == inode:
            continue  # new, or linked from the last build
        previous, fresh = os.path.join(old, path), os.path.join(new, path)
        try:
            stat = os.stat(previous)
            if stat.st_size == os.stat(fresh).st_size and filecmp.cmp(previous, fresh, shallow=False):
                os.utime(fresh, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        except OSError:
            continue


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
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def swap_in(staging: str, final: str) -> None:
    """Make ``staging`` the published folder; the old one is deleted (in the
    background: it is out of sight at once)."""
    if not os.path.isdir(final):
        os.rename(staging, final)
        return
    keep_unchanged_mtimes(final, staging)
    retired = make_folder_beside(final, "retired")  # empty: rename() may replace it
    if _exchange(staging, final):
        os.rename(staging, retired)
    else:
        os.rename(final, retired)
        os.rename(staging, final)
    delete_in_background(retired)


class StagedOutput:
    """Points one Pelican run at a staging folder and publishes it on success."""

    def __init__(self, pelican) -> None:
        self.pelican = pelican
        self.final = getattr(pelican, "wire_final_output", None) or pelican.output_path
        pelican.wire_final_output = self.final
        remove_stale_staging(self.final)
        self.staging = make_folder_beside(self.final, "staging")
        pelican.output_path = self.staging
        pelican.settings["OUTPUT_PATH"] = self.staging
        pelican.settings["WIRE_PUBLISHED_OUTPUT"] = self.final
        atexit.register(shutil.rmtree, self.staging, True)

    def publish(self) -> None:
        swap_in(self.staging, self.final)
        self.pelican.output_path = self.final
        self.pelican.settings["OUTPUT_PATH"] = self.final
