"""The plugin's adapters at the Pelican boundary."""

import copy
import datetime

import pytest
from pelican.contents import Article, Category
from pelican.settings import DEFAULT_CONFIG

from diplomatic_wire.plugin import url_and_save_as


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
