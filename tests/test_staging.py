"""Atomic output: a failed build leaves the previous site exactly as it was."""

import os
import pathlib
import shutil
import tempfile
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_corpus, run_build
from diplomatic_wire.incremental import OutputRecord, output_stamp
from diplomatic_wire.staging import (
    LinkedCopy,
    share_out,
    SETTLED_AFTER_NS,
    Listing,
    SpareRecord,
    keep_unchanged_mtimes,
    list_changes,
    list_folder,
    remove_stale_staging,
    settled_times,
    spare_path,
    swap_in,
)


def snapshot(folder):
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_template_error_mid_build_keeps_previous_output(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", ["caption_forms.txt", "no_dateline.txt"])
    output = tmp_path / "site"
    assert run_build(corpus, output).returncode == 0
    before = snapshot(output)

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "article.html").write_text("{{ article.no_such_attribute.upper() }}")
    (corpus / "new.txt").write_text("date 2024-12-12 New story\n\nBody.\n")
    result = run_build(corpus, output, settings={"THEME_TEMPLATES_OVERRIDES": [str(broken)]})
    assert result.returncode != 0
    assert snapshot(output) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "corpus", "site"]


def test_rebuild_keeps_mtimes_of_unchanged_files(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", ["caption_forms.txt", "no_dateline.txt"])
    output = tmp_path / "site"
    run_build(corpus, output)
    before = snapshot(output)
    (corpus / "new.txt").write_text("date 2023-01-01 Old story\n\nBody.\n")
    run_build(corpus, output)
    after = snapshot(output)
    story = "2024/10/01/three-credit-forms/index.html"
    assert after[story] == before[story]
    assert "2023/01/01/old-story/index.html" in after
    assert after["sitemap.xml"][0] != before["sitemap.xml"][0]
    umask = os.umask(0)
    os.umask(umask)
    assert output.stat().st_mode & 0o777 == 0o777 & ~umask  # readable by the web server


def _old_and_new(tmp_path):
    """A published folder and its successor: ``same`` rewritten with the same
    bytes, ``changed`` with others, ``linked`` linked from the old one."""
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    for name, text in (("same", "same"), ("changed", "before"), ("linked", "linked")):
        (old / name).write_text(text)
        os.utime(old / name, ns=(1_000_000_000, 1_000_000_000))
    (new / "same").write_text("same")
    (new / "changed").write_text("after")
    os.link(old / "linked", new / "linked")
    return old, new


@pytest.mark.parametrize("recorded", [False, True])
def test_unchanged_bytes_keep_their_time_with_or_without_a_record(tmp_path, recorded):
    old, new = _old_and_new(tmp_path)
    listing = keep_unchanged_mtimes(str(old), str(new), list_folder(str(old)).files if recorded else None)
    assert listing == list_folder(str(new))
    assert (new / "same").stat().st_mtime_ns == 1_000_000_000
    assert (new / "changed").stat().st_mtime_ns != 1_000_000_000
    assert (new / "linked").stat().st_ino == (old / "linked").stat().st_ino


@pytest.mark.parametrize("sizes", [None, {"a": 3, "b": 1}])
def test_files_are_listed_alike_in_one_process_or_two(tmp_path, sizes):
    site = tmp_path / "site"
    names = ["index.html", "a/x.html", "a/b/y.html", "b/z.html", "c/d/e/f.html", "c/g.xml"]
    for name in names:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(name)
    os.symlink(site / "a", site / "link")  # a file of the listing, not followed
    listed = list_folder(str(site))
    assert sorted(listed.files) == sorted([*names, "link"])
    assert listed.files["link"] == os.lstat(site / "link").st_ino
    assert listed.folders == {name: os.lstat(site / name).st_mtime_ns for name in ("a", "a/b", "b", "c", "c/d", "c/d/e")}
    assert list_folder(str(site), 2, sizes) == listed


def test_a_stale_record_never_gives_a_file_the_time_of_other_bytes(tmp_path):
    old, new = _old_and_new(tmp_path)
    inodes = list_folder(str(new)).files
    # A record from before the published folder was edited by hand: it takes
    # every file for the new one's, or for another file.
    keep_unchanged_mtimes(str(old), str(new), {name: inode + 1 for name, inode in inodes.items()})
    assert (new / "changed").stat().st_mtime_ns != 1_000_000_000
    assert (new / "same").stat().st_mtime_ns == 1_000_000_000  # compared: equal bytes
    (new / "same").touch()
    keep_unchanged_mtimes(str(old), str(new), inodes)
    assert (new / "same").stat().st_mtime_ns != 1_000_000_000  # not compared: keeps its own


def test_a_build_records_the_files_it_publishes(tmp_path):
    """The next build compares against this record instead of listing the
    published folder (a folder per story); it lists again only the folders
    that changed since the spare or the published folder was recorded. The
    builds: cold, with a linked copy, in the spare, in the spare."""
    corpus = make_corpus(tmp_path / "corpus", ["caption_forms.txt", "no_dateline.txt"])
    output, cache = tmp_path / "site", tmp_path / "cache"
    changes = [
        lambda: None,
        lambda: (corpus / "new.txt").write_text("date 2023-01-01 Old story\n\nBody.\n"),
        lambda: (corpus / "other.txt").write_text("date 2024-10-01 Same day\n\nBody.\n"),
        lambda: (corpus / "new.txt").unlink(),
    ]
    sites = set()
    for change in changes:
        change()
        assert run_build(corpus, output, settings={"CACHE_PATH": str(cache)}).returncode == 0
        saved = OutputRecord(str(cache), str(output), "inodes").load()
        assert _recorded(saved, list_folder(str(output)))
        assert saved["stamp"] == output_stamp(str(output))
        sites.add(saved["site"])
        spare = spare_path(str(output))
        if os.path.isdir(spare):  # the replaced folder's record went with it
            spare_record = OutputRecord(str(cache), spare, "inodes").load()
            assert _recorded(spare_record, list_folder(spare)) and spare_record["site"] in sites
    assert len(sites) == 1 and None not in sites  # each build's site key, the same throughout


def _recorded(saved, listing):
    """Whether a record is the listing, but for the times of folders
    changed just before it was listed (they are listed again: -1)."""
    return saved["files"] == listing.files and saved["folders"].keys() == listing.folders.keys() and all(
        time in (-1, listing.folders[name]) for name, time in saved["folders"].items())


OLD_TIME = 1_000_000_000


def _tree(root, names):
    """Files ``names`` (a name ending in "/" is an empty folder) under
    ``root``, every folder dated ``OLD_TIME``: whatever changes one later
    changes its time."""
    for name in names:
        path = root / name
        if name.endswith("/"):
            path.mkdir(parents=True, exist_ok=True)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(name)
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir() and not p.is_symlink())]:
        os.utime(folder, ns=(OLD_TIME, OLD_TIME))


_NAMES = st.lists(st.sampled_from(["f", "a/c", "a/d/", "b/e", "a/d/f", "g/h/i", "g/j"]), max_size=6)


def _change(root, action, name):
    path = root / name.rstrip("/")
    if action == "write":
        if path.is_dir():
            shutil.rmtree(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.parent.is_dir():
            path.unlink(missing_ok=True)
            path.write_text("new " + name)
    elif action == "folder" and not path.exists():
        path.mkdir(parents=True, exist_ok=True)
        (path / "x").write_text("x")
    elif action == "remove":
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)
    elif action == "link" and not path.exists() and path.parent.is_dir():
        os.symlink("elsewhere", path)  # listed as a file, never followed


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(before=_NAMES, changes=st.lists(st.tuples(st.sampled_from(["write", "folder", "remove", "link"]),
                                                st.sampled_from(["a", "a/c", "a/d", "a/d/f", "b", "g", "g/h/k", "n/m"])),
                                      max_size=4))
def test_only_the_folders_that_changed_are_listed_again(tmp_path, before, changes):
    root = pathlib.Path(tempfile.mkdtemp(dir=tmp_path))  # one per example
    _tree(root, before)
    origin = list_folder(str(root))
    for action, name in changes:
        try:
            _change(root, action, name)
        except OSError:
            pass  # a file or a link is in the way
    assert list_changes(str(root), origin) == list_folder(str(root))


def test_a_folder_changed_just_before_it_was_listed_is_listed_again():
    now = 10 * SETTLED_AFTER_NS
    folders = {"old": now - SETTLED_AFTER_NS - 1, "recent": now - SETTLED_AFTER_NS + 1}
    assert settled_times(folders, now) == {"old": folders["old"], "recent": -1}


def test_a_folder_whose_time_is_unchanged_is_not_listed_again(tmp_path):
    _tree(tmp_path, ["a/b", "c"])
    origin = list_folder(str(tmp_path))
    told = Listing({"a/b": 1, "c": 2}, origin.folders)  # what the folder was said to hold
    assert list_changes(str(tmp_path), told).files == {"a/b": 1, "c": origin.files["c"]}
    (tmp_path / "a" / "b").unlink()
    assert list_changes(str(tmp_path), told).files == {"c": origin.files["c"]}
    (tmp_path / "a" / "b").write_text("back")
    os.utime(tmp_path / "a", ns=(OLD_TIME, OLD_TIME))  # as if changed within its recorded step
    assert list_changes(str(tmp_path), told).files == {"a/b": 1, "c": origin.files["c"]}  # missed
    settled = Listing(told.files, {**told.folders, "a": -1})
    assert list_changes(str(tmp_path), settled).files == list_folder(str(tmp_path)).files


def test_swap_into_missing_and_existing_folders(tmp_path):
    staging, final = tmp_path / "stage", tmp_path / "final"
    staging.mkdir()
    (staging / "a.txt").write_text("new")
    swap_in(str(staging), str(final))
    assert (final / "a.txt").read_text() == "new" and not staging.exists()
    staging.mkdir()
    (staging / "b.txt").write_text("newer")
    swap_in(str(staging), str(final))
    assert sorted(p.name for p in final.iterdir()) == ["b.txt"] and not staging.exists()


def test_the_replaced_output_becomes_the_spare_and_is_claimed_once(tmp_path):
    staging, final, cache = tmp_path / "stage", tmp_path / "final", tmp_path / "cache"
    for text in ("first", "second"):
        staging.mkdir()
        (staging / "page.html").write_text(text)
        (staging / "sitemap.xml").write_text(text)
        files = swap_in(str(staging), str(final), spare_path(str(final))).files
    assert sorted(files) == ["page.html", "sitemap.xml"]
    spare = tmp_path / ".final.spare"
    assert (spare / "page.html").read_text() == "first" and (final / "page.html").read_text() == "second"

    record = SpareRecord(str(cache), str(final))
    record.save({"page.html": "key 1", "sitemap.xml": None})
    staging.mkdir()
    assert record.claim(str(staging)) == ({"page.html": "key 1"}, None)  # not listed when published
    assert sorted(p.name for p in staging.iterdir()) == ["page.html"]  # a file without a key is not kept
    assert not spare.exists()
    other = tmp_path / "other"
    other.mkdir()
    assert record.claim(str(other)) == ({}, None)  # claimed already


def test_a_spare_that_is_not_the_recorded_one_is_not_used(tmp_path):
    final, cache, staging = tmp_path / "final", tmp_path / "cache", tmp_path / "stage"
    spare = tmp_path / ".final.spare"
    spare.mkdir()
    (spare / "index.html").write_text("recorded")
    record = SpareRecord(str(cache), str(final))
    record.save({"index.html": "key"})
    (spare / "index.html").write_text("changed since, by hand")
    staging.mkdir()
    assert record.claim(str(staging)) == ({}, None)
    assert list(staging.iterdir()) == [] and not spare.exists()

    spare.mkdir()
    (spare / "index.html").write_text("a folder of unknown files")
    record.save({})  # the build before had no record of its output's files
    assert record.claim(str(staging)) == ({}, None)
    assert list(staging.iterdir()) == [] and not spare.exists()


def test_a_spare_built_with_another_site_key_is_not_used(tmp_path):
    """After a change of settings, theme or code, the spare holds no file the
    next build can keep: a linked copy of the published folder serves
    instead. A spare whose key is not recorded, or is the build's own (a
    build alternating with another configuration), is used."""
    final, cache, staging = tmp_path / "final", tmp_path / "cache", tmp_path / "stage"
    spare = tmp_path / ".final.spare"
    record = SpareRecord(str(cache), str(final))

    def make_spare(site):
        spare.mkdir()
        (spare / "index.html").write_text("old")
        record.save({"index.html": "key"})
        listing = {"stamp": output_stamp(str(spare)), "files": {"index.html": 1}, "folders": {"": 1}}
        if site is not None:
            listing["site"] = site
        record.listing.save(listing)

    for built_with, this_build, used in [("site A", "site B", False), ("site A", "site A", True),
                                         (None, "site B", True), ("site A", None, True)]:
        make_spare(built_with)
        staging.mkdir()
        files, _ = record.claim(str(staging), this_build)
        assert (files == {"index.html": "key"}) is used
        assert not spare.exists()
        assert [p.name for p in staging.iterdir()] == (["index.html"] if used else [])
        shutil.rmtree(staging)


def test_the_retired_output_is_deleted_in_the_background(tmp_path):
    staging, final = tmp_path / "stage", tmp_path / "final"
    for name in ("old", "new"):
        staging.mkdir()
        for i in range(200):
            (staging / f"{name}-{i}").mkdir()
            (staging / f"{name}-{i}" / "index.html").write_text(name)
        swap_in(str(staging), str(final))
    assert not staging.exists() and (final / "new-0" / "index.html").read_text() == "new"
    deadline = time.monotonic() + 30
    while sorted(p.name for p in tmp_path.iterdir()) != ["final"]:
        assert time.monotonic() < deadline, sorted(p.name for p in tmp_path.iterdir())
        time.sleep(0.05)


def test_leftovers_of_killed_builds_are_removed(tmp_path):
    final = tmp_path / "site"
    for leftover in (".site.staging-99999", ".site.retired-99999"):
        (tmp_path / leftover / "2024").mkdir(parents=True)
    (tmp_path / ".other.retired-1").mkdir()
    remove_stale_staging(str(final))
    deadline = time.monotonic() + 30
    while sorted(p.name for p in tmp_path.iterdir()) != [".other.retired-1"]:
        assert time.monotonic() < deadline, sorted(p.name for p in tmp_path.iterdir())
        time.sleep(0.05)


@pytest.mark.parametrize("parts", [1, 2, 3])
def test_without_a_spare_the_staging_folder_starts_as_a_linked_copy_of_the_published_one(tmp_path, parts):
    published, staging = tmp_path / "site", tmp_path / "stage"
    (published / "2024" / "story").mkdir(parents=True)
    (published / "2024" / "story" / "index.html").write_text("story")
    (published / "-odd name").mkdir()
    (published / "-odd name" / "index.html").write_text("odd")
    (published / "sitemap.xml").write_text("sitemap")
    (published / "latest").symlink_to("2024")
    os.utime(published / "2024" / "story", ns=(1_000_000_000, 1_000_000_000))
    staging.mkdir()
    files = {"2024/story/index.html": "key", "-odd name/index.html": "k2", "sitemap.xml": None}
    copy = LinkedCopy(str(published), str(staging), files, parts, sizes={"2024": 1, "-odd name": 1})
    assert len(copy.processes) == parts
    assert copy.take() == {"2024/story/index.html": "key", "-odd name/index.html": "k2"}
    for name in ("2024/story/index.html", "-odd name/index.html"):
        assert (staging / name).stat().st_ino == (published / name).stat().st_ino
    assert (staging / "2024" / "story").stat().st_mtime_ns == 1_000_000_000  # folders keep their times
    assert os.readlink(staging / "latest") == "2024"  # a link is linked, not followed
    assert not (staging / "sitemap.xml").exists()  # written without a key: Pelican may truncate it in place
    assert (published / "sitemap.xml").read_text() == "sitemap"


def test_entries_are_shared_out_evenly_by_size():
    sizes = {"people": 8400, "pagefind": 10600, "2019": 1750, "2020": 1750, "2021": 1750, "countries": 1700}
    entries = [*sizes, "index.html", "theme"]
    shares = share_out(entries, sizes, 2)
    assert sorted(e for share in shares for e in share) == sorted(entries)
    totals = sorted(sum(sizes.get(e, 1) for e in share) for share in shares)
    assert totals == [12352, 13600]  # pagefind, a year, two of size 1 | people, two years, countries
    assert share_out(entries, sizes, 2) == shares  # the same every time
    assert share_out(["a"], {}, 4) == [["a"]]


def test_a_linked_copy_holds_only_the_recorded_files_still_published(tmp_path):
    published, staging = tmp_path / "site", tmp_path / "stage"
    (published / "pagefind" / "2024").mkdir(parents=True)
    (published / "pagefind" / "2024" / "pagefind.js").write_text("bundle")
    (published / "index.html").write_text("index")
    (published / "CNAME").write_text("added by hand after the build")
    staging.mkdir()
    files = {"index.html": "k1", "gone.html": "k2", "pagefind/2024/": "k3"}  # gone.html: deleted by hand since
    assert LinkedCopy(str(published), str(staging), files).take() == {"index.html": "k1", "pagefind/2024/": "k3"}
    assert sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file()) == [
        "index.html", "pagefind/2024/pagefind.js"]  # CNAME, added by hand, is not the build's


def test_a_linked_copy_that_fails_leaves_an_empty_staging_folder(tmp_path):
    staging = tmp_path / "stage"
    staging.mkdir()
    (staging / "partly copied").mkdir()
    copy = LinkedCopy(str(tmp_path / "no such folder"), str(staging), {"index.html": "key"})
    assert copy.take() == {}
    assert list(staging.iterdir()) == []
    assert LinkedCopy(str(tmp_path), str(staging), {}).take() == {}  # no record of the files: no copy


def test_stopping_a_linked_copy_ends_cp_too(tmp_path):
    published, staging = tmp_path / "site", tmp_path / "stage"
    for folder in range(200):
        (published / f"{folder:03}").mkdir(parents=True)
        for name in range(20):
            (published / f"{folder:03}" / f"{name}.html").write_text("page")
    staging.mkdir()
    copy = LinkedCopy(str(published), str(staging), {"000/0.html": "key"}, parts=2)
    groups = [process.pid for process, _ in copy.processes]
    assert len(groups) == 2
    assert all(os.getpgid(pid) == pid for pid in groups)  # each a group of its own: cp and find in it
    copy.stop()
    assert all(process.returncode is not None for process, _ in copy.processes)
    for group in groups:
        with pytest.raises(ProcessLookupError):  # no process of the group is left (once init reaps cp)
            for _ in range(200):
                os.killpg(group, 0)
                time.sleep(0.01)


ADOPT = """
import json, os, sys
from types import SimpleNamespace
from diplomatic_wire.staging import StagedOutput
told = json.loads(os.environ.get("WIRE_LINKED_COPY", "null"))
pelican = SimpleNamespace(output_path=sys.argv[1], settings={"WIRE_STATE_PATH": sys.argv[2], "WIRE_WORKERS": 2})
staged = StagedOutput(pelican)
started_before = told is not None and staged.staging == told["staging"]
staged.take_linked_copy()
staging = staged.staging
print(json.dumps({
    "started_before": started_before,
    "staged": pelican.settings["WIRE_STAGED_FILES"],
    "inodes": {p: os.stat(os.path.join(staging, p)).st_ino for p in pelican.settings["WIRE_STAGED_FILES"]},
    "told_left": "WIRE_LINKED_COPY" in os.environ,
}))
"""


def start_copy_then_exec(published, state, script, *args):
    """``uptodate``'s way: start the copy, then exec ``script`` (as the
    build: the same process, so the copy stays its child). Its output."""
    import subprocess
    import sys

    from conftest import ROOT

    starter = (f"import os, sys; from diplomatic_wire.staging import start_early_copy; "
               f"start_early_copy({str(published)!r}, {str(state)!r}); "
               f"os.execv(sys.executable, [sys.executable, '-c', {script!r}, *{[str(a) for a in args]!r}])")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "plugins")}
    env.pop("WIRE_LINKED_COPY", None)
    result = subprocess.run([sys.executable, "-c", starter], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def start_then_become_the_build(published, state, final=None):
    """The copy started, then a build's staging (``ADOPT``): what it found."""
    import json

    return json.loads(start_copy_then_exec(published, state, ADOPT, final or published, state))


def published_site(tmp_path):
    from diplomatic_wire.incremental import files_record

    published, state = tmp_path / "site", tmp_path / "cache"
    (published / "2024" / "story").mkdir(parents=True)
    (published / "2024" / "story" / "index.html").write_text("story")
    (published / "index.html").write_text("home")
    files_record(str(state), str(published)).save({"index.html": "k1", "2024/story/index.html": "k2"})
    return published, state


def test_a_linked_copy_started_before_pelican_is_taken_up_by_the_build(tmp_path):
    published, state = published_site(tmp_path)
    found = start_then_become_the_build(published, state)
    assert found["started_before"] and not found["told_left"]
    assert found["staged"] == {"index.html": "k1", "2024/story/index.html": "k2"}
    assert found["inodes"] == {name: (published / name).stat().st_ino for name in found["staged"]}
    assert sorted(p.name for p in tmp_path.iterdir() if ".staging-" in p.name) == []  # removed at exit


def test_no_copy_is_started_before_pelican_where_the_build_would_not_want_one(tmp_path):
    published, state = published_site(tmp_path)
    os.mkdir(spare_path(str(published)))  # a spare (without its record: the build retires it)
    assert start_then_become_the_build(published, state)["started_before"] is False
    assert not os.path.exists(spare_path(str(published)))
    assert start_then_become_the_build(published, tmp_path / "other cache")["started_before"] is False  # no record
    # Started for another folder than the build's: stopped, and the build makes its own.
    found = start_then_become_the_build(published, state, final=tmp_path / "elsewhere")
    assert found["started_before"] is False and found["staged"] == {}


def test_a_build_that_stops_before_staging_ends_and_deletes_the_copy_started_for_it(tmp_path):
    """Nothing changed after all (the plugin's own check): the copy the
    up-to-date check started is ended and deleted."""
    import json

    published, state = published_site(tmp_path)
    discard = ("import os, sys; from diplomatic_wire.staging import discard_early_copy; "
               "told = os.environ['WIRE_LINKED_COPY']; discard_early_copy(sys.argv[1]); "
               "print(told); print('WIRE_LINKED_COPY' in os.environ)")
    told, left = start_copy_then_exec(published, state, discard, published).split("\n")[:2]
    assert left == "False"
    staging = json.loads(told)["staging"]
    for _ in range(100):  # deleted in the background
        if not os.path.exists(staging):
            break
        time.sleep(0.05)
    assert not os.path.exists(staging)
    assert (published / "index.html").read_text() == "home"  # the published folder untouched
