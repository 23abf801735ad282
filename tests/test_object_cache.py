"""The content objects cache: objects come back as made, with the live build's
settings and context, and a build rewrites only the shards that changed."""

import logging
import os
import shutil

from conftest import ROOT, run_build

from diplomatic_wire.object_cache import SHARDS, ObjectCache, cache_folder, restore, snapshot, will_load


class Content:
    """Stands for a Pelican content object: attributes, and the build's settings."""

    def __init__(self, title, settings, context):
        self.title = title
        self.settings = settings
        self._context = context
        self.metadata = {"title": title}
        self.translations = []


def stamps(values):
    return lambda name: values.get(name, "")  # as Pelican stamps a missing file


def new_cache(folder, settings, context, files):
    return ObjectCache(str(folder), {"settings": settings, "context": context}, stamps(files))


def test_a_restored_object_is_a_copy_that_shares_only_the_build(tmp_path):
    settings, context = {"SITENAME": "x"}, {}
    made = Content("Talks", settings, context)
    state = snapshot(made, frozenset({id(settings), id(context)}))
    made.title = "changed after caching"
    made.metadata["title"] = "changed after caching"

    again = restore(state)
    assert type(again) is Content and again is not made
    assert again.title == "Talks" and again.metadata == {"title": "Talks"}
    assert again.settings is settings and again._context is context
    again.metadata["slug"] = "talks"
    again.translations.append("fr")
    assert restore(state).metadata == {"title": "Talks"}
    assert restore(state).translations == []


def test_objects_come_back_in_the_next_build_with_its_settings(tmp_path):
    files = {"a.txt": 1.0, "b.txt": 2.0}
    first = new_cache(tmp_path, {"build": 1}, {}, files)
    for name in files:
        assert first.get_cached_data(name) is None
        first.cache_data(name, Content(name.upper(), {"build": 1}, {}))
    first.save_cache()

    settings, context = {"build": 2}, {"articles": []}
    second = new_cache(tmp_path, settings, context, files)
    assert second.is_fresh("a.txt")
    article, other = second.get_cached_data("a.txt"), second.get_cached_data("b.txt")
    assert (article.title, other.title) == ("A.TXT", "B.TXT")
    assert second.get_cached_data("missing.txt", "default") == "default"


def test_shared_objects_are_not_pickled(tmp_path):
    settings, context = {"SITENAME": "x"}, {"articles": ["a" * 10_000]}
    files = {"a.txt": 1.0}
    cache = new_cache(tmp_path, settings, context, files)
    cache.get_cached_data("a.txt")
    cache.cache_data("a.txt", Content("A", settings, context))  # the first build's
    cache.save_cache()
    assert sum(p.stat().st_size for p in tmp_path.iterdir()) < 2_000

    later_settings, later_context = {"SITENAME": "y"}, {}
    article = new_cache(tmp_path, later_settings, later_context, files).get_cached_data("a.txt")
    assert article.settings is later_settings and article._context is later_context


def test_a_changed_file_is_read_again_and_its_object_dropped(tmp_path):
    files = {"a.txt": 1.0}
    cache = new_cache(tmp_path, {}, {}, files)
    cache.get_cached_data("a.txt")
    cache.cache_data("a.txt", Content("old", {}, {}))
    cache.save_cache()

    files["a.txt"] = 2.0
    cache = new_cache(tmp_path, {}, {}, files)
    assert not cache.is_fresh("a.txt")
    assert cache.get_cached_data("a.txt") is None
    cache.save_cache()  # not made again (say, rejected now): not kept either
    assert new_cache(tmp_path, {}, {}, {"a.txt": 1.0}).get_cached_data("a.txt") is None


def test_only_shards_that_changed_are_written(tmp_path):
    files = {f"{i}.txt": float(i) for i in range(200)}
    cache = new_cache(tmp_path, {}, {}, files)
    for name in files:
        cache.get_cached_data(name)
        cache.cache_data(name, Content(name, {}, {}))
    cache.save_cache()
    written = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert len(written) > SHARDS * 3 // 4  # spread over the shards
    for path in tmp_path.iterdir():
        os.utime(path, ns=(1, 1))

    files["new.txt"] = 1.0
    del files["7.txt"]
    cache = new_cache(tmp_path, {}, {}, files)
    for name in files:
        if cache.get_cached_data(name) is None:
            cache.cache_data(name, Content(name, {}, {}))
    cache.save_cache()
    rewritten = sorted(p.name for p in tmp_path.iterdir() if p.stat().st_mtime_ns != 1)
    shard_of = ObjectCache._shard_of
    assert rewritten == sorted({f"{shard_of('new.txt'):02d}.pickle", f"{shard_of('7.txt'):02d}.pickle"})
    again = new_cache(tmp_path, {}, {}, {**files, "7.txt": 7.0})
    assert again.get_cached_data("7.txt") is None  # a file gone is dropped from the cache
    assert again.get_cached_data("new.txt").title == "new.txt"


def test_an_unreadable_shard_is_reported_and_rebuilt(tmp_path, caplog):
    files = {"a.txt": 1.0}
    cache = new_cache(tmp_path, {}, {}, files)
    cache.get_cached_data("a.txt")
    cache.cache_data("a.txt", Content("A", {}, {}))
    cache.save_cache()
    shard = tmp_path / f"{ObjectCache._shard_of('a.txt'):02d}.pickle"
    shard.write_bytes(b"not a pickle")

    with caplog.at_level(logging.WARNING):
        cache = new_cache(tmp_path, {}, {}, files)
    assert "Cannot load cache" in caplog.text and shard.name in caplog.text
    assert cache.get_cached_data("a.txt") is None
    cache.cache_data("a.txt", Content("A", {}, {}))
    cache.save_cache()
    assert new_cache(tmp_path, {}, {}, files).get_cached_data("a.txt").title == "A"


def built_seeds(tmp_path):
    """A copy of the sample corpus, built once with its own cache: (corpus, site, settings)."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    site, settings = tmp_path / "site", {"CACHE_PATH": str(tmp_path / "cache")}
    assert run_build(corpus, site, settings=settings).returncode == 0
    return corpus, site, settings


def test_a_rebuild_makes_only_the_new_story_and_rewrites_its_shard(tmp_path):
    corpus, site, settings = built_seeds(tmp_path)
    shards = sorted((tmp_path / "cache").glob("content-*/ArticlesGenerator-objects/*.pickle"))
    assert len(shards) > 10  # 51 stories, in shards by file name
    for path in shards:
        os.utime(path, ns=(1, 1))

    (corpus / "900_9000000000000900.txt").write_text(
        "date 2026-01-05 Kenya and China sign accord\n\n"
        "NAIROBI, Jan. 5 (Xinhua) -- Kenyan President William Ruto met Chinese President Xi Jinping.\n")
    result = run_build(corpus, site, settings=settings)
    assert result.returncode == 0, result.stderr
    # A story made again would be cached again, and its shard written.
    shards = sorted((tmp_path / "cache").glob("content-*/ArticlesGenerator-objects/*.pickle"))
    rewritten = [p.name for p in shards if p.stat().st_mtime_ns != 1]
    name = os.path.relpath(corpus / "900_9000000000000900.txt", ROOT / "content")  # as Pelican names it
    assert rewritten == [f"{ObjectCache._shard_of(name):02d}.pickle"]
    cache = ObjectCache(str(shards[0].parent), {"settings": {}, "context": {}},
                        lambda name: os.path.getmtime(ROOT / "content" / name))
    assert cache.is_fresh(name)
    assert cache.get_cached_data(name).title == "Kenya and China sign accord"
    assert "Kenya and China sign accord" in (site / "2026/01/05/kenya-and-china-sign-accord/index.html").read_text()


def test_a_category_comes_back_with_the_loading_builds_settings(tmp_path):
    from pelican.urlwrappers import Category

    first_settings = {"CATEGORY_URL": "old/{slug}/"}
    made = Content("A", first_settings, {})
    made.category = made.metadata["category"] = Category("News", first_settings)
    files = {"a.txt": 1.0}
    cache = new_cache(tmp_path, first_settings, {}, files)
    cache.get_cached_data("a.txt")
    cache.cache_data("a.txt", made)
    cache.save_cache()

    settings = {"CATEGORY_URL": "categories/{slug}/"}
    article = new_cache(tmp_path, settings, {}, files).get_cached_data("a.txt")
    assert article.category == Category("News", settings)
    assert article.category.settings is settings and article.settings is settings
    assert article.metadata["category"] is article.category


def test_with_pelicans_reader_level_cache_the_site_is_the_same(tmp_path):
    """``CONTENT_CACHING_LAYER = "reader"`` leaves caching to Pelican: no
    object cache, and the same pages, cold and rebuilt."""
    corpus = tmp_path / "corpus"
    shutil.copytree(ROOT / "seeds", corpus)
    reader = {"CONTENT_CACHING_LAYER": "reader", "CACHE_PATH": str(tmp_path / "reader-cache")}
    site = tmp_path / "site"
    assert run_build(corpus, site, settings=reader).returncode == 0
    (corpus / "900_9000000000000900.txt").write_text(
        "date 2026-01-05 Kenya and China sign accord\n\n"
        "NAIROBI, Jan. 5 (Xinhua) -- Kenyan President William Ruto met Chinese President Xi Jinping.\n")
    result = run_build(corpus, site, settings=reader)
    assert result.returncode == 0, result.stderr
    assert not list((tmp_path / "reader-cache").glob("content-*/*-objects"))
    assert list((tmp_path / "reader-cache").glob("content-*/ArticlesGenerator-Readers"))

    objects = tmp_path / "objects"
    assert run_build(corpus, objects, settings={"CACHE_PATH": str(tmp_path / "objects-cache")}).returncode == 0
    pages = sorted(p.relative_to(site) for p in site.rglob("*.html"))
    assert pages == sorted(p.relative_to(objects) for p in objects.rglob("*.html"))
    assert all((site / p).read_bytes() == (objects / p).read_bytes() for p in pages)


def test_a_build_knows_before_loading_whether_it_will_load_kept_objects(tmp_path):
    settings = {"CACHE_PATH": str(tmp_path), "CONTENT_CACHING_LAYER": "generator", "LOAD_CONTENT_CACHE": True}
    assert not will_load(settings, "ArticlesGenerator")  # a cold build
    os.makedirs(cache_folder(settings, "ArticlesGenerator"))
    assert will_load(settings, "ArticlesGenerator")
    assert not will_load({**settings, "LOAD_CONTENT_CACHE": False}, "ArticlesGenerator")
    assert not will_load({**settings, "CONTENT_CACHING_LAYER": "reader"}, "ArticlesGenerator")


def test_a_story_whose_file_changed_only_its_time_is_kept(tmp_path):
    """A fresh checkout or copy of the wire folder gives every file a new
    time: the stories whose bytes are the same are kept, with the new
    stamp; one with other bytes is made again. An object without the
    digest of its bytes (a page) is made again on a new time alone."""
    folder = tmp_path / "wire"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "page.md"):
        (folder / name).write_bytes(b"bytes of " + name.encode())
    from diplomatic_wire.incremental import file_digest

    def cache(files):
        return ObjectCache(str(tmp_path / "cache"), {"settings": {}, "context": {}}, stamps(files),
                           bytes_digest=lambda name: file_digest(str(folder / name)))

    first = cache({"a.txt": 1.0, "b.txt": 1.0, "page.md": 1.0})
    for name in ("a.txt", "b.txt", "page.md"):
        first.get_cached_data(name)
        content = Content(name, {}, {})
        if name.endswith(".txt"):
            content.source_digest = file_digest(str(folder / name))
        first.cache_data(name, content)
    first.save_cache()

    (folder / "b.txt").write_bytes(b"other bytes")
    touched = {"a.txt": 2.0, "b.txt": 2.0, "page.md": 2.0}
    second = cache(touched)
    assert [second.is_fresh(name) for name in ("a.txt", "b.txt", "page.md")] == [True, False, False]
    assert second.get_cached_data("a.txt").title == "a.txt"
    assert second.get_cached_data("b.txt") is None and second.get_cached_data("page.md") is None
    second.save_cache()
    # The kept story took the new stamp: no digest is needed for it again.
    third = ObjectCache(str(tmp_path / "cache"), {"settings": {}, "context": {}}, stamps(touched))
    assert third.is_fresh("a.txt") and third.get_cached_data("a.txt").title == "a.txt"


def test_a_rebuild_after_every_wire_file_was_touched_keeps_every_story(tmp_path):
    corpus, site, settings = built_seeds(tmp_path)
    folder = next((tmp_path / "cache").glob("content-*/ArticlesGenerator-objects"))
    shared = {"settings": {}, "context": {}}
    story = "001_593b9159dc530eb0.txt"
    name = os.path.relpath(corpus / story, ROOT / "content")  # as Pelican names it

    def marked() -> bool:
        """Whether the story's object is the one marked below (kept, not made again)."""
        entry = ObjectCache(str(folder), shared, lambda n: None)._shards[ObjectCache._shard_of(name)][name]
        return entry[1].attributes.get("test_mark") == "kept"

    cache = ObjectCache(str(folder), shared, lambda n: None)
    index = ObjectCache._shard_of(name)
    stamp, state = cache._shards[index][name]
    state.attributes["test_mark"] = "kept"
    cache._write(index)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    for path in corpus.iterdir():
        os.utime(path, ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    assert run_build(corpus, site, settings=settings).returncode == 0
    assert marked()
    assert {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()} == before

    (corpus / story).write_bytes((corpus / story).read_bytes() + b"\nOne more paragraph.\n")
    assert run_build(corpus, site, settings=settings).returncode == 0
    assert not marked()
