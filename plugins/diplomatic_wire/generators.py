"""Topic pages, topic indexes and every feed: the plugin's own generator.

Pelican hands this generator the articles after reading them; it groups them
by topic (``topics.index_topics``) and writes, for each topic, its paginated
page and its Atom, RSS and JSON feeds, plus the site-wide feeds.
"""

from __future__ import annotations

import calendar
import os
from collections.abc import Callable, Sequence

from pelican.generators import Generator

from .feeds import FeedEntry, FeedInfo, render_atom, render_json, render_rss
from .sitemap import render_robots, render_sitemaps
from .topics import ENTITY_KINDS, KINDS, Topic, TopicStories, index_topics, shared_topic, sorted_topics
from .writer import digest, fingerprint

FEED_FORMATS = (("atom", render_atom), ("rss", render_rss), ("json", render_json))


def tag_uri(authority: str, specific: str) -> str:
    """An RFC 4151 ``tag:`` URI; the authority comes from the settings, not SITEURL."""
    return f"tag:{authority}:{specific}"


def feed_entry(article, siteurl: str, authority: str) -> FeedEntry:
    """The feed view of one story; computed once and shared by all feeds."""
    return FeedEntry(
        id=tag_uri(authority, f"story/{article.source_id}"),
        url=f"{siteurl}/{article.url}",
        title=article.story.title,
        published=article.date,
        updated=article.feed_updated,
        summary=article.story.lede,
        content_html=article.content,
        categories=tuple(
            (f"{t.kind}/{t.slug}", t.name) for t in [article_category(article), *article.topics]
        ),
        author=article.story.dateline.agency if article.story.dateline else None,
    )


def article_category(article) -> Topic:
    return shared_topic("category", article.category.slug, article.category.name)


def write_bytes(path: str, data: bytes) -> None:
    """Write a file of the (fresh) staging folder; mtimes are kept at the swap."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


class TopicsGenerator(Generator):
    """Writes what Pelican does not: entity topic pages, indexes, all feeds,
    the sitemap and robots.txt."""

    def generate_context(self) -> None:
        self.stories = list(self.context.get("articles", []))  # only stories, after collation
        self.topics = index_topics(self.stories, lambda a: a.entities, article_category, lambda a: a.topics)
        self.by_kind = {kind: sorted_topics(self.topics, kind) for kind in ENTITY_KINDS}
        self.context["wire_topic_kinds"] = [(kind, KINDS[kind][1], self.by_kind[kind]) for kind in ENTITY_KINDS]
        # Changes whenever a count a page could show changes (see writer.page_key).
        self.context["wire_counts_key"] = digest(
            *(f"{kind}/{slug}:{len(item.stories)}" for (kind, slug), item in sorted(self.topics.items()))
        )

    def generate_output(self, writer) -> None:
        # What a feed shows of a story: its card, and its time in feeds.
        self._feed_cards = {id(a): f"{a.wire_card}{a.feed_updated.isoformat()}" for a in self.stories}
        self._feed_entries: dict[int, FeedEntry] = {}  # by story: each built once, for every feed
        self.write_feeds(writer)
        self.write_sitemap()
        self.write_categories(writer)
        self.write_period_archives(writer)
        template = self.get_template("topic")
        for kind in ENTITY_KINDS:
            self.write_index(writer, kind)
            for item in self.by_kind[kind]:
                writer.write_group(item.topic.url, self.topic_key(writer, template, item),
                                   lambda item=item: self.write_topic(writer, template, item))

    def topic_key(self, writer, template, item: TopicStories) -> str | None:
        """What a topic's pages and feeds are made of, which their render
        keys sum up page by page: the topic, its stories (their cards, and
        their times in feeds: every page's stories, the pages' count and
        dates, the feeds' entries), and what its first page says of it.
        Kept as the item's ``pages_key``: the topic indexes' keys take it."""
        cards = self._feed_cards
        item.pages_key = writer.group_key(
            self.context, (template.name,), repr(item.topic), ",".join([cards[id(a)] for a in item.stories]),
            repr(sorted(item.roles.items())), fingerprint(item.related_topics()),
        )
        return item.pages_key

    def write_topic(self, writer, template, item: TopicStories) -> None:
        self.write_topic_page(writer, item, template)
        self.write_topic_feeds(writer, item)

    def write_index(self, writer, kind: str) -> None:
        folder, heading = KINDS[kind]
        writer.write_file(
            f"{folder}/index.html",
            self.get_template("topics"),
            self.context,
            url=f"{folder}/",
            kind=kind,
            heading=heading,
            topics=self.by_kind[kind],
        )

    def write_topic_page(self, writer, item: TopicStories, template) -> None:
        topic = item.topic
        writer.write_file(
            f"{topic.url}index.html",
            template,
            self.context,
            paginated={"articles": item.stories},
            template_name="topic",
            url=topic.url,
            page_name=topic.url.rstrip("/"),
            topic=topic,
            articles=item.stories,
            # They change with any story of the topic: later pages would too.
            first_page={"roles": sorted(item.roles.items(), key=lambda r: (-r[1], r[0])),
                        "related": item.related_topics()},
        )

    def write_categories(self, writer) -> None:
        """Category pages, in one pass (Pelican's own scan every story per category)."""
        categories = {a.category.slug: a.category for a in self.stories}
        for item in self.topics.values():
            if item.topic.kind != "category":
                continue
            category = categories[item.topic.key]
            writer.write_file(
                category.save_as,
                self.get_template("category"),
                self.context,
                paginated={"articles": item.stories, "dates": item.stories},
                template_name="category",
                url=category.url,
                page_name=category.page_name,
                category=category,
                articles=item.stories,
                dates=item.stories,
                blog=True,
            )

    def write_period_archives(self, writer) -> None:
        """Year and month archives, grouped in one pass over the stories.

        Month pages are paginated; a year page gets all its stories and is
        expected to list its months, not every story.
        """
        periods: dict[tuple[int, ...], list] = {}
        for article in self.stories:
            periods.setdefault((article.date.year,), []).append(article)
            periods.setdefault((article.date.year, article.date.month), []).append(article)
        template = self.get_template("period_archives")
        for key, stories in periods.items():
            url_format = self.settings["YEAR_ARCHIVE_URL" if len(key) == 1 else "MONTH_ARCHIVE_URL"]
            url = url_format.format(date=stories[0].date)
            name = (str(key[0]),) if len(key) == 1 else (str(key[0]), calendar.month_name[key[1]])
            writer.write_file(
                f"{url}index.html",
                template,
                {**self.context, "period": name, "period_num": key},
                # Pelican paginates whatever template_name names; year pages are not.
                template_name="period_archives" if len(key) == 2 else "period_archives_year",
                url=url,
                page_name=url.rstrip("/"),
                articles=stories,
                dates=stories,
                blog=True,
            )

    def write_sitemap(self) -> None:
        """Every story, page and topic page; robots.txt points to it."""
        siteurl = self.settings["SITEURL"]
        urls = [(f"{siteurl}/", self.stories[0].date.date() if self.stories else None)]
        urls += [(f"{siteurl}/{a.url}", a.date.date()) for a in self.stories]
        urls += [(f"{siteurl}/{p.url}", None) for p in self.context.get("pages", [])]
        for kind in ENTITY_KINDS:
            urls += [(f"{siteurl}/{t.topic.url}", t.stories[0].date.date()) for t in self.by_kind[kind]]
        for name, data in render_sitemaps(siteurl, urls).items():
            write_bytes(os.path.join(self.output_path, name), data)
        write_bytes(os.path.join(self.output_path, "robots.txt"), render_robots(siteurl))

    def write_feeds(self, writer) -> None:
        """The site-wide feeds and the categories' (a topic's are queued with its page)."""
        sitename = self.settings["SITENAME"]
        self.queue_feed(writer, "", sitename, self.settings.get("SITESUBTITLE") or "", self.stories, "feed")
        for item in self.topics.values():
            if item.topic.kind not in ENTITY_KINDS:
                self.write_topic_feeds(writer, item)

    def write_topic_feeds(self, writer, item: TopicStories) -> None:
        topic, sitename = item.topic, self.settings["SITENAME"]
        self.queue_feed(writer, topic.url, f"{topic.name} · {sitename}", f"{sitename}: stories about {topic.name}",
                        item.stories, f"feed/{topic.url.rstrip('/')}")

    def queue_feed(self, writer, folder: str, title: str, subtitle: str, stories: Sequence, specific: str) -> None:
        """Queue one feed's three formats, keyed by what they show."""
        stories = stories[:self.settings["FEED_MAX_ITEMS"]]
        key = digest(self.settings["WIRE_SITE_KEY"], folder, title, subtitle,
                     *(self._feed_cards[id(a)] for a in stories))
        self.write_feed(writer, key, folder, title, subtitle, lambda: [self._feed_entry(a) for a in stories],
                        tag_uri(self.settings["WIRE_TAG_AUTHORITY"], specific))

    def _feed_entry(self, article) -> FeedEntry:
        entry = self._feed_entries.get(id(article))
        if entry is None:
            entry = feed_entry(article, self.settings["SITEURL"], self.settings["WIRE_TAG_AUTHORITY"])
            self._feed_entries[id(article)] = entry
        return entry

    def write_feed(self, writer, key: str, folder: str, title: str, subtitle: str,
                   entries: Callable[[], Sequence[FeedEntry]], feed_id: str) -> None:
        siteurl = self.settings["SITEURL"]
        files = self.settings["WIRE_FEED_FILES"]

        def info() -> FeedInfo:  # made only for a feed rendered: most are kept as they are
            return FeedInfo(
                id=feed_id,
                title=title,
                subtitle=subtitle,
                language=self.settings["DEFAULT_LANG"],
                home_url=f"{siteurl}/{folder}",
                atom_url=f"{siteurl}/{folder}{files['atom']}",
                rss_url=f"{siteurl}/{folder}{files['rss']}",
                json_url=f"{siteurl}/{folder}{files['json']}",
                icon=f"{siteurl}/{self.settings['THEME_STATIC_DIR']}/icon.png",
                logo=f"{siteurl}/{self.settings['THEME_STATIC_DIR']}/logo.png",
                hub=self.settings.get("WEBSUB_HUB"),
                author=self.settings["SITENAME"],
            )
        for name, render in FEED_FORMATS:
            writer.reuse_bytes(f"{folder}{files[name]}", f"{key}{name}", lambda r=render: r(info(), entries()))
