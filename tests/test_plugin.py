"""The plugin's adapters at the Pelican boundary."""

import copy
import datetime
import gc
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pelican.contents import Article, Category
from pelican.generators import ArticlesGenerator
from pelican.settings import DEFAULT_CONFIG

from diplomatic_wire.plugin import (
    add_reader,
    file_articles_as_made,
    fix_url,
    freeze_loaded,
    listed_once,
    url_and_save_as,
    with_extensions,
)
from diplomatic_wire.render import story_html
from diplomatic_wire.story import Caption, Story


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("pattern", ["{date:%Y}/{date:%m}/{date:%d}/{slug}/", "{lang}/{date.year}/{slug}.html",
                                     "{category}/{lang}/{path}-{slug}.html", "{source_id}/{slug}/"])
def test_story_urls_are_fixed_as_pelican_derives_them(tmp_path, lang, pattern):
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(PATH=str(tmp_path), DEFAULT_LANG="en", ARTICLE_URL=pattern, ARTICLE_SAVE_AS=pattern + "index.html",
                    ARTICLE_LANG_URL="{lang}/" + pattern, ARTICLE_LANG_SAVE_AS="{lang}/" + pattern + "index.html")
    metadata = {"title": "Kenya and China sign accord", "slug": "kenya-and-china-sign-accord", "lang": lang,
                "date": datetime.datetime(2024, 9, 3, tzinfo=datetime.timezone.utc),
                "category": Category("News", settings), "source_id": "9000000000000900"}
    article = Article("<p>Text</p>", metadata, settings=settings, source_path=str(tmp_path / "wire" / "a.txt"))
    assert url_and_save_as(article) == (article.url, article.save_as)
    assert "kenya-and-china-sign-accord" in article.url


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_renamed_story_gets_the_url_of_its_new_slug(tmp_path, lang):
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(PATH=str(tmp_path), DEFAULT_LANG="en", ARTICLE_URL="{date:%Y}/{slug}/",
                    ARTICLE_SAVE_AS="{date:%Y}/{slug}/index.html")

    def story(slug):
        metadata = {"title": "Talks", "slug": slug, "lang": lang, "story": object(), "entities": (),
                    "date": datetime.datetime(2024, 9, 3, tzinfo=datetime.timezone.utc),
                    "category": Category("News", settings)}
        return Article("<p>Text</p>", metadata, settings=settings, source_path=str(tmp_path / "a.txt"))

    article = story("talks")
    fix_url(article)
    assert (article.override_url, article.override_save_as) == (story("talks").url, story("talks").save_as)
    card = article.wire_card
    article.slug = "talks-0a1b2c3d"
    fix_url(article)
    assert article.wire_card != card  # a list links the story at its new URL
    renamed = story("talks-0a1b2c3d")
    assert (article.url, article.save_as) == (renamed.url, renamed.save_as)
    assert "talks-0a1b2c3d" in article.url


def test_pelican_lists_the_article_folders_once(tmp_path):
    """The listing made to choose the files to read ahead serves Pelican's
    next two listings of the article folders: the files it reads, and those
    of its disabled readers. Each once; any other listing is Pelican's own."""
    for name in ("a.txt", "b.md", "c.rst"):
        (tmp_path / name).write_text("date 2024-01-01 A\n\nBody.\n")
    settings = {**copy.deepcopy(DEFAULT_CONFIG), "PATH": str(tmp_path), "CACHE_CONTENT": False}
    generator = ArticlesGenerator(context={}, settings=settings, path=str(tmp_path), theme=settings["THEME"],
                                  output_path=str(tmp_path / "out"))
    paths, exclude = settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"]
    readable = generator.get_files(paths, exclude=exclude)
    disabled = generator.get_files(paths, exclude=exclude, extensions=generator.readers.disabled_extensions)
    assert {"./a.txt", "./c.rst"} <= readable and "./b.md" not in readable  # Pelican's own, to compare with
    assert disabled == ({"./b.md"} if "md" in generator.readers.disabled_extensions else set())
    every = {"./chosen.txt", "./other.md", "./page.rst", "./notes.log"}
    chosen = with_extensions(every, generator.readers.extensions)
    listed_once(generator, {None: chosen, frozenset(generator.readers.disabled_extensions):
                            with_extensions(every, generator.readers.disabled_extensions)})
    assert generator.get_files(["elsewhere"]) == set()
    assert generator.get_files(paths, exclude=exclude) is chosen
    assert chosen == with_extensions(every, generator.readers.extensions)
    assert "./chosen.txt" in with_extensions(every, generator.readers.extensions)
    assert generator.get_files(paths, exclude=exclude) == readable  # the second time, Pelican's own
    assert generator.get_files(paths, exclude=exclude, extensions=generator.readers.disabled_extensions) \
        == with_extensions(every, generator.readers.disabled_extensions)
    assert generator.get_files(paths, exclude=exclude, extensions=generator.readers.disabled_extensions) == disabled
    assert "get_files" not in vars(generator)  # both served: the generator's own method again


@pytest.mark.parametrize("extensions", [["txt", "gz"], ["md", "markdown"], []])
def test_listings_by_extension_are_pelicans(tmp_path, extensions):
    settings = {**copy.deepcopy(DEFAULT_CONFIG), "PATH": str(tmp_path), "CACHE_CONTENT": False}
    generator = ArticlesGenerator(context={}, settings=settings, path=str(tmp_path), theme=settings["THEME"],
                                  output_path=str(tmp_path / "out"))
    files = {"./a.txt", "./b.md", "./sub/c.markdown", "./d", "./e.tar.gz", "./.f.txt", "./g.TXT", "./h.txt/i"}
    assert with_extensions(files, extensions) == {f for f in files if generator._include_path(f, extensions)}


def test_articles_are_filed_under_the_path_pelican_derives(tmp_path):
    settings_ = {**copy.deepcopy(DEFAULT_CONFIG), "PATH": str(tmp_path), "CACHE_CONTENT": False}
    generator = ArticlesGenerator(context={"generated_content": {}, "static_content": {}, "static_links": set()},
                                  settings=settings_, path=str(tmp_path), theme=settings_["THEME"],
                                  output_path=str(tmp_path / "out"))
    metadata = {"title": "Talks", "date": datetime.datetime(2024, 9, 3, tzinfo=datetime.timezone.utc)}
    made = [Article('<p><a href="{static}/a.png">a</a></p>', metadata, settings=settings_,
                    source_path=str(tmp_path / folder / "a.txt")) for folder in ("wire", "wire/2024", "..")]
    file_articles_as_made(generator)
    for article in made:
        generator.add_source_path(article)
        generator.add_static_links(article)
    assert list(generator.context["generated_content"]) == [a.get_relative_source_path() for a in made]
    assert generator.context["static_links"] == {"a.png"}  # not a story: Pelican's own scan


WIRE_TEXT = st.lists(st.sampled_from(['<a href="{static}/a.png">', '{static}/b.pdf', 'src="{attach}c.jpg"',
                                      "<img src='{filename}/d.md'>", "&", '"']) | st.text(max_size=20),
                     max_size=4).map("".join)


@settings(max_examples=100, deadline=None)
@given(WIRE_TEXT, WIRE_TEXT, WIRE_TEXT)
def test_a_story_never_links_files_for_pelican_to_copy(title, text, credit):
    """Why ``file_articles_as_made`` need not scan a story's HTML: Pelican
    finds no ``{static}`` (or other intrasite) link in it, whatever its text."""
    story = Story("s1", datetime.date(2024, 9, 3), title or "t", (Caption(text, credit, "Xinhua", ()),), None,
                  text, (text, title))
    settings_ = {**copy.deepcopy(DEFAULT_CONFIG), "PATH": "/site"}
    article = Article(story_html(story), {"title": "t", "date": datetime.datetime(2024, 9, 3)},
                      settings=settings_, source_path="/site/wire/a.txt")
    assert article.get_static_links() == set()


@pytest.mark.parametrize("layer", ["generator", "reader"])
def test_pelicans_reader_cache_is_not_asked_where_it_is_off(tmp_path, layer):
    from pelican.readers import Readers

    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(PATH=str(tmp_path), CACHE_PATH=str(tmp_path / "cache"), CONTENT_CACHING_LAYER=layer,
                    CACHE_CONTENT=True, LOAD_CONTENT_CACHE=True)
    readers = Readers(settings, "ArticlesGenerator")
    add_reader(readers)
    stamps = []
    readers._filestamp_func = lambda path: stamps.append(path) or 1.0
    path = str(tmp_path / "a.txt")
    readers.cache_data(path, ("<p>Text</p>", {}))
    cached = readers.get_cached_data(path, "none")
    if layer == "reader":  # Pelican's cache at work, stamps and all
        assert cached == ("<p>Text</p>", {}) and stamps == [path, path]
    else:
        assert cached == "none" and stamps == []


@pytest.mark.parametrize("options, collecting", [(["content", "-o", "output"], False), (["-r", "content"], True)])
def test_the_collector_stays_off_once_the_cache_is_loaded_unless_pelican_watches(monkeypatch, options, collecting):
    monkeypatch.setattr(sys, "argv", ["pelican", *options])
    was_enabled = gc.isenabled()
    gc.disable()  # as the build has it while the cache loads
    try:
        freeze_loaded(None)
        assert gc.isenabled() is collecting
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()
