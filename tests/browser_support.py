"""Real-browser helpers for tests/test_browser.py and `make screenshots`.

The site is built under a sub-path SITEURL (``http://127.0.0.1:PORT/news``),
indexed with Pagefind as `make html` does, and served from a folder whose layout
matches that sub-path by a static file server on 127.0.0.1: what a reader gets
from any static host. Headless Chromium is Debian's ``chromium`` driven by
Playwright (Playwright's own browser download is not used).

    python tests/browser_support.py --out docs/screenshots   # what `make screenshots` runs
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import shutil
import sys
import tempfile
import threading
from pathlib import Path

from lxml import html as lxml_html

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

SUBPATH = "news"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
PHONE = {"width": 375, "height": 812}
SCREENSHOT_PORT = 8765
DESKTOP = {"width": 1280, "height": 900}


def chromium_path() -> str | None:
    """Debian's Chromium, or the one named by $CHROMIUM."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def launch(playwright):
    return playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".json": "application/json",
        ".xml": "application/xml",
        ".js": "text/javascript",
    }

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


class StaticServer:
    """A static file server on 127.0.0.1 and a free port, in a thread.

    Start it before the build: the build needs the port for its SITEURL.
    """

    def __init__(self, directory: Path, port: int = 0):
        self.directory = Path(directory)
        handler = functools.partial(_QuietHandler, directory=str(self.directory))
        try:
            self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
        except OSError:  # the wished-for port is taken: any free one
            self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.siteurl = f"{self.origin}/{SUBPATH}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def build_site(server: StaticServer, seeddir: Path = ROOT / "seeds") -> Path:
    """Build and index the site into <server dir>/news for the server's SITEURL."""
    from conftest import run_build

    site = server.directory / SUBPATH
    result = run_build(seeddir, site, siteurl=server.siteurl, search=True)
    if result.returncode != 0 or not list((site / "pagefind").glob("*/pagefind.js")):
        raise RuntimeError("site build or search index failed:\n" + result.stdout + result.stderr)
    return site


def story_pages(site: Path) -> list[Path]:
    return sorted(site.glob("[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"))


def showcase_story(site: Path) -> str:
    """Site-relative URL of the story that shows the most of the theme:
    photo notes, a dateline, entity links, related stories."""
    def score(page: Path):
        tree = lxml_html.parse(str(page))
        return (
            len(tree.xpath('//figure[contains(@class,"photo-note")]')) > 0,
            bool(tree.xpath('//span[@class="dateline"]')),
            len(tree.xpath('//section[@class="mentions"]//a')),
            len(tree.xpath('//section[@class="related"]//a')),
        )
    best = max(story_pages(site), key=score)  # max keeps the first of equals: stable
    return best.parent.relative_to(site).as_posix() + "/"


def showcase_topic(site: Path) -> str:
    """The entity topic page with the most stories, else the News section."""
    best = None
    for folder in ("countries", "people", "organizations"):
        for page in sorted((site / folder).glob("*/index.html")):
            count = len(lxml_html.parse(str(page)).xpath('//ol[contains(@class,"stories")]/li'))
            if best is None or count > best[0]:
                best = (count, page.parent.relative_to(site).as_posix() + "/")
    return best[1] if best else "categories/news/"


def take_screenshots(out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    if not chromium_path():
        raise SystemExit("chromium is not installed: apt-get install chromium")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    # A fixed port when free: the feed addresses shown in the pictures stay the same.
    with tempfile.TemporaryDirectory() as tmp, StaticServer(Path(tmp), port=SCREENSHOT_PORT) as server:
        site = build_site(server)
        pages = [
            ("home", ""),
            ("story", showcase_story(site)),
            ("topic", showcase_topic(site)),
            ("search", "search/?q=summit"),
        ]
        with sync_playwright() as p:
            browser = launch(p)
            for width_name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
                for scheme in ("light", "dark"):
                    context = browser.new_context(viewport=viewport, color_scheme=scheme, device_scale_factor=1)
                    page = context.new_page()
                    for name, url in pages:
                        if scheme == "dark" and (width_name == "desktop" or name not in ("home", "story")):
                            continue
                        page.goto(f"{server.siteurl}/{url}", wait_until="networkidle")
                        if name == "search":
                            page.wait_for_selector("#search-results li", timeout=10_000)
                        suffix = "" if scheme == "light" else "-dark"
                        path = out / f"{name}-{width_name}{suffix}.png"
                        page.screenshot(path=str(path))
                        written.append(path)
                    context.close()
            browser.close()
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Screenshots of the main pages at phone and desktop widths.")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    for path in take_screenshots(args.out):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
