"""The archive-scale benchmark (`make bench`): see bench/README.md.

For each corpus size N, in one run:

  project cold     `make html` into an empty output folder with no cache
  project no-change  the same build again, nothing changed
  project add-one  one story added to the wire folder, build again; the
                   output is compared byte for byte with ...
  project cold N+1 ... a cold build of the same N+1 files in a fresh folder
  baseline         plain Pelican 4.12, default theme, on the Markdown twin,
                   with the site, category and tag Atom feeds
  hugo             Debian's `hugo` on the same Markdown, when installed
  floor            read every wire file, write as many pages and feeds of
                   the same average size with a trivial Jinja template

Each is timed (wall clock) with its peak memory; pages (*.html) and feeds
are counted. The table and the targets' PASS/FAIL are printed and
everything is written to a JSON file.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as lib  # noqa: E402
import generate  # noqa: E402
import hugo_site  # noqa: E402

DEFAULT_SIZES = (1000, 10000)
LARGE_SIZE = 50000
QUICK_SIZE = 200
MEMORY_TARGET_SIZE = 10000  # "peak memory at 10,000 stories under 1 GB"

BASELINE_VENV = os.path.join(lib.BENCH, ".venv-baseline")
BASELINE_REQUIREMENTS = os.path.join(lib.BENCH, "requirements-baseline.txt")
BASELINE_CONF = os.path.join(lib.BENCH, "baseline_conf.py")
PROJECT_PYTHON = os.path.join(lib.ROOT, ".venv", "bin", "python")

# (name, measurement, reference, limit): measurement / reference <= limit.
RATIO_TARGETS = (
    ("cold build vs plain Pelican", "project_cold", "baseline", 0.5),
    ("add one story vs cold build", "project_add_one", "project_cold", 0.1),
    ("nothing changed vs cold build", "project_no_change", "project_cold", 0.05),
)
MEMORY_LIMIT_MB = 1024


# --- set-up ----------------------------------------------------------------------


def ensure_baseline_venv() -> str:
    """bench/.venv-baseline with plain Pelican and Markdown; returns its pelican."""
    pelican = os.path.join(BASELINE_VENV, "bin", "pelican")
    stamp = os.path.join(BASELINE_VENV, ".installed")
    if os.path.exists(stamp) and os.path.getmtime(stamp) >= os.path.getmtime(BASELINE_REQUIREMENTS):
        return pelican
    print("Setting up bench/.venv-baseline (plain Pelican + Markdown) ...", flush=True)
    python = PROJECT_PYTHON if os.path.exists(PROJECT_PYTHON) else sys.executable
    subprocess.run([python, "-m", "venv", BASELINE_VENV], check=True)
    subprocess.run(
        [os.path.join(BASELINE_VENV, "bin", "python"), "-m", "pip", "install", "--quiet",
         "--disable-pip-version-check", "-r", BASELINE_REQUIREMENTS,
         "-c", os.path.join(lib.ROOT, "requirements.txt")],
        check=True,
    )
    with open(stamp, "w"):
        pass
    return pelican


def command_output(cmd: list[str]) -> str | None:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def machine_info() -> dict:
    cpu = None
    with open("/proc/cpuinfo") as handle:
        for line in handle:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as handle:
        mem_kb = next(int(line.split()[1]) for line in handle if line.startswith("MemTotal"))
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_model": cpu,
        "memory_mb": mem_kb // 1024,
        "platform": platform.platform(),
        "python": command_output([PROJECT_PYTHON, "-c", "import sys; print(sys.version.split()[0])"]),
        "pelican": command_output([PROJECT_PYTHON, "-c", "import pelican; print(pelican.__version__)"]),
        "hugo": command_output(["hugo", "version"]) if shutil.which("hugo") else None,
        "git_commit": command_output(["git", "-C", lib.ROOT, "rev-parse", "HEAD"]),
        "git_dirty": bool(command_output(["git", "-C", lib.ROOT, "status", "--porcelain",
                                          "--", "plugins", "theme", "pelicanconf.py", "Makefile"])),
    }


# --- one size --------------------------------------------------------------------


def record(result: dict, name: str, run: lib.Run, output: str | None) -> dict:
    entry = run.as_dict()
    entry["load_average_after"] = round(os.getloadavg()[0], 2)
    if name.startswith("project_"):
        entry["pelican_reported_s"] = lib.pelican_seconds(os.path.join(lib.ROOT, run.log))
    if output and os.path.isdir(output):
        entry.update(lib.count_output(output))
    result[name] = entry
    status = "" if run.exit_code == 0 else f"  EXIT {run.exit_code}, see {run.log}"
    if len(run.peak_by_process_mb) > 1:
        status += "  [peaks: " + ", ".join(f"{k} {v:.0f} MB" for k, v in run.peak_by_process_mb.items()) + "]"
    print(f"  {name:<22} {run.wall_s:8.2f} s {run.cpu_s:8.2f} s CPU {run.peak_mb:6.0f} MB"
          f"{entry.get('pages', 0):9,} pages {entry.get('feeds', 0):7,} feeds{status}", flush=True)
    if run.exit_code:
        print("    " + lib.tail(os.path.join(lib.ROOT, run.log)).replace("\n", "\n    "))
    return entry


def bench_size(count: int, args, project: lib.ProjectBuild, baseline_pelican: str) -> dict:
    print(f"\n== {count:,} stories ==", flush=True)
    base = os.path.join(lib.OUT, str(count))
    corpus = lib.ensure_corpus(count, args.seed)
    os.makedirs(base)  # deleted by ``clear`` before
    result: dict = {"stories": count, "measurements": {}}
    m = result["measurements"]

    # The project works on a copy: adding a story must not change the cached corpus.
    work = os.path.join(base, "corpus")
    shutil.copytree(corpus, work)
    wire = os.path.join(work, "wire")
    site, cache = os.path.join(base, "site"), os.path.join(base, "site-cache")
    logs = os.path.join(base, "logs")

    cold = record(m, "project_cold", project.build(wire, site, cache, f"{logs}/project-cold.log"), site)
    cold["summary"] = lib.build_summary(os.path.join(lib.ROOT, cold["log"]))
    before = lib.tree_digest(site) if os.path.isdir(site) else {}

    record(m, "project_no_change", project.build(wire, site, cache, f"{logs}/project-no-change.log"), site)
    changes = lib.diff_digests(before, lib.tree_digest(site) if os.path.isdir(site) else {})
    result["no_change_output_unchanged"] = not changes
    result["no_change_output_changes"] = changes[:200]

    added, _ = generate.add_story(work)
    result["added_story"] = os.path.basename(added)
    add = record(m, "project_add_one", project.build(wire, site, cache, f"{logs}/project-add-one.log"), site)
    add["summary"] = lib.build_summary(os.path.join(lib.ROOT, add["log"]))

    ref, ref_cache = os.path.join(base, "site-cold-ref"), os.path.join(base, "site-cold-ref-cache")
    record(m, "project_cold_plus_one", project.build(wire, ref, ref_cache, f"{logs}/project-cold-ref.log"), ref)
    diffs = lib.compare_trees(site, ref) if os.path.isdir(site) and os.path.isdir(ref) else ["missing output"]
    result["add_one_identical_to_cold"] = not diffs
    result["add_one_differences"] = diffs[:200]
    result["add_one_difference_count"] = len(diffs)
    result["add_one_diff_sample"] = lib.diff_sample(site, ref, diffs) if os.path.isdir(ref) else []
    if diffs:
        print(f"  add-one output differs from a cold build in {len(diffs)} files, e.g. {diffs[0]}")

    # Once more: from its second rebuild on, a site is built in the spare
    # folder the rebuild before left (staging.py), as it is day after day.
    generate.add_story(work)
    record(m, "project_add_another", project.build(wire, site, cache, f"{logs}/project-add-another.log"), site)
    ref, ref_cache = os.path.join(base, "site-cold-ref-2"), os.path.join(base, "site-cold-ref-2-cache")
    record(m, "project_cold_plus_two", project.build(wire, ref, ref_cache, f"{logs}/project-cold-ref-2.log"), ref)
    diffs = lib.compare_trees(site, ref) if os.path.isdir(site) and os.path.isdir(ref) else ["missing output"]
    result["add_another_identical_to_cold"] = not diffs
    result["add_another_difference_count"] = len(diffs)
    if diffs:
        print(f"  add-another output differs from a cold build in {len(diffs)} files, e.g. {diffs[0]}")

    if not args.no_baseline:
        out = os.path.join(base, "baseline")
        cmd = [baseline_pelican, os.path.join(corpus, "markdown"), "-o", out,
               "-s", BASELINE_CONF, "--log-handler", "plain"]
        record(m, "baseline", lib.measure(cmd, f"{logs}/baseline.log"), out)

    if args.no_hugo:
        result["hugo"] = "skipped"
    elif shutil.which("hugo"):
        hugo_dir = os.path.join(base, "hugo")
        hugo_site.prepare(os.path.join(corpus, "markdown"), hugo_dir)
        run = lib.measure(hugo_site.hugo_command(shutil.which("hugo"), hugo_dir), f"{logs}/hugo.log")
        record(m, "hugo", run, os.path.join(hugo_dir, "public"))
    else:
        result["hugo"] = "not installed"
        print("  hugo                   not installed")

    if not args.no_floor and cold.get("pages"):
        out = os.path.join(base, "floor")
        cmd = [PROJECT_PYTHON, os.path.join(lib.BENCH, "floor.py"), os.path.join(corpus, "wire"), out,
               "--pages", str(cold["pages"]), "--page-bytes", str(cold["page_bytes"] // cold["pages"]),
               "--feeds", str(cold["feeds"]),
               "--feed-bytes", str(cold["feed_bytes"] // max(cold["feeds"], 1))]
        record(m, "floor", lib.measure(cmd, f"{logs}/floor.log"), out)

    result["ratios"], result["targets"] = judge(count, result)
    return result


def clear(bases: list[str], keep_logs: bool, wait: bool = True) -> None:
    """Delete what was built in the size folders ``bases`` (and their logs
    unless ``keep_logs``), noting when (``benchlib.note_deleted``); then, if
    ``wait``, wait until a build may use freed inodes again
    (``benchlib.wait_for_quiet``).

    ext4 without a journal (this machine's) does not reuse an inode freed
    less than 60 s ago, or 360 s while its inode table block is dirty (as new
    files keep making it): each new file or folder first skips every such
    inode of its block group (``recently_deleted`` leads the kernel's
    profile). Making 30,000 files here took 8.7 s, and 25.2 s right after
    30,000 others were deleted. In earlier runs the cold build of 1,000
    stories made right after the run deleted a site took 1.3-1.5 x as long
    as the run's first one. So a run deletes nothing until it is over, and
    one that starts within the quiet time of a deletion (an earlier run's
    sites that it finds, or those a run deleted as it ended) waits before it
    builds: no build is measured in a slower file system than the others.
    """
    removed = False
    for base in bases:
        if not os.path.isdir(base):
            continue
        for entry in os.listdir(base):
            path = os.path.join(base, entry)
            if entry == "logs" and keep_logs:
                continue
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, ignore_errors=True)
            else:
                os.remove(path)
            removed = removed or entry != "logs"
        if not keep_logs:
            os.rmdir(base)
    if removed:
        lib.note_deleted()
    if wait:
        lib.wait_for_quiet()


# --- judging and printing ----------------------------------------------------------


def figure(result: dict, name: str, key: str = "wall_s") -> float | None:
    entry = result["measurements"].get(name)
    if not entry or entry["exit_code"] != 0:
        return None
    return entry[key]


def judge(count: int, result: dict) -> tuple[dict, list[dict]]:
    ratios, targets = {}, []
    for label, name, reference, limit in RATIO_TARGETS:
        a, b = figure(result, name), figure(result, reference)
        ratio = round(a / b, 3) if a is not None and b else None
        ratios[f"{name}/{reference}"] = ratio
        passed = ratio is not None and ratio <= limit
        if name == "project_add_one":
            passed = passed and result["add_one_identical_to_cold"]
        cpu_a, cpu_b = figure(result, name, "cpu_s"), figure(result, reference, "cpu_s")
        cpu_ratio = round(cpu_a / cpu_b, 3) if cpu_a is not None and cpu_b else None
        ratios[f"{name}/{reference} (CPU)"] = cpu_ratio
        targets.append({"target": label, "ratio": ratio, "cpu_ratio": cpu_ratio,
                        "limit": limit, "pass": passed})
    for name in ("wall_s", "cpu_s"):
        a, b = figure(result, "project_add_another", name), figure(result, "project_cold", name)
        if a is not None and b:
            ratios["project_add_another/project_cold" + (" (CPU)" if name == "cpu_s" else "")] = round(a / b, 3)
    for name in ("floor", "hugo"):
        a, b = figure(result, "project_cold"), figure(result, name)
        if a is not None and b:
            ratios[f"project_cold/{name}"] = round(a / b, 2)
    if figure(result, "baseline") and figure(result, "hugo"):
        ratios["baseline/hugo"] = round(figure(result, "baseline") / figure(result, "hugo"), 2)
    project = [v for k, v in result["measurements"].items() if k.startswith("project_")]
    peak = max((v["peak_mb"] for v in project), default=None)
    result["project_peak_mb"] = peak
    if count <= MEMORY_TARGET_SIZE:
        targets.append({"target": f"peak memory under {MEMORY_LIMIT_MB} MB", "peak_mb": peak,
                        "limit": MEMORY_LIMIT_MB, "pass": peak is not None and peak < MEMORY_LIMIT_MB})
    return ratios, targets


def print_summary(results: dict) -> None:
    print("\n" + "=" * 78)
    for count, result in results["sizes"].items():
        print(f"\n{int(count):,} stories")
        print(f"  {'':<24}{'wall s':>9}{'CPU s':>9}{'pelican':>9}{'peak MB':>9}{'pages':>9}{'feeds':>8}{'MB out':>8}")
        for name, e in result["measurements"].items():
            failed = "" if e["exit_code"] == 0 else f"  (exit {e['exit_code']})"
            pelican = f"{e['pelican_reported_s']:9.2f}" if e.get("pelican_reported_s") else f"{'':9}"
            print(f"  {name:<24}{e['wall_s']:9.2f}{e['cpu_s']:9.2f}{pelican}{e['peak_mb']:9.0f}{e.get('pages', 0):9,}"
                  f"{e.get('feeds', 0):8,}{e.get('bytes', 0) / 2**20:8.1f}{failed}")
        if "hugo" in result:
            print(f"  {'hugo':<24}{result['hugo']:>9}")
        peaks = result["measurements"].get("project_cold", {}).get("peak_by_process_mb")
        if peaks:
            print("  peak memory by process, project cold build: "
                  + ", ".join(f"{k} {v:.0f} MB" for k, v in peaks.items()))
        print("  ratios: " + ", ".join(f"{k} {v}" for k, v in result["ratios"].items()))
        print(f"  add-one output identical to a cold build: {result['add_one_identical_to_cold']}"
              + ("" if result["add_one_identical_to_cold"]
                 else f" ({result['add_one_difference_count']} files differ)"))
        if "add_another_identical_to_cold" in result:
            print(f"  add-another output identical to a cold build: {result['add_another_identical_to_cold']}")
        print(f"  no-change rebuild left the output byte-identical: {result['no_change_output_unchanged']}")
        for t in result["targets"]:
            value = t.get("ratio", t.get("peak_mb"))
            op = "<=" if "ratio" in t else "<"
            cpu = f"   (CPU-time ratio {t['cpu_ratio']})" if t.get("cpu_ratio") is not None else ""
            print(f"  {'PASS' if t['pass'] else 'FAIL'}  {t['target']:<32} {value} {op} {t['limit']}{cpu}")


def main() -> None:
    parser = argparse.ArgumentParser(description="Archive-scale build benchmark (bench/README.md).")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                        help="comma-separated story counts (default %(default)s)")
    parser.add_argument("--large", action="store_true", help=f"also {LARGE_SIZE:,} stories")
    parser.add_argument("--quick", action="store_true", help=f"smoke run: {QUICK_SIZE} stories only")
    parser.add_argument("--json", default=os.path.join(lib.BENCH, "results.json"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the built sites in bench/out/N/")
    parser.add_argument("--live", action="store_true",
                        help="build the working tree itself, not a snapshot of it")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--no-floor", action="store_true")
    args = parser.parse_args()

    sizes = [QUICK_SIZE] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.large and LARGE_SIZE not in sizes:
        sizes.append(LARGE_SIZE)

    started = time.time()
    baseline_pelican = None if args.no_baseline else ensure_baseline_venv()
    if args.live:
        project, snapshot = lib.ProjectBuild(), None
    else:
        snapshot_dir = os.path.join(lib.OUT, "project-snapshot")
        snapshot = lib.snapshot_project(snapshot_dir)
        project = lib.ProjectBuild(snapshot_dir)
        print(f"Building a snapshot of the project (digest {snapshot}): "
              f"{os.path.relpath(snapshot_dir, lib.ROOT)}", flush=True)
    results = {
        "started": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "project_snapshot": snapshot,
        "load_average_start": os.getloadavg(),
        "args": vars(args),
        "sizes": {},
    }
    folders = [os.path.join(lib.OUT, str(count)) for count in sizes]
    clear(folders, keep_logs=False)  # an earlier run's
    for count in sizes:
        results["sizes"][str(count)] = bench_size(count, args, project, baseline_pelican)
        with open(args.json, "w") as handle:  # after every size: a long run leaves partial results
            json.dump(results, handle, indent=2)
    if not args.keep:
        clear(folders, keep_logs=True, wait=False)
    results["load_average_end"] = os.getloadavg()
    results["duration_s"] = round(time.time() - started, 1)
    with open(args.json, "w") as handle:
        json.dump(results, handle, indent=2)
        handle.write("\n")
    print_summary(results)
    print(f"\nResults: {os.path.relpath(args.json)} ({results['duration_s']:.0f} s)")


if __name__ == "__main__":
    main()
