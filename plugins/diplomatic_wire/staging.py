"""Atomic output: build into a folder beside OUTPUT_PATH, swap it in at the end.

A build that fails or is interrupted never touches the published folder: the
staging folder is dropped (now, or by the next build if the process was
killed). Files whose bytes did not change keep their old modification time,
so rsync and static hosts see only what really changed.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import filecmp
import glob
import os
import shutil

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def staging_path(final: str) -> str:
    parent, name = os.path.split(os.path.abspath(final))
    return os.path.join(parent, f".{name}.staging-{os.getpid()}")


def remove_stale_staging(final: str) -> None:
    """Drop staging folders left by builds that were killed."""
    parent, name = os.path.split(os.path.abspath(final))
    for stale in glob.glob(os.path.join(glob.escape(parent), f".{glob.escape(name)}.staging-*")):
        shutil.rmtree(stale, ignore_errors=True)


def keep_unchanged_mtimes(old: str, new: str) -> None:
    """Give every file whose bytes are unchanged its old modification time."""
    for root, _dirs, files in os.walk(new):
        for name in files:
            fresh = os.path.join(root, name)
            previous = os.path.join(old, os.path.relpath(fresh, new))
            try:
                stat, fresh_stat = os.stat(previous), os.stat(fresh)
                if stat.st_ino == fresh_stat.st_ino:
                    continue  # linked from the last build: same file, same time
                if stat.st_size == fresh_stat.st_size and filecmp.cmp(previous, fresh, shallow=False):
                    os.utime(fresh, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            except OSError:
                continue


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
    """Make ``staging`` the published folder; the old one is deleted."""
    if os.path.isdir(final):
        keep_unchanged_mtimes(final, staging)
        if _exchange(staging, final):
            shutil.rmtree(staging)
            return
        retired = staging + ".old"
        os.rename(final, retired)
        os.rename(staging, final)
        shutil.rmtree(retired)
    else:
        os.rename(staging, final)


class StagedOutput:
    """Points one Pelican run at a staging folder and publishes it on success."""

    def __init__(self, pelican) -> None:
        self.pelican = pelican
        self.final = getattr(pelican, "wire_final_output", None) or pelican.output_path
        pelican.wire_final_output = self.final
        remove_stale_staging(self.final)
        self.staging = staging_path(self.final)
        os.makedirs(self.staging)
        pelican.output_path = self.staging
        pelican.settings["OUTPUT_PATH"] = self.staging
        pelican.settings["WIRE_PUBLISHED_OUTPUT"] = self.final
        atexit.register(shutil.rmtree, self.staging, True)

    def publish(self) -> None:
        swap_in(self.staging, self.final)
        self.pelican.output_path = self.final
        self.pelican.settings["OUTPUT_PATH"] = self.final
