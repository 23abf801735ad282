"""Where the project's cold build spends its time: cProfile over `make html`.

    python bench/profile.py [N] [--add-one] [--seed S] [--top K] [--workers W]

builds the N-story corpus (default 10,000) cold, exactly as `make html` does,
with the Makefile's PELICAN replaced by `python -m cProfile -o FILE pelican`
and WIRE_WORKERS=1 (the profiler sees one process). With --add-one it builds
the site cold without the profiler, files one more story and profiles the
rebuild. It writes bench/out/profile-N[-add-one].prof (open it with pstats,
snakeviz, ...) and bench/out/profile-N[-add-one].txt, and prints:

- phases: cumulative time of the functions that mark each stage of a build;
- self time by owner: every function's own time, charged to the part of the
  build that owns it. Built-ins and standard-library functions (regex, json,
  file writes) are charged to whoever called them, so that ``re.sub`` inside
  the parser counts as parsing and ``write`` inside Pelican's writer as writing;
- the top functions by cumulative and by own time.

cProfile slows Python code down (about 1.5-2x here) and C code hardly at all:
read the shares, not the absolute seconds.
"""

from __future__ import annotations

import argparse
import io
import os
import pstats
import shutil
import sys
import time
from collections import defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib as lib  # noqa: E402
import generate  # noqa: E402

# Owners, by the path of the function's file (first match wins); other plugin
# modules are owned by "wire: <module>".
OWNERS = (
    ("external commands (Pagefind), waited for", ("/subprocess.py", "/selectors.py")),
    ("wire: read + parse", ("diplomatic_wire/parse.py", "diplomatic_wire/reader.py",
                            "diplomatic_wire/story.py")),
    ("wire: entity extraction", ("diplomatic_wire/entities.py", "pycountry/")),
    ("wire: feeds (feeds.py, feedgen, lxml)", ("diplomatic_wire/feeds.py", "feedgen/", "lxml/")),
    ("templates (Jinja2, MarkupSafe, theme)", ("jinja2/", "markupsafe/", "/templates/")),
    ("Pelican: writer", ("pelican/writers.py",)),
    ("Pelican: feedgenerator", ("feedgenerator/",)),
    ("Pelican: other", ("pelican/",)),
    ("libraries: dateutil, zoneinfo, unidecode, blinker", ("dateutil/", "zoneinfo", "unidecode/",
                                                           "blinker/", "ordered_set")),
)
# Built-ins that are file-system work, whoever calls them.
FILE_IO = ("io.open", "posix.", "of '_io.", "built-in method _io.")
FILE_IO_OWNER = "file I/O (open, read, write, mkdir, stat)"
NEUTRAL = "stdlib / built-ins not traced to an owner (imports, recursion)"

# (label, path suffix, function name): cumulative time marks a stage.
PHASES = (
    ("whole build (pelican main)", "pelican/__init__.py", "main"),
    ("  Pelican.run", "pelican/__init__.py", "run"),
    ("  plugin set-up (register, import)", "pelican/plugins/_utils.py", "load_plugins"),
    ("  generate_context, all Pelican generators", "pelican/generators.py", "generate_context"),
    ("    Readers.read_file (all files)", "pelican/readers.py", "read_file"),
    ("    object cache: load (all shards)", "diplomatic_wire/object_cache.py", "_load"),
    ("    object cache: lookups, articles restored", "diplomatic_wire/object_cache.py", "get_cached_data"),
    ("    Pelican's own content cache: load (CONTENT_CACHING_LAYER 'reader' only)", "pelican/cache.py", "__init__"),
    ("      WireReader.read", "diplomatic_wire/reader.py", "read"),
    ("      read_ahead (uncached files, in worker processes)", "diplomatic_wire/reader.py", "read_ahead"),
    ("        read_wire_bytes (I/O)", "diplomatic_wire/reader.py", "read_wire_bytes"),
    ("        parse_story", "diplomatic_wire/parse.py", "parse_story"),
    ("        extract_entities", "diplomatic_wire/entities.py", "extract_entities"),
    ("        story_html", "diplomatic_wire/render.py", "story_html"),
    ("        fingerprint", "diplomatic_wire/collate.py", "fingerprint"),
    ("      Pelican content objects (Article.__init__)", "pelican/contents.py", "__init__"),
    ("    collate_stories (signal)", "diplomatic_wire/plugin.py", "collate_stories"),
    ("    link_stories (signal)", "diplomatic_wire/plugin.py", "link_stories"),
    ("      related stories (related_indexes)", "diplomatic_wire/neighbors.py", "related_indexes"),
    ("      news_article (JSON-LD)", "diplomatic_wire/jsonld.py", "news_article"),
    ("  TopicsGenerator.generate_context", "diplomatic_wire/generators.py", "generate_context"),
    ("  generate_output, all Pelican generators", "pelican/generators.py", "generate_output"),
    ("  TopicsGenerator.generate_output", "diplomatic_wire/generators.py", "generate_output"),
    ("    write_feeds", "diplomatic_wire/generators.py", "write_feeds"),
    ("    write_topic_page", "diplomatic_wire/generators.py", "write_topic_page"),
    ("    write_index", "diplomatic_wire/generators.py", "write_index"),
    ("    write_sitemap", "diplomatic_wire/generators.py", "write_sitemap"),
    ("  IncrementalWriter.flush (queued pages and feeds)", "diplomatic_wire/writer.py", "flush"),
    ("    render keys (page_key)", "diplomatic_wire/writer.py", "page_key"),
    ("    unchanged files linked (link_or_copy)", "diplomatic_wire/writer.py", "link_or_copy"),
    ("    Writer.write_file (every page)", "pelican/writers.py", "write_file"),
    ("      Jinja2 Template.render", "jinja2/environment.py", "render"),
    ("    feeds: render_atom", "diplomatic_wire/feeds.py", "render_atom"),
    ("    feeds: render_rss", "diplomatic_wire/feeds.py", "render_rss"),
    ("    feeds: render_json", "diplomatic_wire/feeds.py", "render_json"),
    ("  Pelican's own feeds (Writer.write_feed)", "pelican/writers.py", "write_feed"),
    ("  clean_output_dir (DELETE_OUTPUT_DIRECTORY)", "pelican/utils.py", "clean_output_dir"),
    ("  staging: keep_unchanged_mtimes", "diplomatic_wire/staging.py", "keep_unchanged_mtimes"),
    ("  staging: swap_in (publish)", "diplomatic_wire/staging.py", "swap_in"),
    ("  Pagefind search index: waited for after the writes", "diplomatic_wire/search.py", "wait"),
    ("  object cache: save (shards that changed)", "diplomatic_wire/object_cache.py", "save_cache"),
    ("  Pelican's own content cache: save (CONTENT_CACHING_LAYER 'reader' only)", "pelican/cache.py", "save_cache"),
    ("  input digest (nothing-changed check)", "diplomatic_wire/incremental.py", "folders_digest"),
)


def owner_of(func: tuple[str, int, str]) -> str | None:
    """Who owns a function's own time; None for the neutral ones."""
    path, _line, name = func
    if path == "~":
        return FILE_IO_OWNER if any(part in name for part in FILE_IO) else None
    path = path.replace(os.sep, "/")
    for owner, parts in OWNERS:
        if any(part in path for part in parts):
            return owner
    if "diplomatic_wire/" in path:
        return f"wire: {path.rsplit('/', 1)[-1]}"
    return None


def self_time_by_owner(stats: pstats.Stats) -> dict[str, float]:
    """Own time per owner; neutral functions are charged to their callers, pro rata."""
    table = stats.stats  # func -> (cc, nc, tt, ct, callers{caller: (cc, nc, tt, ct)})
    memo: dict = {}

    def shares(func, visiting=frozenset()) -> dict[str, float]:
        if func in memo:
            return memo[func]
        if func in visiting:  # recursion among neutral functions
            return {NEUTRAL: 1.0}
        owner = owner_of(func)
        if owner:
            result = {owner: 1.0}
        else:
            callers = table.get(func, (0, 0, 0, 0, {}))[4]
            weights = {c: edge[2] for c, edge in callers.items()}
            total = sum(weights.values())
            if not total:
                result = {NEUTRAL: 1.0}
            else:
                result = defaultdict(float)
                for caller, weight in weights.items():
                    for name, share in shares(caller, visiting | {func}).items():
                        result[name] += share * weight / total
                result = dict(result)
        memo[func] = result
        return result

    totals: dict[str, float] = defaultdict(float)
    for func, (_cc, _nc, tt, _ct, _callers) in table.items():
        for owner, share in shares(func).items():
            totals[owner] += tt * share
    return dict(totals)


def phase_times(stats: pstats.Stats) -> list[tuple[str, float | None, int]]:
    rows = []
    for label, suffix, name in PHASES:
        matches = [
            ct for (path, _line, func), (_cc, _nc, _tt, ct, _callers) in stats.stats.items()
            if func == name and path.replace(os.sep, "/").endswith(suffix)
        ]
        rows.append((label, sum(matches) if matches else None, len(matches)))
    return rows


def top_functions(prof: str, key: str, count: int) -> str:
    buffer = io.StringIO()
    pstats.Stats(prof, stream=buffer).sort_stats(key).print_stats(count)
    text = buffer.getvalue()
    return text[text.find("   ncalls"):].replace(lib.ROOT + "/", "").rstrip()


def report(prof: str, wall: float, top: int) -> str:
    stats = pstats.Stats(prof)
    total = stats.total_tt
    lines = [f"Profile {os.path.relpath(prof, lib.ROOT)}: wall {wall:.1f} s under cProfile, "
             f"{total:.1f} s profiled", "", "Phases (cumulative s, % of profiled time):"]
    for label, seconds, matches in phase_times(stats):
        if seconds is None:
            lines.append(f"  {label:<52} {'-':>8}")
        else:
            note = f"  ({matches} functions)" if matches > 1 else ""
            lines.append(f"  {label:<52} {seconds:8.1f} {100 * seconds / total:5.1f}%{note}")
    lines += ["", "Own time by owner (built-ins and stdlib charged to their callers):"]
    for owner, seconds in sorted(self_time_by_owner(stats).items(), key=lambda kv: -kv[1]):
        lines.append(f"  {owner:<52} {seconds:8.1f} {100 * seconds / total:5.1f}%")
    lines += ["", f"Top {top} by cumulative time:", top_functions(prof, "cumulative", top),
              "", f"Top {top} by own time:", top_functions(prof, "tottime", top)]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="cProfile of the project's cold build.")
    parser.add_argument("count", nargs="?", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--add-one", action="store_true",
                        help="profile the rebuild after adding one story to a cold-built site")
    parser.add_argument("--live", action="store_true",
                        help="build the working tree itself, not a snapshot of it")
    parser.add_argument("--workers", type=int, default=1,
                        help="WIRE_WORKERS for the profiled build (default 1: cProfile sees only "
                             "the main process, so forked page writers would go unseen)")
    args = parser.parse_args()

    name = f"profile-{args.count}" + ("-add-one" if args.add_one else "")
    base = os.path.join(lib.OUT, name)
    site, cache = os.path.join(base, "site"), os.path.join(base, "cache")
    prof = os.path.join(lib.OUT, f"{name}.prof")
    if os.path.isdir(base):
        lib.remove_site(site, cache)
        shutil.rmtree(base, ignore_errors=True)
        lib.note_deleted()
    lib.wait_for_quiet()  # the builds below must not pay for the deleted site
    # A copy of the corpus: adding a story must not change the cached one.
    corpus = os.path.join(base, "corpus")
    shutil.copytree(lib.ensure_corpus(args.count, args.seed), corpus)
    wire = os.path.join(corpus, "wire")
    if args.live:
        project = lib.ProjectBuild()
    else:
        snapshot = os.path.join(lib.OUT, "profile-snapshot")
        print(f"Profiling a snapshot of the project (digest {lib.snapshot_project(snapshot)})", flush=True)
        project = lib.ProjectBuild(snapshot)
    workers = f"-e WIRE_WORKERS={args.workers}"
    if args.add_one:
        cold = project.build(wire, site, cache, os.path.join(base, "cold.log"), extra_opts=workers)
        print(f"cold build (not profiled): {cold.wall_s:.1f} s", flush=True)
        generate.add_story(corpus)
    pelican = f"{project.variable('BIN')}/python -m cProfile -o {prof} {project.variable('PELICAN')}"
    start = time.perf_counter()
    run = project.build(wire, site, cache, os.path.join(base, "build.log"), extra_opts=workers,
                        PELICAN=pelican)
    if run.exit_code:
        raise SystemExit(f"build failed ({run.exit_code}):\n{lib.tail(os.path.join(lib.ROOT, run.log))}")
    text = report(prof, time.perf_counter() - start, args.top)
    what = "rebuild after adding one story to" if args.add_one else "cold build of"
    text = (f"{what} {args.count:,} stories, WIRE_WORKERS={args.workers}, peak RSS {run.peak_mb:.0f} MB "
            f"({', '.join(f'{k} {v:.0f} MB' for k, v in run.peak_by_process_mb.items())}), "
            f"{lib.build_summary(os.path.join(lib.ROOT, run.log))}\n" + text)
    with open(os.path.join(lib.OUT, f"{name}.txt"), "w") as handle:
        handle.write(text)
    print(text)


if __name__ == "__main__":
    main()
