"""The plugin's adapters at the Pelican boundary."""

import copy
import datetime

import pytest
from pelican.contents import Article, Category
from pelican.generators import ArticlesGenerator
from pelican.settings import DEFAULT_CONFIG

from diplomatic_wire.neighbors import related_indexes
from diplomatic_wire.plugin import fix_url, in_background, listed_once, url_and_save_as, with_extensions


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("pattern", ["{date:%Y}/{date:%m}/{date:%d}/{slug}/", "{category}/{lang}/{path}-{slug}.html"])
def test_story_urls_are_fixed_as_pelican_derives_them(tmp_path, lang, pattern):
    settings = copy.deepcopy(DEFAULT_CONFIG)
    settings.update(PATH=str(tmp_path), DEFAULT_LANG="en", ARTICLE_URL=pattern, ARTICLE_SAVE_AS=pattern + "index.html",
                    ARTICLE_LANG_URL="{lang}/" + pattern, ARTICLE_LANG_SAVE_AS="{lang}/" + pattern + "index.html")
    metadata = {"title": "Kenya and China sign accord", "slug": "kenya-and-china-sign-accord", "lang": lang,
                "date": datetime.datetime(2024, 9, 3, tzinfo=datetime.timezone.utc),
                "category": Category("News", settings)}
    article = Article("<p>Text</p>", metadata, settings=settings, source_path=str(tmp_path / "wire" / "a.txt"))
    assert url_and_save_as(article) == (article.url, article.save_as)


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


@pytest.mark.parametrize("workers", [1, 2])
def test_work_in_background_gives_the_same_result(workers):
    keys = [["countries/ke/", "people/ruto/"], ["countries/ke/"], ["countries/cn/"], ["countries/ke/", "countries/cn/"]]
    result = in_background(related_indexes, keys, workers=workers)
    assert result() == related_indexes(keys) == [[1, 3], [0, 3], [3], [2, 1, 0]]  # closer in time first


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
