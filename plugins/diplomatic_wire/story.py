"""The parsed story: plain frozen dataclasses shared by every layer.

Nothing here knows about Pelican. The parser produces these objects, the entity
extractor reads them, and the Pelican adapters turn them into content and feeds.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass


class WireError(Exception):
    """Base class of every error the wire plugin raises on purpose."""


class RejectedStory(WireError):
    """A file that cannot be a story; ``reason`` says why in a few words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# Words that stay lower case inside a place name.
_PARTICLES = {"de", "da", "do", "dos", "das", "del", "la", "le", "les", "el", "al", "of", "and", "es",
              "sur", "am", "au", "aux", "en"}


@dataclass(frozen=True)
class Caption:
    """A photo caption paragraph with its credit, e.g. ``(Xinhua/Huang Jingwen)``."""

    text: str
    credit: str
    agency: str
    photographers: tuple[str, ...]


@dataclass(frozen=True)
class Dateline:
    """``BEIJING, Sept. 3 (Xinhua) --``: where and by whom a story was filed."""

    place: str
    month_day: str
    agency: str | None

    @property
    def place_name(self) -> str:
        """The place in reading case: ``KAZAN, Russia`` -> ``Kazan, Russia``,
        ``RIO DE JANEIRO`` -> ``Rio de Janeiro``."""
        head, sep, region = self.place.partition(",")
        if head.isupper():
            parts = re.split(r"([ -])", head.title())
            head = parts[0] + "".join(p.lower() if p.lower() in _PARTICLES else p for p in parts[1:])
        return head + sep + region

    @property
    def text(self) -> str:
        """The dateline as shown to readers: ``BEIJING, Sept. 3``."""
        return f"{self.place}, {self.month_day}"


@dataclass(frozen=True)
class Entity:
    """A country, person or organization a story mentions.

    ``key`` is stable across builds and names the topic page and feeds: the ISO
    3166-1 alpha-2 code for a country, the full name for a person, the acronym
    (or the full name when there is none) for an organization.
    """

    kind: str  # "country" | "person" | "organization"
    key: str
    name: str
    code: str | None = None  # ISO 3166-1 alpha-2, countries only
    alternate_name: str | None = None  # acronym, organizations only
    roles: tuple[str, ...] = ()  # people only: "President", "Foreign Minister", ...
    country: str | None = None  # people only: ISO code of the country of their role


@dataclass(frozen=True)
class Story:
    """One wire story, as the wire format defines it."""

    source_id: str
    date: datetime.date
    title: str
    captions: tuple[Caption, ...]
    dateline: Dateline | None
    lede: str
    paragraphs: tuple[str, ...]  # body paragraphs after the lede, ``Enditem`` dropped
