"""Feeds of a real build: every reader and validator accepts them, ids last."""

import functools
import http.server
import json
import shutil
import threading
import time

import feedparser
import pytest
from lxml import etree, html

from conftest import FIXTURES, ROOT, json_feed_validator, run_build

SITEURL = "https://example.org/news"
ATOM_SCHEMA = etree.RelaxNG(etree.parse(str(FIXTURES / "schemas" / "atom.rng")))
JSON_SCHEMA = json_feed_validator()


def feeds(site, name):
    return sorted(site.rglob(name))


def test_build_writes_site_and_topic_feeds(seeds_site):
    for name in ("atom.xml", "rss.xml", "feed.json"):
        assert (seeds_site / name).is_file()
        assert (seeds_site / "categories" / "news" / name).is_file()
        assert len(feeds(seeds_site, name)) >= 3


def test_every_atom_feed_parses_and_validates(seeds_site):
    for path in feeds(seeds_site, "atom.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo and parsed.version == "atom10", path
        tree = etree.fromstring(path.read_bytes())
        assert ATOM_SCHEMA.validate(tree.getroottree()), (path, ATOM_SCHEMA.error_log)
        self_link = tree.find("{http://www.w3.org/2005/Atom}link[@rel='self']").get("href")
        assert self_link == f"{SITEURL}/{path.relative_to(seeds_site).as_posix()}"


def test_every_rss_feed_parses(seeds_site):
    for path in feeds(seeds_site, "rss.xml"):
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo and parsed.version == "rss20", path
        tree = etree.fromstring(path.read_bytes())
        for guid in tree.iter("guid"):
            assert guid.get("isPermaLink") == "false"
        assert not list(tree.iter("author"))


def test_every_json_feed_validates(seeds_site):
    for path in feeds(seeds_site, "feed.json"):
        data = json.loads(path.read_bytes())
        JSON_SCHEMA.validate(data)
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert data["title"] and data["feed_url"].startswith(SITEURL)
        assert all(item["id"] and item["url"].startswith(SITEURL) for item in data["items"])


def test_same_story_has_same_id_in_every_format(seeds_site):
    atom = feedparser.parse((seeds_site / "atom.xml").read_bytes())
    rss = feedparser.parse((seeds_site / "rss.xml").read_bytes())
    items = json.loads((seeds_site / "feed.json").read_bytes())["items"]
    ids = [e.id for e in atom.entries]
    assert ids == [e.id for e in rss.entries] == [i["id"] for i in items]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("tag:diplomatic-wire.example,2024:story/") for i in ids)


def test_feed_entries_carry_the_contract_fields(seeds_site):
    atom = feedparser.parse((seeds_site / "atom.xml").read_bytes())
    assert len(atom.entries) == min(50, len(list((ROOT / "seeds").glob("*.txt"))))
    updated = [e.updated for e in atom.entries]
    assert updated == sorted(updated, reverse=True)
    assert len(set(updated)) == len(updated)
    assert atom.feed.updated == updated[0]
    for entry in atom.entries:
        assert entry.link.startswith(f"{SITEURL}/")
        assert entry.published.endswith("+00:00") and entry.updated.endswith("+00:00")
        assert entry.summary and entry.content[0].type == "text/html"
        assert entry.tags
    reference = next(e for e in atom.entries if e.id.endswith("4c7177a4660a4000"))
    assert reference.author == "Xinhua"
    assert reference.title == "Xi meets Kenyan president"


def test_every_format_gives_each_entry_its_published_and_updated_times(seeds_site):
    """RSS has only pubDate: its items carry <atom:updated> as well."""
    atom = feedparser.parse((seeds_site / "atom.xml").read_bytes())
    rss = feedparser.parse((seeds_site / "rss.xml").read_bytes())
    items = json.loads((seeds_site / "feed.json").read_bytes())["items"]
    times = [(e.published_parsed, e.updated_parsed) for e in atom.entries]
    assert [(e.published_parsed, e.updated_parsed) for e in rss.entries] == times
    assert [(i["date_published"], i["date_modified"]) for i in items] == [(e.published, e.updated) for e in atom.entries]
    assert len({updated for _, updated in times}) == len(times)  # same-day stories keep their order


def test_discovery_links_point_to_existing_feeds(seeds_site):
    pages = [seeds_site / "index.html", seeds_site / "categories/news/index.html"]
    pages += sorted(seeds_site.glob("countries/*/index.html"))[:3]
    for page in pages:
        links = html.parse(str(page)).xpath('//head/link[@rel="alternate"]/@href')
        assert len(links) >= 3, page
        for href in links:
            assert (seeds_site / href[len(SITEURL) + 1:]).is_file(), (page, href)


def write_story(folder, name, date, title, lede):
    (folder / name).write_text(f"date {date} {title}\n\nBEIJING, Sept. 3 (Xinhua) -- {lede}\n\nMore text.\n")


def test_ids_survive_title_edits_and_new_stories(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_story(corpus, "001_aaaaaaaaaaaaaaaa.txt", "2024-09-03", "First title", "One.")
    write_story(corpus, "002_bbbbbbbbbbbbbbbb.txt", "2024-09-04", "Second", "Two.")
    run_build(corpus, tmp_path / "one", siteurl=SITEURL)
    before = {e.title: e.id for e in feedparser.parse((tmp_path / "one" / "atom.xml").read_bytes()).entries}

    write_story(corpus, "001_aaaaaaaaaaaaaaaa.txt", "2024-09-03", "Fixed title", "One.")
    write_story(corpus, "003_cccccccccccccccc.txt", "2024-09-02", "Third", "Three.")
    run_build(corpus, tmp_path / "two", siteurl="https://moved.example.com")
    after = {e.title: e.id for e in feedparser.parse((tmp_path / "two" / "atom.xml").read_bytes()).entries}
    assert after["Fixed title"] == before["First title"]
    assert after["Second"] == before["Second"]
    assert len(set(after.values())) == 3


HOSTILE = "Talks <b>bold</b> ]]> &amp; \x0b\x1b ünïcödé <![CDATA[x]]>"


def test_hostile_text_keeps_every_feed_well_formed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    write_story(corpus, "001_aaaaaaaaaaaaaaaa.txt", "2024-09-03", HOSTILE, HOSTILE)
    result = run_build(corpus, tmp_path / "out", siteurl=SITEURL)
    assert result.returncode == 0, result.stderr
    out = tmp_path / "out"
    expected = "Talks <b>bold</b> ]]> &amp; ünïcödé <![CDATA[x]]>"
    for path in [*feeds(out, "atom.xml"), *feeds(out, "rss.xml")]:
        tree = etree.fromstring(path.read_bytes())
        titles = [t.text for t in tree.iter("{http://www.w3.org/2005/Atom}title", "title")]
        assert expected in titles, path
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo
        # feedparser drops what looks like a CDATA section from titles; the rest is text
        assert parsed.entries[0].title.startswith("Talks <b>bold</b> ]]> &amp; ünïcödé")
    item = json.loads((out / "feed.json").read_bytes())["items"][0]
    assert item["title"] == expected
    assert "<b>" not in item["content_html"]


@pytest.fixture
def served(tmp_path):
    """Serve a folder over HTTP on localhost, as a static host would."""
    root = tmp_path / "www"
    root.mkdir()
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_feed_reader_subscribes_and_sees_one_new_story(tmp_path, served):
    from reader import make_reader

    www, base = served
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    run_build(corpus, www, siteurl=base)
    topic = "countries/ke/" if (www / "countries/ke/atom.xml").exists() else "categories/news/"

    reader = make_reader(str(tmp_path / "reader.sqlite"))
    for url in (f"{base}/atom.xml", f"{base}/{topic}rss.xml", f"{base}/feed.json"):
        reader.add_feed(url)
    reader.update_feeds(scheduled=False)
    counts = {feed.url: len(list(reader.get_entries(feed=feed))) for feed in reader.get_feeds()}
    assert all(counts.values()), counts

    time.sleep(1.1)  # HTTP Last-Modified has one-second resolution
    write_story(corpus, "999_ffffffffffffffff.txt", "2026-01-05", "Kenya and China sign new accord",
                "Kenyan President William Ruto met Chinese President Xi Jinping in Nairobi.")
    run_build(corpus, www, siteurl=base)
    reader.update_feeds(scheduled=False)
    for feed in reader.get_feeds():
        assert feed.last_exception is None, feed.last_exception
        entries = list(reader.get_entries(feed=feed))
        assert len(entries) == counts[feed.url] + 1, feed.url
        assert len({e.id for e in entries}) == len(entries)
        assert sum(e.title == "Kenya and China sign new accord" for e in entries) == 1
    reader.close()
