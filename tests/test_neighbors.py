"""Previous/next and related stories."""

from diplomatic_wire.neighbors import related_stories, time_neighbors


def test_time_neighbors_newest_first():
    assert time_neighbors(["c", "b", "a"]) == {0: (None, "b"), 1: ("c", "a"), 2: ("b", None)}


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
