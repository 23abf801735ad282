"""Pagination anchored at the oldest story: every story on one page, pages
after the first full, and a page's stories kept as newer stories arrive."""

from hypothesis import given
from hypothesis import strategies as st
from pelican.paginator import PaginationRule

from diplomatic_wire.pagination import page_slices, paginate

SETTINGS = {"DEFAULT_ORPHANS": 0, "PAGINATION_PATTERNS": [  # the site's, as Pelican reads them
    PaginationRule(1, "{url}", "{save_as}"),
    PaginationRule(2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
]}
counts = st.integers(min_value=0, max_value=400)
sizes = st.integers(min_value=1, max_value=30)


def pages_by_number(count, per_page):
    """Number -> the stories of that page, each story named by its place
    from the oldest (which does not change when newer ones arrive)."""
    return {number: [count - i for i in range(start, stop)] for number, start, stop in page_slices(count, per_page)}


def test_the_first_page_takes_the_newest_stories_beyond_full_pages():
    assert page_slices(51, 20) == [(1, 0, 31), (2, 31, 51)]
    assert page_slices(60, 20) == [(1, 0, 20), (3, 20, 40), (2, 40, 60)]
    assert page_slices(39, 20) == [(1, 0, 39)]
    assert page_slices(0, 20) == [(1, 0, 0)]


@given(counts, sizes)
def test_every_story_is_on_one_page_in_list_order(count, per_page):
    slices = page_slices(count, per_page)
    assert slices[0][1] == 0 and slices[-1][2] == count
    assert all(a[2] == b[1] for a, b in zip(slices, slices[1:]))
    assert [number for number, _, _ in slices] == [1, *range(len(slices), 1, -1)]


@given(counts, sizes)
def test_later_pages_are_full_and_the_first_never_short(count, per_page):
    (_, start, stop), *later = page_slices(count, per_page)
    assert all(b - a == per_page for _, a, b in later)
    if later:
        assert per_page <= stop - start < 2 * per_page
    else:
        assert stop - start == count < 2 * per_page


@given(counts, sizes, st.integers(min_value=1, max_value=100))
def test_newer_stories_change_the_first_page_only_or_make_new_pages(count, per_page, newer):
    before, after = pages_by_number(count, per_page), pages_by_number(count + newer, per_page)
    assert all(after[number] == stories for number, stories in before.items() if number > 1)


def test_pages_link_their_neighbours_in_list_order():
    stories = list(range(65))
    pages = paginate("index.html", "", {"articles": stories, "dates": stories}, SETTINGS, 20,
                     first_page={"counts": 65})
    assert [save_as for save_as, _ in pages] == ["index.html", "page/3/index.html", "page/2/index.html"]
    first, newest_later, oldest = (variables for _, variables in pages)
    assert first["counts"] == 65 and "counts" not in newest_later
    assert first["articles_page"].object_list == stories[:25] == first["dates_page"].object_list
    assert first["articles_previous_page"] is None
    assert first["articles_next_page"] is newest_later["articles_page"]
    assert newest_later["articles_previous_page"] is first["articles_page"]
    assert oldest["articles_page"].object_list == stories[45:]
    assert oldest["articles_next_page"] is None and not oldest["articles_page"].has_next()
    assert newest_later["articles_page"].url == "page/3/"
    assert newest_later["articles_page"].neighbours() == (1, 2)
    assert (oldest["articles_page"].start_index(), oldest["articles_page"].end_index()) == (46, 65)
