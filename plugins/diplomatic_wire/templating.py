"""What the theme's templates call besides Pelican's: filters and a global.

Registered in ``configure`` (``JINJA_FILTERS``, ``JINJA_GLOBALS``).
"""

from __future__ import annotations

from itertools import groupby
from operator import attrgetter

from .jsonld import news_article, script_json
from .topics import ENTITY_KINDS, entity_topic

_rendered: dict[tuple, str] = {}


def news_article_json(article, siteurl: str) -> str:
    """A story page's NewsArticle, as JSON safe inside ``<script>``.

    A filter, so that it is built only for the story pages really rendered,
    by the processes that render them.
    """
    return script_json(
        news_article(
            article.story,
            url=f"{siteurl}/{article.url}",
            published=article.date,
            entities=article.entities,
            entity_url=lambda e: f"{siteurl}/{entity_topic(e).url}",
        )
    )


def by_kind(topics) -> list[tuple[str, list]]:
    """A story's topics grouped by kind, in ``ENTITY_KINDS`` order, each group
    by name (as a reader looks for them: not by ISO code), without the empty
    groups: (kind, topics). One call where the template's filters would take
    six per story page."""
    groups: dict[str, list] = {kind: [] for kind in ENTITY_KINDS}
    for topic in topics:
        if topic.kind in groups:
            groups[topic.kind].append(topic)
    return [(kind, sorted(group, key=lambda topic: (topic.name.casefold(), topic.name)))
            for kind, group in groups.items() if group]


def by_date(stories, part: str) -> list[tuple[int, list]]:
    """Stories grouped by ``date.<part>`` ("year", "month"), the newest group
    first: what ``stories|groupby("date.<part>")|reverse`` gives, without a
    template lookup per story (the archives list every story).
    """
    key = attrgetter(f"date.{part}")
    return [(value, list(group)) for value, group in groupby(sorted(stories, key=key), key=key)][::-1]


def rendered_once(macro, key, *args):
    """``macro(*args)``, rendered once per build (and process) for each ``key``.

    A story is listed a dozen times (home, archives, its topics' pages, other
    stories' related lists) and its list item is the same each time. ``key``
    must name everything the output depends on.
    """
    cache_key = (macro.name, key)
    output = _rendered.get(cache_key)
    if output is None:
        output = _rendered[cache_key] = macro(*args)
    return output


def forget_rendered() -> None:
    """A new build (``pelican -r``) may show other stories under the same keys."""
    _rendered.clear()
