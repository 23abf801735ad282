"""Find the countries, people and organizations a wire story mentions.

Pure functions over a parsed :class:`~diplomatic_wire.story.Story`; nothing here
knows about Pelican. The word lists (country names, demonyms and capitals,
well-known organizations, role titles, stop words) are data files in ``data/``
so that editors can extend them without touching code. They are read once, on
first use, and compiled into a few regular expressions; each story is then
scanned a fixed number of times, so the cost grows linearly with its length.

Precision comes first:

* a country needs its name, an alias or a demonym as a whole word that is not
  part of a longer non-country phrase ("South China Sea", "Latin American");
* a person needs a role title next to the name ("Kenyan President William
  Ruto", "Moussa Faki Mahamat, chairperson of ..."); bare names are skipped;
* an acronym means what the story defines it as: after "African Union (AU)"
  the AU is an organization, and "(DRC)" after a country name is that country.
"""

from __future__ import annotations

import csv
import functools
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import pycountry

from .story import Entity, Story

__all__ = ["extract_entities"]

DATA_DIR = Path(__file__).with_name("data")

_SMALL_WORDS = frozenset({"of", "for", "and", "the", "to", "on", "in"})
_ROMAN_NUMERAL_RE = re.compile(r"[IVX]{1,4}")
_NAME_TOKEN_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*\.?")
_ACRONYM_DEFINITION_RE = re.compile(r"\(([A-Z][A-Za-z0-9&+\-]{0,10}[A-Za-z0-9+])\)")
_WORD_RE = re.compile(r"\S+")
_APPOSITIVE_LEAD_RE = re.compile(r", (?:(?:the|a|an|also|now|currently|as|then|former) )*\Z")
_OF_RE = re.compile(r" (?:of|for) ", re.IGNORECASE)
_APPOSITIVE_TAIL_RE = re.compile(
    r"[,.;:)\n]|\Z| (?:of|to|for|at|in|on|and|who|whose|since|from|with)(?!\w)"
)
_MONTH_DATE_RE = re.compile(
    r"(?:Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.? \d|(?:January|February|March|April|May|June|July"
    r"|August|September|October|November|December) \d"
)
_POSSESSIVES = ("'s", "’s")
_PREFIX_JOINS = ("'s ", "’s ", "' ", "’ ", " ")
_CLAUSE_BREAKS = (". ", "; ", ": ", "? ", "! ", "(", ")", '"', "“", "”", "\n")
_DEFINITION_WINDOW = 300
_BACKWARD_WINDOW = 160
_MAX_NAME_TOKENS = 7


# ---------------------------------------------------------------------------
# Data tables, loaded and compiled once


@dataclass(frozen=True)
class _Org:
    key: str
    name: str
    acronym: str | None

    def entity(self) -> Entity:
        alternate = self.acronym if self.acronym and self.acronym != self.name else None
        return Entity(kind="organization", key=self.key, name=self.name, alternate_name=alternate)


@dataclass(frozen=True)
class _Tables:
    country_names: dict[str, str]
    country_surfaces: dict[str, tuple[str | None, bool]]
    country_re: re.Pattern[str]
    dateline_places: dict[str, str]
    capitals: dict[str, str]
    orgs_by_surface: dict[str, _Org]
    orgs_by_acronym: dict[str, _Org]
    orgs_by_long_name: dict[str, _Org]
    org_re: re.Pattern[str]
    not_org_heads: frozenset[str]
    org_words: frozenset[str]
    role_start_re: re.Pattern[str]
    role_re: re.Pattern[str]
    role_unit_re: re.Pattern[str]
    role_qualifier_re: re.Pattern[str]
    role_words: dict[str, str]
    untitled_roles: frozenset[str]
    honorific_re: re.Pattern[str]
    honorific_words: frozenset[str]
    particles: frozenset[str]
    name_suffixes: frozenset[str]
    not_name_words: frozenset[str]
    not_person_re: re.Pattern[str]
    family_first_countries: frozenset[str]
    family_first_surnames: frozenset[str]


def _alternation(words) -> str:
    """A regex matching any of ``words``, built as a trie so matching stays fast
    with hundreds of alternatives and always prefers the longest one."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


def _whole_words(words) -> re.Pattern[str]:
    """Case-sensitive, so ``re`` can skip characters no alternative starts with;
    the start-of-word check is left to :func:`_word_matches` for the same reason."""
    return re.compile("(?:" + _alternation(words) + r")(?!\w)")


def _word_matches(pattern: re.Pattern[str], text: str):
    for match in pattern.finditer(text):
        start = match.start()
        if start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_"):
            yield match


def _split_list(cell: str) -> list[str]:
    return [item.strip() for item in cell.split("|") if item.strip()]


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


def _apostrophe_forms(name: str) -> list[str]:
    """``name`` with straight and with typographic apostrophes: wires and
    editors write "People’s" as often as "People's"."""
    return sorted({name, name.replace("’", "'"), name.replace("'", "’")})


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("s", "sh", "ch", "se", "x", "z")):
        return None
    return demonym + "s"


def _load_countries():
    display: dict[str, str] = {}
    surfaces: dict[str, tuple[str | None, bool]] = {}
    places: dict[str, str] = {}
    capitals: dict[str, str] = {}

    def add(surface: str, code: str, is_demonym: bool) -> None:
        known = surfaces.get(surface)
        if known and known[0] != code:
            raise ValueError(f"countries.csv: {surface!r} names both {known[0]} and {code}")
        surfaces[surface] = (code, is_demonym and not (known and not known[1]))

    with (DATA_DIR / "countries.csv").open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            country = pycountry.countries.get(alpha_2=code)
            if country is None:
                raise ValueError(f"countries.csv: {code!r} is not an ISO 3166-1 alpha-2 code")
            common = getattr(country, "common_name", None)
            display[code] = row["name"].strip() or common or country.name
            names = [display[code], country.name, common, getattr(country, "official_name", None)]
            for name in names + _split_list(row["aliases"]):
                if not name or "," in name or "(" in name:
                    continue
                for form in _apostrophe_forms(name[4:] if name.startswith("the ") else name):
                    add(form, code, False)
                    places.setdefault(_fold(form), code)
            for demonym in _split_list(row["demonyms"]):
                add(demonym, code, True)
                plural = _plural(demonym)
                if plural and plural not in surfaces:
                    add(plural, code, True)
            for capital in _split_list(row["capitals"]):
                if capitals.setdefault(_fold(capital), code) != code:
                    raise ValueError(f"countries.csv: capital {capital!r} is listed twice")
    for line in (DATA_DIR / "not_countries.txt").read_text(encoding="utf-8").splitlines():
        phrase = line.strip()
        if phrase and not phrase.startswith("#"):
            surfaces[phrase] = (None, False)
            places.pop(_fold(phrase), None)
    return display, surfaces, places, capitals


def _load_organizations():
    data = json.loads((DATA_DIR / "organizations.json").read_text(encoding="utf-8"))
    by_surface: dict[str, _Org] = {}
    by_acronym: dict[str, _Org] = {}
    by_long_name: dict[str, _Org] = {}
    for item in data["organizations"]:
        acronym, name, aliases = item.get("acronym"), item["name"], item.get("aliases", [])
        org = _Org(key=acronym or name, name=name, acronym=acronym)
        for surface in filter(None, [name, acronym, *aliases]):
            for form in _apostrophe_forms(surface):
                if by_surface.setdefault(form, org) != org:
                    raise ValueError(f"organizations.json: {surface!r} is listed twice")
        if acronym:
            by_acronym[acronym.casefold()] = org
        for long_name in [name, *aliases]:
            for form in _apostrophe_forms(long_name):
                by_long_name[_fold(form)] = org
    return data, by_surface, by_acronym, by_long_name


def _role_patterns(people: dict):
    """Patterns for role phrases: "Vice Foreign Minister", "Minister of Foreign
    Affairs and International Cooperation", "Crown Prince and Prime Minister".

    Every repetition is bounded so that a hostile run of title words ("Vice
    Vice Vice ...") costs a constant per word instead of a rescan of the rest.
    """
    word_end = r"(?![\w'’-])"
    modifiers = _alternation(people["role_modifiers"])
    portfolios = _alternation(people["portfolios"])
    bases = _alternation(people["roles"])
    qualifiers = _alternation(people["role_qualifiers"])
    portfolio_list = (
        rf"(?:{portfolios}){word_end}(?:(?:,? and |, | )(?:{portfolios}){word_end}){{0,8}}"
    )
    unit = (
        rf"(?:(?:{modifiers}){word_end}[ -]){{0,4}}(?:(?:{portfolios}){word_end} ){{0,4}}"
        rf"(?:{bases}){word_end}(?: (?:of|for) (?:the )?{portfolio_list})?"
    )
    qualifier = rf"(?:{qualifiers}){word_end}[ -]"
    role = rf"(?<![\w'’-])(?:{qualifier})?{unit}(?: and {unit}){{0,3}}"
    first_words = set()
    for key in ("roles", "role_modifiers", "portfolios", "role_qualifiers"):
        for phrase in people[key]:
            word = phrase.split()[0].split("-")[0]
            first_words |= {word, word.lower(), word[:1].upper() + word[1:], word.upper()}
    return (
        re.compile(r"\b(?:" + _alternation(first_words) + r")(?!\w)"),
        re.compile(role, re.IGNORECASE),
        re.compile(unit, re.IGNORECASE),
        re.compile(rf"(?:{qualifier})", re.IGNORECASE),
    )


@functools.cache
def _tables() -> _Tables:
    display, surfaces, places, capitals = _load_countries()
    org_data, by_surface, by_acronym, by_long_name = _load_organizations()
    people = json.loads((DATA_DIR / "people.json").read_text(encoding="utf-8"))
    role_start_re, role_re, role_unit_re, role_qualifier_re = _role_patterns(people)
    role_words: dict[str, str] = {}
    for phrase in people["roles"] + people["role_modifiers"] + people["portfolios"]:
        for word in phrase.split():
            role_words.setdefault(word.casefold(), word)
    return _Tables(
        country_names=display,
        country_surfaces=surfaces,
        country_re=_whole_words(surfaces),
        dateline_places=places,
        capitals=capitals,
        orgs_by_surface=by_surface,
        orgs_by_acronym=by_acronym,
        orgs_by_long_name=by_long_name,
        org_re=_whole_words(by_surface),
        not_org_heads=frozenset(org_data["not_organization_heads"]),
        org_words=frozenset(org_data["organization_words"]),
        role_start_re=role_start_re,
        role_re=role_re,
        role_unit_re=role_unit_re,
        role_qualifier_re=role_qualifier_re,
        role_words=role_words,
        untitled_roles=frozenset(_fold(r) for r in people["untitled_roles"]),
        honorific_re=re.compile(r"(?:(?:" + _alternation(people["honorifics"]) + r") ){1,3}"),
        honorific_words=frozenset(w for h in people["honorifics"] for w in h.split()),
        particles=frozenset(people["particles"]),
        name_suffixes=frozenset(people["name_suffixes"]),
        not_name_words=frozenset(people["not_name_words"]),
        not_person_re=_whole_words(people["not_person_phrases"]),
        family_first_countries=frozenset(people["family_name_first_countries"]),
        family_first_surnames=frozenset(people["family_name_first_surnames"]),
    )


# ---------------------------------------------------------------------------
# Per-story scanning state


@dataclass
class _Definition:
    """What a story's ``Long Name (ACRONYM)`` names: an organization, a country,
    or neither (an initiative, a railway); in every case the acronym is taken."""

    org: _Org | None = None
    country: str | None = None


@dataclass
class _Person:
    tokens: tuple[str, ...]
    roles: list[str] = field(default_factory=list)
    country: str | None = None

    @property
    def key(self) -> str:
        return " ".join(self.tokens)

    def add(self, roles, country: str | None) -> None:
        for role in roles:
            if role not in self.roles:
                self.roles.append(role)
        if self.country is None:
            self.country = country


@dataclass
class _Scan:
    text: str
    tables: _Tables
    definitions: dict[str, _Definition] = field(default_factory=dict)
    orgs: dict[str, _Org] = field(default_factory=dict)
    org_mask: bytearray = field(init=False)  # inside an organization's name
    covered: bytearray = field(init=False)  # inside any name: never part of a person's
    org_starts: dict[int, int] = field(default_factory=dict)
    country_mentions: list[tuple[int, int, str]] = field(default_factory=list)
    country_starts: dict[int, tuple[int, str]] = field(default_factory=dict)
    prefixes: dict[int, tuple[int, str | None]] = field(default_factory=dict)
    people: dict[tuple[str, ...], _Person] = field(default_factory=dict)
    short_mentions: list[tuple[str, list[str], str | None]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.org_mask = bytearray(len(self.text))
        self.covered = bytearray(len(self.text))

    def mark(self, mask: bytearray, start: int, end: int) -> None:
        mask[start:end] = b"\x01" * (end - start)


# ---------------------------------------------------------------------------
# Public API


def prepare() -> None:
    """Build the extraction tables now rather than at the first story: 0.2 s,
    mostly compiling their large regular expressions, which a process that
    reads stories can spend before it is given any (``reader.ReadAhead``)."""
    _tables()


def extract_entities(story: Story) -> tuple[Entity, ...]:
    """Countries, people and organizations the story mentions.

    Searches the title, caption texts (not the credits), lede and body, plus the
    dateline place for countries. The result is sorted by kind then key and has
    one entity per key and kind, so it is stable across builds.
    """
    tables = _tables()
    scan = _Scan(_story_text(story), tables)
    _find_definitions(scan)
    _find_organizations(scan)
    _find_countries(scan)
    _find_people(scan)

    codes = {code for _start, _end, code in scan.country_mentions}
    dateline_code = _dateline_country(story, tables)
    if dateline_code:
        codes.add(dateline_code)

    entities = [
        Entity(kind="country", key=code, name=tables.country_names[code], code=code)
        for code in codes
    ]
    entities += [org.entity() for org in scan.orgs.values()]
    entities += [
        Entity(
            kind="person",
            key=person.key,
            name=person.key,
            roles=tuple(person.roles),
            country=person.country,
        )
        for person in scan.people.values()
    ]
    return tuple(sorted(entities, key=lambda e: (e.kind, e.key)))


# ---------------------------------------------------------------------------
# Text assembly


def _caption_text(caption) -> str:
    text = caption.text.rstrip()
    credit = (caption.credit or "").strip()
    if credit:
        for tail in (f"({credit})", credit):
            if text.endswith(tail):
                return text[: -len(tail)]
    return text


def _story_text(story: Story) -> str:
    """One searchable string; each part on its own line so no match spans two."""
    parts = [story.title, *map(_caption_text, story.captions), story.lede, *story.paragraphs]
    lines = (" ".join(part.split()) for part in parts if part)
    return unicodedata.normalize("NFC", "\n".join(line for line in lines if line))


def _dateline_country(story: Story, tables: _Tables) -> str | None:
    if story.dateline is None:
        return None
    place = _fold(unicodedata.normalize("NFC", story.dateline.place))
    if place in tables.capitals:
        return tables.capitals[place]
    head, comma, region = place.partition(",")
    if comma:
        return tables.dateline_places.get(_fold(region))
    return tables.dateline_places.get(_fold(head)) or tables.capitals.get(_fold(head))


# ---------------------------------------------------------------------------
# Organizations


def _find_definitions(scan: _Scan) -> None:
    """Record every ``Long Name (ACRONYM)`` and decide what each one names."""
    text, tables = scan.text, scan.tables
    for match in _ACRONYM_DEFINITION_RE.finditer(text):
        acronym = match.group(1)
        if sum(c.isupper() or c.isdigit() for c in acronym) < 2:
            continue
        found = _long_form(text, match.start(), acronym)
        if found is None:
            continue
        start, long_form = found
        definition = _Definition()
        code, _is_demonym = tables.country_surfaces.get(long_form, (None, False))
        code = code or tables.dateline_places.get(_fold(long_form))
        if code:
            definition.country = code
        else:
            definition.org = _defined_org(acronym, long_form, tables)
        scan.definitions.setdefault(acronym, definition)
        if definition.org:
            scan.orgs.setdefault(definition.org.key, definition.org)
            scan.mark(scan.org_mask, start, match.end())
            scan.org_starts.setdefault(start, match.end())
        scan.mark(scan.covered, start, match.end())


#: Words a name shares with another without making it another (``_shares_most_words``).
_SMALL_WORDS = frozenset({"a", "and", "for", "in", "of", "on", "the", "to"})
#: How a news agency's name ends: the labelling rules leave news agencies out.
_NEWS_AGENCY_ENDS = ("news agency", "press agency", "news service")


def _defined_org(acronym: str, long_form: str, tables: _Tables) -> _Org | None:
    """The organization a story-defined acronym names, or None for a thing
    that is not one (an initiative, a railway, a product)."""
    folded = _fold(long_form)
    known = tables.orgs_by_acronym.get(acronym.casefold())
    if known and (
        folded == _fold(known.name)
        or tables.orgs_by_long_name.get(folded) == known
        or _fold(known.name).endswith(folded)
        or _shares_most_words(known.name, long_form)
    ):
        return known
    if folded in tables.orgs_by_long_name:
        return tables.orgs_by_long_name[folded]
    if folded.endswith(_NEWS_AGENCY_ENDS):
        return None
    words = long_form.replace("-", " ").split()
    if words[-1] in tables.not_org_heads and not tables.org_words.intersection(words):
        return None
    # Keyed by its acronym, unless a known organization has that acronym: then
    # by its name, so that its topic page is its own, not the known one's.
    return _Org(key=long_form if known else acronym, name=long_form, acronym=acronym)


def _shares_most_words(name: str, long_form: str) -> bool:
    """Half or more of the words of ``name`` are in ``long_form``: the same
    organization written another way ("Confidence Building" for
    "Confidence-Building", a long form that took in words before the name)."""
    def words(text: str) -> set[str]:
        return {word for word in re.split(r"[\W_]+", text.casefold()) if word and word not in _SMALL_WORDS}

    own = words(name)
    return bool(own) and 2 * len(own & words(long_form)) >= len(own)


def _long_form(text: str, paren: int, acronym: str) -> tuple[int, str] | None:
    """The words before ``(ACRONYM)`` that spell it, preferring word initials.

    Candidates are the suffixes of the clause before the parenthesis that start
    with a capitalized word beginning with the acronym's first letter; the best
    one uses the fewest letters from inside words, then skips the fewest
    capitalized words, then is the shortest (so "Assembly of the African Union
    (AU)" yields "African Union").
    """
    window_start = max(0, paren - _DEFINITION_WINDOW)
    for clause_break in _CLAUSE_BREAKS:
        found = text.rfind(clause_break, window_start, paren)
        if found >= 0:
            window_start = found + len(clause_break)
    words = []
    for match in _WORD_RE.finditer(text, window_start, paren):
        word = match.group().rstrip(",")
        if word:
            words.append((match.start(), word))
    letters = [c.casefold() for c in acronym if c.isalnum()]
    max_words = min(2 * len(letters) + 4, 16)
    best = None
    for first in range(len(words) - 1, max(-1, len(words) - 1 - max_words), -1):
        head = words[first][1]
        if not (head[0].isupper() or head[0].isdigit()) or head[0].casefold() != letters[0]:
            continue
        cost = _spelling_cost(letters, [w for _, w in words[first:]])
        if cost is None or cost[0] > max(1, len(letters) // 2):
            continue
        candidate = (cost, len(words) - first, first)
        if best is None or candidate < best:
            best = candidate
    if best is None or best[1] < 2:
        return None
    start = words[best[2]][0]
    end = words[-1][0] + len(words[-1][1])
    return start, text[start:end]


def _spelling_cost(letters: list[str], words: list[str]) -> tuple[int, int] | None:
    """(letters matched inside words, capitalized words skipped) for the
    cheapest way ``words`` spell ``letters`` in order, or None if they cannot."""
    parts = [part for word in words for part in word.split("-") if part]
    parts = [part.strip("'’\"“”") or part for part in parts]
    capitalized = [part[:1].isupper() for part in parts]

    @functools.lru_cache(maxsize=None)
    def solve(index: int, part: int, offset: int) -> tuple[int, int] | None:
        if index == len(letters):
            return (0, sum(capitalized[part + 1:]))
        letter, options = letters[index], []
        word = parts[part]
        for position in range(offset, len(word)):
            if word[position].casefold() == letter:
                rest = solve(index + 1, part, position + 1)
                if rest:
                    options.append((rest[0] + 1, rest[1]))
                break
        for later in range(part + 1, len(parts)):
            if parts[later][0].casefold() == letter:
                rest = solve(index + 1, later, 1)
                if rest:
                    options.append((rest[0], rest[1] + sum(capitalized[part + 1:later])))
        return min(options) if options else None

    if not parts or parts[0][0].casefold() != letters[0]:
        return None
    return solve(1, 0, 1)


def _find_organizations(scan: _Scan) -> None:
    text, tables = scan.text, scan.tables
    for match in _word_matches(tables.org_re, text):
        start, end, surface = match.start(), match.end(), match.group()
        if scan.org_mask[start]:
            continue
        org = tables.orgs_by_surface[surface]
        definition = scan.definitions.get(surface)
        if definition is not None:
            org = definition.org
        else:
            defined = scan.definitions.get(org.key)
            if defined is not None and defined.org != org:
                continue
        scan.mark(scan.covered, start, end)
        if org is None:
            continue
        scan.orgs.setdefault(org.key, org)
        scan.mark(scan.org_mask, start, end)
        scan.org_starts.setdefault(start, end)
        for join in _PREFIX_JOINS:
            if text.startswith(join, end):
                scan.prefixes.setdefault(end + len(join), (start, None))
                break
    for match in _defined_acronyms(scan):
        definition = scan.definitions[match.group()]
        if definition.org is None:
            continue
        start, end = match.start(), match.end()
        scan.mark(scan.covered, start, end)
        scan.org_starts.setdefault(start, end)
        for join in _PREFIX_JOINS:
            if text.startswith(join, end):
                scan.prefixes.setdefault(end + len(join), (start, None))
                break


def _defined_acronyms(scan: _Scan):
    """Every later use of an acronym the story defines, found in one pass."""
    if not scan.definitions:
        return iter(())
    return _word_matches(_whole_words(scan.definitions), scan.text)


# ---------------------------------------------------------------------------
# Countries


#: "North and South Korea": the first half names a country too. (Looked for
#: only where the second half is: a search for a plain prefix is fast.)
_PAIRED_HALVES_RE = re.compile(r"\b(North|South|East|West) and (?:North|South|East|West) (\w+)")
_SECOND_HALF_RE = re.compile(r" and (?:North|South|East|West) ")


#: "speaks Arabic, English and French", "issued in English and French.",
#: "French-speaking": a demonym that names a language names no country. It
#: does where a noun follows the list it is in ("in Kenyan and Chinese
#: firms", "speaking to French reporters"): a language ends the phrase.
_LANGUAGE_AFTER_RE = re.compile(r"[ -](?:language|languages|speaking|speaker|speakers)\b")
_LIST_REST_RE = re.compile(r"(?:(?:,? (?:and|or) |, )[A-Z][\w-]*)*")
_PHRASE_END_RE = re.compile(
    r"\s*(?:[.,;:!?)]|$)|\s(?:and|or|at|on|to|with|for|as|that|during|before|after|while|when|but)\b")
_IN_LIST_RE = re.compile(r"\b(?:in|into) (?:[A-Z][\w-]*(?:,? (?:and|or) |, ))*$")
_SPEAK_RE = re.compile(r"\b(?:speak|speaks|spoke|speaking|fluent)\b(?:\W+\w+){0,4}\W+$")


def _names_a_language(text: str, start: int, end: int) -> bool:
    """Whether the demonym at ``start`` names a language: followed by
    "language" or "-speaking"; or in a list of capitalized words that ends
    its phrase and follows "in" or a form of "speak"."""
    if _LANGUAGE_AFTER_RE.match(text, end):
        return True
    if not _PHRASE_END_RE.match(text, _LIST_REST_RE.match(text, end).end()):
        return False
    before = max(0, start - 60)
    return bool(_IN_LIST_RE.search(text, before, start) or _SPEAK_RE.search(text, before, start))


def _find_countries(scan: _Scan) -> None:
    text, tables = scan.text, scan.tables
    mentions: list[tuple[int, int, str]] = []
    for match in _PAIRED_HALVES_RE.finditer(text) if _SECOND_HALF_RE.search(text) else ():
        code, is_demonym = tables.country_surfaces.get(f"{match.group(1)} {match.group(2)}", (None, False))
        if code and not is_demonym:
            mentions.append((match.start(), match.end(1), code))
    for match in _word_matches(tables.country_re, text):
        start, end, surface = match.start(), match.end(), match.group()
        code, is_demonym = tables.country_surfaces[surface]
        scan.mark(scan.covered, start, end)
        definition = scan.definitions.get(surface)
        if definition is not None and definition.country is None:
            continue
        if code is None or (is_demonym and scan.org_mask[start]):
            continue
        if is_demonym and _names_a_language(text, start, end):
            continue
        mentions.append((start, end, code))
    for match in _defined_acronyms(scan):
        definition = scan.definitions[match.group()]
        if definition.country and match.group() not in tables.country_surfaces:
            scan.mark(scan.covered, match.start(), match.end())
            mentions.append((match.start(), match.end(), definition.country))
    for start, end, code in mentions:
        scan.country_starts[start] = (end, code)
        for join in _PREFIX_JOINS:
            if text.startswith(join, end):
                scan.prefixes[end + len(join)] = (start, code)
                break
    scan.country_mentions = mentions


# ---------------------------------------------------------------------------
# People


def _find_people(scan: _Scan) -> None:
    text, tables = scan.text, scan.tables
    for match in _word_matches(tables.not_person_re, text):
        scan.mark(scan.covered, match.start(), match.end())
    for role in _role_matches(text, tables):
        prefix = scan.prefixes.get(role.start())
        if not _person_after_role(scan, role, prefix):
            _person_before_role(scan, role, prefix)
    for start, end, code in scan.country_mentions:
        if text.endswith(" of ", 0, start) and _OF_COUNTRY_TAIL_RE.match(text, end):
            _person_of_country(scan, start - len(" of "), code)
    _merge_people(scan)


#: "Moussa Faki Mahamat of Chad, who ...", "Precious Matsoso of South
#: Africa, co-chair of ...": a name, its country, then a clause about it
#: (not "which": that one is about a thing).
_OF_COUNTRY_TAIL_RE = re.compile(r", (?:who |whose |(?!which\b|that\b|where\b)[a-z])")
_ARTICLES = ("the ", "The ", "a ", "A ", "an ", "An ")


def _person_of_country(scan: _Scan, of: int, code: str) -> None:
    """A full name (two name words or more) right before " of <country>, ...",
    with no article before it ("the Suez Canal Authority of Egypt" is a thing)."""
    tokens = _name_before(scan, of)
    if not tokens or len([t for t in tokens if t not in scan.tables.particles]) < 2:
        return
    name = " ".join(tokens)
    if scan.text.endswith(name, 0, of) and not scan.text.endswith(_ARTICLES, 0, of - len(name)):
        _add_person(scan, tokens, [], code)


def _person_after_role(scan: _Scan, role: re.Match[str], prefix) -> bool:
    """ "Kenyan President William Ruto": a title, then the name.

    A title written in lower case only counts after a country or organization
    ("Chinese counterpart Wang Yi"), so "to head Kenya ..." is no introduction.
    """
    first_word = role.group()[len(_qualifier(role.group(), scan.tables)):]
    if not (prefix or first_word[:1].isupper()):
        return False
    found = _name_after(scan, role.end())
    if not found:
        return False
    tokens, complement_country = found
    roles = _role_titles(role.group(), scan.tables)
    _add_person(scan, tokens, roles, (prefix and prefix[1]) or complement_country)
    return True


def _person_before_role(scan: _Scan, role: re.Match[str], prefix) -> None:
    """ "Moussa Faki Mahamat, chairperson of the AU Commission, said": the name,
    a comma, then a title that is a noun phrase, not the subject of a verb."""
    text = scan.text
    lead_end = prefix[0] if prefix else role.start()
    lead = _APPOSITIVE_LEAD_RE.search(text, max(0, lead_end - 40), lead_end)
    if not lead:
        return
    # In "chairman of the National| People's Congress" the words after "of"
    # begin a name, so the title is the bare "Chairman".
    bare = bool(_OF_RE.search(role.group())) and _capitalized_word_at(text, role.end())
    if not (bare or _APPOSITIVE_TAIL_RE.match(text, role.end())):
        return
    tokens = _name_before(scan, lead.start())
    if tokens:
        roles = _role_titles(role.group(), scan.tables, bare=bare)
        country = (prefix and prefix[1]) or _complement_country(scan, role.end(), ("of",))
        _add_person(scan, tokens, roles, country)


def _capitalized_word_at(text: str, pos: int) -> bool:
    return text.startswith(" ", pos) and text[pos + 1:pos + 2].isupper()


def _role_matches(text: str, tables: _Tables):
    """Role phrases, tried only where a word that can begin one stands."""
    end = 0
    for candidate in tables.role_start_re.finditer(text):
        if candidate.start() < end:
            continue
        match = tables.role_re.match(text, candidate.start())
        if match:
            end = match.end()
            yield match


def _qualifier(role_text: str, tables: _Tables) -> str:
    match = tables.role_qualifier_re.match(role_text)
    return match.group() if match else ""


def _role_titles(role_text: str, tables: _Tables, bare: bool = False) -> list[str]:
    """Canonical titles in a role phrase: "Crown Prince and Prime Minister" ->
    ["Crown Prince", "Prime Minister"]; "former" and untitled roles dropped.

    ``bare`` drops an "of ..." complement that is really the start of a name.
    """
    body = role_text[len(_qualifier(role_text, tables)):]
    titles = []
    for unit in tables.role_unit_re.finditer(body):
        phrase = unit.group()
        if bare:
            phrase = _OF_RE.split(phrase, maxsplit=1)[0]
        words = []
        for word in phrase.split(" "):
            folded = word.casefold().rstrip(",")
            if folded in _SMALL_WORDS:
                words.append(word.lower())
            else:
                words.append(tables.role_words.get(folded, word) + ("," if word.endswith(",") else ""))
        title = " ".join(words)
        if _fold(title) not in tables.untitled_roles and title not in titles:
            titles.append(title)
    return titles


def _complement_country(scan: _Scan, pos: int, joins) -> str | None:
    """The country in "... of Kenya" / "... of the DRC" right at ``pos``."""
    end = _complement_end(scan, pos, joins)
    return end[1] if end else None


def _complement_end(scan: _Scan, pos: int, joins) -> tuple[int, str | None] | None:
    text = scan.text
    for join in joins:
        for lead in (f" {join} the ", f" {join} "):
            if text.startswith(lead, pos):
                at = pos + len(lead)
                if at in scan.country_starts:
                    end, code = scan.country_starts[at]
                    return end, code
                if at in scan.org_starts:
                    return scan.org_starts[at], None
    return None


def _name_after(scan: _Scan, pos: int):
    """A full name right after a role: "President| William Ruto", also after
    "Ambassador to Kenya", "Permanent Representative to the UN" or an honorific."""
    text, tables = scan.text, scan.tables
    complement_country = None
    complement = _complement_end(scan, pos, ("of", "to"))
    if complement:
        end, code = complement
        if text.startswith(" of ", pos):
            complement_country = code
        pos = end
    if not text.startswith(" ", pos):
        return None
    pos += 1
    honorific = tables.honorific_re.match(text, pos)
    if honorific:
        pos = honorific.end()
    tokens: list[tuple[int, str]] = []
    end = pos
    while len(tokens) < _MAX_NAME_TOKENS:
        match = _NAME_TOKEN_RE.match(text, end)
        if not match or scan.covered[match.start()]:
            break
        token, stop = match.group(), False
        if token.endswith(".") and len(token) > 2 and token not in tables.name_suffixes:
            token, stop = token[:-1], True
        if token.endswith(_POSSESSIVES):
            token, stop = token[:-2], True
        if not _is_name_token(token, tables) or _MONTH_DATE_RE.match(text, match.start()):
            break
        tokens.append((match.start(), token))
        end = match.start() + len(token)
        if stop or not text.startswith(" ", end):
            break
        end += 1
    name = _name_slice([token for _, token in tokens], tables)
    if name is None:
        return None
    kept = tokens[name]
    if complement_country is None:
        name_end = kept[-1][0] + len(kept[-1][1])
        complement_country = _complement_country(scan, name_end, ("of",))
    return tuple(token for _, token in kept), complement_country


def _name_before(scan: _Scan, comma: int):
    """A full name ending at ``comma``: "|Moussa Faki Mahamat|, chairperson of ..."."""
    text, tables = scan.text, scan.tables
    line_start = text.rfind("\n", 0, comma) + 1
    window_start = max(line_start, comma - _BACKWARD_WINDOW)
    words = [(m.start() + window_start, m.group()) for m in _WORD_RE.finditer(text[window_start:comma])]
    if window_start > line_start and words:
        words = words[1:]
    tokens: list[tuple[int, str]] = []
    for start, word in reversed(words):
        if len(tokens) == _MAX_NAME_TOKENS or scan.covered[start]:
            break
        if not _NAME_TOKEN_RE.fullmatch(word) or not _is_name_token(word, tables):
            break
        if word.endswith(".") and len(word) > 2 and word not in tables.name_suffixes:
            break
        tokens.append((start, word))
    tokens.reverse()
    while tokens and tokens[0][1] in tables.honorific_words:
        tokens = tokens[1:]
    name = _name_slice([word for _, word in tokens], tables)
    if name is None:
        return None
    return tuple(word for _, word in tokens[name])


def _is_name_token(token: str, tables: _Tables) -> bool:
    if token in tables.particles:
        return True
    head, hyphen, rest = token.partition("-")
    if hyphen and head in tables.particles and rest[:1].isupper():
        return True
    if not token[:1].isupper() or token in tables.not_name_words:
        return False
    if token.casefold() in tables.role_words:
        return False
    letters = token.rstrip(".")
    if len(letters) > 1 and letters.isupper() and not _ROMAN_NUMERAL_RE.fullmatch(letters):
        return False
    return True


def _name_slice(tokens: list[str], tables: _Tables) -> slice | None:
    """The tokens that form a name once particles at either end are dropped,
    or None unless 1 to 5 name words remain."""
    first, last = 0, len(tokens)
    while first < last and tokens[first] in tables.particles:
        first += 1
    while last > first and tokens[last - 1] in tables.particles:
        last -= 1
    words = sum(token not in tables.particles for token in tokens[first:last])
    return slice(first, last) if 1 <= words <= 5 else None


def _add_person(scan: _Scan, tokens, roles, country) -> None:
    if len([t for t in tokens if t not in scan.tables.particles]) < 2:
        scan.short_mentions.append((tokens[0], roles, country))
        return
    person = scan.people.get(tokens)
    if person is None:
        person = scan.people[tokens] = _Person(tokens)
    person.add(roles, country)


def _merge_people(scan: _Scan) -> None:
    """Fold later short forms into the full name given earlier.

    A multi-word candidate inside a longer one ("Lula da Silva" in "Luiz Inácio
    Lula da Silva") joins it; a single word after a role ("President Xi")
    joins the one person it can mean: the first token for family-name-first
    names (Chinese, Korean, Vietnamese), else the last token, else any token.
    """
    tables = scan.tables
    by_token: dict[str, list[_Person]] = {}
    by_preferred: dict[str, list[_Person]] = {}
    for person in sorted(scan.people.values(), key=lambda p: -len(p.tokens)):
        folded = tuple(t.casefold() for t in person.tokens)
        hosts = by_token.get(folded[0], [])
        host = next((h for h in hosts if _contains(h.tokens, folded)), None)
        if host:
            host.add(person.roles, person.country)
            del scan.people[person.tokens]
            continue
        for token in set(folded) - tables.particles:
            by_token.setdefault(token, []).append(person)
        by_preferred.setdefault(_preferred_token(person, tables), []).append(person)
    for token, roles, country in scan.short_mentions:
        folded = token.casefold()
        for candidates in (by_preferred.get(folded, []), by_token.get(folded, [])):
            if candidates:
                if len(candidates) == 1:
                    candidates[0].add(roles, country)
                break


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    longer = tuple(t.casefold() for t in longer)
    size = len(shorter)
    return any(longer[i:i + size] == shorter for i in range(len(longer) - size + 1))


def _preferred_token(person: _Person, tables: _Tables) -> str:
    """The word a later short mention uses: the family name, which comes first
    in Chinese, Korean and Vietnamese names and last in most others."""
    family_first = (
        person.country in tables.family_first_countries
        or person.tokens[0] in tables.family_first_surnames
    )
    return (person.tokens[0] if family_first else person.tokens[-1]).casefold()
