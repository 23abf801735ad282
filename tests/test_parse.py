"""The wire parser, one format variant or rejection reason per fixture file."""

import datetime
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import FIXTURES
from diplomatic_wire.parse import clean_text, decode_wire, parse_story
from diplomatic_wire.story import Dateline, RejectedStory

WIRE = FIXTURES / "wire"


def load(name):
    return parse_story(decode_wire((WIRE / name).read_bytes()), name)


def test_reference_story():
    path = FIXTURES.parent.parent / "seeds" / "000_4c7177a4660a4000.txt"
    story = parse_story(decode_wire(path.read_bytes()), path.name)
    assert story.source_id == "4c7177a4660a4000"
    assert story.title == "Xi meets Kenyan president"
    assert story.date == datetime.date(2024, 9, 3)
    assert story.dateline.place == "BEIJING" and story.dateline.agency == "Xinhua"
    assert story.captions[0].photographers == ("Huang Jingwen",)
    assert story.lede.startswith("Chinese President Xi Jinping on Tuesday met")
    assert "(Xinhua/Huang Jingwen)" not in story.lede
    assert len(story.paragraphs) == 9


def test_three_credit_forms():
    story = load("caption_forms.txt")
    assert [(c.agency, c.photographers) for c in story.captions] == [
        ("Xinhua", ("Huang Jingwen",)),
        ("Xinhua", ("Li Xueren", "Wang Ye")),
        ("Xinhua", ("Chu Chen",)),
    ]
    assert story.captions[0].text == "Leaders pose for a photo."
    assert story.captions[2].credit == "Photo by Chu Chen/Xinhua"
    assert story.lede == "The lede."
    assert story.paragraphs == ("Body one.",)


@pytest.mark.parametrize(
    "name, place, month_day, agency, lede",
    [
        ("multiword_place.txt", "UNITED NATIONS", "Feb. 10", "Xinhua", "Delegates met."),
        ("region_place.txt", "KAZAN, Russia", "Oct. 22", "TASS", "Leaders gathered."),
        ("en_dash_nospace.txt", "ADDIS ABABA", "March 5", "Xinhua", "The AU met."),
        ("em_dash_spaces.txt", "NEW DELHI", "June 5", "PTI", "Talks opened."),
        ("double_dash_nospace.txt", "BRASILIA", "July 5", "Xinhua", "Talks opened."),
        ("no_agency.txt", "GENEVA", "July 6", None, "Talks resumed."),
        ("non_ascii.txt", "SÃO PAULO", "Dec. 1", "Anadolu", "Turkish President Recep Tayyip Erdoğan met António Guterres."),
    ],
)
def test_datelines(name, place, month_day, agency, lede):
    story = load(name)
    assert (story.dateline.place, story.dateline.month_day, story.dateline.agency) == (place, month_day, agency)
    assert story.lede == lede


def test_place_names_read_in_normal_case():
    assert load("region_place.txt").dateline.place_name == "Kazan, Russia"
    assert load("multiword_place.txt").dateline.place_name == "United Nations"
    assert load("non_ascii.txt").dateline.place_name == "São Paulo"
    assert Dateline("RIO DE JANEIRO", "Nov. 18", "Xinhua").place_name == "Rio de Janeiro"
    assert Dateline("PORT-AU-PRINCE, Haiti", "June 25", None).place_name == "Port-au-Prince, Haiti"
    assert Dateline("DAR ES SALAAM", "May 1", None).place_name == "Dar es Salaam"


@pytest.mark.parametrize("name, photographers", [("dateline_ends_in_parentheses.txt", [("Lian Yi",)]),
                                                  ("dateline_only_ends_in_parentheses.txt", [])])
def test_dateline_ending_in_parentheses_is_not_a_caption(name, photographers):
    """Captions come before the dateline: a lede that ends like a credit
    ("a new poll (Reuters/Ipsos)") is still the dateline paragraph."""
    story = load(name)
    assert (story.dateline.place, story.dateline.agency) == ("GENEVA", "AFP")
    assert story.lede.endswith("according to a new poll (Reuters/Ipsos)")
    assert [caption.photographers for caption in story.captions] == photographers


def test_story_without_dateline_leads_with_first_paragraph():
    story = load("no_dateline.txt")
    assert story.dateline is None
    assert story.lede == "The world is changing fast, and diplomacy with it."
    assert story.paragraphs == ("Second paragraph.",)


def test_hard_wraps_are_joined_with_one_space():
    story = load("hard_wrapped.txt")
    assert story.captions[0].text == "A caption that is wrapped over two lines."
    assert story.lede == "The lede is hard-wrapped here."
    assert story.paragraphs == ("Body line one body line two.",)


@pytest.mark.parametrize("name", ["crlf_bom.txt", "cr_only.txt", "enditem_upper.txt"])
def test_line_endings_bom_and_enditem(name):
    story = load(name)
    assert story.lede == "Lede."
    assert story.paragraphs == ("Body.",)


def test_header_tolerates_bom_tabs_and_spaces():
    story = load("crlf_bom.txt")
    assert story.title == "CRLF and BOM"
    assert story.date == datetime.date(2024, 8, 8)


@pytest.mark.parametrize("space", ["\u00a0", "\u2003", " \u00a0\t"])
def test_header_parts_may_be_separated_by_any_white_space(space):
    story = parse_story(f"date{space}2024-08-08{space}No-break{space}title\n\nBody.\n", "x.txt")
    assert (story.date, story.title) == (datetime.date(2024, 8, 8), "No-break title")


def test_markup_in_title_is_plain_text():
    story = load("markup_title.txt")
    assert story.title == '<script>alert(1)</script> & "quotes" < 5%'
    assert story.lede == "<b>Bold</b> ]]> & more."


def test_control_characters_are_dropped():
    story = load("control_chars.txt")
    assert story.title == "Control chars here"
    assert story.lede == "Lede with controls."


@given(st.text(alphabet=st.sampled_from("ab \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000\x00\x07\x9f\ufffe")))
def test_clean_text_keeps_the_words_and_one_space_between_them(text):
    cleaned = clean_text(text)
    controls = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
    assert not controls.search(cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert all(char == " " or not char.isspace() for char in cleaned)
    assert cleaned.split(" ") == (controls.sub("", text).split() or [""])


def test_legacy_encoding_is_decoded():
    story = load("legacy_cp1252.txt")
    assert story.title == "Café diplomacy – naïve"
    assert story.lede == "François met José."


def test_source_id_without_wire_name_is_a_content_hash():
    text = (WIRE / "no_agency.txt").read_text()
    first, second = parse_story(text, "story.txt"), parse_story(text, "other.txt")
    assert re.fullmatch(r"[0-9a-f]{16}", first.source_id)
    assert first.source_id == second.source_id
    assert parse_story(text + "\nMore.\n", "story.txt").source_id != first.source_id


def test_source_id_is_the_hash_in_the_file_name():
    text = (WIRE / "no_agency.txt").read_text()
    assert parse_story(text, "012_0123456789ABCDEF.txt").source_id == "0123456789abcdef"


@pytest.mark.parametrize(
    "name, reason",
    [
        ("reject_empty.txt", "empty file"),
        ("reject_blank.txt", "empty file"),
        ("reject_binary.txt", "not text"),
        ("reject_no_header.txt", "no header"),
        ("reject_bad_date.txt", "impossible date 2024-02-30"),
        ("reject_date_format.txt", "bad date"),
        ("reject_year_one.txt", "date 0001-01-01 before 1900"),
        ("reject_no_title.txt", "no title"),
        ("reject_no_body.txt", "no body"),
        ("reject_captions_only.txt", "no story text"),
        ("reject_enditem_only.txt", "no body"),
    ],
)
def test_rejections_say_why(name, reason):
    with pytest.raises(RejectedStory) as caught:
        load(name)
    assert reason in caught.value.reason


def test_parsing_is_linear_in_size():
    """A multi-megabyte story parses; the regexes never scan more than a prefix."""
    body = ("word " * 200 + "\n") * 20000  # about 20 MB, one paragraph
    story = parse_story("date 2024-01-01 Big\n\n" + body, "big.txt")
    assert len(story.lede) > 10_000_000


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_parse_or_reject(data):
    try:
        story = parse_story(decode_wire(data), "x.txt")
    except RejectedStory:
        return
    assert story.title and story.lede


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=500), st.text(max_size=2000))
def test_any_text_after_a_header_parses_or_rejects(title, body):
    try:
        story = parse_story(f"date 2024-05-06 {title}\n\n{body}", "x.txt")
    except RejectedStory:
        return
    assert story.date == datetime.date(2024, 5, 6)
    assert "\x00" not in story.title + story.lede + "".join(story.paragraphs)
