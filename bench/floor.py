"""The floor: the least any generator must do to turn the wire into this site.

    python bench/floor.py WIRE_DIR OUT_DIR --pages P --page-bytes B [--feeds F --feed-bytes FB]

reads every wire file, then writes P HTML pages of B bytes each (and F feed
files of FB bytes) with a trivial Jinja template, one folder per page like the
real site. No parsing, no entities, no links between pages: what is left is
reading the input, running a template and writing the output.
"""

from __future__ import annotations

import argparse
import os

import jinja2

PAGE = jinja2.Template(
    "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{{ title }}</title></head>\n"
    "<body><h1>{{ title }}</h1>\n{% for p in paragraphs %}<p>{{ p }}</p>\n{% endfor %}</body></html>\n",
    autoescape=True,
)
FEED = jinja2.Template(
    "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">"
    "<title>{{ title }}</title>\n{% for p in paragraphs %}<entry><content>{{ p }}</content></entry>\n"
    "{% endfor %}</feed>\n",
    autoescape=True,
)


def read_stories(wire_dir: str) -> list[tuple[str, list[str]]]:
    """(first line, paragraphs) of every file: reading the input, nothing more."""
    stories = []
    for name in sorted(os.listdir(wire_dir)):
        with open(os.path.join(wire_dir, name), "rb") as handle:
            text = handle.read().decode("utf-8-sig", "replace")
        title, _, body = text.strip().partition("\n")
        stories.append((title, [p for p in body.split("\n\n") if p.strip()]))
    return stories


def fill(stories, index: int, size: int) -> tuple[str, list[str]]:
    """Story ``index`` (cycling), its text repeated or cut to make a ``size``-byte page."""
    title, paragraphs = stories[index % len(stories)]
    text = " ".join(paragraphs) or title
    need = max(size - 200, 1)  # about what the template adds
    body = (text * (need // max(len(text), 1) + 1))[:need]
    return title, [body]


def write(path: str, data: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("wire_dir")
    parser.add_argument("out_dir")
    parser.add_argument("--pages", type=int, required=True)
    parser.add_argument("--page-bytes", type=int, required=True)
    parser.add_argument("--feeds", type=int, default=0)
    parser.add_argument("--feed-bytes", type=int, default=0)
    args = parser.parse_args()

    stories = read_stories(args.wire_dir)
    for i in range(args.pages):
        title, paragraphs = fill(stories, i, args.page_bytes)
        write(os.path.join(args.out_dir, "pages", str(i), "index.html"),
              PAGE.render(title=title, paragraphs=paragraphs))
    for i in range(args.feeds):
        title, paragraphs = fill(stories, i, args.feed_bytes)
        write(os.path.join(args.out_dir, "feeds", str(i), "atom.xml"),
              FEED.render(title=title, paragraphs=paragraphs))
    print(f"floor: read {len(stories)} files, wrote {args.pages} pages and {args.feeds} feeds")


if __name__ == "__main__":
    main()
