"""Topics: a kind and a key naming a set of stories, with a stable URL.

A topic is anything a reader can follow: a category, a country, a person or an
organization. Pages and feeds are written per topic, so adding a kind of topic
means adding a kind here, nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from pelican.utils import slugify

from .story import Entity

# kind -> (URL folder, plural label)
KINDS = {
    "category": ("categories", "Categories"),
    "country": ("countries", "Countries"),
    "person": ("people", "People"),
    "organization": ("organizations", "Organizations"),
}


@dataclass(frozen=True, order=True)
class Topic:
    """A followable subject: ``Topic("country", "KE", "Kenya")``."""

    kind: str
    key: str
    name: str

    @property
    def slug(self) -> str:
        if self.kind == "country":
            return self.key.lower()
        return slugify(self.key, regex_subs=[(r"[^\w\s-]", ""), (r"(?u)[-\s]+", "-")]) or "topic"

    @property
    def url(self) -> str:
        """Site-relative folder URL, e.g. ``countries/ke/``."""
        return f"{KINDS[self.kind][0]}/{self.slug}/"


def entity_topic(entity: Entity) -> Topic:
    return Topic(entity.kind, entity.key, entity.name)
