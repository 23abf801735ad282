"""Plain Pelican 4.12 on the Markdown twin: the benchmark's baseline.

Pelican's defaults (theme "notmyidea", date-less URLs, no pagination) plus
what the wire site also publishes: the site-wide feed and a feed for every
category and every tag. Content and output folders come from the command line.
"""

SITENAME = "Diplomatic Wire (plain Pelican baseline)"
SITEURL = "http://localhost:8000"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"

FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
CATEGORY_FEED_ATOM = "feeds/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tags/{slug}.atom.xml"
