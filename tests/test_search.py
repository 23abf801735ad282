"""Search shards: one Pagefind bundle per year (per month in the newest
year), keyed by the stories in it."""

from types import SimpleNamespace

import pytest

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


def test_one_shard_per_year_and_per_month_of_the_newest_year_newest_first():
    shards = shards_of([story("2025/02/01/c/index.html", "c"), *STORIES])
    assert [(s.name, s.glob, s.bundle) for s in shards] == [
        ("2025-02", "2025/02/{01/c/index.html}", "pagefind/2025-02/"),
        ("2025-01", "2025/01/{01/a/index.html,02/b/index.html}", "pagefind/2025-01/"),
        ("2024", "2024/{12/31/z/index.html}", "pagefind/2024/"),
    ]


def test_a_shard_whose_pages_a_glob_would_misread_reads_its_whole_folder():
    [shard, _] = shards_of([story("2025/01/02/{b,c}/index.html", "b"), STORIES[2]])
    assert (shard.name, shard.pages, shard.glob) == ("2025-01", (), "2025/01/**/*.{html}")


def test_a_shard_of_more_pages_than_a_glob_can_name_reads_its_whole_folder():
    from diplomatic_wire.search import MAX_NAMED_GLOB

    slug = "s" * 100
    many = [story(f"2024/05/{i:06}-{slug}/index.html", str(i)) for i in range(MAX_NAMED_GLOB // 100)]
    [shard] = shards_of(many)
    assert (shard.name, shard.pages, shard.glob) == ("2024-05", (), "2024/05/**/*.{html}")
    [shard] = shards_of(many[:10])
    assert len(shard.pages) == 10


def test_a_newest_year_split_in_more_than_twelve_folders_stays_whole():
    stories = [story(f"2025/story-{i}/index.html", str(i)) for i in range(13)] + [STORIES[2]]
    assert [s.name for s in shards_of(stories)] == ["2025", "2024"]


def test_a_changed_story_changes_only_its_shards_key():
    before = {s.name: s.key for s in shards_of(STORIES)}
    edited = [STORIES[0], story("2025/01/01/a/index.html", "a, edited"), STORIES[2]]
    after = {s.name: s.key for s in shards_of(edited)}
    assert after["2024"] == before["2024"] and after["2025-01"] != before["2025-01"]
    added = {s.name: s.key for s in shards_of([*STORIES, story("2023/05/05/y/index.html", "y")])}
    assert added["2024"] == before["2024"] and added["2025-01"] == before["2025-01"] and "2023" in added
    newer = {s.name: s.key for s in shards_of([story("2025/03/03/n/index.html", "n"), *STORIES])}
    assert newer["2025-01"] == before["2025-01"] and "2025-03" in newer


def test_stories_at_the_top_of_the_site_make_one_shard():
    [shard] = shards_of([*STORIES, story("top.html", "t")])
    assert (shard.name, shard.glob) == ("all", "**/*.{html}")


def test_no_stories_no_shards():
    assert shards_of([]) == []


def test_urls_not_split_by_period_make_one_shard():
    stories = [story(f"story-{i}/index.html", str(i)) for i in range(50)]
    [shard] = shards_of(stories)
    assert (shard.name, shard.glob) == ("all", "**/*.{html}")


def small_site(folder):
    for year, words in (("2024", "alpha beta"), ("2025", "gamma delta")):
        page = folder / year / "01" / "story" / "index.html"
        page.parent.mkdir(parents=True)
        page.write_text(f'<!doctype html><html lang="en"><head><title>{year}</title></head>'
                        f'<body><article data-pagefind-body><h1>{year}</h1><p>{words}</p></article></body></html>')


def test_indexer_links_unchanged_bundles_and_indexes_the_others(tmp_path):
    from diplomatic_wire.search import SearchIndexer, SearchShard

    published, staging = tmp_path / "published", tmp_path / "staging"
    small_site(published)
    small_site(staging)
    shards = [SearchShard("2025", "2025/", "k2025"), SearchShard("2024", "2024/", "k2024")]
    SearchIndexer(str(published), str(tmp_path / "none"), shards, {}).wait()  # the last build's bundles

    indexer = SearchIndexer(str(staging), str(published), shards,
                            {"pagefind/2024/": "k2024", "pagefind/2025/": "old key"})
    assert indexer.reads("2025/01/story/index.html") and not indexer.reads("2024/01/story/index.html")
    indexer.start()
    indexer.wait()
    assert not indexer.busy()
    assert indexer.keys == {"pagefind/2024/": "k2024", "pagefind/2025/": "k2025"}
    assert indexer.reused == 1
    entry = staging / "pagefind" / "2024" / "pagefind-entry.json"
    assert entry.stat().st_ino == (published / "pagefind" / "2024" / "pagefind-entry.json").stat().st_ino
    fresh = staging / "pagefind" / "2025" / "pagefind-entry.json"
    assert fresh.is_file() and fresh.stat().st_ino != (published / "pagefind" / "2025" / "pagefind-entry.json").stat().st_ino


def test_the_indexer_reads_what_its_shards_to_index_read(tmp_path):
    """``reads`` says which output files must be written before Pagefind starts."""
    from diplomatic_wire.search import SearchIndexer, SearchShard

    paths = ["2025/01/a/index.html", "2024/12/b/index.html", "people/li/index.html", "index.html"]
    shards = [SearchShard("2025-01", "2025/01/", "k1"), SearchShard("2024", "2024/", "k2")]
    for to_index, expected in (([], [False, False, False, False]),
                               (shards[:1], [True, False, False, False]),
                               (shards, [True, True, False, False]),
                               ([SearchShard("all", "", "k")], [True, True, True, True])):
        indexer = SearchIndexer(str(tmp_path), str(tmp_path / "none"), to_index, {})
        assert [indexer.reads(p) for p in paths] == expected
    kept = SearchIndexer(str(tmp_path), str(tmp_path / "none"), shards, {}, staged={s.bundle: s.key for s in shards})
    assert not any(kept.reads(p) for p in paths)  # bundles kept: nothing to read


def test_each_run_starts_once_its_own_pages_are_written(tmp_path):
    """The writer writes the pages in the runs' ``order`` and reports each:
    a run starts once its pages are written and the run before has ended."""
    import time

    from diplomatic_wire.search import SearchIndexer, SearchShard

    small_site(tmp_path)
    shards = [SearchShard("2025", "2025/", "k2025"), SearchShard("2024", "2024/", "k2024")]
    indexer = SearchIndexer(str(tmp_path), str(tmp_path / "none"), shards, {})
    pages = ["2024/01/story/index.html", "2025/01/story/index.html"]
    assert sorted(pages, key=indexer.order) == pages[::-1]
    bundle_2025, bundle_2024 = (tmp_path / "pagefind" / year / "pagefind-entry.json" for year in ("2025", "2024"))

    indexer.start(pages)
    assert indexer.busy() and not bundle_2025.parent.exists()  # waits for its pages
    indexer.busy("2025/01/story/index.html")
    deadline = time.monotonic() + 60
    while not bundle_2025.exists() and time.monotonic() < deadline:
        assert indexer.busy()
        time.sleep(0.01)
    for _ in range(50):  # its run ends meanwhile: the next one still waits for its page
        assert indexer.busy()
        time.sleep(0.01)
    assert bundle_2025.exists() and not bundle_2024.parent.exists()
    indexer.busy("2024/01/story/index.html")
    indexer.wait()
    assert bundle_2024.exists() and not indexer.busy()


def test_a_failed_pagefind_run_fails_the_build_with_its_output(tmp_path, monkeypatch):
    import subprocess
    import tempfile

    from diplomatic_wire import search

    def failing(site, shard, folder):
        log = tempfile.TemporaryFile()
        return subprocess.Popen(["sh", "-c", "echo cannot index; exit 3"], stdout=log), log

    monkeypatch.setattr(search, "start_pagefind", failing)
    small_site(tmp_path)
    indexer = search.SearchIndexer(str(tmp_path), str(tmp_path / "none"), [search.SearchShard("2024", "2024/", "k")], {})
    with pytest.raises(RuntimeError, match="Pagefind failed on 2024/.*cannot index"):
        indexer.wait()


def bundle_fragments(bundle):
    """The pages of a Pagefind bundle as Pagefind stored them (gzipped JSON
    after a signature)."""
    import gzip
    import json

    signature = b"pagefind_dcd"
    fragments = []
    for path in sorted((bundle / "fragment").iterdir()):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(signature)
        fragments.append(json.loads(data[len(signature):]))
    return fragments


def test_pagefind_indexes_the_marked_story_text_with_its_meta_and_nothing_else(tmp_path):
    from diplomatic_wire.search import SearchIndexer, SearchShard

    story_page = tmp_path / "2024" / "05" / "story" / "index.html"
    story_page.parent.mkdir(parents=True)
    story_page.write_text(
        '<!doctype html><html lang="en"><head><title>Site title</title>'
        '<script type="application/ld+json">{"headline": "jsonldword"}</script></head>'
        '<body><nav>navword</nav><article class="story" data-pagefind-body><h1>Talks resume</h1>'
        '<p class="meta" data-pagefind-ignore><span data-pagefind-meta="place">Nairobi</span></p>'
        '<p>Envoys met about quokkas.</p><footer data-pagefind-ignore="all">footword</footer></article>'
        '<aside>asideword</aside></body></html>')
    listing = tmp_path / "2024" / "05" / "index.html"  # an archive page: not a story
    listing.write_text('<!doctype html><html lang="en"><head><title>May</title></head>'
                       '<body><h1>May 2024</h1><p>listingword</p></body></html>')

    SearchIndexer(str(tmp_path), str(tmp_path / "none"), [SearchShard("2024", "2024/", "k")], {}).wait()

    [fragment] = bundle_fragments(tmp_path / "pagefind" / "2024")
    assert fragment["url"] == "/2024/05/story/"
    assert "quokkas" in fragment["content"]
    for word in ("navword", "jsonldword", "footword", "asideword", "listingword", "Site title"):
        assert word not in fragment["content"]
    assert fragment["meta"]["title"] == "Talks resume"
    assert fragment["meta"]["place"] == "Nairobi"


def test_a_shard_that_names_its_pages_indexes_those_alone(tmp_path):
    """A story page left in the staging folder by a story gone since is not
    indexed: the index can start before the writer deletes such pages."""
    from diplomatic_wire.search import SearchIndexer, SearchShard, pages_glob

    small_site(tmp_path)
    gone = tmp_path / "2024" / "01" / "gone" / "index.html"
    gone.parent.mkdir()
    gone.write_text('<!doctype html><html lang="en"><body><article data-pagefind-body><h1>Gone</h1>'
                    '<p>vanishedword</p></article></body></html>')
    pages = ("2024/01/story/index.html",)
    assert pages_glob("2024/", pages) == "2024/{01/story/index.html}"
    indexer = SearchIndexer(str(tmp_path), str(tmp_path / "none"), [SearchShard("2024", "2024/", "k", pages)], {})
    assert indexer.reads(pages[0]) and not indexer.reads("2024/01/gone/index.html")
    assert not indexer.reads("2024/01/index.html")  # an archive page
    indexer.wait()
    [fragment] = bundle_fragments(tmp_path / "pagefind" / "2024")
    assert fragment["url"] == "/2024/01/story/" and "alpha" in fragment["content"]


def test_only_an_indexer_whose_runs_name_their_pages_may_start_before_the_folder_is_cleared(tmp_path):
    from diplomatic_wire.search import SearchIndexer, SearchShard

    named = SearchShard("2025-01", "2025/01/", "k1", ("2025/01/02/b/index.html",))
    whole = SearchShard("2024", "2024/", "k2")
    indexer = SearchIndexer(str(tmp_path), str(tmp_path / "none"), [named], {})
    assert indexer.names_its_pages and indexer.walks == ("2025/01/",)
    indexer = SearchIndexer(str(tmp_path), str(tmp_path / "none"), [named, whole], {})
    assert not indexer.names_its_pages and indexer.walks == ("2025/01/",)
