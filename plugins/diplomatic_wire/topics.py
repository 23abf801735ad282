"""Topics: a kind and a key naming a set of stories, with a stable URL.

A topic is anything a reader can follow: a category, a country, a person or an
organization. Pages and feeds are written per topic, so a new kind of topic
needs an entry in ``KINDS`` and nothing more. ``index_topics`` is one pure
function over the stories, in the manner of the pelican-plugins ``neighbors``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from pelican.utils import slugify

from .story import Entity

# kind -> (URL folder, plural heading)
KINDS = {
    "category": ("categories", "Categories"),
    "country": ("countries", "Countries"),
    "person": ("people", "People"),
    "organization": ("organizations", "Organizations"),
}
ENTITY_KINDS = ("country", "person", "organization")
_SLUG_SUBS = [(r"[^\w\s-]", ""), (r"(?u)[-\s]+", "-")]


@dataclass(frozen=True, order=True)
class Topic:
    """A followable subject: ``Topic("country", "KE", "Kenya")``."""

    kind: str
    key: str
    name: str

    @cached_property
    def slug(self) -> str:
        return topic_slug(self.kind, self.key)

    @cached_property
    def url(self) -> str:
        """Site-relative folder URL, e.g. ``countries/ke/``."""
        return f"{KINDS[self.kind][0]}/{self.slug}/"


@cache
def topic_slug(kind: str, key: str) -> str:
    """Stable from build to build: the ISO code, else the key slugified.

    Cached: the same few thousand topics are met again in every story.
    """
    if kind == "country":
        return key.lower()
    slug = slugify(key, regex_subs=_SLUG_SUBS)
    return slug or "topic-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]


@cache
def shared_topic(kind: str, key: str, name: str) -> Topic:
    """One object per topic, shared by the stories that have it, so that its
    slug and URL are worked out once."""
    return Topic(kind, key, name)


def entity_topic(entity: Entity) -> Topic:
    return shared_topic(entity.kind, entity.key, entity.name)


@dataclass
class TopicStories:
    """A topic with its stories (in the order given) and what is said of it."""

    topic: Topic
    stories: list[Any] = field(default_factory=list)
    roles: Counter = field(default_factory=Counter)  # people: role -> stories
    related: Counter = field(default_factory=Counter)  # countries: co-mentioned countries

    def related_topics(self, limit: int = 8) -> list[tuple[Topic, int]]:
        """Most often co-mentioned first; ties by name so the order is stable."""
        return sorted(self.related.items(), key=lambda item: (-item[1], item[0].name))[:limit]


def index_topics(
    stories: Iterable[Any],
    entities_of: Callable[[Any], Iterable[Entity]],
    category_of: Callable[[Any], Topic | None] = lambda story: None,
) -> dict[tuple[str, str], TopicStories]:
    """Group stories by topic, keeping the stories' order within each topic.

    Topics are told apart by kind and slug, the identity their URL carries:
    "Recep Tayyip Erdoğan" and "Recep Tayyip Erdogan" are one person. The
    first spelling met names the topic.
    """
    index: dict[tuple[str, str], TopicStories] = {}

    def entry(topic: Topic) -> TopicStories:
        found = index.get((topic.kind, topic.slug))
        if found is None:
            found = index[(topic.kind, topic.slug)] = TopicStories(topic)
        return found

    for story in stories:
        category = category_of(story)
        if category is not None:
            entry(category).stories.append(story)
        entities = list(entities_of(story))
        items = [entry(entity_topic(e)) for e in entities]
        countries = [item.topic for entity, item in zip(entities, items) if entity.kind == "country"]
        for entity, item in zip(entities, items):
            if not item.stories or item.stories[-1] is not story:  # two spellings, one story
                item.stories.append(story)
            for role in entity.roles:
                item.roles[role] += 1
            if entity.kind == "country":
                for country in countries:
                    if country is not item.topic:
                        item.related[country] += 1
    return index


def sorted_topics(index: dict[tuple[str, str], TopicStories], kind: str) -> list[TopicStories]:
    """The topics of one kind, by name, for the index pages."""
    topics = (t for t in index.values() if t.topic.kind == kind)
    return sorted(topics, key=lambda t: (t.topic.name.casefold(), t.topic.key))
