"""The entity extractor: one test per rule and hard case, the labelled set's
precision and recall, and a property test over arbitrary text."""

from __future__ import annotations

import ast
import csv
import datetime
import itertools
import json
import re
import string
import sys
import time
from pathlib import Path

import pycountry
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "plugins"))

from diplomatic_wire.entities import DATA_DIR, extract_entities  # noqa: E402
from diplomatic_wire.story import Caption, Dateline, Entity, Story  # noqa: E402

try:
    from diplomatic_wire.parse import parse_story
except ImportError:  # the parser is written alongside; fall back to a small loader
    parse_story = None

LABELLED = ROOT / "tests" / "fixtures" / "entities"
KINDS = {"countries": "country", "people": "person", "organizations": "organization"}
MIN_PRECISION = MIN_RECALL = 0.95


# ---------------------------------------------------------------------------
# Helpers


def make_story(*paragraphs, title="Untitled", place=None, captions=()):
    """A Story from inline text; the first paragraph is the lede."""
    return Story(
        source_id="0123456789abcdef",
        date=datetime.date(2024, 9, 3),
        title=title,
        captions=tuple(_caption(text, credit) for text, credit in captions),
        dateline=Dateline(place, "Sept. 3", "Xinhua") if place else None,
        lede=paragraphs[0] if paragraphs else "",
        paragraphs=tuple(paragraphs[1:]),
    )


def _caption(text, credit):
    by = credit.removeprefix("Photo by ")
    agency, names = (by.split("/")[::-1] if credit.startswith("Photo by") else by.split("/"))
    return Caption(text, credit, agency, tuple(n.strip() for n in names.split(",")))


def entities(*paragraphs, **kwargs):
    return extract_entities(make_story(*paragraphs, **kwargs))


def keys(*paragraphs, kind, **kwargs):
    return sorted(e.key for e in entities(*paragraphs, **kwargs) if e.kind == kind)


def countries(*paragraphs, **kwargs):
    return keys(*paragraphs, kind="country", **kwargs)


def people(*paragraphs, **kwargs):
    return keys(*paragraphs, kind="person", **kwargs)


def organizations(*paragraphs, **kwargs):
    return keys(*paragraphs, kind="organization", **kwargs)


def one(found, kind, key):
    return next(e for e in found if e.kind == kind and e.key == key)


_MONTHS = r"Jan\.|Feb\.|March|April|May|June|July|Aug\.|Sept\.|Oct\.|Nov\.|Dec\."
_CREDIT = re.compile(r"\((?P<credit>[^()]*/[^()]*)\)$")
_DATELINE = re.compile(
    rf"(?P<place>[^,()]+(?:, ?[^,()]+)?), (?P<day>(?:{_MONTHS}) \d{{1,2}}) "
    r"(?:\((?P<agency>[^()]+)\) )?(?:--|–|—) ?"
)


def load_minimal(text, filename):
    """Just enough of wire-format.md to build a Story, for when parse.py is absent."""
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    first = next(i for i, line in enumerate(lines) if line.strip())
    _, date, title = lines[first].split(None, 2)
    blocks = re.split(r"\n[ \t]*\n", "\n".join(lines[first + 1:]))
    paragraphs = [" ".join(block.split()) for block in blocks if block.strip()]
    if paragraphs and paragraphs[-1].lower() == "enditem":
        paragraphs.pop()
    captions = []
    while len(paragraphs) > 1 and (credit := _CREDIT.search(paragraphs[0])):
        captions.append(_caption(paragraphs.pop(0)[: credit.start()].strip(), credit["credit"]))
    lede, dateline = paragraphs[0], None
    match = _DATELINE.match(lede)
    if match and match["place"].split(",")[0].isupper():
        dateline = Dateline(match["place"], match["day"], match["agency"])
        lede = lede[match.end():]
    return Story(
        source_id=filename.split("_")[-1][:16],
        date=datetime.date.fromisoformat(date),
        title=title.strip(),
        captions=tuple(captions),
        dateline=dateline,
        lede=lede,
        paragraphs=tuple(paragraphs[1:]),
    )


def load(path, loader=None):
    loader = loader or parse_story or load_minimal
    return loader(path.read_bytes().decode("utf-8-sig"), path.name)


# ---------------------------------------------------------------------------
# Countries


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kenya signed the deal.", ["KE"]),
        ("Kenyan farmers export avocados.", ["KE"]),
        ("Chinese firms built the road.", ["CN"]),
        ("Turkish mediators, Türkiye and Turkey.", ["TR"]),
        ("The U.S. delegation arrived.", ["US"]),
        ("American and British officials met.", ["GB", "US"]),
        ("Việt Nam and Viet Nam are Vietnam.", ["VN"]),
        ("Ivory Coast, or Côte d'Ivoire.", ["CI"]),
        ("The Kenyans and the Filipinos.", ["KE", "PH"]),
    ],
)
def test_country_by_name_short_name_and_demonym(text, expected):
    assert countries(text) == expected


def test_us_before_a_sentence_end_and_at_a_paragraph_end():
    assert countries("Manalo praised the alliance with the U.S. Teodoro agreed.") == ["US"]
    assert countries("Talks began.", "The minister then flew to the U.S.") == ["US"]
    assert countries("US-China trade and U.S.-made jets.") == ["CN", "US"]


def test_niger_is_not_nigeria():
    assert countries("Niger closed its border.") == ["NE"]
    assert countries("Nigeria and Nigerian ports.") == ["NG"]
    assert countries("The Nigerien prime minister spoke.") == ["NE"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Guinea held elections.", ["GN"]),
        ("Papua New Guinea held elections.", ["PG"]),
        ("Equatorial Guinea held elections.", ["GQ"]),
        ("Guinea-Bissau held elections.", ["GW"]),
        ("Piracy in the Gulf of Guinea fell.", []),
    ],
)
def test_guinea_is_not_its_neighbours(text, expected):
    assert countries(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Patrols in the South China Sea.",
        "Shipping in the Indian Ocean.",
        "Latin American and South American exporters.",
        "European and Arab officials.",
        "Peace on the Korean Peninsula.",
        "Congo and the Congolese army.",
        "Korea and Korean firms.",
        "Dominican fans cheered.",
        "A loan of 5 billion U.S. dollars.",
    ],
)
def test_regions_seas_ambiguous_words_and_currencies_are_not_countries(text):
    assert countries(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Democratic Republic of the Congo and DR Congo.", ["CD"]),
        ("The DRC accuses its neighbour.", ["CD"]),
        ("The Republic of the Congo and Congo-Brazzaville.", ["CG"]),
        ("South Korea, the Republic of Korea, the ROK.", ["KR"]),
        ("North Korea and the DPRK.", ["KP"]),
        ("The Dominican Republic and Dominica.", ["DM", "DO"]),
        ("Georgia and Jordan signed.", ["GE", "JO"]),
    ],
)
def test_congo_korea_and_dominica_variants(text, expected):
    assert countries(text) == expected


@pytest.mark.parametrize("apostrophe", ["'", "’"])
def test_names_with_either_apostrophe(apostrophe):
    text = f"The Democratic People{apostrophe}s Republic of Korea (DPRK) and Cote d{apostrophe}Ivoire spoke."
    assert [(e.kind, e.key) for e in entities(text)] == [("country", "CI"), ("country", "KP")]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Youssouf, a diplomat who speaks Arabic, English and French, won.", []),
        ("The statement was issued in Russian and Chinese.", []),
        ("He spoke in Russian at the meeting, in a French-speaking city.", []),
        ("Investment in Kenyan and Chinese firms grew.", ["CN", "KE"]),
        ("Ships in Chinese waters met French reporters.", ["CN", "FR"]),
    ],
)
def test_a_demonym_that_names_a_language_is_no_country(text, expected):
    assert countries(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("He will succeed Moussa Faki Mahamat of Chad, who has led the commission.", ["Moussa Faki Mahamat"]),
        ("Precious Matsoso of South Africa, co-chair of the body, said.", ["Precious Matsoso"]),
        ("The Suez Canal Authority of Egypt, a state body, said.", []),
        ("The Central Bank of Kenya, which sets rates, said.", []),
        ("Friends of Kenya, a group, met.", []),
    ],
)
def test_a_name_of_a_country_before_a_clause_is_a_person(text, expected):
    assert people(text) == expected


def test_north_and_south_name_both_halves():
    assert countries("Leaders of North and South Korea met.") == ["KP", "KR"]
    assert countries("South and North Korea held talks.") == ["KP", "KR"]
    assert countries("North and South Sudan") == ["SS"]  # no country "North Sudan"


def test_hyphenated_pairs_and_possessives_count_for_both():
    assert countries("The Kenya-China partnership and Kenya's blueprint.") == ["CN", "KE"]
    assert countries("China-Uzbekistan relations") == ["CN", "UZ"]


def test_a_demonym_inside_an_organization_name_is_not_a_country():
    assert countries("The Organization of American States (OAS) met.") == []
    assert countries("The Indian Ocean Rim Association (IORA) met.") == []


@pytest.mark.parametrize(
    "place, expected",
    [
        ("BEIJING", ["CN"]),
        ("ADDIS ABABA", ["ET"]),
        ("WASHINGTON", ["US"]),
        ("KAZAN, Russia", ["RU"]),
        ("TRIPOLI, Lebanon", ["LB"]),
        ("SINGAPORE", ["SG"]),
        ("UNITED NATIONS", []),
        ("NEW YORK", []),
        ("RIO DE JANEIRO", []),
    ],
)
def test_dateline_counts_when_a_capital_or_naming_the_country(place, expected):
    assert countries("Talks were held on Tuesday.", place=place) == expected


@pytest.mark.parametrize(
    "text, code, name",
    [
        ("Russia", "RU", "Russia"),
        ("Turkey", "TR", "Türkiye"),
        ("Iran", "IR", "Iran"),
        ("South Korea", "KR", "South Korea"),
        ("Vietnam", "VN", "Vietnam"),
        ("Laos", "LA", "Laos"),
        ("Tanzania", "TZ", "Tanzania"),
        ("Venezuela", "VE", "Venezuela"),
        ("Bolivia", "BO", "Bolivia"),
        ("Syria", "SY", "Syria"),
        ("the United States", "US", "United States"),
        ("Britain", "GB", "United Kingdom"),
        ("Kenya", "KE", "Kenya"),
    ],
)
def test_country_entities_use_familiar_names(text, code, name):
    assert entities(f"{text} agreed.") == (Entity("country", code, name, code=code),)


# ---------------------------------------------------------------------------
# People


def test_role_title_and_country_from_the_demonym():
    found = entities(
        "Chinese President Xi Jinping met Kenyan President William Ruto on Tuesday.",
        "Xi said the two countries were partners. Ruto agreed.",
    )
    assert one(found, "person", "Xi Jinping") == Entity(
        "person", "Xi Jinping", "Xi Jinping", roles=("President",), country="CN"
    )
    assert one(found, "person", "William Ruto").country == "KE"
    assert people("Chinese President Xi Jinping met Kenyan President William Ruto.") == [
        "William Ruto", "Xi Jinping"
    ]


def test_organization_titles_carry_no_country():
    found = entities("UN Secretary-General António Guterres spoke.")
    guterres = one(found, "person", "António Guterres")
    assert guterres.roles == ("Secretary-General",) and guterres.country is None


def test_multiword_titles_drop_the_demonym():
    found = entities("Brazilian Foreign Minister Mauro Vieira opened the meeting.")
    vieira = one(found, "person", "Mauro Vieira")
    assert vieira.roles == ("Foreign Minister",) and vieira.country == "BR"


def test_appositive_role_after_the_name():
    found = entities(
        "Moussa Faki Mahamat, chairperson of the AU Commission, told the summit.",
        "Faki welcomed the decision.",
    )
    faki = one(found, "person", "Moussa Faki Mahamat")
    assert faki.roles == ("Chairperson",) and faki.country is None
    assert [e.key for e in found if e.kind == "person"] == ["Moussa Faki Mahamat"]
    found = entities("Mauro Vieira, Brazil's foreign minister, said. Cyril Ramaphosa, president of South Africa, agreed.")
    assert one(found, "person", "Mauro Vieira").country == "BR"
    assert one(found, "person", "Cyril Ramaphosa").country == "ZA"


def test_an_appositive_is_a_noun_phrase_not_a_subject():
    assert people("After meeting John Smith, the president said talks went well.") == []
    found = entities(
        "Zhao Leji, chairman of the National People's Congress Standing Committee, spoke.",
        "Sheikh Tamim bin Hamad Al Thani, emir of Qatar, listened.",
    )
    assert one(found, "person", "Zhao Leji").roles == ("Chairman",)
    assert one(found, "person", "Tamim bin Hamad Al Thani").country == "QA"


def test_short_mentions_resolve_to_the_full_name():
    found = entities(
        "Brazilian President Luiz Inácio Lula da Silva met Chinese President Xi Jinping.",
        "Lula said the partnership was a pillar. Xi agreed.",
        "President Lula da Silva later thanked General Secretary Xi for his support.",
    )
    assert [e.key for e in found if e.kind == "person"] == ["Luiz Inácio Lula da Silva", "Xi Jinping"]
    assert one(found, "person", "Xi Jinping").roles == ("President", "General Secretary")


def test_family_name_first_short_mentions_use_the_first_token():
    found = entities(
        "South Korean Prime Minister Han Duck-soo met Chinese Premier Li Qiang.",
        "Acting President Han said the talks were useful. Premier Li agreed.",
    )
    assert one(found, "person", "Han Duck-soo").roles == ("Prime Minister", "Acting President")
    assert people("Chinese Premier Li Qiang spoke. Premier Li said.") == ["Li Qiang"]


def test_ambiguous_short_mentions_attach_to_nobody():
    found = entities(
        "Chinese Foreign Minister Wang Yi and Foreign Ministry Spokesperson Wang Wenbin met.",
        "Vice Chairman Wang said.",
    )
    assert all("Vice Chairman" not in e.roles for e in found)


def test_photographers_in_credits_are_not_mentions():
    found = entities(
        "Chinese President Xi Jinping met Kenyan President William Ruto.",
        captions=[
            ("President Xi Jinping meets President William Ruto.", "Xinhua/Huang Jingwen"),
            ("Delegates attend the meeting.", "Photo by Li Xin/Xinhua"),
            ("Delegates attend (Xinhua/Li Xueren, Wang Ye)", "Xinhua/Li Xueren, Wang Ye"),
        ],
    )
    assert [e.key for e in found if e.kind == "person"] == ["William Ruto", "Xi Jinping"]


def test_non_ascii_names_in_any_unicode_form():
    decomposed = "Vietnamese Prime Minister Pha\u0323m Minh Chi\u0301nh met Turkish President Recep Tayyip Erdoğan."
    assert people(decomposed) == ["Phạm Minh Chính", "Recep Tayyip Erdoğan"]


def test_name_particles_honorifics_and_joint_titles():
    found = entities(
        "Qatari Emir Sheikh Tamim bin Hamad Al Thani received Saudi Crown Prince and "
        "Prime Minister Mohammed bin Salman. European Commission President Ursula von der "
        "Leyen and Egyptian President Abdel Fattah al-Sisi also attended.",
    )
    assert one(found, "person", "Tamim bin Hamad Al Thani").roles == ("Emir",)
    mbs = one(found, "person", "Mohammed bin Salman")
    assert mbs.roles == ("Crown Prince", "Prime Minister") and mbs.country == "SA"
    assert one(found, "person", "Ursula von der Leyen").country is None
    assert one(found, "person", "Abdel Fattah al-Sisi").country == "EG"


def test_ambassador_to_a_country_keeps_the_sending_country():
    found = entities("Chinese Ambassador to Kenya Zhou Pingjian spoke. King Abdullah II of Jordan listened.")
    assert one(found, "person", "Zhou Pingjian").country == "CN"
    assert one(found, "person", "Abdullah II").country == "JO"
    assert countries("Chinese Ambassador to Kenya Zhou Pingjian spoke.") == ["CN", "KE"]


def test_places_buildings_initiatives_and_slogans_are_never_people_or_countries():
    text = (
        "Leaders met at the Great Hall of the People to discuss Belt and Road cooperation "
        "and the Global South. The President's Office and the Prime Minister's Office "
        "issued statements. Great Hall of the People, director of protocol, said. "
        "Secretary-General Belt and Road spoke."
    )
    found = entities(text)
    assert [e for e in found if e.kind in ("person", "country")] == []


def test_unintroduced_names_are_not_people():
    assert people("The meeting was attended by Jane Wanjiku, a farmer, and John Smith.") == []


def test_weekdays_dates_and_title_case_words_end_a_name():
    assert people("Foreign Minister Wang Yi Tuesday met President Joe Biden on May 5.") == [
        "Joe Biden", "Wang Yi"
    ]
    assert people("Kenyan President William Ruto Meets Xi In Beijing") == ["William Ruto"]


def test_initials_and_suffixes_belong_to_the_name():
    assert people("External Affairs Minister S. Jaishankar met President Ferdinand Marcos Jr. in Delhi.") == [
        "Ferdinand Marcos Jr.", "S. Jaishankar"
    ]


# ---------------------------------------------------------------------------
# Organizations


def test_a_definition_gives_long_name_and_acronym():
    found = entities("He is in Beijing for the 2024 Summit of the Forum on China-Africa Cooperation (FOCAC).")
    assert one(found, "organization", "FOCAC") == Entity(
        "organization", "FOCAC", "Forum on China-Africa Cooperation", alternate_name="FOCAC"
    )
    found = entities("The Assembly of the African Union (AU) opened. The AU Commission said.")
    assert one(found, "organization", "AU").name == "African Union"


def test_well_known_organizations_by_acronym_name_and_alias():
    found = entities("The UN, the U.N. and the United Nations. The G-20 and the World Bank.")
    assert sorted(e.key for e in found) == ["G20", "UN", "World Bank"]
    assert one(found, "organization", "World Bank").alternate_name is None
    assert one(found, "organization", "G20").alternate_name == "G20"


def test_au_is_not_australia():
    assert entities("The African Union (AU) summit opened. The AU Commission chair spoke.") == (
        Entity("organization", "AU", "African Union", alternate_name="AU"),
    )
    assert countries("Australia and the AU.") == ["AU"]


def test_the_stories_own_definition_wins_over_the_data_file():
    found = entities("Officials from the Interregional Coordination Centre (ICC) met. The ICC said.")
    [org] = [e for e in found if e.kind == "organization"]
    assert (org.name, org.alternate_name) == ("Interregional Coordination Centre", "ICC")
    # Not the International Criminal Court's key: its topic page is its own.
    assert org.key == "Interregional Coordination Centre"
    assert one(entities("The Association of Universities (AU) met."), "organization",
               "Association of Universities").alternate_name == "AU"
    assert [e.key for e in entities("The African Union (AU) met.")] == ["AU"]
    # The known organization written another way is still the known one.
    assert [e.key for e in entities("The Conference on Interaction and Confidence Building Measures in Asia (CICA) met.")] == ["CICA"]


def test_a_defined_acronym_that_collides_with_a_country_alias_is_not_a_country():
    found = entities("The Union of Sahel Students (US) said the US grant was late.")
    assert [(e.kind, e.key) for e in found] == [("organization", "US")]


def test_an_acronym_defined_for_a_country_is_that_country():
    found = entities("The Central African Republic (CAR) said CAR troops and the United Arab Emirates (UAE) agreed.")
    assert [(e.kind, e.key) for e in found] == [("country", "AE"), ("country", "CF")]


def test_initiatives_projects_and_events_are_not_organizations():
    text = (
        "The Belt and Road Initiative (BRI), the Standard Gauge Railway (SGR) and the "
        "China International Import Expo (CIIE) were discussed by the Kenya Ports Authority (KPA)."
    )
    assert organizations(text) == ["KPA"]


def test_a_known_acronym_nested_in_a_defined_name_is_not_a_mention():
    assert organizations("The UN Conference on Trade and Development (UNCTAD) said.") == ["UNCTAD"]


def test_organizations_named_inside_roles_are_mentions():
    assert organizations("AU Commission Chairperson Moussa Faki Mahamat and WTO Director-General Ngozi Okonjo-Iweala.") == [
        "AU", "WTO"
    ]


def test_news_agencies_defined_with_an_acronym_are_not_organizations():
    assert organizations("The official Korean Central News Agency (KCNA) said. KCNA added.") == []
    assert organizations("The Japan International Cooperation Agency (JICA) said.") == ["JICA"]


@pytest.mark.parametrize("text, name", [
    ("U.S. National Security Adviser Jake Sullivan spoke.", "Jake Sullivan"),
    ("Bangladeshi Foreign Adviser Touhid Hossain spoke.", "Touhid Hossain"),
    ("EU foreign policy chief Kaja Kallas spoke.", "Kaja Kallas"),
    ("Opposition leader Venancio Mondlane spoke.", "Venancio Mondlane"),
    ("Kenyan opposition leader Raila Odinga spoke.", "Raila Odinga"),
    ("Presidential candidate Daniel Chapo spoke.", "Daniel Chapo"),
    ('"We are ready," said Katrin Praprotnik, a political scientist at the University of Graz.', "Katrin Praprotnik"),
])
def test_advisers_opposition_leaders_and_candidates_are_titles(text, name):
    assert people(text) == [name]


# ---------------------------------------------------------------------------
# API, data and cost


def test_reference_story():
    path = LABELLED / "000_4c7177a4660a4000.txt"
    assert extract_entities(load(path)) == (
        Entity("country", "CN", "China", code="CN"),
        Entity("country", "KE", "Kenya", code="KE"),
        Entity("organization", "FOCAC", "Forum on China-Africa Cooperation", alternate_name="FOCAC"),
        Entity("person", "William Ruto", "William Ruto", roles=("President",), country="KE"),
        Entity("person", "Xi Jinping", "Xi Jinping", roles=("President",), country="CN"),
    )


def test_entities_module_does_not_import_pelican():
    tree = ast.parse((ROOT / "plugins" / "diplomatic_wire" / "entities.py").read_text("utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert "pelican" not in imported


def test_country_table_covers_every_iso_code_once():
    with (DATA_DIR / "countries.csv").open(encoding="utf-8", newline="") as handle:
        codes = [row["code"] for row in csv.DictReader(handle)]
    assert len(codes) == len(set(codes))
    assert set(codes) == {c.alpha_2 for c in pycountry.countries}


def test_organization_keys_are_unique():
    data = json.loads((DATA_DIR / "organizations.json").read_text("utf-8"))
    keys_ = [item["acronym"] or item["name"] for item in data["organizations"]]
    assert len(keys_) == len(set(keys_))


@pytest.mark.parametrize(
    "paragraph",
    [
        "Vice " * 20000,
        "Foreign National " * 10000,
        ", chairperson of the " * 10000,
        " ".join(f"President Aa{i:05d} Bb{i:05d} said." for i in range(5000)),
        " ".join(f"{a}x {b}y {c}z ({a}{b}{c})" for a, b, c in itertools.islice(itertools.product(string.ascii_uppercase, repeat=3), 3000)),
        "Kenya-China " * 20000,
    ],
    ids=["modifiers", "portfolios", "appositives", "people", "definitions", "countries"],
)
def test_cost_stays_linear_on_hostile_text(paragraph):
    started = time.perf_counter()
    extract_entities(make_story(paragraph))
    assert time.perf_counter() - started < 10


# ---------------------------------------------------------------------------
# The labelled set


def labelled_files():
    return sorted(LABELLED.glob("*.txt"))


def test_labelled_set_is_big_enough_and_fully_labelled():
    expected = json.loads((LABELLED / "expected.json").read_text("utf-8"))
    assert len(labelled_files()) >= 33
    assert sorted(expected) == [p.name for p in labelled_files()]


def test_labelled_set_precision_and_recall():
    expected = json.loads((LABELLED / "expected.json").read_text("utf-8"))
    true_positive = false_positive = false_negative = 0
    misses = []
    for path in labelled_files():
        found = extract_entities(load(path))
        for group, kind in KINDS.items():
            got = {e.key for e in found if e.kind == kind}
            want = set(expected[path.name][group])
            true_positive += len(got & want)
            false_positive += len(got - want)
            false_negative += len(want - got)
            if got != want:
                misses.append(f"{path.name} {group}: extra {sorted(got - want)}, missing {sorted(want - got)}")
    precision = true_positive / ((true_positive + false_positive) or 1)
    recall = true_positive / ((true_positive + false_negative) or 1)
    report = f"precision {precision:.3f}, recall {recall:.3f} over {len(labelled_files())} stories\n" + "\n".join(misses)
    print(report)
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, report


@pytest.mark.skipif(parse_story is None, reason="diplomatic_wire.parse is not there yet")
def test_fallback_loader_agrees_with_the_parser():
    for path in labelled_files():
        assert extract_entities(load(path, load_minimal)) == extract_entities(load(path)), path.name


# ---------------------------------------------------------------------------
# Property: any text


_TRICKY = [
    "President", "Chinese", "Xi", "Jinping", "(", ")", "(AU)", "(US)", "African", "Union",
    "U.S.", "U.S", ",", ".", "of", "the", "Kenya-China", "Kenya's", "Sheikh", "bin", "al-Sisi",
    "Foreign", "Minister", "Secretary-General", "Great", "Hall", "People", "’s", "'", "-", "\n",
    "Phạm", "Chi\u0301nh", "Niger", "Guinea", "Congo", "DRC", "(DRC)", "Democratic", "Republic",
    "and", "former", "Vice", "Jr.", "S.", "II", "May", "5", "Tuesday", "--", "(X/Y)", "Photo",
]
_paragraph = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(_TRICKY) | st.text(max_size=12), max_size=40).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(title=_paragraph, paragraphs=st.lists(_paragraph, min_size=1, max_size=6), place=st.none() | _paragraph)
def test_any_text_gives_a_sorted_duplicate_free_tuple(title, paragraphs, place):
    story = make_story(*paragraphs, title=title, place=place)
    found = extract_entities(story)
    assert isinstance(found, tuple)
    assert all(isinstance(e, Entity) and e.kind in KINDS.values() for e in found)
    order = [(e.kind, e.key) for e in found]
    assert order == sorted(order) and len(order) == len(set(order))
    assert all(e.code == e.key and pycountry.countries.get(alpha_2=e.key) for e in found if e.kind == "country")
