"""`make html` with nothing changed, answered before Python imports Pelican.

Importing Pelican takes about half a second: most of a rebuild with nothing
changed. So `make html` runs ``python -m diplomatic_wire.uptodate PELICAN
ARGS...`` in its place. When the record left by the last successful build
says that the same command, environment, settings files and Python packages
built the output folder as it is now, from input folders that have not
changed since, it says so and exits. Otherwise it becomes Pelican, whose
build runs the plugin's complete check (``incremental``) and, when it
succeeds, leaves a new record. Pelican runs in this very process where
this Python runs it (else the command is exec'd): the check runs in a
forked process while a thread imports Pelican (``import_ahead``).

The check errs one way only: whatever it cannot vouch for goes to Pelican.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import importlib.util
import json
import os
import shutil
import struct
import sys
import threading

from .background import BackgroundError, in_background
from .incremental import folders_digest, output_stamp

#: How the check tells the build where to leave its record, and for what command.
RECORD_ENV = "WIRE_UPTODATE_RECORD"
INVOCATION_ENV = "WIRE_UPTODATE_INVOCATION"
#: And the input folders' digest it took, so that the build need not list
#: them again (10,000 stories: 0.2 s).
FILES_ENV = "WIRE_UPTODATE_FILES"
#: And the linked copy of the output folder it started (``staging.start_early_copy``).
EARLY_COPY_ENV = "WIRE_LINKED_COPY"
# make's and the shell's bookkeeping and the terminal's size: they differ
# between two runs of one build and do not reach the site.
_VOLATILE_ENV = frozenset({"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES", "MAKE_TERMOUT",
                           "MAKE_TERMERR", "OLDPWD", "SHLVL", "_", "COLUMNS", "LINES",
                           RECORD_ENV, INVOCATION_ENV, FILES_ENV, EARLY_COPY_ENV})


def _pelican_options(options: list[str]) -> argparse.Namespace | None:
    """The options of a Pelican command line that this check reads, or None
    when they are malformed."""
    return _parsed_options(tuple(options))


@functools.lru_cache(maxsize=8)
def _parsed_options(options: tuple[str, ...]) -> argparse.Namespace | None:
    """``_pelican_options``, parsed once: a build asks about its own command
    line at half a dozen steps. (Nobody changes the namespace returned.)"""
    parser = argparse.ArgumentParser(add_help=False, allow_abbrev=False, exit_on_error=False)
    parser.add_argument("-o", "--output")
    parser.add_argument("-s", "--settings")
    parser.add_argument("--cache-path", default="cache")
    for flags in (("-r", "--autoreload"), ("-l", "--listen"), ("-h", "--help"), ("--version",),
                  ("--print-settings",)):
        parser.add_argument(*flags, action="store_true", dest=flags[-1].lstrip("-").replace("-", "_"))
    try:
        return parser.parse_known_args(options)[0]
    except (argparse.ArgumentError, SystemExit):
        return None


def watches(options: list[str]) -> bool:
    """True under ``pelican -r`` or ``-l``, which must run however fresh the output is."""
    args = _pelican_options(options)
    return args is not None and (args.autoreload or args.listen)


def command_paths(options: list[str], cwd: str) -> tuple[str, str, str] | None:
    """(record, output folder, settings file) of a Pelican command line, or
    None when it is not a plain build naming its output folder and settings."""
    args = _pelican_options(options)
    if args is None or args.autoreload or args.listen or args.help or args.version or args.print_settings:
        return None  # Pelican keeps running, or does something else than build
    if not args.output or not args.settings:
        return None
    output = os.path.join(cwd, args.output)
    name = hashlib.sha256(os.path.abspath(output).encode()).hexdigest()[:16]
    record = os.path.join(cwd, args.cache_path, f"wire-uptodate-{name}.json")
    return os.path.abspath(record), os.path.abspath(output), os.path.abspath(os.path.join(cwd, args.settings))


def _files_beside(path: str) -> list[tuple[str, int, int]]:
    """The Python files in the folder of ``path`` (settings files import each other)."""
    folder = os.path.dirname(path)
    listing = []
    for entry in sorted(os.scandir(folder), key=lambda e: e.name):
        if entry.name.endswith(".py") and entry.is_file():
            stat = entry.stat()
            listing.append((entry.name, stat.st_size, stat.st_mtime_ns))
    return listing


def invocation_digest(command: list[str], environ: dict[str, str], cwd: str, settings_file: str) -> str:
    """Digest of everything but the input folders that decides what a command
    builds: the command, its folder and environment, the settings files, the
    Python that runs it and its installed packages."""
    packages = []
    for path in sys.path:
        if path.endswith("-packages"):
            try:
                packages.append((path, os.stat(path).st_mtime_ns))  # changes on (un)install
            except OSError:
                pass
    parts = {
        "command": command,
        "cwd": cwd,
        "environment": sorted((k, v) for k, v in environ.items() if k not in _VOLATILE_ENV),
        "python": [sys.executable, sys.version],
        "packages": packages,
        "settings": _files_beside(settings_file),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8", "surrogateescape")).hexdigest()


def vouching_record(record_path: str, invocation: str, output: str, taken: dict | None = None) -> dict | None:
    """The record, when it says ``invocation`` built ``output`` as it is now,
    from input folders that have not changed since; else None. When the
    input folders were listed, ``taken`` gets them and their digest
    ("folders", "files")."""
    try:
        with open(record_path, encoding="utf-8") as handle:
            record = json.load(handle)
        folders = record["folders"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if record.get("invocation") != invocation or not folders or record.get("output") != output_stamp(output):
        return None
    files = folders_digest(folders)
    if taken is not None:
        taken["folders"], taken["files"] = folders, files
    return record if record.get("files") == files else None


def digest_taken(folders: list[str]) -> str:
    """The ``folders_digest`` of ``folders`` as the check took it just before
    this build, else taken now. Used once: a watching Pelican builds again."""
    taken = os.environ.pop(FILES_ENV, None)
    try:
        recorded = json.loads(taken) if taken else None
        if recorded["folders"] == [os.path.abspath(f) for f in folders] and isinstance(recorded["files"], str):
            return recorded["files"]
    except (ValueError, KeyError, TypeError):
        pass
    return folders_digest(folders)


def save_record(folders: list[str], files: str, output: str, rejected: list[str] | None = None) -> None:
    """After a successful build started by ``main``: what it was built from.
    ``files`` is the ``folders_digest`` of ``folders`` taken when the build began;
    ``rejected``, the lines that named the files it rejected: a check that
    finds nothing changed names them again (``recorded_rejections``)."""
    path, invocation = os.environ.get(RECORD_ENV), os.environ.get(INVOCATION_ENV)
    if not (path and invocation):
        return
    record = {"invocation": invocation, "folders": [os.path.abspath(f) for f in folders],
              "files": files, "output": output_stamp(output), "rejected": list(rejected or [])}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(record, handle, sort_keys=True)


def recorded_rejections(record: dict) -> list[str]:
    """The lines with which the build a record vouches for named the files
    it rejected."""
    lines = record.get("rejected", [])
    return [line for line in lines if isinstance(line, str)] if isinstance(lines, list) else []


def forget_record() -> None:
    """The next build must run (it has files to report again)."""
    path = os.environ.get(RECORD_ENV)
    if path:
        try:
            os.remove(path)
        except OSError:
            pass


def compile_plugin(folder: str = os.path.dirname(os.path.abspath(__file__))) -> None:
    """Write the bytecode of the plugin's modules that lack it or whose
    source changed since, as pip does for the packages it installs.

    The build about to start imports them, and where Python writes no
    bytecode itself (``PYTHONDONTWRITEBYTECODE``, set on some machines) it
    would compile them again in every build: 40-50 ms. A module that cannot
    be compiled or written is left to Python, as before.
    """
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py"):
            continue
        source = os.path.join(folder, name)
        try:
            cached = importlib.util.cache_from_source(source)
            stat = os.stat(source)
            # The header of a timestamp-checked .pyc (PEP 552): magic, flags 0, source mtime and size.
            expected = importlib.util.MAGIC_NUMBER + struct.pack(
                "<III", 0, int(stat.st_mtime) & 0xFFFFFFFF, stat.st_size & 0xFFFFFFFF)
            with open(cached, "rb") as handle:
                if handle.read(16) == expected:
                    continue
        except (OSError, NotImplementedError, ValueError):
            pass
        import py_compile  # only when something is to be compiled

        try:
            py_compile.compile(source, doraise=True, invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
        except (OSError, py_compile.PyCompileError):
            pass


def pelican_arguments(command: list[str]) -> list[str] | None:
    """The arguments of Pelican when ``command`` runs it with this Python
    (its script beside this Python, or ``python -m pelican``), else None."""
    if command[0] == sys.executable and command[1:3] == ["-m", "pelican"]:
        return command[3:]
    script = shutil.which(command[0])
    ours = os.path.join(os.path.dirname(sys.executable), "pelican")
    if script and os.path.realpath(script) == os.path.realpath(ours):
        return command[1:]
    return None


def import_ahead() -> threading.Thread:
    """Import Pelican in a thread while this one waits for the check: it
    takes 0.15-0.2 s, the check 0.08 s at 10,000 stories, each on a core.
    A failed import is left for ``become`` to raise."""

    def load() -> None:
        try:
            import pelican  # noqa: F401
        except BaseException:
            pass

    thread = threading.Thread(target=load, name="import Pelican", daemon=True)
    thread.start()
    return thread


def become(command: list[str], ahead: threading.Thread | None = None) -> None:
    """Run the build: Pelican in this process (imported ``ahead``), as its
    own script would, where ``command`` runs it with this Python; any other
    command takes this process's place (exec)."""
    arguments = pelican_arguments(command)
    if arguments is None:
        os.execvp(command[0], command)
    if ahead is not None:
        ahead.join()
    if command[0] != sys.executable:  # the script's folder comes first on its path
        sys.path[0] = os.path.dirname(os.path.abspath(shutil.which(command[0])))
    sys.argv = [command[0], *arguments]
    from pelican import main as pelican_main

    sys.exit(pelican_main(arguments))


def _check(record: str, invocation: str, output: str) -> tuple[dict | None, dict]:
    taken: dict = {}
    return vouching_record(record, invocation, output, taken), taken


def main(argv: list[str] | None = None, ahead: bool = False) -> None:
    """``ahead``: run the check in a forked process while a thread imports
    Pelican (``import_ahead``); when nothing changed, this process then
    ends at once."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if not arguments:
        sys.exit("usage: python -m diplomatic_wire.uptodate PELICAN [PELICAN OPTIONS...]")
    command = arguments
    cwd = os.getcwd()
    os.environ.pop(FILES_ENV, None)  # only this check's own may reach the build
    os.environ.pop(EARLY_COPY_ENV, None)
    paths = command_paths(command[1:], cwd)
    importing = None
    if paths is not None:
        record, output, settings_file = paths
        invocation = invocation_digest(command, dict(os.environ), cwd, settings_file)
        ahead = ahead and pelican_arguments(command) is not None
        verdict = in_background(_check, record, invocation, output, workers=2 if ahead else 1)
        importing = import_ahead() if ahead else None  # after the fork: a thread does not survive one
        try:
            fresh, taken = verdict()
        except BackgroundError:
            fresh, taken = None, {}
        if fresh is not None:
            rejected = recorded_rejections(fresh)
            for line in rejected:  # as the build named them: they are still there
                print(line, file=sys.stderr)
            sys.stderr.flush()
            print(f"Wire: nothing changed since the last build of {output}"
                  + (f"; {len(rejected)} files rejected (above)" if rejected else ""), flush=True)
            if importing is not None:  # not waited for, nor its modules torn down
                sys.stderr.flush()
                os._exit(0)
            return
        os.environ[RECORD_ENV], os.environ[INVOCATION_ENV] = record, invocation
        if taken:
            os.environ[FILES_ENV] = json.dumps(taken)
        if not watches(command[1:]):
            from .staging import start_early_copy  # only on the way to Pelican

            start_early_copy(output, os.path.dirname(record))
    compile_plugin()
    become(command, importing)


if __name__ == "__main__":
    main(ahead=True)
