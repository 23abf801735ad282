"""sitemap.xml and robots.txt."""

import datetime

from lxml import etree

from diplomatic_wire.sitemap import MAX_URLS, render_robots, render_sitemaps

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def test_small_site_has_one_sitemap():
    files = render_sitemaps("https://x.org/news", [("https://x.org/news/a&b/", datetime.date(2024, 9, 3))])
    tree = etree.fromstring(files["sitemap.xml"])
    assert tree.xpath("//s:loc/text()", namespaces=NS) == ["https://x.org/news/a&b/"]
    assert tree.xpath("//s:lastmod/text()", namespaces=NS) == ["2024-09-03"]


def test_large_site_gets_an_index():
    urls = [(f"https://x.org/{i}/", None) for i in range(MAX_URLS + 1)]
    files = render_sitemaps("https://x.org", urls)
    assert sorted(files) == ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]
    index = etree.fromstring(files["sitemap.xml"])
    assert index.xpath("//s:sitemap/s:loc/text()", namespaces=NS) == ["https://x.org/sitemap-1.xml", "https://x.org/sitemap-2.xml"]
    assert len(etree.fromstring(files["sitemap-2.xml"]).xpath("//s:url", namespaces=NS)) == 1


def test_robots_points_to_the_sitemap():
    assert "Sitemap: https://x.org/news/sitemap.xml" in render_robots("https://x.org/news").decode()
