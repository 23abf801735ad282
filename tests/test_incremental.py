"""Incremental builds: a rebuild writes the same bytes as a cold build of the
same input, and a build with nothing changed stops at once."""

import os
import re
import shutil

import pytest
from conftest import ROOT, run_build

from diplomatic_wire.incremental import content_cache

SITEURL = "https://example.org/news"


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def cold_build(corpus, site, **options):
    """A build from nothing: its own, empty cache (the tests' builds share one)."""
    return run_build(corpus, site, settings={"CACHE_PATH": f"{site}-cache"}, **options)


def add_story(corpus, name, date, title, lede):
    (corpus / name).write_text(f"date {date} {title}\n\nNAIROBI, Jan. 5 (Xinhua) -- {lede}\n\nMore.\n")


def test_rebuilds_equal_cold_builds(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site = tmp_path / "site"
    first = run_build(corpus, site, siteurl=SITEURL)
    assert "0 of" in first.stdout  # cold: nothing to reuse

    add_story(corpus, "900_9000000000000900.txt", "2026-01-05", "Kenya and China sign accord",
              "Kenyan President William Ruto met Chinese President Xi Jinping.")
    add_story(corpus, "901_9000000000000901.txt", "2023-03-01", "An older story filed late",
              "The African Union (AU) met in Addis Ababa.")
    second = run_build(corpus, site, siteurl=SITEURL)
    reused = int(second.stdout.split("; ")[1].split(" of ")[0])
    assert reused > 0, second.stdout

    cold = tmp_path / "cold"
    cold_build(corpus, cold, siteurl=SITEURL)
    built, expected = tree(site), tree(cold)
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []


def test_a_new_story_leaves_older_pages_of_its_lists_alone(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site = tmp_path / "site"
    run_build(corpus, site, siteurl=SITEURL)
    later_pages = sorted(site.glob("**/page/*/index.html"))
    assert {p.relative_to(site).as_posix() for p in later_pages} >= {
        "page/2/index.html", "categories/news/page/2/index.html", "countries/cn/page/2/index.html"}
    before = {p: (p.stat().st_ino, p.read_bytes()) for p in [*later_pages, site / "index.html"]}

    add_story(corpus, "900_9000000000000900.txt", "2026-01-05", "Kenya and China sign accord",
              "Kenyan President William Ruto met Chinese President Xi Jinping.")
    assert run_build(corpus, site, siteurl=SITEURL).returncode == 0
    after = {p: (p.stat().st_ino, p.read_bytes()) for p in before}
    assert after[site / "index.html"][1] != before[site / "index.html"][1]
    assert [p for p in later_pages if after[p] != before[p]] == []  # same bytes, linked: not rendered again


def test_builds_in_the_spare_folder_equal_cold_builds_and_leave_the_published_one_alone(tmp_path):
    """From the third build on, a build starts from the output before last
    (the spare) and writes only what differs from it."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site, spare = tmp_path / "site", tmp_path / ".site.spare"
    kenya = ("900_9000000000000900.txt", "2026-01-05", "Kenya and China sign accord",
             "Kenyan President William Ruto met Chinese President Xi Jinping.")
    steps = [
        lambda: add_story(corpus, *kenya),
        lambda: add_story(corpus, *kenya[:2], "Kenya and China sign a trade accord", kenya[3]),  # a new title
        lambda: add_story(corpus, *kenya),  # and back: the spare's copy is the one wanted again
        lambda: (corpus / kenya[0]).unlink(),  # gone: its page, its topics' pages shrink
        lambda: add_story(corpus, "901_9000000000000901.txt", "2023-03-01", "An older story filed late",
                          "The African Union (AU) met in Addis Ababa."),
    ]
    assert run_build(corpus, site, siteurl=SITEURL, search=True).returncode == 0
    folders = [site.stat().st_ino]
    for number, change in enumerate(steps):
        published = tree(site)
        change()
        result = run_build(corpus, site, siteurl=SITEURL, search=True)
        assert result.returncode == 0, result.stderr
        assert tree(spare) == published, f"step {number}: the published output was written to"
        folders.append(site.stat().st_ino)
        if number:  # the folder published two builds ago, brought up to date
            assert folders[-1] == folders[-3]
        cold = tmp_path / f"cold-{number}"
        assert cold_build(corpus, cold, siteurl=SITEURL, search=True).returncode == 0
        built, expected = tree(site), tree(cold)
        assert sorted(built) == sorted(expected), f"step {number}"
        assert [name for name in built if built[name] != expected[name]] == [], f"step {number}"
        assert not [d for d in site.rglob("*") if d.is_dir() and not any(d.iterdir())], f"step {number}"


def test_nothing_changed_stops_at_once(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site = tmp_path / "site"
    run_build(corpus, site, siteurl=SITEURL)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    again = run_build(corpus, site, siteurl=SITEURL)
    assert again.returncode == 0
    assert "nothing changed" in again.stdout
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before

    (corpus / "000_4c7177a4660a4000.txt").touch()
    assert "nothing changed" not in run_build(corpus, site, siteurl=SITEURL).stdout


def test_search_index_is_rebuilt_only_for_the_year_that_changed(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site = tmp_path / "site"
    run_build(corpus, site, siteurl=SITEURL, search=True)
    inodes = {p: p.stat().st_ino for p in (site / "pagefind").rglob("*") if p.is_file()}
    bundles = {p.name for p in (site / "pagefind").iterdir()}
    assert {"2024", "2025-06"} < bundles and "2025" not in bundles  # the newest year by month

    add_story(corpus, "900_9000000000000900.txt", "2025-06-05", "Kenya and China sign accord",
              "Kenyan President William Ruto met Chinese President Xi Jinping.")
    second = run_build(corpus, site, siteurl=SITEURL, search=True)
    assert second.returncode == 0, second.stderr
    linked = {p.relative_to(site).parts[1] for p, ino in inodes.items() if p.exists() and p.stat().st_ino == ino}
    assert linked == bundles - {"2025-06"}, second.stdout  # its month indexed again, the others linked

    cold = tmp_path / "cold"
    cold_build(corpus, cold, siteurl=SITEURL, search=True)
    built, expected = tree(site), tree(cold)
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []


def test_content_caches_of_other_versions_are_kept_for_the_last_used_only(tmp_path):
    for age, name in enumerate(["content-newest", "content-older", "content-oldest"]):
        (tmp_path / name).mkdir()
        (tmp_path / name / "ArticlesGenerator-Readers").write_text("cache")
        os.utime(tmp_path / name, (1_000_000 - age, 1_000_000 - age))
    (tmp_path / "wire-files-0123.json").write_text("{}")  # not a content cache
    folder = content_cache(str(tmp_path), "0123456789abcdef0123", keep=3)
    assert folder == str(tmp_path / "content-0123456789abcdef")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "content-0123456789abcdef", "content-newest", "content-older", "wire-files-0123.json"]
    assert content_cache(str(tmp_path), "content-older"[8:], keep=2).endswith("content-older")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "content-0123456789abcdef", "content-older", "wire-files-0123.json"]


@pytest.mark.parametrize("through_check", [False, True])
def test_the_first_rebuild_restores_files_deleted_from_the_published_site_and_drops_added_ones(tmp_path,
                                                                                              through_check):
    """The first rebuild after a cold build starts from a linked copy of the
    published site (no spare yet): it must still equal a cold build. Through
    the up-to-date check, as `make html` runs it, the check starts the copy
    before Pelican is imported."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site = tmp_path / "site"
    check = {"through_check": tmp_path / "cache"} if through_check else {}
    assert run_build(corpus, site, siteurl=SITEURL, **check).returncode == 0
    assert not (tmp_path / ".site.spare").exists()
    story = next(site.glob("20*/*/*/*/index.html"))
    story.unlink()  # by hand
    (site / "notes.txt").write_text("added by hand")
    add_story(corpus, "900_9000000000000900.txt", "2026-01-05", "Kenya and China sign accord",
              "Kenyan President William Ruto met Chinese President Xi Jinping.")
    rebuild = run_build(corpus, site, siteurl=SITEURL, **check)
    assert rebuild.returncode == 0 and "0 of" not in rebuild.stdout, rebuild.stdout + rebuild.stderr
    cold = tmp_path / "cold"
    assert cold_build(corpus, cold, siteurl=SITEURL).returncode == 0
    built, expected = tree(site), tree(cold)
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []
    assert [p.name for p in tmp_path.iterdir() if ".staging-" in p.name] == []


def test_same_day_namesakes_keep_their_own_pages_in_a_rebuild(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for number in (1, 2):
        add_story(corpus, f"00{number}_a{number}00000000000000.txt", "2026-01-05", "Kenya and China sign accord",
                  f"Kenyan President William Ruto met Chinese President Xi Jinping, report {number}.")
    site = tmp_path / "site"
    assert run_build(corpus, site, siteurl=SITEURL).returncode == 0
    day = site / "2026/01/05"
    pages = sorted(p.parent.name for p in day.glob("*/index.html"))
    assert pages == ["kenya-and-china-sign-accord", "kenya-and-china-sign-accord-a2000000"]
    assert "report 2" in (day / pages[1] / "index.html").read_text()

    add_story(corpus, "003_a3000000000000000.txt", "2026-01-06", "Another day", "The AU met.")
    assert run_build(corpus, site, siteurl=SITEURL).returncode == 0  # the namesakes come from the cache
    cold = tmp_path / "cold"
    cold_build(corpus, cold, siteurl=SITEURL)
    built, expected = tree(site), tree(cold)
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []
    assert "report 2" in (day / pages[1] / "index.html").read_text()


def test_groups_change_with_their_stories_only(tmp_path):
    """Each topic's pages and feeds are one group (``writer.write_group``),
    and each day's story pages: a rebuild keeps the groups whose key is the
    last build's without keying each of their files. A new story changes the
    keys of its own topics, and of the days of the stories it changes: its
    neighbour in time, those it becomes related to."""
    from diplomatic_wire.incremental import OutputRecord

    corpus, site, cache = tmp_path / "corpus", tmp_path / "site", tmp_path / "cache"
    shutil.copytree(ROOT / "seeds", corpus)
    assert run_build(corpus, site, siteurl=SITEURL, settings={"CACHE_PATH": str(cache)}).returncode == 0
    before = OutputRecord(str(cache), str(site), "groups").load()
    assert {"countries/ke/", "countries/cn/", "people/william-ruto/"} <= set(before)

    add_story(corpus, "900_9000000000000900.txt", "2026-01-05", "Kenya and China sign accord",
              "Kenyan President William Ruto met Chinese President Xi Jinping.")
    assert run_build(corpus, site, siteurl=SITEURL, settings={"CACHE_PATH": str(cache)}).returncode == 0
    after = OutputRecord(str(cache), str(site), "groups").load()
    assert set(after) == set(before) | {"stories/2026-01-05"}
    changed = {group for group in before if after[group] != before[group]}
    topics = {group for group in changed if not group.startswith("stories/")}
    assert topics == {"countries/ke/", "countries/cn/", "people/william-ruto/", "people/xi-jinping/"}
    days = changed - topics
    newest = max(group for group in before if group.startswith("stories/"))
    assert newest == "stories/2025-06-25" and newest in days  # its story has a newer neighbour now
    assert len(days) <= 5 < len([group for group in before if group.startswith("stories/")])


def test_a_rebuild_that_files_one_story_keeps_the_record_of_related_stories_it_worked_out(tmp_path):
    """The related stories of a build that files one story come from the
    last build's record (``neighbors.related_after_insert``); the record it
    leaves must be what working them out in full gives."""
    import pickle

    from diplomatic_wire.neighbors import related_indexes

    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site = tmp_path / "site"
    assert cold_build(corpus, site, siteurl=SITEURL).returncode == 0
    add_story(corpus, "900_9000000000000900.txt", "2026-01-05", "Kenya and China sign accord",
              "Kenyan President William Ruto met Chinese President Xi Jinping.")
    assert cold_build(corpus, site, siteurl=SITEURL).returncode == 0  # the same cache: a rebuild
    [record] = (tmp_path / "site-cache").glob("content-*/wire-related-*.pickle")
    saved = pickle.loads(record.read_bytes())
    assert len(saved["keys"]) == 52 and saved["related"] == related_indexes(saved["keys"])
    cold = tmp_path / "cold"
    assert cold_build(corpus, cold, siteurl=SITEURL).returncode == 0
    built, expected = tree(site), tree(cold)
    assert sorted(built) == sorted(expected)
    assert [name for name in built if built[name] != expected[name]] == []


def _kept(result):
    """(kept, keyed) from the build's closing line: files left as they were."""
    kept, keyed = re.search(r"(\d+) of (\d+) keyed files unchanged", result.stdout).groups()
    return int(kept), int(keyed)


def test_a_theme_touched_but_not_changed_keeps_every_page(tmp_path):
    """A fresh checkout or copy gives the theme's (and code's) files new
    times: the pages depend on their bytes only. A real change of the theme
    renders every page again."""
    corpus, theme = tmp_path / "corpus", tmp_path / "theme"
    shutil.copytree(ROOT / "seeds", corpus)
    shutil.copytree(ROOT / "theme", theme)
    site, settings = tmp_path / "site", {"CACHE_PATH": str(tmp_path / "cache"), "THEME": str(theme)}
    assert run_build(corpus, site, siteurl=SITEURL, settings=settings).returncode == 0
    before = tree(site)

    for path in theme.rglob("*"):
        os.utime(path, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    add_story(corpus, "900_9000000000000900.txt", "2025-06-05", "Kenya and China sign accord",
              "Kenyan President William Ruto met Chinese President Xi Jinping.")
    touched = run_build(corpus, site, siteurl=SITEURL, settings=settings)
    assert touched.returncode == 0, touched.stderr
    kept, keyed = _kept(touched)
    assert keyed - kept < 60, touched.stdout  # the new story's pages and lists only
    assert sum(before.get(name) == data for name, data in tree(site).items()) > len(before) - 60

    base = theme / "templates" / "base.html"
    base.write_text(base.read_text().replace("Skip to content", "Skip to the stories"))
    changed = run_build(corpus, site, siteurl=SITEURL, settings=settings)
    assert changed.returncode == 0 and _kept(changed)[0] == 0
    assert "Skip to the stories" in (site / "index.html").read_text()


def test_the_site_key_digest_reads_bytes_not_times(tmp_path):
    from diplomatic_wire.incremental import folders_content_digest

    theme, wire = tmp_path / "theme", tmp_path / "theme" / "wire"
    wire.mkdir(parents=True)
    (theme / "base.html").write_text("<p>{{ x }}</p>")
    (wire / "story.txt").write_text("date 2025-01-01 A story")
    first = folders_content_digest([str(theme)], skip=[str(wire)])
    os.utime(theme / "base.html", ns=(1, 1))
    (wire / "new.txt").write_text("date 2025-01-02 Another story")  # under a skipped folder
    assert folders_content_digest([str(theme)], skip=[str(wire)]) == first
    assert folders_content_digest([str(theme)]) != first
    (theme / "base.html").write_text("<p>{{ y }}</p>")
    assert folders_content_digest([str(theme)], skip=[str(wire)]) != first


def test_a_file_whose_size_and_time_are_known_is_not_read_again(tmp_path):
    """As rsync and git trust them; a file changed in the last two seconds
    is read again at the next build (a coarse clock may not have moved)."""
    from diplomatic_wire.incremental import folders_content_digest

    (tmp_path / "old.css").write_text("a { color: red }")
    os.utime(tmp_path / "old.css", ns=(1_000_000_000, 1_000_000_000))
    (tmp_path / "new.css").write_text("b { color: red }")
    known = {}
    first = folders_content_digest([str(tmp_path)], known=known)
    assert list(known) == [str(tmp_path / "old.css")]  # the settled file only
    (tmp_path / "old.css").write_text("a { color: tan }")  # same size, time put back
    os.utime(tmp_path / "old.css", ns=(1_000_000_000, 1_000_000_000))
    assert folders_content_digest([str(tmp_path)], known=dict(known)) == first
    assert folders_content_digest([str(tmp_path)]) != first
    (tmp_path / "new.css").write_text("b { color: tan }")
    assert folders_content_digest([str(tmp_path)], known=known) != first  # read again
