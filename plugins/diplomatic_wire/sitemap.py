"""``sitemap.xml`` (sitemaps.org 0.9) and ``robots.txt`` for the built site.

A sitemap file holds at most 50,000 URLs; a larger site gets numbered files
and ``sitemap.xml`` becomes their index.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from xml.sax.saxutils import escape

MAX_URLS = 50_000
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'


def _urlset(urls: Sequence[tuple[str, datetime.date | None]]) -> bytes:
    lines = [_HEAD, f"<urlset {_NS}>\n"]
    for loc, lastmod in urls:
        when = f"<lastmod>{lastmod.isoformat()}</lastmod>" if lastmod else ""
        lines.append(f"<url><loc>{escape(loc)}</loc>{when}</url>\n")
    lines.append("</urlset>\n")
    return "".join(lines).encode("utf-8")


def render_sitemaps(siteurl: str, urls: Sequence[tuple[str, datetime.date | None]]) -> dict[str, bytes]:
    """File name -> bytes: one ``sitemap.xml``, or an index and its parts."""
    if len(urls) <= MAX_URLS:
        return {"sitemap.xml": _urlset(urls)}
    files = {}
    for number, start in enumerate(range(0, len(urls), MAX_URLS), 1):
        files[f"sitemap-{number}.xml"] = _urlset(urls[start:start + MAX_URLS])
    index = [_HEAD, f"<sitemapindex {_NS}>\n"]
    index += [f"<sitemap><loc>{escape(siteurl)}/{name}</loc></sitemap>\n" for name in files]
    index.append("</sitemapindex>\n")
    files["sitemap.xml"] = "".join(index).encode("utf-8")
    return files


def render_robots(siteurl: str) -> bytes:
    return f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/sitemap.xml\n".encode("utf-8")
