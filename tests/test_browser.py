"""The built site in a real browser: headless Chromium over a local static server.

The site is built for ``http://127.0.0.1:PORT/news`` and served from a folder with
that layout, so every page, link, stylesheet and the Pagefind search are proven to
work under a sub-path with nothing but static files. axe-core (bundled with
axe-playwright-python) checks the main pages in light and dark mode.

Without Chromium these tests skip, except under CI (CI=true), where they fail:
``.ci/run`` installs Debian's ``chromium`` first.
"""

from __future__ import annotations

import os
import re
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from collections import Counter
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from lxml import html as lxml_html

from browser_support import DESKTOP, PHONE, StaticServer, build_site, chromium_path, launch, showcase_story, story_pages

if not chromium_path():
    if os.environ.get("CI"):
        pytest.fail("CI: chromium is missing (.ci/run installs it with apt-get)", pytrace=False)
    pytest.skip("chromium is not installed (apt-get install chromium); CI runs these tests", allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with StaticServer(tmp_path_factory.mktemp("served")) as running:
        running.site = build_site(running)
        running.pages = main_pages(running.site)
        yield running


@pytest.fixture(scope="module")
def browser(server):
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, server):
    """Pages in fresh contexts. Console errors, page errors and any request that
    leaves the local server (it is blocked) fail the test."""
    contexts, problems = [], []

    def only_local(route):
        if route.request.url.startswith(server.origin + "/"):
            route.continue_()
        else:
            problems.append(f"external request: {route.request.url}")
            route.abort()

    def make(**options):
        context = browser.new_context(**{"viewport": DESKTOP, **options})
        context.route("**/*", only_local)
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type == "error" and problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"pageerror: {e}"))
        return page

    yield make
    for context in contexts:
        context.close()
    assert problems == []


def url(server, path=""):
    return f"{server.siteurl}/{path}"


def first_topic(site: Path) -> str | None:
    pages = sorted(site.glob("countries/*/index.html")) + sorted(site.glob("people/*/index.html"))
    return pages[0].parent.relative_to(site).as_posix() + "/" if pages else None


def main_pages(site: Path) -> dict[str, str]:
    """Name -> site-relative URL of one page of each kind."""
    pages = {
        "home": "",
        "home page 2": "page/2/",
        "story": showcase_story(site),
        "category": "categories/news/",
        "sections": "categories/",
        "countries": "countries/",
        "people": "people/",
        "organizations": "organizations/",
        "archives": "archives/",
        "year": story_pages(site)[0].relative_to(site).parts[0] + "/",
        "month": "/".join(story_pages(site)[0].relative_to(site).parts[:2]) + "/",
        "about": "about/",
        "search": "search/",
        "not found": "404.html",
    }
    topic = first_topic(site)
    if topic:
        pages["topic"] = topic
    return pages


def test_main_pages_render_with_their_styles_from_320_px(server, new_page):
    """Each kind of page on the narrowest phone: styled, one visible h1, its feeds
    shown, and nothing wider than the screen."""
    page = new_page(viewport={"width": 320, "height": 640})
    for name, path in server.pages.items():
        response = page.goto(url(server, path), wait_until="domcontentloaded")
        assert response.ok, (name, response.status)
        assert page.title().strip(), name
        assert page.locator("h1").count() == 1 and page.locator("h1").is_visible(), name
        # main.css applied: served from the sub-path like everything else
        border = page.evaluate("getComputedStyle(document.querySelector('.masthead')).borderTopWidth")
        assert border == "4px", name
        assert page.locator(".feeds .feed-url").first.is_visible(), name
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, (name, overflow)


def test_every_link_of_the_served_site_resolves(server):
    """Crawl from the home page: every same-site URL answers 200 from the static server,
    and no page links or loads anything from another origin. (Plain HTTP: what is
    proven here is the hosting under a sub-path; the browser tests follow.)"""
    def fetch(target):
        with urllib.request.urlopen(target, timeout=10) as response:
            return target, response.status, response.headers.get("content-type", ""), response.read()

    seen, level, foreign = set(), {url(server)}, set()
    with ThreadPoolExecutor(max_workers=8) as pool:
        while level:
            seen |= level
            found = set()
            for target, status, kind, body in pool.map(fetch, sorted(level)):
                assert status == 200, target
                if "text/html" not in kind:
                    continue
                tree = lxml_html.fromstring(body, base_url=target)
                tree.make_links_absolute(target)
                for element, _, link, _ in tree.iterlinks():
                    link = urldefrag(link).url
                    if not link.startswith(("http://", "https://")):
                        continue
                    if not link.startswith(server.siteurl + "/"):
                        foreign.add(link)
                    elif element.tag != "form":
                        found.add(link)
            level = found - seen
    assert foreign == set()
    assert len(seen) > 100


def test_reader_clicks_through_the_site(server, new_page):
    page = new_page()
    page.goto(url(server))
    lead = page.locator(".lead .headline a")
    headline = lead.inner_text()
    lead.click()
    assert page.locator("h1").inner_text() == headline
    assert page.url.startswith(server.siteurl + "/")

    page.locator(".prevnext a[rel=prev]").click()
    assert page.locator("h1").inner_text() != headline
    chips = page.locator(".mentions .chip")
    if chips.count():
        name = chips.first.inner_text()
        chips.first.click()
        assert page.locator("h1").inner_text() == name
        assert page.locator("head link[rel=alternate]").count() == 6

    page.goto(url(server))
    page.locator(".pager a[rel=next]").click()
    assert page.url == url(server, "page/2/")
    page.get_by_role("link", name="Archives", exact=True).first.click()
    assert page.locator("h1").inner_text() == "Archives"


def distinctive_word(site: Path, year: str = "") -> tuple[str, str]:
    """A word of one story's body (of ``year``, if given) found in no other
    story: (word, story URL path)."""
    bodies = {}
    for story in story_pages(site):
        tree = lxml_html.parse(str(story))
        text = " ".join(p.text_content() for p in tree.xpath('//article[@class="story"]/p[not(@class)]'))
        bodies[story] = set(re.findall(r"\b[a-z]{7,}\b", text))
    frequency = Counter(word for words in bodies.values() for word in words)
    for story, words in bodies.items():
        if not story.relative_to(site).as_posix().startswith(year):
            continue
        unique = sorted(w for w in words if frequency[w] == 1)
        if unique:
            return unique[0], story.parent.relative_to(site).as_posix() + "/"
    raise AssertionError("no story has a word of its own")


@pytest.mark.parametrize("year", ["2024", "2025"])
def test_search_finds_a_story_by_a_word_of_its_body(server, new_page, year):
    """Each year has its own Pagefind bundle, each month of the newest year its
    own: the newest is loaded, the others merged."""
    bundles = {p.name for p in (server.site / "pagefind").iterdir()}
    assert "2024" in bundles and len({b for b in bundles if b.startswith("2025-")}) > 1
    word, story = distinctive_word(server.site, year)
    page = new_page()
    page.goto(url(server, "search/"))
    page.locator("#search-q").fill(word)
    page.locator("#search-q").press("Enter")
    result = page.locator(f'#search-results a[href="{url(server, story)}"]')
    result.wait_for(timeout=10_000)
    assert re.search(r"\d+ stor(y matches|ies match)", page.locator("#search-status").inner_text())
    assert page.locator("#search-results mark").count() >= 1
    result.click()
    assert page.url == url(server, story)


def test_header_search_form_leads_to_results(server, new_page):
    page = new_page(viewport=PHONE)
    page.goto(url(server))
    page.locator("#q-top").fill("summit")
    page.locator("#q-top").press("Enter")
    page.wait_for_url(re.compile(r"/news/search/\?q=summit$"))
    assert page.locator("#search-q").input_value() == "summit"
    page.locator("#search-results li").first.wait_for(timeout=10_000)


def axe_violations(page, options=None) -> str:
    results = axe_api.Axe().run(page, options={"resultTypes": ["violations"], **(options or {})})
    return results.generate_report() if results.violations_count else ""


def test_axe_finds_no_violations_in_light_and_dark_mode(server, new_page):
    """Every axe-core rule on the home, story, topic and search (with results) pages;
    in dark mode the colour rules again."""
    page = new_page()
    pages = {name: server.pages[name] for name in ("home", "story")}
    pages["topic"] = server.pages.get("topic", server.pages["category"])
    pages["search"] = "search/?q=summit"
    for name, path in pages.items():
        page.emulate_media(color_scheme="light")
        page.goto(url(server, path))
        if name == "search":
            page.locator("#search-results li").first.wait_for(timeout=10_000)
        assert axe_violations(page) == "", f"{name} (light)"
        page.emulate_media(color_scheme="dark")
        assert axe_violations(page, {"runOnly": ["color-contrast", "link-in-text-block"]}) == "", f"{name} (dark)"


def test_works_with_javascript_off(server, new_page):
    page = new_page(java_script_enabled=False)
    page.goto(url(server))
    assert page.locator(".stories li").count() >= 1
    assert page.locator(".feeds .feed-url").first.is_visible()
    assert not page.locator(".feeds button.copy").first.is_visible()
    page.goto(url(server, "search/"))
    assert page.locator("noscript").count() == 1
    assert "needs JavaScript" in page.locator("main").inner_text()


def test_copy_button_copies_the_feed_address(server, browser):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(url(server))
    button = page.locator(".site-footer button.copy").first
    assert button.is_visible()
    button.click()
    assert page.evaluate("navigator.clipboard.readText()") == url(server, "atom.xml")
    assert button.inner_text() == "Copied"
    page.locator("#copy-status").filter(has_text="Copied").wait_for(timeout=2_000)
    context.close()


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value; })
    .observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 100);
})"""


def test_no_layout_shift(server, new_page):
    for viewport, names in ((PHONE, ("home", "story", "topic")), (DESKTOP, ("home", "story"))):
        page = new_page(viewport=viewport)
        for name in names:
            page.goto(url(server, server.pages.get(name, server.pages["category"])), wait_until="load")
            assert page.evaluate(LAYOUT_SHIFT) == 0, (name, viewport)
    page.goto(url(server, "search/?q=summit"), wait_until="load")
    page.locator("#search-results li").first.wait_for(timeout=10_000)
    assert page.evaluate(LAYOUT_SHIFT) < 0.01, "search"


def test_skip_link_and_visible_focus(server, new_page):
    page = new_page()
    page.goto(url(server, server.pages["story"]))
    page.keyboard.press("Tab")
    skip = page.locator("a.skip")
    assert page.evaluate("document.activeElement.className") == "skip"
    box = skip.bounding_box()
    assert box and box["y"] >= 0, "the focused skip link is on screen"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.closest('main') !== null")
    assert focused, "after the skip link, Tab continues inside the main content"


def luminance(rgb: str) -> float:
    r, g, b = (int(v) / 255 for v in re.findall(r"\d+", rgb)[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_dark_mode_and_print_styles(server, new_page):
    page = new_page(color_scheme="dark")
    page.goto(url(server))
    assert luminance(page.evaluate("getComputedStyle(document.body).backgroundColor")) < 0.1
    page.emulate_media(color_scheme="light")
    assert luminance(page.evaluate("getComputedStyle(document.body).backgroundColor")) > 0.9
    page.emulate_media(media="print")
    assert not page.locator("nav.sections").is_visible()
    assert not page.locator(".site-footer").is_visible()


def test_story_page_reads_as_a_story(server, new_page):
    page = new_page(viewport=PHONE)
    page.goto(url(server, server.pages["story"]))
    assert page.locator("article.story time[datetime]").count() == 1
    assert page.locator(".photo-note figcaption .credit").first.is_visible()
    assert page.locator(".story > .lede .dateline").is_visible()
    assert page.locator("script[type='application/ld+json']").count() == 1
    title_size = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)"))
    body_size = float(page.evaluate("parseFloat(getComputedStyle(document.querySelector('.story > p:not(.lede)')).fontSize)"))
    assert title_size > 1.5 * body_size >= 1.5 * 16
    assert urlsplit(page.url).path.startswith("/news/")


LONG_TOKEN = "#" + "Sovereignty" * 11  # 122 characters with no place to break
ARABIC = "محادثات في القاهرة"  # short: one line, so its alignment shows


@pytest.fixture(scope="module")
def odd_site(tmp_path_factory):
    """Three stories whose text the theme must hold: a title and lede with a
    122-character word, and one in Arabic (a right-to-left script)."""
    from conftest import run_build

    corpus = tmp_path_factory.mktemp("odd-corpus")
    stories = {
        "001_00000000000000a1.txt": "date 2024-05-01 Talks open\n\nGENEVA, May 1 (AFP) -- Talks opened.\n",
        "002_00000000000000a2.txt": f"date 2024-05-02 Campaign {LONG_TOKEN} spreads\n\n"
                                    f"GENEVA, May 2 (AFP) -- The tag {LONG_TOKEN} spread.\n",
        "003_00000000000000a3.txt": f"date 2024-05-03 {ARABIC}\n\n{ARABIC}.\n\n{ARABIC}.\n",
    }
    for name, text in stories.items():
        (corpus / name).write_text(text, encoding="utf-8")
    with StaticServer(tmp_path_factory.mktemp("odd-served")) as running:
        result = run_build(corpus, running.directory / "news", siteurl=running.siteurl)
        assert result.returncode == 0, result.stdout + result.stderr
        running.site = running.directory / "news"
        yield running


def test_long_words_and_right_to_left_text_keep_the_layout(odd_site, browser):
    pages = {"home": ""} | {p.parent.name: p.parent.relative_to(odd_site.site).as_posix() + "/"
                            for p in story_pages(odd_site.site)}
    assert len(pages) == 4
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        for name, path in pages.items():
            page.goto(f"{odd_site.siteurl}/{path}", wait_until="domcontentloaded")
            overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert overflow <= 0, (name, viewport, overflow)
        [arabic] = [path for name, path in pages.items() if name not in ("home",) and "campaign" not in name
                    and "talks" not in name]
        page.goto(f"{odd_site.siteurl}/{arabic}", wait_until="domcontentloaded")
        for selector in ("h1", ".story > p"):
            # Right to left: the last line (the shortest) ends at the right edge.
            last_line, element_box = page.evaluate(
                """selector => { const e = document.querySelector(selector), r = document.createRange();
                   r.selectNodeContents(e); const lines = r.getClientRects(), t = lines[lines.length - 1],
                   b = e.getBoundingClientRect(); return [[t.left, t.right], [b.left, b.right]]; }""", selector)
            assert abs(last_line[1] - element_box[1]) < 2 and last_line[0] > element_box[0] + 10, (selector, viewport)
        context.close()
