"""The Pelican reader: a thin adapter from a wire file to content and metadata."""

from __future__ import annotations

import os

from pelican.readers import BaseReader
from pelican.utils import slugify

from .collate import fingerprint
from .entities import extract_entities
from .parse import decode_wire, parse_story
from .render import story_html
from .story import RejectedStory, Story


def display_path(path: str) -> str:
    """The path as the user typed it: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


def read_story(path: str, max_bytes: int) -> Story:
    """Read and parse one file, or raise :class:`RejectedStory`."""
    try:
        size = os.path.getsize(path)
        if size > max_bytes:
            raise RejectedStory(f"file too large ({size:,} bytes; the limit is {max_bytes:,})")
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as error:
        raise RejectedStory(f"cannot read file ({error.strerror})") from None
    return parse_story(decode_wire(data), os.path.basename(path))


def story_slug(story: Story, settings: dict) -> str:
    """Slug from the title; path-like or markup-only titles fall back to the id."""
    slug = slugify(
        story.title,
        regex_subs=settings.get("SLUG_REGEX_SUBSTITUTIONS", []),
        preserve_case=False,
    )[:80].strip("-")
    return slug or f"story-{story.source_id}"


class WireReader(BaseReader):
    """Reads ``.txt`` wire files; a rejected file becomes a skipped one.

    Rejections are returned as metadata rather than raised, so Pelican skips the
    file quietly and the plugin reports it once, in one line (see ``plugin``).
    """

    enabled = True
    file_extensions = ["txt"]

    def read(self, path):
        source = display_path(path)
        try:
            story = read_story(path, self.settings["WIRE_MAX_BYTES"])
        except RejectedStory as error:
            return "", {"status": "skip", "wire_rejected": error.reason, "wire_source": source}

        news = story.dateline is not None
        category = self.settings["WIRE_NEWS_CATEGORY" if news else "WIRE_FEATURE_CATEGORY"]
        metadata = {
            "title": story.title,
            "date": self.process_metadata("date", story.date.isoformat()),
            "slug": story_slug(story, self.settings),
            "category": self.process_metadata("category", category),
            "summary": story.lede,
            "story": story,
            "source_id": story.source_id,
            "text_hash": fingerprint(story),
            "entities": extract_entities(story),
            "wire_source": source,
        }
        return story_html(story), metadata
