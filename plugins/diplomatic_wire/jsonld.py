"""The schema.org ``NewsArticle`` object each story page carries (site contract)."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable

from .story import Entity, Story

_SCHEMA_TYPES = {"country": "Country", "person": "Person", "organization": "Organization"}


def mention(entity: Entity, url: str) -> dict:
    """One entry of ``mentions``: a Country, Person or Organization with its page."""
    item = {"@type": _SCHEMA_TYPES[entity.kind], "name": entity.name, "url": url}
    if entity.kind == "country" and entity.code:
        item["identifier"] = entity.code
    if entity.kind == "organization" and entity.alternate_name:
        item["alternateName"] = entity.alternate_name
    return item


def news_article(
    story: Story,
    *,
    url: str,
    published: datetime.datetime,
    entities: tuple[Entity, ...],
    entity_url: Callable[[Entity], str],
) -> dict:
    """The ``NewsArticle`` for one story; ``url`` and topic URLs are absolute."""
    article: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "datePublished": published.isoformat(),
        "url": url,
        "mainEntityOfPage": url,
        "identifier": story.source_id,
        "description": story.lede,
    }
    if story.dateline is not None:
        article["dateline"] = story.dateline.text
        article["contentLocation"] = {"@type": "Place", "name": story.dateline.place_name}
        if story.dateline.agency:
            organization = {"@type": "Organization", "name": story.dateline.agency}
            article["sourceOrganization"] = organization
            article["author"] = organization
    article["associatedMedia"] = [
        {
            "@type": "ImageObject",
            "caption": caption.text,
            "creditText": caption.credit,
            "creator": [{"@type": "Person", "name": name} for name in caption.photographers],
        }
        for caption in story.captions
    ]
    article["mentions"] = [mention(e, entity_url(e)) for e in entities]
    return article


def script_json(data: dict) -> str:
    """JSON safe inside ``<script>``: no ``<``, ``>`` or ``&`` can close the tag."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, indent=None)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
