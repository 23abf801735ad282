"""Site settings for `make html`. Plugin settings and defaults: see README.

The Makefile passes its variables as WIRE_* environment variables, so that
any folder path or URL works without shell or JSON quoting.
"""

import os

SITENAME = "Diplomatic Wire"
SITESUBTITLE = "Diplomacy from the news wires"
SITEURL = (os.environ.get("WIRE_SITEURL") or f"http://localhost:{os.environ.get('WIRE_PORT') or 8000}").rstrip("/")
RELATIVE_URLS = False

PATH = "content"
ARTICLE_PATHS = [os.path.abspath(os.environ.get("WIRE_SEEDDIR") or "seeds")]
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
USE_FOLDER_AS_CATEGORY = False
ARTICLE_TRANSLATION_ID = None
DELETE_OUTPUT_DIRECTORY = False  # every build starts from an empty staging folder

TIMEZONE = "UTC"
DEFAULT_LANG = "en"
# English month names whatever the machine's locale: output must not depend on it.
LOCALE = ["C.UTF-8", "C"]
DEFAULT_DATE_FORMAT = "%B %-d, %Y"

# Stories are cached between builds as Pelican made them: the plugin's own
# generator-level cache (in shards, without the build's settings and context),
# one per version of its code, the theme and these settings.
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "generator"
GZIP_CACHE = False

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["diplomatic_wire"]
WIRE_STRICT = os.environ.get("WIRE_STRICT", "") not in ("", "0", "false", "no")

THEME = "theme"
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "autoescape": True}

ARTICLE_URL = "{date:%Y}/{date:%m}/{date:%d}/{slug}/"
ARTICLE_SAVE_AS = ARTICLE_URL + "index.html"
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
CATEGORY_URL = "categories/{slug}/"
CATEGORY_SAVE_AS = CATEGORY_URL + "index.html"
CATEGORIES_URL = "categories/"
CATEGORIES_SAVE_AS = "categories/index.html"
ARCHIVES_URL = "archives/"
ARCHIVES_SAVE_AS = "archives/index.html"
# Year and month archives are written by the plugin at these URLs (in one pass;
# Pelican's own, switched off by the empty SAVE_AS, scan every story per period).
YEAR_ARCHIVE_URL = "{date:%Y}/"
YEAR_ARCHIVE_SAVE_AS = ""
MONTH_ARCHIVE_URL = "{date:%Y}/{date:%m}/"
MONTH_ARCHIVE_SAVE_AS = ""
TAG_SAVE_AS = TAGS_SAVE_AS = AUTHOR_SAVE_AS = AUTHORS_SAVE_AS = ""
DIRECT_TEMPLATES = ["index", "categories", "archives", "404", "search"]
# The Pagefind search page (theme/templates/search.html); `make html` indexes the site.
SEARCH_URL = "search/"
SEARCH_SAVE_AS = "search/index.html"

DEFAULT_PAGINATION = 20
PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html"),
)

# Entries per feed, newest first (Pelican's own default would be 100).
FEED_MAX_ITEMS = 50

# The plugin writes every feed itself (feedgen); Pelican's own are switched off.
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
CATEGORY_FEED_RSS = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
TRANSLATION_FEED_ATOM = None
TRANSLATION_FEED_RSS = None
TAG_FEED_ATOM = None
TAG_FEED_RSS = None
