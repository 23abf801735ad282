"""The theme's promises, checked on the built HTML of the sample corpus (built
under the sub-path SITEURL https://example.org/news): one h1 per page, the head
of every page, feeds on every page, no external requests, a small stylesheet,
accessible colours, and wire text that never becomes markup."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from lxml import html

from conftest import ROOT

SITEURL = "https://example.org/news"
THEME = ROOT / "theme"
FEED_TYPES = ["application/atom+xml", "application/rss+xml", "application/feed+json"]


def pages_of(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "pagefind" not in p.parts)


def url_of(site: Path, page: Path) -> str:
    relative = page.relative_to(site).as_posix()
    return f"{SITEURL}/{relative[: -len('index.html')] if relative.endswith('index.html') else relative}"


def file_of(site: Path, url: str) -> Path:
    assert url.startswith(SITEURL + "/"), url
    relative = url[len(SITEURL) + 1:].split("#")[0].split("?")[0]
    return site / relative / "index.html" if relative == "" or relative.endswith("/") else site / relative


@pytest.fixture(scope="module")
def parsed(seeds_site):
    return {page: html.parse(str(page)) for page in pages_of(seeds_site)}


def story_trees(site, parsed):
    return {p: t for p, t in parsed.items() if re.fullmatch(r"\d{4}/\d\d/\d\d/[^/]+/index.html", p.relative_to(site).as_posix())}


def test_the_site_has_every_kind_of_page(seeds_site):
    for path in ["index.html", "page/2/index.html", "404.html", "search/index.html", "about/index.html",
                 "archives/index.html", "categories/index.html", "categories/news/index.html",
                 "countries/index.html", "people/index.html", "organizations/index.html",
                 "2024/index.html", "2024/10/index.html", "sitemap.xml", "robots.txt"]:
        assert (seeds_site / path).is_file(), path


def test_one_h1_per_page(parsed):
    for page, tree in parsed.items():
        assert len(tree.xpath("//h1")) == 1, page
        assert tree.xpath("//h1")[0].text_content().strip(), page


def test_headings_do_not_skip_levels(parsed):
    for page, tree in parsed.items():
        levels = [int(h.tag[1]) for h in tree.xpath("//main//*[self::h1 or self::h2 or self::h3 or self::h4]")]
        assert levels and levels[0] == 1, page
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (page, levels)


def head_values(tree, xpath):
    return [v.strip() for v in tree.xpath(xpath)]


def test_head_of_every_page(seeds_site, parsed):
    for page, tree in parsed.items():
        where = page.relative_to(seeds_site)
        assert tree.xpath("/html/@lang") == ["en"], where
        assert tree.xpath("//head/meta/@charset") == ["utf-8"], where
        assert head_values(tree, '//head/meta[@name="viewport"]/@content') == ["width=device-width, initial-scale=1"]
        assert tree.findtext(".//head/title").strip(), where
        [description] = head_values(tree, '//head/meta[@name="description"]/@content')
        assert 20 <= len(description), where
        for prop in ("og:title", "og:description", "og:type", "og:site_name", "og:image"):
            assert head_values(tree, f'//head/meta[@property="{prop}"]/@content') != [""], (where, prop)
            assert len(tree.xpath(f'//head/meta[@property="{prop}"]')) == 1, (where, prop)
        for name in ("twitter:card", "twitter:title", "twitter:description"):
            assert len(head_values(tree, f'//head/meta[@name="{name}"]/@content')) == 1, (where, name)
        assert head_values(tree, '//head/meta[@property="og:description"]/@content') == [description]
        if page.name == "404.html":
            assert head_values(tree, '//head/meta[@name="robots"]/@content') == ["noindex"]
            continue
        canonical = head_values(tree, '//head/link[@rel="canonical"]/@href')
        assert canonical == [url_of(seeds_site, page)], where
        assert head_values(tree, '//head/meta[@property="og:url"]/@content') == canonical, where


def feed_links(tree):
    return [(link.get("type"), link.get("href")) for link in tree.xpath('//head/link[@rel="alternate"]')]


def test_every_head_links_the_site_feeds(parsed):
    site_feeds = [(t, f"{SITEURL}/{name}") for t, name in zip(FEED_TYPES, ["atom.xml", "rss.xml", "feed.json"])]
    for page, tree in parsed.items():
        assert feed_links(tree)[:3] == site_feeds, page


def test_topic_and_category_pages_link_and_show_their_own_feeds(seeds_site, parsed):
    folders = [p.parent for p in seeds_site.glob("categories/*/index.html")]
    for kind in ("countries", "people", "organizations"):
        folders += [p.parent for p in seeds_site.glob(f"{kind}/*/index.html")]
    assert folders
    for folder in folders:
        tree = parsed[folder / "index.html"]
        base = url_of(seeds_site, folder / "index.html")
        own = [(t, base + name) for t, name in zip(FEED_TYPES, ["atom.xml", "rss.xml", "feed.json"])]
        assert feed_links(tree)[3:] == own, folder
        shown = [code.text_content() for code in tree.xpath('//main//code[@class="feed-url"]')]
        assert shown == [href for _, href in own], folder
        for _, href in own:
            assert file_of(seeds_site, href).is_file(), href


def test_every_page_shows_the_site_feeds_with_copy_buttons(parsed):
    for page, tree in parsed.items():
        footer = tree.xpath('//footer[@class="site-footer"]')[0]
        urls = [code.text_content() for code in footer.xpath('.//code[@class="feed-url"]')]
        assert urls == [f"{SITEURL}/atom.xml", f"{SITEURL}/rss.xml", f"{SITEURL}/feed.json"], page
        ids = {code.get("id") for code in tree.xpath('//code[@class="feed-url"]')}
        targets = [b.get("data-copy") for b in tree.xpath('//button[@class="copy"]')]
        assert targets and set(targets) <= ids, page
        assert all(b.get("type") == "button" and b.get("aria-label") for b in tree.xpath('//button[@class="copy"]'))


def test_skip_link_landmarks_and_unique_ids(parsed):
    for page, tree in parsed.items():
        assert tree.xpath('//body/a[@class="skip"]/@href') == ["#main"], page
        assert len(tree.xpath('//main[@id="main"]')) == 1, page
        assert len(tree.xpath("//header[@class='masthead']")) == 1, page
        labels = [n.get("aria-label") for n in tree.xpath("//nav")]
        assert all(labels) and len(labels) == len(set(labels)), (page, labels)
        ids = tree.xpath("//@id")
        assert len(ids) == len(set(ids)), page
        for fragment in tree.xpath('//a[starts-with(@href, "#")]/@href'):
            assert fragment[1:] in ids, (page, fragment)
        for label in tree.xpath("//label[@for]"):
            assert tree.xpath(f'//input[@id="{label.get("for")}"]'), page


def test_story_pages(seeds_site, parsed):
    stories = story_trees(seeds_site, parsed)
    assert len(stories) >= 40
    for page, tree in stories.items():
        scripts = tree.xpath('//script[@type="application/ld+json"]')
        assert len(scripts) == 1, page
        data = json.loads(scripts[0].text)
        assert data["@type"] == "NewsArticle"
        [time] = tree.xpath("//article//time")
        assert time.get("datetime") == data["datePublished"], page
        assert head_values(tree, '//meta[@property="article:published_time"]/@content') == [data["datePublished"]]
        assert head_values(tree, '//meta[@property="og:type"]/@content') == ["article"]
        assert tree.xpath("//h1")[0].text_content() == data["headline"], page
        assert len(tree.xpath("//*[@data-pagefind-body]")) == 1, page
        assert tree.xpath('//p[contains(@class, "kicker")]/a/@href')[0].startswith(f"{SITEURL}/categories/")
    with_notes = [t for t in stories.values() if t.xpath('//figure[@class="photo-note"]//span[@class="credit"]')]
    assert with_notes, "some stories carry photo notes with credits"
    with_neighbours = [t for t in stories.values() if len(t.xpath('//nav[@class="prevnext"]/a')) == 2]
    assert with_neighbours


def test_only_story_pages_are_indexed_for_search(seeds_site, parsed):
    stories = story_trees(seeds_site, parsed)
    for page, tree in parsed.items():
        if page not in stories:
            assert not tree.xpath("//*[@data-pagefind-body]"), page


def test_search_page(seeds_site, parsed):
    tree = parsed[seeds_site / "search" / "index.html"]
    [app] = tree.xpath('//*[@id="search-app"]')
    # One Pagefind bundle per year of stories, per month in the newest year,
    # newest first (plugins/diplomatic_wire/search.py).
    folders = {p.relative_to(seeds_site).parts[:2] for p in story_trees(seeds_site, parsed)}
    newest = max(year for year, _ in folders)
    years = sorted({year for year, _ in folders} - {newest}, reverse=True)
    months = sorted({f"{year}-{month}" for year, month in folders if year == newest}, reverse=True)
    assert years and len(months) > 1
    assert app.get("data-bundles").split() == [f"pagefind/{name}/" for name in [*months, *years]]
    assert app.get("data-base") == f"{SITEURL}/"
    assert tree.xpath('//form[@role="search"]/@action') == [f"{SITEURL}/search/"]
    assert tree.xpath('//input[@id="search-q"]/@name') == ["q"]
    assert tree.xpath('//script[@type="module"]/@src') == [f"{SITEURL}/theme/js/search.js"]
    assert "needs JavaScript" in tree.xpath("//noscript")[0].text_content()
    assert tree.xpath('//*[@id="search-status"]/@role') == ["status"]


def test_pagination_links_and_canonicals(seeds_site, parsed):
    first, second = parsed[seeds_site / "index.html"], parsed[seeds_site / "page/2/index.html"]
    assert head_values(first, '//link[@rel="next"]/@href') == [f"{SITEURL}/page/2/"]
    assert head_values(second, '//link[@rel="prev"]/@href') == [f"{SITEURL}/"]
    assert second.xpath('//nav[@class="pager"]/a[@rel="prev"]/@href') == [f"{SITEURL}/"]
    assert len(first.xpath('//li[contains(@class, "lead")]')) == 1
    assert not second.xpath('//li[contains(@class, "lead")]')


URL_ATTRIBUTES = ("href", "src", "action", "srcset", "poster", "data")


def test_no_external_requests_or_links(seeds_site, parsed):
    for page, tree in parsed.items():
        for attribute in URL_ATTRIBUTES:
            for value in tree.xpath(f"//@{attribute}"):
                if value.startswith("#"):
                    continue
                assert value.startswith(SITEURL + "/"), (page, attribute, value)
        for value in tree.xpath("//meta/@content"):
            if re.match(r"(https?:)?//", value):
                assert value.startswith(SITEURL + "/"), (page, value)
        assert not tree.xpath("//style | //@style | //iframe | //img | //link[@rel='preconnect' or @rel='dns-prefetch']")
        for script in tree.xpath("//script[not(@src)]"):
            assert script.get("type") == "application/ld+json", page
    for path in (THEME / "static").rglob("*"):
        if path.suffix in {".css", ".js"}:
            text = path.read_text("utf-8")
            assert not re.search(r"https?://|@import|url\(", text), path


def test_stylesheet_is_small_and_hand_written(seeds_site):
    sheets = list((seeds_site / "theme").rglob("*.css"))
    assert [p.name for p in sheets] == ["main.css"]
    total = sum(p.stat().st_size for p in sheets)
    assert total < 20 * 1024, f"{total} bytes of CSS"
    css = sheets[0].read_text("utf-8")
    assert "@font-face" not in css
    for feature in ("prefers-color-scheme: dark", "@media print", ":focus-visible", ".skip:focus"):
        assert feature in css, feature


def css_palette(css: str) -> tuple[dict, dict]:
    def variables(block):
        return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{3,6})", block))
    light = variables(css[css.index(":root"): css.index("}", css.index(":root"))])
    dark_at = css.index("prefers-color-scheme: dark")
    dark = {**light, **variables(css[dark_at: css.index("}", dark_at)])}
    return light, dark


def relative_luminance(hex_colour: str) -> float:
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i: i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_palette_meets_wcag_aa_in_light_and_dark_mode():
    light, dark = css_palette((THEME / "static" / "css" / "main.css").read_text("utf-8"))
    for name, palette in (("light", light), ("dark", dark)):
        for background in ("bg", "soft"):
            for text in ("fg", "muted", "accent", "kicker"):
                ratio = contrast(palette[text], palette[background])
                assert ratio >= 4.5, (name, text, background, round(ratio, 2))
            assert contrast(palette["focus"], palette[background]) >= 3, (name, "focus", background)
        assert contrast(palette["fg"], palette["mark"]) >= 4.5, (name, "mark")


def test_templates_mark_only_plugin_html_as_safe():
    allowed = {"article.content", "article.jsonld", "page.content"}
    for template in (THEME / "templates").glob("*.html"):
        for expression in re.findall(r"\{\{\s*([^}|]+?)\s*\|\s*safe", template.read_text("utf-8")):
            assert expression in allowed, (template.name, expression)


def test_wire_text_with_markup_stays_text(seeds_site, parsed):
    """A sample story's title has quotes, < and &: it reads back exactly, and in
    every place a title appears (headline, <title>, og:title, lists)."""
    for page, tree in story_trees(seeds_site, parsed).items():
        title = json.loads(tree.xpath('//script[@type="application/ld+json"]')[0].text)["headline"]
        if "<" in title or "&" in title:
            assert tree.xpath("//h1")[0].text_content() == title
            assert head_values(tree, '//meta[@property="og:title"]/@content') == [title]
            assert tree.findtext(".//head/title").startswith(title)
            year, month = page.relative_to(seeds_site).parts[:2]
            listed = parsed[seeds_site / year / month / "index.html"].xpath("//main//h2/a")
            assert title in [a.text_content() for a in listed]
            break
    else:
        pytest.skip("no sample title with markup characters")
