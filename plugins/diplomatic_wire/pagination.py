"""Pagination anchored at the oldest story: older pages never change.

Pelican numbers pages from the newest story, so each new story moves every
story of a list one place down and changes all of its pages (the 500 pages
of a 10,000-story home page, for one story). Here the pages after the first
are counted from the oldest story and hold exactly ``per_page`` stories each;
the first page, at the list's own URL, takes the newest stories: from
``per_page`` to ``2 * per_page - 1`` of them (all of them in a shorter list).

A new story changes the first page; once every ``per_page`` stories, the
first page's oldest ``per_page`` stories move to a new page, which takes the
next number. Every other page keeps its URL and its stories until an older
story is added or removed: links to it, caches and mirrors stay valid, and
an incremental build need not render it again.

Only the first page of a list may show what changes with any story of the
list (how many stories, topics reported with it): see ``writer.page_key``.
"""

from __future__ import annotations

from collections.abc import Sequence

from pelican.paginator import Page, Paginator


def page_slices(count: int, per_page: int) -> list[tuple[int, int, int]]:
    """``(number, start, stop)`` of each page of ``count`` stories listed
    newest first, in list order: page 1, then the highest number down to 2
    (the oldest stories)."""
    later_pages = count // per_page - 1 if per_page > 0 else 0
    if later_pages <= 0:
        return [(1, 0, count)]
    first = count - later_pages * per_page
    return [(1, 0, first)] + [
        (later_pages + 1 - i, first + i * per_page, first + (i + 1) * per_page) for i in range(later_pages)
    ]


class AnchoredPaginator(Paginator):
    """Pelican's paginator, with pages cut by ``page_slices``."""

    def __init__(self, name: str, url: str, object_list: Sequence, settings: dict, per_page: int) -> None:
        super().__init__(name, url, object_list, settings, per_page)
        self.orphans = 0  # the first page takes the remainder instead
        self.slices = page_slices(len(object_list), per_page)
        self._num_pages = len(self.slices)

    def pages(self) -> list[AnchoredPage]:
        """Every page, in list order (newest stories first)."""
        return [
            AnchoredPage(self.name, self.url, self.object_list[start:stop], number, self, self.settings, position)
            for position, (number, start, stop) in enumerate(self.slices)
        ]

    def page(self, number: int) -> AnchoredPage:
        return next(page for page in self.pages() if page.number == number)


class AnchoredPage(Page):
    """A page that knows its place in list order (``position``, 0 for the
    newest stories), which its number no longer gives."""

    def __init__(self, name, url, object_list, number, paginator, settings, position: int) -> None:
        super().__init__(name, url, object_list, number, paginator, settings)
        self.position = position

    def __repr__(self) -> str:
        return f"<Page {self.number} ({self.position + 1} of {self.paginator.num_pages} from the newest)>"

    def has_previous(self) -> bool:
        """Whether a page of newer stories comes before this one."""
        return self.position > 0

    def has_next(self) -> bool:
        """Whether a page of older stories comes after this one."""
        return self.position + 1 < self.paginator.num_pages

    def previous_page_number(self) -> int:
        return self.paginator.slices[self.position - 1][0]

    def next_page_number(self) -> int:
        return self.paginator.slices[self.position + 1][0]

    def start_index(self) -> int:
        """1-based index of the page's first story in the whole list (0 if empty)."""
        return self.paginator.slices[self.position][1] + 1 if self.paginator.count else 0

    def end_index(self) -> int:
        return self.paginator.slices[self.position][2]

    def neighbours(self) -> tuple[int | None, int | None]:
        """Numbers of the pages of newer and of older stories, None at the ends:
        all that a page shows of the others."""
        return (
            self.previous_page_number() if self.has_previous() else None,
            self.next_page_number() if self.has_next() else None,
        )


def paginate(name: str, url: str, lists: dict[str, Sequence], settings: dict, per_page: int,
             first_page: dict | None = None) -> list[tuple[str, dict]]:
    """``(save_as, template variables)`` of each page of ``lists``, the
    variables Pelican's writer gives a paginated template
    (``articles_page``, ``articles_previous_page``, ...) plus ``first_page``
    on the first page only. The lists are as long as each other."""
    paginators = {key: AnchoredPaginator(name, url, items, settings, per_page) for key, items in lists.items()}
    pages = {key: paginator.pages() for key, paginator in paginators.items()}
    result = []
    for position in range(len(next(iter(pages.values())))):
        variables = dict(first_page or {}) if position == 0 else {}
        for key, paginator in paginators.items():
            these = pages[key]
            variables.update({
                f"{key}_paginator": paginator,
                f"{key}_page": these[position],
                f"{key}_previous_page": these[position - 1] if position > 0 else None,
                f"{key}_next_page": these[position + 1] if position + 1 < len(these) else None,
            })
        result.append((variables[f"{next(iter(lists))}_page"].save_as, variables))
    return result
