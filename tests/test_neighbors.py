"""Previous/next and related stories."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from diplomatic_wire.neighbors import related_indexes, time_neighbors


def test_time_neighbors_newest_first():
    assert time_neighbors(["c", "b", "a"]) == {0: (None, "b"), 1: ("c", "a"), 2: ("b", None)}


def related_stories(stories, keys_of, **options):
    """Each story's related stories, from ``related_indexes``, as the plugin
    gives them (``plugin.link_related``)."""
    rows = related_indexes([list(keys_of(story)) for story in stories], **options)
    return [[stories[other] for other in row] for row in rows]


def test_related_prefers_more_shared_topics_then_closeness():
    topics = {"s1": {"KE", "CN"}, "s2": {"KE"}, "s3": {"KE", "CN"}, "s4": {"US"}, "s5": {"KE"}}
    stories = ["s1", "s2", "s3", "s4", "s5"]
    related = dict(zip(stories, related_stories(stories, lambda s: sorted(topics[s]), limit=3)))
    assert related["s1"] == ["s3", "s2", "s5"]
    assert related["s4"] == []
    assert "s2" not in related["s2"]


def test_related_only_looks_at_a_window_in_time():
    stories = [f"s{i}" for i in range(100)]
    related = related_stories(stories, lambda s: ["CN"], limit=100, window=5)
    assert len(related[50]) == 10
    assert set(related[50]) == {f"s{i}" for i in range(45, 56)} - {"s50"}


def reference_related(stories, keys_of, limit, window):
    """The definition, spelled out: rank every story within the window of a
    shared topic by (-shared topics, distance, index)."""
    keys = [list(dict.fromkeys(keys_of(s))) for s in stories]
    members = {}
    for index, story_keys in enumerate(keys):
        for key in story_keys:
            members.setdefault(key, []).append(index)
    result = []
    for index, story_keys in enumerate(keys):
        shared = Counter()
        for key in story_keys:
            at = members[key].index(index)
            shared.update(members[key][max(0, at - window): at + window + 1])
        shared.pop(index, None)
        best = sorted(shared.items(), key=lambda item: (-item[1], abs(item[0] - index), item[0]))
        result.append([stories[other] for other, _ in best[:limit]])
    return result


@given(
    st.lists(st.lists(st.sampled_from("ABCDEFG"), max_size=5), max_size=40),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=8),
)
def test_related_matches_its_definition(topic_lists, limit, window):
    stories = list(range(len(topic_lists)))
    expected = reference_related(stories, lambda s: topic_lists[s], limit, window)
    assert related_indexes(topic_lists, limit=limit, window=window) == expected  # the stories are indexes
