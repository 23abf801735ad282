"""Atom 1.0, RSS 2.0 and JSON Feed 1.1 writers for the wire's stories.

A pure module: it knows nothing about Pelican. The caller turns stories into
``FeedEntry`` objects (already sorted newest first and cut to
``FEED_MAX_ITEMS``) and gets bytes back, ready to be written to disk.

This is the only module that imports feedgen. feedgen 1.0.0 has traps that
would make the feeds change on every build or fail validators; each one is
handled here, next to the code it affects:

- ``add_entry()`` prepends: entries are added with ``order="append"``.
- feed ``updated``/``lastBuildDate`` default to now() and ``<generator>``
  carries the library version: both are set from the input only.
- entry ``<link>`` loses ``rel``/``type`` in Atom (python-feedgen issue 135):
  the Atom entry link is written by a small extension instead.
- only the ``rel="self"`` link reaches RSS: the WebSub hub link is added to
  the RSS channel by another small extension.
- RSS ``<author>`` must be an e-mail address: the agency goes in
  ``dc:creator``.
- RSS item ``<description>`` is read as HTML while our summary is plain
  text: it is HTML-escaped first (Atom says ``type="text"`` instead).
- lxml refuses text that XML 1.0 cannot carry: ``xml_safe`` cleans every
  text field before it reaches feedgen (and the JSON writer, so all three
  formats say the same thing).

A story is in a dozen feeds, so each entry is serialised once per format and
its text spliced into every feed that shows it; feedgen still writes each
feed's head and every entry, and the result is byte for byte the feed it
would write whole.
"""

from __future__ import annotations

import datetime
import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from urllib.parse import urlsplit

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.ext.dc import DcEntryExtension, DcExtension  # after feedgen.feed: it needs lxml.etree loaded
from lxml import etree

__all__ = [
    "FeedEntry",
    "FeedInfo",
    "bcp47",
    "render_atom",
    "render_json",
    "render_rss",
    "xml_safe",
]

ATOM_TYPE = "application/atom+xml"
RSS_TYPE = "application/rss+xml"
JSON_TYPE = "application/feed+json"
HTML_TYPE = "text/html"
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
ATOM_NS = "http://www.w3.org/2005/Atom"

#: Fixed text for ``<generator>``: a library version here would change the
#: output whenever the environment changes.
GENERATOR = "Diplomatic Wire"

#: ``updated`` of a feed without entries: any fixed time keeps builds
#: reproducible, and Atom requires the element.
EMPTY_FEED_UPDATED = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)

# Characters XML 1.0 forbids (C0 controls but tab/LF/CR, lone surrogates,
# U+FFFE/U+FFFF) plus those it only discourages (DEL and the C1 controls),
# which validators flag and readers show as garbage.
_XML_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LANGUAGE_TAG = re.compile(r"[a-z]{1,8}(-[a-z0-9]{1,8})*")


def xml_safe(text: str) -> str:
    """Drop the characters an XML 1.0 document cannot carry.

    Wire text comes from files we do not control; one stray control
    character would make lxml refuse the whole feed (or a reader reject it).
    Markup characters are kept: the serializers escape them as text.
    """
    return _XML_UNSAFE.sub("", text)


def bcp47(language: str) -> str:
    """Turn a locale name like ``en_US`` into the ``en-us`` form feeds use.

    The W3C validator rejects ``en_US``; RSS and Atom both want an RFC 5646
    tag. Returns "" for an empty setting (the language is then omitted).
    """
    tag = language.strip().replace("_", "-").lower()
    if tag and not _LANGUAGE_TAG.fullmatch(tag):
        raise ValueError(f"not a language tag: {language!r}")
    return tag


def _check_url(url: str, what: str) -> None:
    """Feed readers ignore xml:base, so every link must be absolute."""
    parts = urlsplit(url)
    if not (parts.scheme and parts.netloc):
        raise ValueError(f"{what} must be an absolute URL: {url!r}")


def _check_aware(when: datetime.datetime, what: str) -> None:
    """Every feed time must carry its UTC offset (feedgen also insists)."""
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError(f"{what} has no time zone: {when!r}")


def _timestamp(when: datetime.datetime) -> datetime.datetime:
    """Give a time an offset RFC 3339 and RFC 822 can write.

    Both forms write whole minutes; an offset with seconds (historic local
    mean times in zoneinfo) would come out malformed, so it becomes UTC.
    """
    if when.utcoffset() % datetime.timedelta(minutes=1):
        return when.astimezone(datetime.timezone.utc)
    return when


@dataclass(frozen=True)
class FeedEntry:
    """One story as the feeds show it; the text fields are plain text."""

    id: str  # permanent tag URI, from the story's source id
    url: str  # absolute link to the story page
    title: str
    published: datetime.datetime
    updated: datetime.datetime
    summary: str  # the lede
    content_html: str  # full story HTML, absolute URLs
    categories: tuple[tuple[str, str], ...] = ()  # (term, label)
    author: str | None = None  # the agency
    # The entry as each format writes it, filled in by the first feed that
    # shows it (``_entry_texts``).
    _texts: dict[str, bytes] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        """Clean every text field once: one story is in many feeds."""
        _check_url(self.url, "entry url")
        _check_aware(self.published, "entry published")
        _check_aware(self.updated, "entry updated")
        for name in ("id", "title", "summary", "content_html"):
            object.__setattr__(self, name, xml_safe(getattr(self, name)))
        object.__setattr__(self, "author", xml_safe(self.author or "") or None)
        categories = tuple((xml_safe(t), xml_safe(label) or xml_safe(t)) for t, label in self.categories)
        object.__setattr__(self, "categories", categories)
        if not self.id:
            raise ValueError("entry without id")
        if not self.title:
            raise ValueError(f"entry {self.id!r} has no title")


@dataclass(frozen=True)
class FeedInfo:
    """What a feed says about itself, shared by its three formats."""

    id: str  # tag URI of the feed
    title: str
    subtitle: str
    language: str  # "en", "en-us" or a locale name like "en_US"
    home_url: str  # the HTML page this feed mirrors
    atom_url: str  # where each format is served: its rel="self"
    rss_url: str
    json_url: str
    icon: str | None = None  # small square image
    logo: str | None = None  # larger image
    hub: str | None = None  # WebSub hub
    author: str = "Diplomatic Wire"  # the site: Atom entries need an author

    def __post_init__(self) -> None:
        for name in ("home_url", "atom_url", "rss_url", "json_url", "icon", "logo", "hub"):
            if getattr(self, name) is not None:
                _check_url(getattr(self, name), name)
        bcp47(self.language)
        if not xml_safe(self.title):
            raise ValueError("feed without title")
        if not xml_safe(self.author):
            raise ValueError("feed without author: Atom entries need one")


def _newest(entries: Sequence[FeedEntry]) -> datetime.datetime:
    """The feed's ``updated``: its newest entry, never the build time."""
    if not entries:
        return EMPTY_FEED_UPDATED
    return _timestamp(max(entry.updated for entry in entries))


class _RssHub(BaseExtension):
    """Writes ``<atom:link rel="hub">`` in the RSS channel.

    feedgen copies only the ``rel="self"`` link into RSS.
    """

    href: str | None = None

    def extend_rss(self, feed):
        if self.href:
            etree.SubElement(feed.find("channel"), f"{{{ATOM_NS}}}link", href=self.href, rel="hub")
        return feed


class _AtomEntryLink(BaseEntryExtension):
    """Writes the Atom entry's ``<link rel="alternate" type="text/html">``.

    feedgen 1.0.0 shadows the link data with the new element and drops every
    attribute but ``href`` (python-feedgen issue 135).
    """

    href: str | None = None

    def extend_atom(self, entry):
        if self.href:
            # Like feedgen's own elements: no namespace here, the root's
            # xmlns attribute puts them in the Atom namespace when parsed.
            etree.SubElement(entry, "link", href=self.href, rel="alternate", type=HTML_TYPE)
        return entry


class _RssEntryUpdated(BaseEntryExtension):
    """Writes ``<atom:updated>`` in an RSS item: RSS has a publication date
    only, and feed readers take the entry's updated time from here (the
    site contract gives every entry both)."""

    updated: datetime.datetime | None = None

    def extend_rss(self, entry):
        if self.updated is not None:
            etree.SubElement(entry, f"{{{ATOM_NS}}}updated").text = self.updated.isoformat()
        return entry


def _generator(info: FeedInfo, entries: Sequence[FeedEntry], *, atom: bool) -> FeedGenerator:
    """A FeedGenerator holding everything, set up for Atom or for RSS.

    One generator per format, because the self link differs and feedgen
    takes the RSS channel ``<link>`` from the last feed link added.
    """
    title = xml_safe(info.title)
    fg = FeedGenerator()
    fg.id(xml_safe(info.id))
    fg.title(title)
    fg.subtitle(xml_safe(info.subtitle) or title)  # RSS requires a description
    fg.author(name=xml_safe(info.author))
    fg.updated(_newest(entries))  # also RSS lastBuildDate
    fg.generator(GENERATOR)  # no version, no uri
    language = bcp47(info.language)
    if language:
        fg.language(language)

    if atom:
        fg.link(href=info.atom_url, rel="self", type=ATOM_TYPE)
        if info.hub:
            fg.link(href=info.hub, rel="hub")
        if info.icon:
            fg.icon(info.icon)
        if info.logo:
            fg.logo(info.logo)
        fg.register_extension("dw_link", BaseExtension, _AtomEntryLink, atom=True, rss=False)
    else:
        fg.link(href=info.rss_url, rel="self", type=RSS_TYPE)
        if info.logo or info.icon:
            fg.image(url=info.logo or info.icon, title=title, link=info.home_url)
        fg.register_extension("dw_hub", _RssHub, None, atom=False, rss=True)
        fg.dw_hub.href = info.hub
        # What load_extension("dc") registers, without its import search per feed.
        fg.register_extension("dc", DcExtension, DcEntryExtension, atom=False, rss=True)
        fg.register_extension("dw_updated", BaseExtension, _RssEntryUpdated, atom=False, rss=True)
    fg.link(href=info.home_url, rel="alternate", type=HTML_TYPE)  # last: RSS <link>

    for entry in entries:  # text fields are clean already (FeedEntry)
        fe = fg.add_entry(order="append")
        fe.id(entry.id)  # also the RSS guid, isPermaLink="false"
        fe.title(entry.title)
        fe.published(_timestamp(entry.published))  # also RSS pubDate
        fe.updated(_timestamp(entry.updated))
        fe.content(entry.content_html, type="html")  # RSS content:encoded
        if entry.categories:  # in one call: feedgen maps all of them to RSS again on each
            fe.category([{"term": term, "label": label} for term, label in entry.categories])
        summary = entry.summary
        author = entry.author or ""
        if atom:
            fe.dw_link.href = entry.url
            if summary:
                fe.summary(summary)  # type="text"
            if author:
                fe.author(name=author)
        else:
            fe.link(href=entry.url)
            if summary:
                # An item description is read as HTML: escape the plain-text
                # lede so markup in it shows as text. Without a summary,
                # feedgen puts the content there instead of content:encoded.
                fe.description(html.escape(summary, quote=False), isSummary=True)
            if author:
                fe.dc.dc_creator(author)
            fe.dw_updated.updated = _timestamp(entry.updated)
    return fg


def _feedgen_atom(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """The Atom feed as feedgen writes it whole."""
    return _generator(info, entries, atom=True).atom_str(pretty=True)


def _feedgen_rss(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """The RSS feed as feedgen writes it whole."""
    return _generator(info, entries, atom=False).rss_str(pretty=True)


#: The feed that entries are serialised in, to be cut out of it: feedgen
#: writes an entry from the entry alone, whatever the feed around it.
_CARRIER = FeedInfo(
    id="tag:carrier.invalid,1970:feed",
    title="Carrier",
    subtitle="",
    language="",
    home_url="https://carrier.invalid/",
    atom_url="https://carrier.invalid/atom.xml",
    rss_url="https://carrier.invalid/rss.xml",
    json_url="https://carrier.invalid/feed.json",
)


def _line_starts(document: bytes, *tags: bytes) -> list[int]:
    """Where each line that starts with one of ``tags`` (after its
    indentation) begins.

    Text and attribute values never hold a raw "<", so a tag found is
    markup; feedgen pretty-prints, so each entry and the end tag of the
    element holding them start their own lines. The tags are found with
    ``bytes.find``: a regular expression anchored at every line start
    tried each line of the entries' content (2 s for a 10,000-story site).
    """
    starts = []
    for tag in tags:
        at = document.find(tag)
        while at != -1:
            line = document.rfind(b"\n", 0, at) + 1
            if not document[line:at].strip(b" "):
                starts.append(line)
            at = document.find(tag, at + len(tag))
    return sorted(starts)


def _cut_entries(document: bytes, entry: bytes, container: bytes) -> list[bytes]:
    """The lines of each ``entry`` element of a feed, indentation included.

    Every entry sits at the same depth, so these are the lines any feed of
    the format has for it.
    """
    starts = _line_starts(document, b"<%s>" % entry, b"</%s>" % container)
    return [document[start:end] for start, end in pairwise(starts)]


def _atom_entries(entries: Sequence[FeedEntry]) -> list[bytes]:
    return _cut_entries(_feedgen_atom(_CARRIER, entries), b"entry", b"feed")


def _rss_items(entries: Sequence[FeedEntry]) -> list[bytes]:
    return _cut_entries(_feedgen_rss(_CARRIER, entries), b"item", b"channel")


def _json_items(entries: Sequence[FeedEntry]) -> list[bytes]:
    """Each item as ``json.dumps(..., indent=2)`` writes it in the feed's
    "items", two levels deep (``_json_layout``)."""
    return [("    " + _json_layout(_json_item(entry), "    ")).encode("utf-8") for entry in entries]


#: How ``json.dumps(..., ensure_ascii=False)`` writes a string (in C).
_json_string = json.encoder.encode_basestring


def _json_layout(value: str | list | dict, indent: str) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` lays
    it out at ``indent`` (from its first bracket on), for the strings, lists
    and dicts of an item.

    With ``indent``, json uses its pure-Python encoder, about a call per
    value and per string (1.5 s for the items of a 10,000-story site); here
    the strings go through json's C function and only the layout is ours.
    """
    if isinstance(value, str):
        return _json_string(value)
    inner = indent + "  "
    if isinstance(value, dict):
        parts = [f"{inner}{_json_string(key)}: {_json_layout(part, inner)}" for key, part in value.items()]
        brackets = "{}"
    elif isinstance(value, list):
        parts = [inner + _json_layout(part, inner) for part in value]
        brackets = "[]"
    else:
        raise TypeError(f"not in a feed item: {type(value).__name__}")
    if not parts:
        return brackets
    return f"{brackets[0]}\n" + ",\n".join(parts) + f"\n{indent}{brackets[1]}"


_SERIALISERS = {"atom": _atom_entries, "rss": _rss_items, "json": _json_items}


def _entry_texts(entries: Sequence[FeedEntry], form: str) -> list[bytes]:
    """Each entry as the feeds of format ``form`` write it.

    A story is in a dozen feeds and its entry reads the same in each, so it
    is serialised once and kept on the entry; the entries that no feed has
    shown yet are serialised together, in one carrier feed.
    """
    missing = [entry for entry in entries if form not in entry._texts]
    if missing:
        for entry, text in zip(missing, _SERIALISERS[form](missing), strict=True):
            entry._texts[form] = text
    return [entry._texts[form] for entry in entries]


def _splice(info: FeedInfo, entries: Sequence[FeedEntry], *, atom: bool) -> bytes:
    """The feed feedgen would write: its feed of no entries, dated by the
    newest entry, with the entries put last in ``<feed>`` (Atom) or
    ``<channel>`` (RSS), where feedgen writes them.
    """
    fg = _generator(info, (), atom=atom)
    fg.updated(_newest(entries))  # the only part of the head that depends on the entries
    if atom:
        head, end_tag, texts = fg.atom_str(pretty=True), b"</feed>", _entry_texts(entries, "atom")
    else:
        head, end_tag, texts = fg.rss_str(pretty=True), b"</channel>", _entry_texts(entries, "rss")
    [end] = _line_starts(head, end_tag)
    return head[:end] + b"".join(texts) + head[end:]


def render_atom(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """The Atom 1.0 feed, entries in the order given."""
    return _splice(info, entries, atom=True)


def render_rss(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """The RSS 2.0 feed, entries in the order given."""
    return _splice(info, entries, atom=False)


def _json_item(entry: FeedEntry) -> dict:
    """One JSON Feed item, keys in the order of the spec."""
    item = {"id": entry.id, "url": entry.url, "title": entry.title}
    if entry.summary:
        item["summary"] = entry.summary
    item["content_html"] = entry.content_html
    item["date_published"] = _timestamp(entry.published).isoformat()
    item["date_modified"] = _timestamp(entry.updated).isoformat()
    if entry.author:
        item["authors"] = [{"name": entry.author}]
    # The schema wants unique tags; dict.fromkeys keeps the first of each.
    tags = dict.fromkeys(label for _term, label in entry.categories)
    if tags:
        item["tags"] = list(tags)
    return item


def _json_head(info: FeedInfo) -> dict:
    """The JSON Feed document with no items yet.

    Keys keep the spec's order (``version`` first, as it asks) instead of
    being sorted; dicts keep insertion order, so output is still stable.
    The Atom icon (small, square) is the JSON ``favicon``, the logo its
    ``icon``.
    """
    title = xml_safe(info.title)
    feed = {
        "version": JSON_FEED_VERSION,
        "title": title,
        "home_page_url": info.home_url,
        "feed_url": info.json_url,
        "description": xml_safe(info.subtitle) or title,
    }
    if info.logo:
        feed["icon"] = info.logo
    if info.icon:
        feed["favicon"] = info.icon
    language = bcp47(info.language)
    if language:
        feed["language"] = language
    feed["authors"] = [{"name": xml_safe(info.author)}]
    if info.hub:
        feed["hubs"] = [{"type": "WebSub", "url": info.hub}]
    feed["items"] = []
    return feed


def render_json(info: FeedInfo, entries: Sequence[FeedEntry]) -> bytes:
    """The JSON Feed 1.1 document (feedgen writes none).

    The items, each serialised once (``_entry_texts``), go in the empty
    list that ends the document: the bytes ``json.dumps`` writes for the
    whole feed.
    """
    head = json.dumps(_json_head(info), ensure_ascii=False, indent=2).encode("utf-8")
    if not entries:
        return head + b"\n"
    items = b",\n".join(_entry_texts(entries, "json"))
    return head.removesuffix(b"[]\n}") + b"[\n" + items + b"\n  ]\n}\n"
