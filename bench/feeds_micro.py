"""The feed writers alone: every entry serialised per feed, or once and spliced.

    python bench/feeds_micro.py [--entries 10000] [--feeds 2000] [--size 50]

builds FEEDS feeds of SIZE entries drawn from ENTRIES stories of about eight
topics each, in Atom, RSS and JSON, first the way feedgen writes a whole feed,
then with ``render_*`` (each entry serialised once per format, spliced in).
Checks that both give the same bytes (every tenth feed) and prints the CPU
seconds and their ratio.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), os.pardir, "plugins"))

from diplomatic_wire import feeds

SITE = "https://example.org/news"
ZONE = datetime.timezone(datetime.timedelta(hours=8))
PARAGRAPH = "The minister said on Tuesday that talks on trade & tariffs would go on. "


def story(n: int, rng: random.Random) -> feeds.FeedEntry:
    when = datetime.datetime(2024, 1, 1, tzinfo=ZONE) + datetime.timedelta(minutes=37 * n)
    paragraphs = "".join(f"<p>{PARAGRAPH * rng.randint(2, 5)}</p>" for _ in range(rng.randint(4, 10)))
    topics = rng.sample(range(2000), rng.randint(6, 10))
    return feeds.FeedEntry(
        id=f"tag:example.org,2024:story/{n:016x}",
        url=f"{SITE}/2024/story-{n}.html",
        title=f"Story {n}: ministers meet on <trade>",
        published=when,
        updated=when,
        summary=f"BEIJING -- The lede of story {n}.",
        content_html=paragraphs,
        categories=tuple((f"topic/{t}", f"Topic {t}") for t in topics),
        author="Xinhua",
    )


def info(n: int) -> feeds.FeedInfo:
    return feeds.FeedInfo(
        id=f"tag:example.org,2024:feed/{n}",
        title=f"Topic {n}",
        subtitle=f"Stories about topic {n}",
        language="en",
        home_url=f"{SITE}/topic/{n}/",
        atom_url=f"{SITE}/topic/{n}/feed.atom",
        rss_url=f"{SITE}/topic/{n}/feed.rss",
        json_url=f"{SITE}/topic/{n}/feed.json",
        icon=f"{SITE}/theme/icon.png",
        logo=f"{SITE}/theme/logo.png",
        hub="https://hub.example.net/",
    )


def whole(feed: feeds.FeedInfo, entries) -> list[bytes]:
    """The three feeds serialised whole, as before entries were cached."""
    document = feeds._json_head(feed)
    document["items"] = [feeds._json_item(entry) for entry in entries]
    return [
        feeds._feedgen_atom(feed, entries),
        feeds._feedgen_rss(feed, entries),
        (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8"),
    ]


def spliced(feed: feeds.FeedInfo, entries) -> list[bytes]:
    return [feeds.render_atom(feed, entries), feeds.render_rss(feed, entries), feeds.render_json(feed, entries)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--feeds", type=int, default=2_000)
    parser.add_argument("--size", type=int, default=50)
    args = parser.parse_args()
    rng = random.Random(1)
    stories = [story(n, rng) for n in range(args.entries)]
    plan = [(info(n), sorted(rng.sample(stories, args.size), key=lambda e: e.updated, reverse=True))
            for n in range(args.feeds)]

    seconds = {}
    for render in (whole, spliced):
        start = time.process_time()
        for feed, entries in plan:
            render(feed, entries)
        seconds[render] = time.process_time() - start
    for feed, entries in plan[::10]:
        assert spliced(feed, entries) == whole(feed, entries), f"{feed.id} differs"
    old, new = seconds[whole], seconds[spliced]
    print(f"{args.feeds} feeds x 3 formats, {args.size} of {args.entries} entries each: "
          f"whole {old:.2f} s, spliced {new:.2f} s of CPU, {old / new:.1f}x faster (same bytes)")
    kept = sum(len(text) for entry in stories for text in entry._texts.values())
    print(f"entry texts kept: {kept / 2**20:.0f} MB, {kept / len(stories) / 1024:.1f} KB an entry")


if __name__ == "__main__":
    main()
