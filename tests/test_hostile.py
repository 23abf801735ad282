"""A hostile corpus end to end: the build finishes, publishes what is valid,
names the rest, and no input escapes into markup or out of the output folder."""

import json
import shutil

import feedparser
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, html

from conftest import FIXTURES, ROOT, run_build

HOSTILE = FIXTURES / "hostile"
PUBLISHED = 12  # 001-011 and 031 (012 duplicates its text, 013 the source id of 003)
REJECTED = {
    "020_2000000000000020.txt": "empty file",
    "021_2000000000000021.txt": "impossible date",
    "022_2000000000000022.txt": "no header",
    "023_2000000000000023.txt": "not text",
    "030_3000000000000030.txt": "file too large",
}
DUPLICATES = {"012_1000000000000012.txt": "same text", "013_1000000000000003.txt": "same source id"}


def files_outside(root, output, only=None):
    """Every path under ``root`` (or its folders named in ``only``) but the output."""
    ignored = {"__pycache__", ".pytest_cache", ".hypothesis"}
    folders = [root / name for name in only] if only else [root]
    return {
        p for folder in folders for p in folder.rglob("*")
        if not ignored & set(p.relative_to(root).parts) and output not in p.parents and p != output
    }


# The project's own folders; output/, cache/, .venv/ and bench/ are build artefacts.
PROJECT = ("content", "theme", "plugins", "seeds", "tests")


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile")
    corpus = root / "corpus"
    shutil.copytree(HOSTILE, corpus)
    with open(corpus / "030_3000000000000030.txt", "w") as big:  # 20 MB (sparse), made here, not stored
        big.write("date 2024-06-30 A twenty megabyte file\n\nGENEVA, June 30 (AFP) -- Long.\n\n")
        big.truncate(20_000_000)
    with open(corpus / "031_3000000000000031.txt", "w") as big:  # 3 MB: very large, valid
        big.write("date 2024-06-30 A three megabyte transcript\n\nGENEVA, June 30 (AFP) -- Long.\n\n")
        big.write(("All work and no play. " * 40 + "\n\n") * 3400)
    output = root / "site"
    before = files_outside(root, output) | files_outside(ROOT, output, PROJECT)
    result = run_build(corpus, output, siteurl="https://example.org/news")
    after = files_outside(root, output) | files_outside(ROOT, output, PROJECT)
    return output, result, after - before


def test_build_finishes_and_accounts_for_every_file(hostile_build):
    output, result, _ = hostile_build
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "Traceback" not in log
    for name, reason in {**REJECTED, **DUPLICATES}.items():
        lines = [line for line in log.splitlines() if line.startswith(f"{name}: ") or f"/{name}: " in line]
        assert len(lines) == 1 and reason in lines[0], (name, lines)
    assert f"{PUBLISHED} stories published, {len(REJECTED)} files rejected, {len(DUPLICATES)} duplicates skipped" in log
    assert len(list(output.glob("2024/06/*/*/index.html"))) == PUBLISHED


def test_a_very_large_story_is_published_whole(hostile_build):
    output, _, _ = hostile_build
    [page] = output.glob("2024/06/30/*three-megabyte*/index.html")
    paragraphs = html.parse(str(page)).xpath("//article[contains(@class, 'story')]/p[contains(., 'no play')]")
    assert len(paragraphs) == 3400
    entry = next(e for e in feedparser.parse((output / "atom.xml").read_bytes()).entries if "three megabyte" in e.title)
    assert entry.content[0].value.count("All work and no play.") == 3400 * 40


def test_nothing_is_written_outside_the_output_folder(hostile_build):
    _, _, created = hostile_build
    assert created == set()


def test_every_page_parses_and_shows_input_as_text(hostile_build):
    output, _, _ = hostile_build
    for page in output.rglob("*.html"):
        tree = html.parse(str(page))
        assert tree.getroot().tag == "html"
        scripts = tree.xpath("//script[not(@src)]")
        assert all(s.get("type") == "application/ld+json" for s in scripts), page
        assert not tree.xpath("//iframe | //style[not(ancestor::head)] | //img[@onerror] | //a[starts-with(@href, 'http://evil')]"), page
        for script in scripts:
            json.loads(script.text)
    story = next(output.glob("2024/06/01/*alert*/index.html"))
    heading = html.parse(str(story)).xpath("//h1")[0].text_content()
    assert heading == '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_path_like_titles_stay_inside_their_date_folder(hostile_build):
    output, _, _ = hostile_build
    for day in ("04", "05", "06"):
        pages = list(output.glob(f"2024/06/{day}/*/index.html"))
        assert len(pages) == 1 and pages[0].parent.parent == output / "2024/06" / day


def test_template_syntax_in_wire_text_is_not_evaluated(hostile_build):
    output, _, _ = hostile_build
    [page] = output.glob("2024/06/07/*/index.html")
    text = html.parse(str(page)).xpath("//h1")[0].text_content()
    assert text == "{{ SITEURL }} {% raw %} {filename}/x.txt |static|"
    assert "{{ 7*7 }}" in page.read_text()


def test_link_syntax_in_a_lede_is_left_as_it_is(hostile_build):
    """Pelican rewrites ``{filename}`` links in summaries; a story's summary
    is its lede, plain text: it stays as filed (here, in the page's
    description and the feeds' summaries)."""
    output, _, _ = hostile_build
    [page] = output.glob("2024/06/07/*/index.html")
    lede = 'Jinja-looking {{ 7*7 }} and {% if %} text and {attach}x.png, <a href="{filename}/pages/about.rst">a link</a>.'
    assert html.parse(str(page)).xpath("//meta[@name='description']/@content") == [lede]
    entry = next(e for e in feedparser.parse((output / "atom.xml").read_bytes()).entries if "7*7" in e.summary)
    assert entry.summary == lede


def test_legacy_encodings_are_published_readably(hostile_build):
    output, _, _ = hostile_build
    titles = {html.parse(str(p)).xpath("//h1")[0].text_content() for p in output.glob("2024/06/*/*/index.html")}
    assert {"Café crème – « legacy »", "UTF-16 story ü", "Latin-1 åø"} <= titles


def test_every_feed_is_well_formed(hostile_build):
    output, _, _ = hostile_build
    for path in [*output.rglob("atom.xml"), *output.rglob("rss.xml")]:
        etree.fromstring(path.read_bytes())
        assert not feedparser.parse(path.read_bytes()).bozo, path
    for path in output.rglob("feed.json"):
        json.loads(path.read_bytes())


story_text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=80)


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(story_text, story_text), min_size=1, max_size=4))
def test_generated_corpora_keep_feeds_valid_ids_unique_and_text_inert(tmp_path_factory, stories):
    root = tmp_path_factory.mktemp("prop")
    corpus = root / "corpus"
    corpus.mkdir()
    for number, (title, lede) in enumerate(stories):
        text = f"date 2024-03-0{number + 1} {title}\n\nGENEVA, March {number + 1} (AFP) -- {lede}\n\nEnd <b>tag</b>.\n"
        (corpus / f"{number:03d}_{number:016x}.txt").write_text(text, encoding="utf-8", errors="surrogatepass")
    result = run_build(corpus, root / "site", siteurl="https://example.org")
    assert result.returncode == 0, result.stderr
    site = root / "site"
    atom = feedparser.parse((site / "atom.xml").read_bytes())
    assert not atom.bozo
    ids = [e.id for e in atom.entries]
    assert len(ids) == len(set(ids))
    for path in [*site.rglob("atom.xml"), *site.rglob("rss.xml")]:
        etree.fromstring(path.read_bytes())
    for page in site.glob("2024/03/*/*/index.html"):
        tree = html.parse(str(page))
        assert not tree.xpath("//article//b"), page
        assert all(s.get("type") == "application/ld+json" for s in tree.xpath("//script[not(@src)]"))
