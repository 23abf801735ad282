"""The shipped sample corpus builds, and every story shows what its file holds."""

import json

import pytest
from lxml import html

from conftest import ROOT
from diplomatic_wire.parse import decode_wire, parse_story

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
SITEURL = "https://example.org/news"


def page_of(site, story):
    """The story's page, found by its JSON-LD identifier under its date folder."""
    day = site / f"{story.date:%Y/%m/%d}"
    for page in day.glob("*/index.html"):
        tree = html.parse(str(page))
        data = json.loads(tree.xpath('//script[@type="application/ld+json"]')[0].text)
        if data["identifier"] == story.source_id:
            return tree, data
    raise AssertionError(f"no page for {story.source_id}")


def test_sample_corpus_is_large_and_valid():
    assert len(SEEDS) >= 41
    for path in SEEDS:
        parse_story(decode_wire(path.read_bytes()), path.name)


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.name)
def test_every_sample_story_is_published_whole(seeds_site, path):
    story = parse_story(decode_wire(path.read_bytes()), path.name)
    tree, data = page_of(seeds_site, story)
    assert tree.xpath("//h1")[0].text_content() == story.title
    lede = tree.xpath('//p[@class="lede"]')[0].text_content()
    assert lede.endswith(story.lede)
    captions = [f.text_content() for f in tree.xpath('//figure[@class="photo-note"]')]
    assert captions == [f"{c.text} ({c.credit})" for c in story.captions]
    assert len(tree.xpath('//article[@class="story"]/p[not(@class)]')) == len(story.paragraphs)
    if story.dateline:
        assert lede.startswith(story.dateline.text)
        assert data["dateline"] == story.dateline.text
    assert data["description"] == story.lede
    assert data["url"].startswith(f"{SITEURL}/{story.date:%Y/%m/%d}/")


def test_same_title_same_day_stories_both_published(seeds_site):
    titles = {}
    for path in SEEDS:
        story = parse_story(decode_wire(path.read_bytes()), path.name)
        titles.setdefault((story.date, story.title), []).append(story)
    twins = [group for group in titles.values() if len(group) > 1]
    assert twins, "the sample corpus must have two stories with one title and date"
    for group in twins:
        urls = {page_of(seeds_site, story)[1]["url"] for story in group}
        assert len(urls) == len(group)
