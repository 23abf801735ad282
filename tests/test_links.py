"""Every internal link, sitemap URL and feed URL resolves to a file of the build,
with the site hosted under a sub-path."""

import json
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

SITEURL = "https://example.org/news"
ATOM = "{http://www.w3.org/2005/Atom}"


def target(site, url):
    """The file a URL of the site is served from, or None if it is not ours."""
    parts = urlsplit(url)
    if f"{parts.scheme}://{parts.netloc}" != "https://example.org":
        return None
    path = parts.path
    assert path == "/news" or path.startswith("/news/"), url
    relative = path[len("/news"):].lstrip("/")
    file = site / relative
    return file / "index.html" if relative == "" or relative.endswith("/") or file.is_dir() else file


def page_url(site, page):
    relative = page.relative_to(site).as_posix()
    return f"{SITEURL}/{relative[:-len('index.html')] if relative.endswith('index.html') else relative}"


def links_of_page(site, page):
    tree = html.parse(str(page))
    base = page_url(site, page)
    values = [v for a in ("href", "src", "action") for v in tree.xpath(f"//@{a}")]
    values += tree.xpath('//meta[@property="og:url" or @property="og:image"]/@content')
    for value in values:
        if not value.startswith(("#", "mailto:", "data:")):
            yield urljoin(base, value)


def links_of_feeds(site):
    for path in site.rglob("atom.xml"):
        tree = etree.parse(str(path))
        yield from (link.get("href") for link in tree.iter(f"{ATOM}link"))
        yield from (e.text for e in tree.iter(f"{ATOM}icon", f"{ATOM}logo"))
    for path in site.rglob("rss.xml"):
        tree = etree.parse(str(path))
        yield from (e.text for e in tree.iter("link", "url"))
        yield from (link.get("href") for link in tree.iter(f"{ATOM}link"))
    for path in site.rglob("feed.json"):
        data = json.loads(path.read_bytes())
        yield from (data.get(k) for k in ("home_page_url", "feed_url", "icon", "favicon") if data.get(k))
        yield from (item["url"] for item in data["items"])


def test_every_internal_url_resolves(seeds_site):
    urls = set()
    for page in seeds_site.rglob("*.html"):
        urls.update(links_of_page(seeds_site, page))
    sitemap = etree.parse(str(seeds_site / "sitemap.xml"))
    urls.update(sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}))
    urls.update(links_of_feeds(seeds_site))
    missing = sorted(u for u in urls if (t := target(seeds_site, u)) is not None and not t.is_file())
    assert missing == []
    external = sorted(u for u in urls if target(seeds_site, u) is None)
    assert external == [], "pages must make no external requests or links"


def test_sitemap_lists_every_story_page(seeds_site):
    sitemap = etree.parse(str(seeds_site / "sitemap.xml"))
    listed = {target(seeds_site, u) for u in sitemap.xpath("//s:loc/text()", namespaces={"s": "http://www.sitemaps.org/schemas/sitemap/0.9"})}
    stories = set(seeds_site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"))
    assert stories and stories <= listed
    assert (seeds_site / "robots.txt").read_text().strip().endswith(f"Sitemap: {SITEURL}/sitemap.xml")
