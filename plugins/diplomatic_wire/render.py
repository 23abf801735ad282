"""HTML fragments for a story: every piece of wire text is escaped here.

The reader stores the result as the article's content, so pages and feeds show
exactly the same markup and nothing from the wire can ever become a tag.
"""

from __future__ import annotations

from html import escape

from .story import Caption, Story


def caption_html(caption: Caption) -> str:
    """A photo note: the wire has captions but no image files."""
    return (
        '<figure class="photo-note"><figcaption>'
        f"{escape(caption.text)} "
        f'<span class="credit">({escape(caption.credit)})</span>'
        "</figcaption></figure>"
    )


def lede_html(story: Story) -> str:
    """The first paragraph, led by its dateline when the story has one."""
    text = escape(story.lede)
    if story.dateline is None:
        return f'<p class="lede">{text}</p>'
    agency = f" ({escape(story.dateline.agency)})" if story.dateline.agency else ""
    dateline = escape(story.dateline.text) + agency + " --"
    return f'<p class="lede"><span class="dateline">{dateline}</span> {text}</p>'


def story_html(story: Story) -> str:
    """Captions, lede and body paragraphs as one HTML fragment."""
    parts = [caption_html(c) for c in story.captions]
    parts.append(lede_html(story))
    parts.extend(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return "\n".join(parts)
