"""Story HTML and JSON-LD: wire text is always text, never markup."""

import datetime
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from diplomatic_wire.jsonld import news_article, script_json
from diplomatic_wire.parse import clean_text
from diplomatic_wire.render import story_html
from diplomatic_wire.story import Caption, Dateline, Entity, Story

text = st.text(min_size=1, max_size=200).map(clean_text).filter(bool)


def make_story(title="T", lede="Lede.", paragraphs=("Body.",), caption="A photo.", place="BEIJING"):
    return Story(
        source_id="0123456789abcdef",
        date=datetime.date(2024, 9, 3),
        title=title,
        captions=(Caption(caption, "Xinhua/Wang Ye", "Xinhua", ("Wang Ye",)),),
        dateline=Dateline(place, "Sept. 3", "Xinhua"),
        lede=lede,
        paragraphs=tuple(paragraphs),
    )


@settings(max_examples=200, deadline=None)
@given(lede=text, paragraph=text, caption=text, place=text)
def test_no_wire_text_becomes_markup(lede, paragraph, caption, place):
    fragment = story_html(make_story(lede=lede, paragraphs=(paragraph,), caption=caption, place=place))
    root = html.fragment_fromstring(fragment, create_parent="div")
    tags = {element.tag for element in root.iter()}
    assert tags <= {"div", "figure", "figcaption", "span", "p"}
    paragraphs = root.xpath("./p")
    assert paragraphs[-1].text_content() == paragraph
    assert paragraphs[0].text_content().endswith(" " + lede)
    assert root.xpath("//figcaption")[0].text_content().startswith(caption)


@settings(max_examples=200, deadline=None)
@given(title=text, lede=text)
def test_jsonld_cannot_close_its_script_tag(title, lede):
    story = make_story(title=title + "</script><script>", lede=lede)
    data = news_article(story, url="https://x.org/a/", published=datetime.datetime(2024, 9, 3, tzinfo=datetime.timezone.utc), entities=(), entity_url=str)
    encoded = script_json(data)
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded)["headline"] == title + "</script><script>"


def test_mentions_carry_iso_code_and_acronym():
    entities = (
        Entity("country", "KE", "Kenya", code="KE"),
        Entity("organization", "FOCAC", "Forum on China-Africa Cooperation", alternate_name="FOCAC"),
        Entity("person", "Xi Jinping", "Xi Jinping", roles=("President",), country="CN"),
    )
    data = news_article(
        make_story(), url="https://x.org/a/",
        published=datetime.datetime(2024, 9, 3, tzinfo=datetime.timezone.utc),
        entities=entities, entity_url=lambda e: f"https://x.org/{e.kind}/{e.key}/",
    )
    assert data["mentions"] == [
        {"@type": "Country", "name": "Kenya", "url": "https://x.org/country/KE/", "identifier": "KE"},
        {"@type": "Organization", "name": "Forum on China-Africa Cooperation", "url": "https://x.org/organization/FOCAC/", "alternateName": "FOCAC"},
        {"@type": "Person", "name": "Xi Jinping", "url": "https://x.org/person/Xi Jinping/"},
    ]
