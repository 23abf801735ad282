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
    # The key of its pages and feeds, once the generator has made it: it sums
    # up all of the above (``TopicsGenerator.topic_key``).
    pages_key: str | None = field(default=None, compare=False)

    def related_topics(self, limit: int = 8) -> list[tuple[Topic, int]]:
        """Most often co-mentioned first; ties by name so the order is stable."""
        return sorted(self.related.items(), key=lambda item: (-item[1], item[0].name))[:limit]


def index_topics(
    stories: Iterable[Any],
    entities_of: Callable[[Any], Iterable[Entity]],
    category_of: Callable[[Any], Topic | None] = lambda story: None,
    topics_of: Callable[[Any], list[Topic]] | None = None,
) -> dict[tuple[str, str], TopicStories]:
    """Group stories by topic, keeping the stories' order within each topic.

    Topics are told apart by kind and slug, the identity their URL carries:
    "Recep Tayyip Erdoğan" and "Recep Tayyip Erdogan" are one person. The
    first spelling met names the topic. ``topics_of``: a story's topics,
    one per entity, where they are made already (else ``entity_topic``).
    """
    index: dict[tuple[str, str], TopicStories] = {}
    # By Topic object: 80,000 mentions at 10,000 stories, each looked up
    # without hashing the topic's fields. The topics are kept, so that no
    # other object can take one's id.
    item_of: dict[int, TopicStories] = {}
    topics_met: list[Topic] = []
    # Co-mentioned countries counted by id (120,000 pairs: a Topic's hash is
    # computed in Python), in the order first met, then put in each Counter.
    # The countries are the index's own topics, one object per topic.
    co_mentions: dict[int, dict[int, int]] = {}

    def entry(topic: Topic) -> TopicStories:
        item = index.get((topic.kind, topic.slug))
        if item is None:
            item = index[(topic.kind, topic.slug)] = TopicStories(topic)
        item_of[id(topic)] = item
        topics_met.append(topic)
        return item

    for story in stories:
        category = category_of(story)
        if category is not None:
            (item_of.get(id(category)) or entry(category)).stories.append(story)
        entities = list(entities_of(story))
        topics = topics_of(story) if topics_of else [entity_topic(e) for e in entities]
        items = [item_of.get(id(topic)) or entry(topic) for topic in topics]
        countries = [id(item.topic) for entity, item in zip(entities, items) if entity.kind == "country"]
        for entity, item in zip(entities, items):
            if not item.stories or item.stories[-1] is not story:  # two spellings, one story
                item.stories.append(story)
            for role in entity.roles:
                item.roles[role] += 1
            if entity.kind == "country" and len(countries) > 1:
                counts = co_mentions.get(id(item))
                if counts is None:
                    counts = co_mentions[id(item)] = {}
                own = id(item.topic)
                for country in countries:
                    if country != own:
                        counts[country] = counts.get(country, 0) + 1
    if co_mentions:
        country_of = {id(item.topic): item.topic for item in index.values()}
        for item in index.values():
            counts = co_mentions.get(id(item))
            if counts:
                item.related.update({country_of[country]: count for country, count in counts.items()})
    return index


def sorted_topics(index: dict[tuple[str, str], TopicStories], kind: str) -> list[TopicStories]:
    """The topics of one kind, by name, for the index pages."""
    topics = (t for t in index.values() if t.topic.kind == kind)
    return sorted(topics, key=lambda t: (t.topic.name.casefold(), t.topic.key))
