"""Previous/next and related stories."""

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from diplomatic_wire.neighbors import related_after_insert, related_indexes, time_neighbors


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


@given(
    st.lists(st.lists(st.sampled_from("ABCDEFG"), max_size=5), max_size=40),
    st.lists(st.sampled_from("ABCDEFG"), max_size=5),
    st.integers(min_value=0, max_value=40),
    st.integers(min_value=0, max_value=6),
    st.integers(min_value=0, max_value=8),
)
def test_related_after_one_story_is_inserted_is_worked_out_as_from_scratch(previous_keys, story, at, limit, window):
    at = min(at, len(previous_keys))
    keys = previous_keys[:at] + [story] + previous_keys[at:]
    previous = related_indexes(previous_keys, limit=limit, window=window)
    quick = related_after_insert(keys, previous_keys, previous, limit=limit, window=window)
    assert quick == related_indexes(keys, limit=limit, window=window)


def test_related_are_not_worked_out_from_a_previous_result_unless_one_story_was_inserted():
    previous_keys = [["KE"], ["CN"], ["KE", "CN"]]
    previous = related_indexes(previous_keys)
    assert related_after_insert(previous_keys, previous_keys, previous) is None  # nothing new
    assert related_after_insert([["US"], ["KE"], ["CN"], ["KE", "CN"], ["US"]], previous_keys, previous) is None
    assert related_after_insert([["KE"], ["US"], ["KE", "CN"]], previous_keys[:2], previous) is None  # not a result of these
    assert related_after_insert([["CN"], ["US"], ["KE"]], previous_keys[:2], related_indexes(previous_keys[:2])) is None
    assert related_after_insert([["KE"], ["CN"], ["US"]], previous_keys[:2], related_indexes(previous_keys[:2])) == \
        related_indexes([["KE"], ["CN"], ["US"]])  # filed as the oldest


def test_a_story_filed_as_the_newest_changes_few_related_lists():
    import random
    rng = random.Random(1)
    topics = [f"t{i}" for i in range(300)]
    previous_keys = [rng.sample(topics[:20], 2) + rng.sample(topics, 4) for _ in range(3000)]
    previous = related_indexes(previous_keys)
    story = rng.sample(topics[:20], 2) + rng.sample(topics, 4)
    keys = [story] + previous_keys
    expected = related_indexes(keys)
    assert related_after_insert(keys, previous_keys, previous) == expected
    assert related_after_insert(keys, previous_keys, previous, most=10) is None  # more would be worked out again
    changed = sum(1 for old, new in zip(previous, expected[1:]) if [o + 1 for o in old] != new)
    assert 0 < changed < 400
