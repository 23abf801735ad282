"""Every setting the plugin reads, with its default: the one place they live.

``pelicanconf.py`` may override any of them; the README documents each.
``FEED_MAX_ITEMS`` is Pelican's own setting (default 100 there), so the site's
50 is set in ``pelicanconf.py``.
"""

import os

DEFAULTS = {
    # Files larger than this are rejected: a very large story (a transcript
    # of several megabytes) is published; a bigger file is a log or a dump.
    "WIRE_MAX_BYTES": 16_000_000,
    # Exit non-zero at the end of a build that rejected any file.
    "WIRE_STRICT": False,
    # Category of stories with and without a dateline (features, commentaries).
    "WIRE_NEWS_CATEGORY": "News",
    "WIRE_FEATURE_CATEGORY": "Features",
    # Authority of the tag: URIs (RFC 4151) that identify stories and feeds.
    # Independent of SITEURL so that ids survive a domain move.
    "WIRE_TAG_AUTHORITY": "diplomatic-wire.example,2024",
    # Feed file names, in the site root and in every topic folder.
    "WIRE_FEED_FILES": {"atom": "atom.xml", "rss": "rss.xml", "json": "feed.json"},
    # Templates whose pages show site-wide counts (topics in the news, stories
    # per section): they are rendered again whenever a count changes.
    "WIRE_SITEWIDE_TEMPLATES": ("index.html",),
    # Index the staged site with Pagefind (pagefind-bin) before it is swapped
    # in, so pages and search index are published together.
    "WIRE_SEARCH_INDEX": True,
    # Processes that read wire files and render pages and feeds; None: one per CPU core.
    "WIRE_WORKERS": None,
    # Optional WebSub hub announced in every feed.
    "WEBSUB_HUB": None,
}


def worker_count(settings: dict) -> int:
    """Processes for work that splits by file (reading, rendering)."""
    return max(1, int(settings["WIRE_WORKERS"] or os.cpu_count() or 1))


def apply_defaults(settings: dict) -> None:
    """Fill in every plugin setting the site configuration leaves out."""
    for name, value in DEFAULTS.items():
        settings.setdefault(name, value)
