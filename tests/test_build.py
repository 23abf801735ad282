"""End to end: a real Pelican build of a small corpus, pages and JSON-LD read back."""

import json
import os
import queue
import re
import shutil
import subprocess
import sys
import threading
import time

import pytest
from lxml import html

from conftest import FIXTURES, ROOT, make_corpus, run_build

VALID = sorted(p.name for p in (FIXTURES / "wire").glob("*.txt") if not p.name.startswith("reject_"))
REJECTS = sorted(p.name for p in (FIXTURES / "wire").glob("reject_*.txt"))
SITEURL = "https://example.org/news"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    corpus = make_corpus(root / "corpus", VALID + REJECTS)
    result = run_build(corpus, root / "output", siteurl=SITEURL)
    return root / "output", result


def story_pages(output):
    return sorted(output.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"))


def jsonld(page):
    scripts = html.parse(str(page)).xpath('//script[@type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_build_succeeds_and_counts_rejections(site):
    output, result = site
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    for name in REJECTS:
        lines = [line for line in log.splitlines() if name in line]
        assert len(lines) == 1, (name, lines)
        assert re.search(rf"{re.escape(name)}: \S", lines[0])
    assert f"{len(VALID)} stories published, {len(REJECTS)} files rejected" in log
    assert "Traceback" not in log


def test_rejections_are_reported_in_file_name_order_every_run(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", ["no_agency.txt", *REJECTS])
    orders = []
    for seed in ("1", "2"):  # set and dict orders of names differ between these
        result = run_build(corpus, tmp_path / f"out{seed}", extra_env={"PYTHONHASHSEED": seed})
        log = result.stdout + result.stderr
        orders.append([name for line in log.splitlines() for name in REJECTS if f"{name}:" in line])
    assert orders[0] == orders[1] == REJECTS


def test_every_valid_story_has_a_dated_page(site):
    output, _ = site
    pages = story_pages(output)
    assert len(pages) == len(VALID)
    identifiers = {jsonld(p)["identifier"] for p in pages}
    assert len(identifiers) == len(VALID)


def test_files_no_reader_takes_are_named_once_with_the_reason(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", ["no_agency.txt"])
    (corpus / "notes.md").write_text("# Desk notes\n")
    (corpus / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (corpus / "desk").mkdir()
    (corpus / "desk" / "photo.jpg").write_bytes(b"\xff\xd8")
    result = run_build(corpus, tmp_path / "out")
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    for name, reason in {"notes.md": "not a wire file", ".DS_Store": "hidden file", "photo.jpg": "not a wire file"}.items():
        lines = [line for line in log.splitlines() if name in line]
        assert len(lines) == 1 and f"{name}: {reason}" in lines[0], (name, log)
    assert "1 stories published, 3 files rejected" in log


def test_watch_mode_rebuilds_when_a_wire_file_arrives(tmp_path):
    """`make regenerate` and `make devserver` run `pelican -r`, which watches
    PATH (content/), the theme and the settings: the wire folder is beside
    them, and a story filed there must be published without another change."""
    corpus = make_corpus(tmp_path / "corpus", VALID[:-1])
    command = [sys.executable, "-m", "pelican", "-r", str(ROOT / "content"), "-o", str(tmp_path / "out"),
               "-s", str(ROOT / "pelicanconf.py"), "--log-handler", "plain", "-e", "WIRE_SEARCH_INDEX=false",
               "--cache-path", str(tmp_path / "cache")]
    env = {**os.environ, "WIRE_SEEDDIR": str(corpus), "WIRE_SITEURL": "", "PYTHONUNBUFFERED": "1"}
    lines: queue.Queue = queue.Queue()

    def wait_for(text, seconds=60):
        seen, deadline = [], time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                break
            seen.append(line)
            assert "Traceback" not in line, "".join(seen)
            if text in line:
                return line
        return None

    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          text=True) as process:
        threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()
        try:
            assert wait_for(f"Wire: {len(VALID) - 1} stories published")
            filed = corpus / VALID[-1]
            shutil.copy(FIXTURES / "wire" / VALID[-1], filed)
            # Pelican watches once its build is done: a file filed before that
            # is seen when it changes again.
            for _ in range(10):
                rebuilt = wait_for(f"Wire: {len(VALID)} stories published", seconds=5)
                if rebuilt:
                    break
                filed.touch()
            else:
                raise AssertionError("the new wire file was not published")
        finally:
            process.terminate()
            process.wait(timeout=30)
    assert len(story_pages(tmp_path / "out")) == len(VALID)
    # Each run keys the site anew, not from the last run's key: most files are kept.
    kept, keyed = map(int, re.search(r"(\d+) of (\d+) keyed files unchanged", rebuilt).groups())
    assert keyed > 10 and kept > keyed // 2, rebuilt
    # The watching process took the inputs' digest when it started: the next
    # build must not take its word that nothing changed since.
    filed.unlink()
    result = run_build(corpus, tmp_path / "out", through_check=tmp_path / "cache")
    assert result.returncode == 0, result.stderr
    assert len(story_pages(tmp_path / "out")) == len(VALID) - 1


def test_make_keeps_one_line_per_rejection_whatever_pelicanopts_adds(tmp_path):
    """`make html PELICANOPTS=...` adds to the Makefile's options: Pelican's
    default log handler would fold a long rejection over several lines."""
    corpus = make_corpus(tmp_path / "corpus", ["no_agency.txt", "reject_bad_date.txt"])
    env = {**os.environ, "COLUMNS": "40"}
    env = {k: v for k, v in env.items() if not k.startswith("WIRE_UPTODATE")}
    command = ["make", "--no-print-directory", "-o", ".venv/bin/.installed", "html",
               f"SEEDDIR={corpus}", f"OUTPUTDIR={tmp_path / 'out'}",
               f"PELICANOPTS=--cache-path {tmp_path / 'cache'} -e WIRE_SEARCH_INDEX=false"]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    [line] = [line for line in log.splitlines() if "reject_bad_date.txt" in line]
    assert line.endswith("reject_bad_date.txt: impossible date 2024-02-30"), log


def test_strict_build_fails_on_rejections(tmp_path):
    corpus = make_corpus(tmp_path / "corpus", ["no_agency.txt", "reject_bad_date.txt"])
    result = run_build(corpus, tmp_path / "out", strict=True)
    assert result.returncode != 0
    assert "reject_bad_date.txt: impossible date 2024-02-30" in result.stdout + result.stderr
    clean = make_corpus(tmp_path / "clean", ["no_agency.txt"])
    assert run_build(clean, tmp_path / "out2", strict=True).returncode == 0


def test_story_page_and_jsonld(site):
    output, _ = site
    page = output / "2024/10/01/three-credit-forms/index.html"
    tree = html.parse(str(page))
    assert [h.text_content() for h in tree.xpath("//h1")] == ["Three credit forms"]
    assert tree.xpath("//time/@datetime") == ["2024-10-01T00:00:00+00:00"]
    figures = tree.xpath('//figure[@class="photo-note"]//figcaption')
    assert len(figures) == 3 and "(Xinhua/Li Xueren, Wang Ye)" in figures[1].text_content()
    assert tree.xpath('//link[@rel="canonical"]/@href') == [f"{SITEURL}/2024/10/01/three-credit-forms/"]

    data = jsonld(page)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Three credit forms"
    assert data["datePublished"] == "2024-10-01T00:00:00+00:00"
    assert data["url"] == f"{SITEURL}/2024/10/01/three-credit-forms/"
    assert re.fullmatch(r"[0-9a-f]{16}", data["identifier"])
    assert data["description"] == "The lede."
    assert data["dateline"] == "BEIJING, Oct. 1"
    assert data["contentLocation"] == {"@type": "Place", "name": "Beijing"}
    assert data["sourceOrganization"] == {"@type": "Organization", "name": "Xinhua"}
    assert [m["creditText"] for m in data["associatedMedia"]] == [
        "Xinhua/Huang Jingwen", "Xinhua/Li Xueren, Wang Ye", "Photo by Chu Chen/Xinhua",
    ]
    assert data["associatedMedia"][1]["creator"] == [
        {"@type": "Person", "name": "Li Xueren"}, {"@type": "Person", "name": "Wang Ye"},
    ]
    assert all(m["@type"] == "ImageObject" and m["caption"] for m in data["associatedMedia"])
    assert isinstance(data["mentions"], list)


def test_story_without_dateline_has_no_dateline_fields(site):
    output, _ = site
    data = jsonld(output / "2024/04/04/commentary-a-new-era/index.html")
    assert "dateline" not in data and "contentLocation" not in data and "sourceOrganization" not in data
    assert data["description"] == "The world is changing fast, and diplomacy with it."


def test_region_place_in_jsonld(site):
    output, _ = site
    data = jsonld(output / "2024/10/22/brics-in-kazan/index.html")
    assert data["dateline"] == "KAZAN, Russia, Oct. 22"
    assert data["contentLocation"]["name"] == "Kazan, Russia"
    assert data["sourceOrganization"]["name"] == "TASS"


def test_markup_in_wire_text_stays_text(site):
    output, _ = site
    [page] = [p for p in story_pages(output) if jsonld(p)["headline"].startswith("<script>")]
    tree = html.parse(str(page))
    assert tree.xpath("//h1")[0].text_content() == '<script>alert(1)</script> & "quotes" < 5%'
    assert [s.get("type") for s in tree.xpath("//script[not(@src)]")] == ["application/ld+json"]
    assert all(s.get("src").startswith(f"{SITEURL}/theme/") for s in tree.xpath("//script[@src]"))
    assert not tree.xpath("//body//b")
    assert "<b>Bold</b> ]]> & more." in tree.xpath('//p[@class="lede"]')[0].text_content()
    assert jsonld(page)["description"] == "<b>Bold</b> ]]> & more."
    assert page.parent.name == "alert1-quotes-5"


def test_pages_link_feeds_that_exist(site):
    output, _ = site
    for page in [output / "index.html", *story_pages(output)[:3]]:
        tree = html.parse(str(page))
        links = tree.xpath('//head/link[@rel="alternate"]')
        assert {link.get("type") for link in links} >= {
            "application/atom+xml", "application/rss+xml", "application/feed+json",
        }
        for link in links:
            href = link.get("href")
            assert href.startswith(SITEURL + "/")
            assert (output / href[len(SITEURL) + 1:]).is_file(), href


def test_site_has_home_archives_about_and_404(site):
    output, _ = site
    for path in ["index.html", "archives/index.html", "about/index.html", "404.html", "2024/index.html", "2024/10/index.html"]:
        assert (output / path).is_file(), path
