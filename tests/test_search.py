"""Search shards: one Pagefind bundle per year, keyed by the stories in it."""

from types import SimpleNamespace

from diplomatic_wire.search import search_shards


def story(save_as, card):
    return SimpleNamespace(save_as=save_as, card=card)


def shards_of(stories):
    return search_shards(stories, "site-key", lambda s: s.card)


STORIES = [
    story("2025/01/02/b/index.html", "b"),
    story("2025/01/01/a/index.html", "a"),
    story("2024/12/31/z/index.html", "z"),
]


def test_one_shard_per_year_newest_first():
    shards = shards_of(STORIES)
    assert [(s.name, s.glob, s.bundle) for s in shards] == [
        ("2025", "2025/**/*.{html}", "pagefind/2025/"),
        ("2024", "2024/**/*.{html}", "pagefind/2024/"),
    ]


def test_a_changed_story_changes_only_its_years_key():
    before = {s.name: s.key for s in shards_of(STORIES)}
    edited = [STORIES[0], story("2025/01/01/a/index.html", "a, edited"), STORIES[2]]
    after = {s.name: s.key for s in shards_of(edited)}
    assert after["2024"] == before["2024"] and after["2025"] != before["2025"]
    added = {s.name: s.key for s in shards_of([*STORIES, story("2023/05/05/y/index.html", "y")])}
    assert added["2024"] == before["2024"] and added["2025"] == before["2025"] and "2023" in added


def test_stories_at_the_top_of_the_site_make_one_shard():
    [shard] = shards_of([*STORIES, story("top.html", "t")])
    assert (shard.name, shard.glob) == ("all", "**/*.{html}")


def test_no_stories_no_shards():
    assert shards_of([]) == []


def test_urls_not_split_by_period_make_one_shard():
    stories = [story(f"story-{i}/index.html", str(i)) for i in range(50)]
    [shard] = shards_of(stories)
    assert (shard.name, shard.glob) == ("all", "**/*.{html}")
