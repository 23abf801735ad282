"""What ``run.py`` and ``profile.py`` share: paths, timed runs, corpora, output counts.

Standard library only: this runs under whichever Python starts the benchmark.
"""

from __future__ import annotations

import difflib
import filecmp
import hashlib
import itertools
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
OUT = os.path.join(BENCH, "out")
MAKE = os.environ.get("MAKE") or "make"

sys.path.insert(0, BENCH)
import generate  # noqa: E402

# Feed files as the project (atom.xml, rss.xml, feed.json), Pelican
# (feeds/*.atom.xml, *.rss.xml) and Hugo (index.xml) name them.
FEED_NAMES = frozenset({"atom.xml", "rss.xml", "feed.json", "index.xml"})
FEED_SUFFIXES = (".atom.xml", ".rss.xml")


# --- timed runs ------------------------------------------------------------------


@dataclass
class Run:
    """One measured command."""

    wall_s: float
    cpu_s: float  # user + system time of the whole tree: less sensitive to a busy machine
    peak_rss_mb: float  # largest single process of the tree (kernel's ru_maxrss)
    peak_tree_rss_mb: float  # largest sum over the process tree, sampled every 20 ms
    peak_by_process_mb: dict  # process name -> its peak (VmHWM), for the tree's big processes
    exit_code: int
    log: str

    @property
    def peak_mb(self) -> float:
        """What memory targets are judged on: exact for one process, summed for several."""
        return max(self.peak_rss_mb, self.peak_tree_rss_mb)

    def as_dict(self) -> dict:
        return {**asdict(self), "peak_mb": round(self.peak_mb, 1)}


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(p) for p in handle.read().split()]
    except OSError:
        pass
    return found


def _tree_memory(root: int) -> tuple[int, dict[int, tuple[str, int]]]:
    """Resident bytes of a process tree now, and each process's (name, peak bytes).

    The peak is the kernel's high-water mark (VmHWM), so it is exact even
    between two samples.
    """
    total, stack, peaks = 0, [root], {}
    while stack:
        pid = stack.pop()
        try:
            with open(f"/proc/{pid}/status") as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
            total += int(fields["VmRSS"].split()[0]) * 1024
            peaks[pid] = (fields["Name"].strip(), int(fields["VmHWM"].split()[0]) * 1024)
        except (OSError, KeyError, ValueError, IndexError):
            continue
        stack += _children(pid)
    return total, peaks


def measure(cmd: list[str], log: str, *, env: dict | None = None, cwd: str = ROOT) -> Run:
    """Run ``cmd`` to completion; wall time, peak memory and exit code.

    ``os.wait4`` gives the child's own resource usage (RUSAGE_CHILDREN of the
    benchmark would be a maximum over every command run so far). Its
    ``ru_maxrss`` is the largest single process of the tree; a sampler adds up
    the tree as well, in case the build forks workers.
    """
    os.makedirs(os.path.dirname(log), exist_ok=True)
    full_env = {**os.environ, **(env or {})}
    peak_tree, peaks = 0, {}
    with open(log, "wb") as out:
        out.write(f"$ {shlex.join(cmd)}\n".encode())
        out.flush()
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, cwd=cwd, env=full_env)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak_tree
            while not done.wait(0.02):
                total, now = _tree_memory(proc.pid)
                peak_tree = max(peak_tree, total)
                peaks.update(now)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
    by_name: dict[str, float] = {}
    for name, peak in peaks.values():
        by_name[name] = max(by_name.get(name, 0), round(peak / 2**20, 1))
    return Run(
        wall_s=round(wall, 3),
        cpu_s=round(usage.ru_utime + usage.ru_stime, 3),
        peak_rss_mb=round(usage.ru_maxrss / 1024, 1),  # KiB on Linux
        peak_tree_rss_mb=round(peak_tree / 2**20, 1),
        peak_by_process_mb={k: v for k, v in sorted(by_name.items(), key=lambda kv: -kv[1]) if v >= 20},
        exit_code=proc.returncode,
        log=os.path.relpath(log, ROOT),
    )


def tail(path: str, lines: int = 15) -> str:
    with open(path, encoding="utf-8", errors="replace") as handle:
        return "".join(handle.readlines()[-lines:])


# --- the project's build, as `make html` runs it ---------------------------------


def make_variable(name: str, root: str = ROOT, **make_vars: str) -> str:
    """A variable's value as the Makefile sets it, read at run time."""
    result = subprocess.run(
        [MAKE, "-s", "--no-print-directory", "-C", root, *(f"{k}={v}" for k, v in make_vars.items()),
         "--eval", "bench-print-var-%: ; @:$(info $($*))", f"bench-print-var-{name}"],
        capture_output=True, text=True, check=True,
    )
    return result.stdout.strip()


# Not part of a build: left out of the snapshot.
SNAPSHOT_SKIP_TOP = frozenset({".git", ".venv", "bench", "output", "cache", "tests", "docs",
                               ".pytest_cache", ".hypothesis", "node_modules"})


def snapshot_project(dest: str) -> str:
    """Copy the project (code, theme, content, settings, Makefile) to ``dest``.

    Other people edit plugins/ and theme/ while the benchmark runs; building a
    snapshot makes the cold, no-change, add-one and reference builds of one run
    use the same code. Returns a digest of what was copied.
    """
    def ignore(folder: str, names: list[str]) -> set[str]:
        skipped = {n for n in names if n == "__pycache__" or ".staging-" in n or ".retired-" in n}
        if os.path.abspath(folder) == ROOT:
            skipped |= SNAPSHOT_SKIP_TOP & set(names)
        return skipped

    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    digest = hashlib.sha256()
    for path in sorted(tree_digest(dest).items()):
        digest.update("  ".join(path).encode())
    return digest.hexdigest()[:16]


class ProjectBuild:
    """``make html SEEDDIR=... OUTPUTDIR=...`` with a cache folder of its own.

    The Makefile supplies the command, environment (WIRE_*) and options; the
    benchmark only adds ``--cache-path`` so that each site it builds has its
    own Pelican cache, whatever the project's cache settings are. ``root`` is
    the project folder or a snapshot of it (which uses the project's .venv).
    """

    def __init__(self, root: str = ROOT) -> None:
        self.root = root
        self.make_vars = {} if root == ROOT else {"VENV": os.path.join(ROOT, ".venv")}
        # Bring the venv up to date now, so no timed build installs anything.
        installed = f"{make_variable('BIN')}/.installed"
        subprocess.run([MAKE, "-s", "--no-print-directory", "-C", ROOT, installed], check=True)
        self.pelicanopts = make_variable("PELICANOPTS", root, **self.make_vars)
        self.installed = f"{make_variable('BIN', root, **self.make_vars)}/.installed"

    def variable(self, name: str) -> str:
        return make_variable(name, self.root, **self.make_vars)

    def command(self, seeddir: str, outputdir: str, cachedir: str, extra_opts: str = "",
                **make_vars: str) -> list[str]:
        opts = f"{self.pelicanopts} --cache-path {shlex.quote(cachedir)} {extra_opts}".strip()
        extra = [f"{k}={v}" for k, v in {**self.make_vars, **make_vars}.items()]
        return [MAKE, "-s", "--no-print-directory", "-C", self.root, "-o", self.installed, "html",
                f"SEEDDIR={seeddir}", f"OUTPUTDIR={outputdir}", f"PELICANOPTS={opts}", *extra]

    def build(self, seeddir: str, outputdir: str, cachedir: str, log: str, extra_opts: str = "",
              **make_vars: str) -> Run:
        return measure(self.command(seeddir, outputdir, cachedir, extra_opts, **make_vars), log)


def pelican_seconds(log: str) -> float | None:
    """The time Pelican reports for itself ("... in 12.34 seconds."): the rest of
    a `make html` is start-up and what the Makefile runs after Pelican."""
    with open(log, encoding="utf-8", errors="replace") as handle:
        found = re.findall(r" in ([0-9.]+) seconds\.", handle.read())
    return float(found[-1]) if found else None


#: ext4 without a journal (this machine's) reuses a freed inode after 60 s,
#: or 360 s while its inode table block is dirty (as new files keep making
#: it): until then every new file or folder of its block group skips it
#: (``recently_deleted`` leads the kernel's profile), and builds are slower.
QUIET_AFTER_DELETING_S = 360
#: When built sites were last deleted here (``note_deleted``).
DELETED_AT = os.path.join(OUT, "deleted-at")


def note_deleted() -> None:
    os.makedirs(OUT, exist_ok=True)
    with open(DELETED_AT, "w") as handle:
        handle.write(f"{time.time()}\n")


def wait_for_quiet() -> None:
    """Wait until ``QUIET_AFTER_DELETING_S`` have passed since built sites
    were last deleted (``note_deleted``), so that no measured build pays
    for them."""
    try:
        with open(DELETED_AT) as handle:
            deleted = float(handle.read())
    except (OSError, ValueError):
        return
    left = deleted + QUIET_AFTER_DELETING_S - time.time()
    if left > 0:
        os.sync()
        print(f"(sites were deleted {QUIET_AFTER_DELETING_S - left:.0f} s ago; waiting {left:.0f} s "
              "until the file system reuses their inodes)", flush=True)
        time.sleep(left)


def remove_site(outputdir: str, cachedir: str) -> None:
    """Output, cache and any staging folder a build left beside the output."""
    parent, name = os.path.split(os.path.abspath(outputdir))
    for path in [outputdir, cachedir] + [
        os.path.join(parent, entry) for entry in (os.listdir(parent) if os.path.isdir(parent) else [])
        if entry.startswith(f".{name}.")
    ]:
        shutil.rmtree(path, ignore_errors=True)


def build_summary(log: str) -> str | None:
    """The plugin's last line: "Wire: N stories published, R files rejected, ..."."""
    with open(log, encoding="utf-8", errors="replace") as handle:
        found = [line.strip() for line in handle if line.startswith("Wire:")]
    return found[-1] if found else None


# --- corpora ---------------------------------------------------------------------


def generator_digest() -> str:
    """Changes whenever the generator's code or data does: cached corpora are redone."""
    digest = hashlib.sha256()
    for name in ("generate.py", "wire_data.py"):
        with open(os.path.join(BENCH, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:16]


def ensure_corpus(count: int, seed: int) -> str:
    """bench/out/corpus-N, generated once and reused while the generator is unchanged."""
    folder = os.path.join(OUT, f"corpus-{count}-seed{seed}")
    stamp = os.path.join(folder, "generator.txt")
    digest = generator_digest()
    try:
        manifest = generate.read_manifest(folder)
        with open(stamp) as handle:
            if handle.read().strip() == digest and manifest["count"] == count:
                return folder
    except (OSError, KeyError, json.JSONDecodeError):
        pass
    shutil.rmtree(folder, ignore_errors=True)
    start = time.perf_counter()
    generate.generate(count, folder, seed)
    with open(stamp, "w") as handle:
        handle.write(digest + "\n")
    print(f"  generated {count:,} stories in {time.perf_counter() - start:.1f} s: "
          f"{os.path.relpath(folder, ROOT)}", flush=True)
    return folder


# --- output trees ----------------------------------------------------------------


def is_feed(name: str) -> bool:
    return name in FEED_NAMES or name.endswith(FEED_SUFFIXES)


def count_output(root: str) -> dict:
    """Pages (*.html), feeds, all files and their sizes under an output folder."""
    counts = {"pages": 0, "feeds": 0, "files": 0, "bytes": 0, "page_bytes": 0, "feed_bytes": 0}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            size = os.path.getsize(os.path.join(folder, name))
            counts["files"] += 1
            counts["bytes"] += size
            if name.endswith(".html"):
                counts["pages"] += 1
                counts["page_bytes"] += size
            elif is_feed(name):
                counts["feeds"] += 1
                counts["feed_bytes"] += size
    return counts


def tree_digest(root: str) -> dict[str, str]:
    """Relative path -> SHA-256 of every file."""
    digests = {}
    for folder, _dirs, files in os.walk(root):
        for name in files:
            path = os.path.join(folder, name)
            with open(path, "rb") as handle:
                digests[os.path.relpath(path, root)] = hashlib.sha256(handle.read()).hexdigest()
    return digests


def diff_digests(before: dict[str, str], after: dict[str, str]) -> list[str]:
    changes = [f"removed {p}" for p in sorted(before.keys() - after.keys())]
    changes += [f"added {p}" for p in sorted(after.keys() - before.keys())]
    changes += [f"changed {p}" for p in sorted(before.keys() & after.keys()) if before[p] != after[p]]
    return changes


def diff_sample(left: str, right: str, diffs: list[str], files: int = 3, lines: int = 30) -> list[str]:
    """The first lines of a unified diff of the first few differing text files."""
    sample = []
    for entry in [d for d in diffs if d.startswith("differs: ")][:files]:
        path = entry.removeprefix("differs: ")
        texts = []
        for root in (left, right):
            with open(os.path.join(root, path), encoding="utf-8", errors="replace") as handle:
                texts.append(handle.read().splitlines())
        delta = difflib.unified_diff(*texts, f"{os.path.basename(left)}/{path}",
                                     f"{os.path.basename(right)}/{path}", n=1, lineterm="")
        sample += [line[:300] for line in itertools.islice(delta, lines)]
    return sample


def compare_trees(left: str, right: str) -> list[str]:
    """Differences between two output folders, byte for byte; [] when identical."""
    def files(root):
        return {
            os.path.relpath(os.path.join(folder, name), root)
            for folder, _dirs, names in os.walk(root) for name in names
        }

    a, b = files(left), files(right)
    diffs = [f"only in {os.path.basename(left)}: {p}" for p in sorted(a - b)]
    diffs += [f"only in {os.path.basename(right)}: {p}" for p in sorted(b - a)]
    diffs += [
        f"differs: {p}" for p in sorted(a & b)
        if not filecmp.cmp(os.path.join(left, p), os.path.join(right, p), shallow=False)
    ]
    return diffs
