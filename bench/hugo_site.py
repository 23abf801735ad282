"""The Hugo comparison site: bench/hugo/ plus the Markdown twin in Hugo's format.

    python bench/hugo_site.py MARKDOWN_DIR SITE_DIR

copies the skeleton to SITE_DIR and writes SITE_DIR/content/posts/*.md, each
Pelican Markdown file with its ``Key: value`` header turned into YAML front
matter (title, date, categories, tags, slug, summary). Then
``hugo --source SITE_DIR`` builds SITE_DIR/public. Not timed: only the build is.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

SKELETON = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hugo")


def split_pelican(text: str) -> tuple[dict[str, str], str]:
    """Pelican Markdown -> (metadata, body): the header ends at the first blank line."""
    header, _, body = text.partition("\n\n")
    meta = {}
    for line in header.splitlines():
        key, _, value = line.partition(":")
        meta[key.strip().lower()] = value.strip()
    return meta, body


def hugo_markdown(text: str) -> str:
    meta, body = split_pelican(text)
    tags = [t.strip() for t in meta.get("tags", "").split(",") if t.strip()]
    front = {  # JSON strings and lists are valid YAML
        "title": meta["title"],
        "date": meta["date"],
        "categories": [meta["category"]] if meta.get("category") else [],
        "tags": tags,
        "slug": meta.get("slug", ""),
        "summary": meta.get("summary", ""),
    }
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in front.items()]
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


def prepare(markdown_dir: str, site_dir: str) -> str:
    """A fresh Hugo site in ``site_dir``; returns its content folder."""
    shutil.rmtree(site_dir, ignore_errors=True)
    shutil.copytree(SKELETON, site_dir)
    posts = os.path.join(site_dir, "content", "posts")
    os.makedirs(posts)
    for name in sorted(os.listdir(markdown_dir)):
        if not name.endswith(".md"):
            continue
        with open(os.path.join(markdown_dir, name), encoding="utf-8") as handle:
            converted = hugo_markdown(handle.read())
        with open(os.path.join(posts, name), "w", encoding="utf-8") as handle:
            handle.write(converted)
    return posts


def hugo_command(hugo: str, site_dir: str) -> list[str]:
    return [hugo, "--source", site_dir, "--destination", os.path.join(site_dir, "public"),
            "--cacheDir", os.path.join(site_dir, "cache"), "--noBuildLock"]


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    print(prepare(sys.argv[1], sys.argv[2]))
