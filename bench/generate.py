"""Synthetic wire corpus for the benchmark.

    python bench/generate.py N OUTDIR [--seed S]   write N stories
    python bench/generate.py add OUTDIR            add one story to a corpus

writes

    OUTDIR/wire/NNNNNN_<16 hex>.txt   raw wire files (../shared/docs/wire-format.md)
    OUTDIR/markdown/NNNNNN_<16 hex>.md the same stories as Pelican Markdown
    OUTDIR/corpus.json                seed, count and date range (used by ``add``)

Stories are 1-4 KB: a header, 0-2 photo captions with credits, a dateline
paragraph (most of them; features and commentaries have none) and body
paragraphs naming several countries (by name and demonym), people with roles
("Kenyan President William Ruto", later "Ruto"), forums defined once with their
acronym, and quoted experts. Their dates spread evenly over 2019-2024 in
filing order. Story ``i`` depends only on the seed, ``i`` and its date, so the
output is byte-for-byte the same on every run. A few files carry the quirks
real wire files have (CRLF, a byte-order mark, a tab in the header,
hard-wrapped paragraphs, an ``Enditem`` trailer).
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import itertools
import json
import os
import random
import re
import sys
import textwrap
import unicodedata
from dataclasses import dataclass, field

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wire_data as data  # noqa: E402

FIRST_DAY = datetime.date(2019, 1, 1)
LAST_DAY = datetime.date(2024, 12, 31)
MIN_BYTES, MAX_BYTES = 1024, 4096
MANIFEST = "corpus.json"
FORMAT_VERSION = 1


# --- people -----------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    name: str
    short: str  # later mentions: "Ruto"
    role: str
    country: data.Country

    @property
    def full(self) -> str:
        """First mention: "Kenyan President William Ruto"."""
        return f"{self.country.demonym} {self.role} {self.name}"


@functools.cache
def officials(country: data.Country) -> tuple[Person, ...]:
    """The country's leaders plus generated officials, the same on every run."""
    people = [Person(name, short, role, country) for role, name, short in country.leaders]
    rng = random.Random(f"officials:{country.iso}")
    for role in data.OFFICIAL_ROLES:
        if role == "Ambassador to China" and country.iso == "CN":
            continue
        if country.iso == "CN":
            family, given = rng.choice(data.CHINESE_FAMILY), rng.choice(data.CHINESE_GIVEN)
            name, short = f"{family} {given}", family
        else:
            first = rng.choice(data.FIRST_NAMES[country.region])
            last = rng.choice(data.LAST_NAMES[country.region])
            name, short = f"{first} {last}", last
        if any(p.name == name for p in people):
            continue
        people.append(Person(name, short, role, country))
    return tuple(people)


COUNTRY_BY_ISO = {c.iso: c for c in data.COUNTRIES}


# --- one story ----------------------------------------------------------------


@dataclass
class Story:
    index: int
    source_id: str
    date: datetime.date
    title: str = ""
    captions: list[str] = field(default_factory=list)
    dateline: str | None = None  # "BEIJING, Sept. 3 (Xinhua) --"
    lede: str = ""
    paragraphs: list[str] = field(default_factory=list)
    category: str = ""
    countries: list[data.Country] = field(default_factory=list)  # mentioned, in order
    forums: list[data.Forum] = field(default_factory=list)
    quirks: dict = field(default_factory=dict)  # see quirks_for
    target: int = MIN_BYTES  # size to reach, in bytes

    @property
    def stem(self) -> str:
        return f"{self.index:06d}_{self.source_id}"

    def size(self) -> int:
        return len(wire_text(self).encode("utf-8"))


class Writer:
    """Builds one story's text, remembering what it has already introduced."""

    def __init__(self, story: Story, rng: random.Random):
        self.story = story
        self.rng = rng
        self.introduced: set[str] = set()
        self.used: set[str] = set()

    # Mentions: the first names a person or forum in full, later ones are short.
    def person(self, p: Person) -> str:
        self.country(p.country)
        if p.name in self.introduced:
            return p.short
        self.introduced.add(p.name)
        return p.full

    def forum(self, f: data.Forum) -> str:
        if f not in self.story.forums:
            self.story.forums.append(f)
        if f.name in self.introduced:
            return f.short
        self.introduced.add(f.name)
        return f.first

    def country(self, c: data.Country) -> str:
        if c not in self.story.countries:
            self.story.countries.append(c)
        return c.name

    def fill(self, template: str, **names: str) -> str:
        """A template with areas and numbers drawn from the story's generator."""
        areas = self.rng.sample(data.AREAS, 3)
        year = self.story.date.year
        values = {
            "area": areas[0], "area2": areas[1], "area3": areas[2],
            "year": str(self.rng.randint(1950, 2000)), "prev": str(year - 1),
            "amount": f"{self.rng.randint(2, 300)}.{self.rng.randint(0, 9)}",
            "pct": str(self.rng.randint(3, 40)), "years": str(self.rng.randint(3, 15)),
            "count": str(self.rng.randint(2, 90) * 10),
            **names,
        }
        return template.format(**values)

    def pick(self, options):
        """A template not used yet in this story, while there are any left."""
        fresh = [o for o in options if o not in self.used] or list(options)
        choice = self.rng.choice(fresh)
        self.used.add(choice)
        return choice


def headline_case(role: str) -> str:
    """A role inside a headline: "Ambassador to China" -> "ambassador to China"."""
    return " ".join(word if word == "China" else word.lower() for word in role.split())


def ap_date(day: datetime.date, year: bool = True) -> str:
    """AP style: "Sept. 3, 2024" (or "Sept. 3")."""
    text = f"{data.AP_MONTHS[day.month - 1]} {day.day}"
    return f"{text}, {day.year}" if year else text


def weighted(rng: random.Random, pairs):
    items, weights = zip(*pairs)
    return rng.choices(items, weights=weights)[0]


def pick_person(rng: random.Random, country: data.Country) -> Person:
    people = officials(country)
    leaders = len(country.leaders)
    if leaders and rng.random() < 0.6:
        return people[rng.randrange(leaders)]
    return rng.choice(people)


def pick_countries(rng: random.Random, count: int) -> list[data.Country]:
    """Distinct countries; the first is the host, the China-based wire's usual one."""
    weights = [data.HOST_WEIGHT.get(c.iso, 1) for c in data.COUNTRIES]
    host = rng.choices(data.COUNTRIES, weights=weights)[0]
    others = rng.sample([c for c in data.COUNTRIES if c is not host], count - 1)
    return [host, *others]


def credit(rng: random.Random, agency: str) -> str:
    def name():
        return f"{rng.choice(data.CHINESE_FAMILY)} {rng.choice(data.CHINESE_GIVEN)}"

    form = rng.random()
    if form < 0.55:
        return f"({agency}/{name()})"
    if form < 0.8:
        return f"({agency}/{name()}, {name()})"
    return f"(Photo by {name()}/{agency})"


def expert_paragraph(w: Writer, a: data.Country, b: data.Country, agency: str) -> str:
    rng = w.rng
    name = f"{rng.choice(data.CHINESE_FAMILY)} {rng.choice(data.CHINESE_GIVEN)}"
    if rng.random() < 0.4:
        region = b.region
        name = f"{rng.choice(data.FIRST_NAMES[region])} {rng.choice(data.LAST_NAMES[region])}"
    title, institute = rng.choice(data.EXPERT_TITLES), rng.choice(data.INSTITUTES)
    claim = w.fill(
        w.pick((
            "the visit would open a new chapter in relations between {a} and {b}",
            "cooperation in {area} had become a bright spot in the relationship",
            "the two countries share broad common interests in {area} and {area2}",
            "closer ties between {a} and {b} were good for the whole region",
        )),
        a=w.country(a), b=w.country(b),
    )
    article = "an" if title[0] in "aeiou" else "a"
    return f"{name}, {article} {title} at the {institute}, told {agency} that {claim}."


def body_paragraphs(w: Writer, a, b, pa: Person, pb: Person, forum, third, agency) -> list:
    """Candidate paragraphs in a plausible order; the caller keeps as many as fit."""
    rng = w.rng

    def stance(person: Person, other: data.Country) -> str:
        action = w.fill(w.pick(data.ACTIONS))
        forum_name = w.forum(forum) if forum else "the United Nations"
        text = w.fill(w.pick(data.STANCES), other=w.country(other), action=action, forum=forum_name)
        return f"{w.person(person)} said {w.country(person.country)} {text}."

    paragraphs = [
        lambda: stance(pa, b),
        lambda: stance(pb, a),
        lambda: (f"{w.person(pa)} noted that the two countries should "
                 f"{w.fill(w.pick(data.ACTIONS))} and {w.fill(w.pick(data.ACTIONS))}."),
        lambda: w.fill(w.pick(data.OUTCOMES)),
        lambda: w.fill(w.pick(data.BACKGROUNDS), a=w.country(a), b=w.country(b)),
        lambda: expert_paragraph(w, a, b, agency),
        lambda: (f"{w.person(pb)} expressed the hope that the two sides would "
                 f"{w.fill(w.pick(data.ACTIONS))}, saying {w.country(pb.country)} "
                 f"{w.fill(w.pick(data.STANCES), other=w.country(a), action='work together', forum='the G20')}."),
        lambda: w.fill(w.pick(data.BACKGROUNDS), a=w.country(a), b=w.country(b)),
    ]
    if forum:
        paragraphs.insert(3, lambda: (
            f"Both sides agreed to strengthen coordination within the {w.forum(forum)} and to "
            f"{w.fill(w.pick(data.ACTIONS))}."))
    if third:
        paragraphs.insert(rng.randint(2, len(paragraphs)), lambda: (
            f"The two leaders also discussed the situation in {w.country(third)}, calling for "
            f"dialogue and consultation, and welcomed the role of the {third.demonym} "
            f"government in {w.fill('{area}')}."))
    paragraphs.append(lambda: (
        f"{w.person(pa)} said {w.country(a)} is ready to {w.fill(w.pick(data.ACTIONS))} "
        f"with {w.country(b)} and other countries."))
    return paragraphs



def filler(w: Writer, a: data.Country, b: data.Country, people: list[Person], agency: str) -> list:
    """More paragraphs of the kinds above, for stories that need to be long."""
    return [
        lambda: w.fill(w.pick(data.OUTCOMES)),
        lambda: expert_paragraph(w, a, b, agency),
        lambda: w.fill(w.pick(data.BACKGROUNDS), a=w.country(a), b=w.country(b)),
        lambda: (f"{w.person(w.rng.choice(people))} said the two sides should "
                 f"{w.fill(w.pick(data.ACTIONS))} and {w.fill(w.pick(data.ACTIONS))}."),
    ]


def add_body(story: Story, paragraphs, more) -> None:
    """Append paragraphs until the story reaches its target size (1-4 KB)."""
    for make in itertools.chain(paragraphs, itertools.cycle(more)):
        if story.size() >= story.target:
            break
        story.paragraphs.append(make())
        if story.size() > MAX_BYTES and len(story.paragraphs) > 1:
            story.paragraphs.pop()
            break


def meeting_story(w: Writer, agency: str) -> None:
    story, rng = w.story, w.rng
    a, b, third = pick_countries(rng, 3)
    pa, pb = pick_person(rng, a), pick_person(rng, b)
    forum = rng.choice(data.FORUMS) if rng.random() < 0.5 else None
    third = third if rng.random() < 0.3 else None
    if rng.random() < 0.2 and a.other_cities:
        city = rng.choice(a.other_cities)
        place, where = f"{city.upper()}, {a.name}", f"{city}, {a.name}"
    else:
        city = a.capital
        place, where = city.upper(), f"{city}, capital of {a.name}" if city != a.name else city

    story.title = w.fill(rng.choice((
        f"{pa.short} meets {b.demonym} {headline_case(pb.role)}",
        f"{a.name}, {b.name} pledge closer cooperation in {{area}}",
        f"{a.demonym} {headline_case(pa.role)} holds talks with {b.demonym} counterpart",
        f"{pa.short}, {pb.short} discuss {{area}} and {{area2}}",
        f"{pa.short} calls for stronger {a.name}-{b.name} ties",
    )))
    story.category = a.region
    for _ in range(weighted(rng, ((0, 4), (1, 4), (2, 2)))):
        verb = rng.choice(data.CAPTION_VERBS)
        story.captions.append(
            f"{pa.full} {verb} {pb.full} in {where}, {ap_date(story.date)}. {credit(rng, 'Xinhua')}"
        )
    story.dateline = f"{place}, {ap_date(story.date, year=False)} ({agency}) {dash(rng)}"
    weekday = data.WEEKDAYS[story.date.weekday()]
    verb = rng.choice(data.MEETING_VERBS)
    purpose = rng.choice(data.PURPOSES)
    if forum and rng.random() < 0.5:
        purpose = f"on the sidelines of a meeting of the {w.forum(forum)}"
    story.lede = f"{w.person(pa)} on {weekday} {verb} {w.person(pb)}, {purpose}."
    w.country(a)
    add_body(story, body_paragraphs(w, a, b, pa, pb, forum, third, agency),
             filler(w, a, b, [pa, pb], agency))


def forum_story(w: Writer, agency: str) -> None:
    story, rng = w.story, w.rng
    forum = rng.choice([f for f in data.FORUMS if f.host_cities])
    city, iso = rng.choice(forum.host_cities)
    host = COUNTRY_BY_ISO.get(iso)
    members = pick_countries(rng, rng.randint(3, 5))
    if host and host not in members:
        members[0] = host
    a, b = members[0], members[1]
    pa, pb = pick_person(rng, a), pick_person(rng, b)
    event = rng.choice(("summit", "foreign ministers' meeting", "ministerial conference",
                        "leaders' meeting", "senior officials' meeting"))
    story.title = rng.choice((
        f"{forum.short} {event} opens in {city}",
        f"{pa.short} calls for stronger {forum.short} cooperation",
        f"{forum.short} members vow to deepen cooperation at {city} {event}",
    ))
    story.category = host.region if host else a.region
    if rng.random() < 0.5:
        story.captions.append(
            f"Participants pose for a group photo at the {forum.short} {event} in {city}, "
            f"{ap_date(story.date)}. {credit(rng, 'Xinhua')}"
        )
    place = city.upper() if host is None or city == host.capital else f"{city.upper()}, {host.name}"
    story.dateline = f"{place}, {ap_date(story.date, year=False)} ({agency}) {dash(rng)}"
    weekday = data.WEEKDAYS[story.date.weekday()]
    names = ", ".join(w.country(c) for c in members[:-1]) + f" and {w.country(members[-1])}"
    story.lede = (
        f"The {event} of the {w.forum(forum)} opened on {weekday} in {city}, bringing together "
        f"delegations from {names} to discuss {w.fill('{area} and {area2}')}."
    )
    add_body(story, body_paragraphs(w, a, b, pa, pb, forum, members[2], agency),
             filler(w, a, b, [pa, pb], agency))


def feature_story(w: Writer, commentary: bool) -> None:
    story, rng = w.story, w.rng
    a, b = pick_countries(rng, 2)
    forum = rng.choice(data.FORUMS)
    city = b.capital
    story.category = b.region
    if commentary:
        story.title = w.fill(rng.choice((
            "Commentary: Cooperation, not confrontation, is the way forward",
            f"Commentary: {a.name}-{b.name} ties set an example in {{area}}",
            f"Commentary: {forum.short} shows the strength of the Global South",
        )))
        story.lede = w.fill(rng.choice(data.COMMENTARY_OPENINGS), a=w.country(a),
                            b=w.country(b), forum=w.forum(forum))
    else:
        story.title = w.fill(rng.choice((
            f"Feature: {a.demonym}-built railway brings new hope to {b.name}",
            f"Feature: Young {b.demonym} technicians learn {{area}} skills",
            f"Feature: How {{area}} cooperation is changing lives in {city}",
        )))
        story.lede = w.fill(rng.choice(data.FEATURE_OPENINGS), a=w.country(a),
                            b=w.country(b), city=city)

    def expert():
        return expert_paragraph(w, a, b, "Xinhua")

    paragraphs = [
        lambda: w.fill(w.pick(data.FEATURE_BODY), a=w.country(a), b=w.country(b),
                       forum=w.forum(forum), expert="One researcher")
        for _ in range(3)
    ]
    paragraphs.insert(1, expert)
    paragraphs += [
        lambda: w.fill(w.pick(data.BACKGROUNDS), a=w.country(a), b=w.country(b)),
        lambda: w.fill(w.pick(data.FEATURE_BODY), a=w.country(a), b=w.country(b),
                       forum=w.forum(forum), expert="Another analyst"),
        lambda: (f"{w.person(pick_person(rng, b))} has said {w.country(b)} "
                 f"{w.fill(w.pick(data.STANCES), other=w.country(a), action='build on these results', forum=w.forum(forum))}."),
        lambda: w.fill(w.pick(data.OUTCOMES)),
        expert,
        lambda: w.fill(w.pick(data.BACKGROUNDS), a=w.country(a), b=w.country(b)),
        lambda: w.fill(w.pick(data.FEATURE_BODY), a=w.country(a), b=w.country(b),
                       forum=w.forum(forum), expert="A local official"),
    ]
    add_body(story, paragraphs, filler(w, a, b, [pick_person(rng, a), pick_person(rng, b)], "Xinhua"))


def dash(rng: random.Random) -> str:
    """The dateline separator: nearly always "--", sometimes a dash character."""
    return weighted(rng, (("--", 94), ("\u2014", 3), ("\u2013", 3)))


def story_date(index: int, count: int) -> datetime.date:
    """Filing order follows the calendar: story i of N falls i/N through 2019-2024."""
    span = (LAST_DAY - FIRST_DAY).days
    return FIRST_DAY + datetime.timedelta(days=index * span // max(count, 1))


def make_story(seed: int, index: int, date: datetime.date) -> Story:
    rng = random.Random(f"story:{seed}:{index}")
    source_id = hashlib.sha256(f"{seed}:{index}".encode()).hexdigest()[:16]
    story = Story(index=index, source_id=source_id, date=date)
    writer = Writer(story, rng)
    story.target = rng.randint(MIN_BYTES, MAX_BYTES)
    story.quirks = quirks_for(rng)
    agency = weighted(rng, data.AGENCIES)
    kind = weighted(rng, (("meeting", 70), ("forum", 18), ("feature", 8), ("commentary", 4)))
    if kind == "meeting":
        meeting_story(writer, agency)
    elif kind == "forum":
        forum_story(writer, agency)
    else:
        feature_story(writer, commentary=kind == "commentary")
    return story


# --- the two renderings -------------------------------------------------------


def quirks_for(rng: random.Random) -> dict:
    """Real wire files vary: line endings, BOM, header spacing, hard wraps, trailer."""
    return {
        "crlf": rng.random() < 0.03,
        "bom": rng.random() < 0.01,
        "header": weighted(rng, (("plain", 94), ("leading-space", 3), ("tab", 3))),
        "wrap": rng.random() < 0.05,
        "enditem": rng.random() < 0.6,
    }


def wire_text(story: Story, quirks: bool = True) -> str:
    q = story.quirks if quirks else {}
    header = f"date {story.date.isoformat()} {story.title}"
    if q.get("header") == "leading-space":
        header = " " + header
    elif q.get("header") == "tab":
        header = f"date\t{story.date.isoformat()}\t{story.title}"
    lede = f"{story.dateline} {story.lede}" if story.dateline else story.lede
    paragraphs = [*story.captions, lede, *story.paragraphs]
    if q.get("wrap"):
        paragraphs = [textwrap.fill(p, width=72, break_on_hyphens=False) for p in paragraphs]
    if q.get("enditem"):
        paragraphs.append("Enditem")
    text = "\n\n".join([header, *paragraphs]) + "\n"
    if q.get("crlf"):
        text = text.replace("\n", "\r\n")
    if q.get("bom"):
        text = "\ufeff" + text
    return text


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def markdown_text(story: Story) -> str:
    """The Pelican Markdown twin: same title, date and text, plus category and tags."""
    tags = [c.name for c in story.countries] + [f.short for f in story.forums]
    lede = f"{story.dateline} {story.lede}" if story.dateline else story.lede
    meta = [
        f"Title: {story.title}",
        f"Date: {story.date.isoformat()}",
        f"Category: {story.category}",
        f"Tags: {', '.join(tags)}",
        # Same-day stories can share a title: a unique slug keeps Pelican's
        # date-less default URLs apart (see ../shared/docs/pelican-notes.md).
        f"Slug: {slugify(story.title)}-{story.source_id[:8]}",
        f"Summary: {story.lede}",
    ]
    return "\n".join(meta) + "\n\n" + "\n\n".join([*story.captions, lede, *story.paragraphs]) + "\n"


# --- corpus -------------------------------------------------------------------


def write_story(outdir: str, story: Story) -> tuple[str, str]:
    wire = os.path.join(outdir, "wire", f"{story.stem}.txt")
    markdown = os.path.join(outdir, "markdown", f"{story.stem}.md")
    with open(wire, "w", encoding="utf-8", newline="") as handle:
        handle.write(wire_text(story))
    with open(markdown, "w", encoding="utf-8") as handle:
        handle.write(markdown_text(story))
    return wire, markdown


def write_manifest(outdir: str, manifest: dict) -> None:
    with open(os.path.join(outdir, MANIFEST), "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2)
        handle.write("\n")


def read_manifest(outdir: str) -> dict:
    with open(os.path.join(outdir, MANIFEST), encoding="utf-8") as handle:
        return json.load(handle)


def generate(count: int, outdir: str, seed: int = 1) -> dict:
    """Write ``count`` stories into a fresh ``outdir``; return the manifest."""
    for sub in ("wire", "markdown"):
        folder = os.path.join(outdir, sub)
        os.makedirs(folder, exist_ok=True)
        if os.listdir(folder):
            raise SystemExit(f"{folder} is not empty")
    dates = [story_date(i, count) for i in range(count)]
    for index, date in enumerate(dates):
        write_story(outdir, make_story(seed, index, date))
    manifest = {
        "format": FORMAT_VERSION,
        "seed": seed,
        "count": count,
        "first_date": dates[0].isoformat() if dates else None,
        "last_date": dates[-1].isoformat() if dates else None,
    }
    write_manifest(outdir, manifest)
    return manifest


def add_story(outdir: str) -> tuple[str, str]:
    """Append the next story (filed last, dated the newest day) to a corpus."""
    manifest = read_manifest(outdir)
    index = manifest["count"]
    date = datetime.date.fromisoformat(manifest["last_date"] or FIRST_DAY.isoformat())
    paths = write_story(outdir, make_story(manifest["seed"], index, date))
    manifest["count"] = index + 1
    write_manifest(outdir, manifest)
    return paths


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "add":
        parser = argparse.ArgumentParser(prog="generate.py add", description="Add one story to a corpus.")
        parser.add_argument("outdir")
        args = parser.parse_args(argv[1:])
        wire, markdown = add_story(args.outdir)
        print(wire)
        print(markdown)
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", type=int, help="number of stories")
    parser.add_argument("outdir", help="corpus folder (wire/ and markdown/ are created)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    manifest = generate(args.count, args.outdir, args.seed)
    print(f"{manifest['count']} stories, {manifest['first_date']} to {manifest['last_date']}, "
          f"seed {manifest['seed']}: {args.outdir}")


if __name__ == "__main__":
    main()
