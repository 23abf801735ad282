"""Template helpers: each story's list item is rendered once per build."""

import datetime
from types import SimpleNamespace

from jinja2 import Environment

from diplomatic_wire.templating import by_date, by_kind, forget_rendered, rendered_once
from diplomatic_wire.topics import Topic

MACROS = """{% macro item(story, level) %}<h{{ level }}>{{ story.title }}</h{{ level }}>{% endmacro %}"""


def test_a_key_is_rendered_once_until_the_next_build():
    forget_rendered()
    env = Environment(autoescape=True)
    item = env.from_string(MACROS).module.item
    calls = []

    class Story:
        def __init__(self, title):
            self.title = title

        def __getattribute__(self, name):
            if name == "title":
                calls.append(name)
            return object.__getattribute__(self, name)

    story = Story("<b>Kenya</b>")
    first = rendered_once(item, ("2024/a/", 2), story, 2)
    assert first == "<h2>&lt;b&gt;Kenya&lt;/b&gt;</h2>"
    assert rendered_once(item, ("2024/a/", 2), story, 2) == first and len(calls) == 1
    assert rendered_once(item, ("2024/a/", 3), story, 3) == "<h3>&lt;b&gt;Kenya&lt;/b&gt;</h3>"
    assert len(calls) == 2
    forget_rendered()
    assert rendered_once(item, ("2024/a/", 2), Story("Kenya"), 2) == "<h2>Kenya</h2>"


def test_topics_are_grouped_by_kind_in_a_fixed_order_by_name_without_empty_groups():
    ruto, kenya, china = Topic("person", "Ruto", "Ruto"), Topic("country", "KE", "Kenya"), Topic("country", "CN", "China")
    news = Topic("category", "news", "News")
    assert by_kind([ruto, kenya, news, china]) == [("country", [china, kenya]), ("person", [ruto])]
    # By name, not by ISO code: Germany (DE) before Algeria (DZ) is no order for a reader.
    algeria, germany = Topic("country", "DZ", "Algeria"), Topic("country", "DE", "Germany")
    assert by_kind([germany, algeria]) == [("country", [algeria, germany])]
    assert by_kind([]) == []


def test_stories_grouped_by_date_as_jinjas_groupby_then_reverse():
    days = [datetime.date(2024, 3, 2), datetime.date(2023, 12, 31), datetime.date(2024, 1, 5),
            datetime.date(2024, 3, 1), datetime.date(2023, 1, 1), datetime.date(2024, 1, 5)]
    stories = [SimpleNamespace(date=day, title=f"s{i}") for i, day in enumerate(days)]
    env = Environment()
    env.filters["by_date"] = by_date
    for part in ("year", "month"):
        listing = '{%% for k, g in stories|%s %%}{{ k }}:{{ g|map(attribute="title")|join(",") }};{%% endfor %%}'
        jinja = env.from_string(listing % f'groupby("date.{part}")|reverse').render(stories=stories)
        assert env.from_string(listing % f'by_date("{part}")').render(stories=stories) == jinja
    assert [k for k, _ in by_date(stories, "year")] == [2024, 2023]
