"""The plugin's signal handlers.

This module wires Pelican's signals to the modules that do the work, and keeps
the build's account of every wire file: ``parse`` (text -> Story), ``reader``
(Story -> Pelican article), ``collate`` and ``neighbors`` (decisions over all
stories), ``jsonld``, ``generators`` (topics, archives, feeds), ``writer``
(render keys, workers), ``staging`` (atomic output), ``object_cache``
(articles kept between builds), ``incremental`` and ``uptodate`` (nothing
changed).
"""

from __future__ import annotations

import atexit
import datetime
import functools
import gc
import logging
import os
import re
import string
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import jinja2
import pelican as pelican_package
from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.log import console

from .background import Batch, in_background
from .collate import StoryRecord, filing_ranks, find_duplicates, unique_slugs
from .generators import TopicsGenerator
from .incremental import (BuildState, OutputRecord, combined_digest, content_cache, folders_content_digest,
                          input_digest, settings_digest)
from .neighbors import related_after_insert, related_indexes, time_neighbors
from .object_cache import SHARDS, attach as attach_object_cache, will_load
from .reader import ReadAhead, WireReader, display_path, read_ahead, slug_substitutions
from .search import SearchIndexer, SearchShard, search_shards
from .settings import apply_defaults, worker_count
from .staging import StagedOutput, discard_early_copy
from .templating import by_date, by_kind, forget_rendered, news_article_json, rendered_once
from .topics import entity_topic
from .uptodate import digest_taken, forget_record, save_record, watches
from .writer import IncrementalWriter, digest, fingerprint

logger = logging.getLogger(__name__)


def unread_reason(name: str) -> str:
    """Why a file in the wire folder was not read by the wire reader."""
    if name.startswith("."):
        return "hidden file, not read"
    if name.endswith(".txt"):
        return "could not be processed (see the error above)"
    return "not a wire file (.txt expected)"


class BuildReport:
    """What one build did with each file it was given: published, rejected
    (with the reason) or skipped as a duplicate. Paths are shown as given."""

    def __init__(self) -> None:
        self.published: list[str] = []
        self.rejected: dict[str, str] = {}
        self.duplicates: list[str] = []

    def reject(self, source: str, reason: str) -> None:
        logger.error("%s: %s", source, reason)
        self.rejected[source] = reason

    def account_for(self, paths: list[str]) -> None:
        """Reject, by name, every file of ``paths`` (the wire folders' files,
        ``files_under``) that no reader took."""
        seen = {os.path.abspath(p) for p in [*self.published, *self.rejected, *self.duplicates]}
        for path in paths:
            if os.path.abspath(path) not in seen:
                self.reject(display_path(path), unread_reason(os.path.basename(path)))


def files_under(folders: list[str]) -> list[str]:
    """Every file in ``folders`` and below, in a stable order, whether a
    reader takes it or not."""
    paths = []
    for folder in folders:
        for root, dirs, files in os.walk(folder):
            dirs.sort()
            paths += [os.path.join(root, name) for name in sorted(files)]
    return paths


_report = BuildReport()
_staged: StagedOutput | None = None
_state: BuildState | None = None
_digest = ""
_inputs: tuple[list[str], str] = ([], "")  # the input folders, and their digest as the build began
_search_shards: list[SearchShard] = []
# The site key as ``configure`` worked it out, the input folders (it covers
# the first three, not the wire folders after them) and the settings' digest
# then: a watching process works it out again for each run.
_site_key: tuple[str, list[str], str] = ("", [], "")
_related: PendingRelated | None = None  # set going by ``start_linking``, taken by ``link_related``
_indexer: SearchIndexer | None = None  # started before the topics are queued (``index_early``)
_listing = None  # what waits for the article folders' listing (``use_object_cache``)
_wire_files: list[str] = []  # every file of the article folders, as listed then (``list_articles``)
_later = Batch(1)  # work done beside the build once the articles are made (``link_stories`` starts it)
_cache_saved = None  # what waits for the articles' cache to be saved, when ``_later`` saves it


#: Allocations between two runs of Python's cycle collector (its default: 700).
#: A build keeps millions of objects alive to the end (stories, articles,
#: topics); at 700 the collector ran 1,500 times in a rebuild of 10,000
#: stories and scanned them all again and again: 3 s of 22. At 20,000: 0.9 s,
#: the same peak memory.
GC_THRESHOLD = 20_000
#: Related stories worked out again in this process, at most, after a story
#: is filed (``start_linking``); a tenth of the archive when larger.
RELATED_AGAIN_AT_MOST = 500
#: Content caches kept, the one in use included (one per version of the
#: settings, theme and code: ``make html`` and ``make publish`` use two).
CONTENT_CACHES_KEPT = 3


def configure(pelican) -> None:
    """Apply the plugin's defaults; stop at once when nothing changed."""
    global _state, _digest, _inputs, _site_key
    gc.set_threshold(GC_THRESHOLD, *gc.get_threshold()[1:])
    settings = pelican.settings
    apply_defaults(settings)
    settings["JINJA_FILTERS"] = {**settings.get("JINJA_FILTERS", {}), "news_article_json": news_article_json,
                                 "by_kind": by_kind, "by_date": by_date}
    # The theme's macros are imported without the page's context (one module
    # per build, not a new one, with its reference cycles, per page): the
    # site-wide values they show are globals.
    settings["JINJA_GLOBALS"] = {**settings.get("JINJA_GLOBALS", {}), "rendered_once": rendered_once,
                                 "SITEURL": settings["SITEURL"], "WIRE_FEED_FILES": settings["WIRE_FEED_FILES"]}
    for template in ("topic", "period_archives", "category"):
        settings["PAGINATED_TEMPLATES"].setdefault(template, None)
    if watches(sys.argv[1:]):
        watch_wire_folders(settings)
    folders = [
        settings["PATH"], settings["THEME"], os.path.dirname(__file__),
        *(os.path.join(settings["PATH"], p) for p in settings["ARTICLE_PATHS"]),
    ]
    _inputs = (folders, digest_taken(folders))
    _digest = input_digest(settings, _inputs[1])
    # What every page shows besides its own stories: settings, theme, pages, code.
    settings_part = settings_digest(settings, ("ARTICLE_PATHS", "PAGE_EXCLUDES"))
    site_key = combined_digest(settings_part, site_files_digest(settings["CACHE_PATH"], pelican.output_path, folders))
    settings["WIRE_SITE_KEY"] = site_key
    _site_key = (site_key, folders, settings_part)
    settings["WIRE_STATE_PATH"] = settings["CACHE_PATH"]
    _state = BuildState(settings["CACHE_PATH"], pelican.output_path)
    # Pelican keys its content cache on the wire file only: a cache per version
    # of the settings, theme and plugin code keeps parser changes from going unseen.
    settings["CACHE_PATH"] = content_cache(settings["CACHE_PATH"], site_key, CONTENT_CACHES_KEPT)
    if not watches(sys.argv[1:]) and _state.is_current(_digest):
        save_record(*_inputs, pelican.output_path)  # the next check need not import Pelican
        discard_early_copy(pelican.output_path)
        console.print(f"Wire: nothing changed since the last build of {pelican.output_path}", highlight=False)
        raise SystemExit(0)
    # Compiled templates are kept with the content cache (0.3 s a build): its
    # folder changes with the theme and every setting Jinja compiles with.
    # Each run of Pelican makes its own environments, so a template read once
    # is current for the whole run: without ``auto_reload`` Jinja does not ask
    # for the time of its file (and of those it extends and imports) at
    # every page, 32,000 times at 10,000 stories.
    templates = os.path.join(settings["CACHE_PATH"], "templates")
    os.makedirs(templates, exist_ok=True)
    settings["JINJA_ENVIRONMENT"] = {**settings["JINJA_ENVIRONMENT"], "auto_reload": False,
                                     "bytecode_cache": jinja2.FileSystemBytecodeCache(templates)}


def site_files_digest(cache_path: str, output: str, folders: list[str]) -> str:
    """The bytes' digest of the pages', theme's and code's folders (the first
    three ``folders``), not of the wire folders after them, should they be
    under the pages' folder: a new story would change every page's key. The
    digests of the files read are kept in the cache for the next build."""
    record = OutputRecord(cache_path, output, "site-files")
    known = record.load()
    known = known if isinstance(known, dict) else {}
    before = dict(known)
    files = folders_content_digest(folders[:3], skip=folders[3:], known=known)
    if known != before:
        record.save(known)
    return files


_pelican_wait_for_changes = None  # Pelican's own, once ``watch_wire_folders`` replaced it


def watch_wire_folders(settings: dict) -> None:
    """Under ``pelican -r`` (``make regenerate``, ``make devserver``) Pelican
    rebuilds when ``PATH``, the theme or the settings file change, and the
    wire folders (``ARTICLE_PATHS``: ``seeds/``, beside ``content/``) are
    none of them: a new wire file waited for an unrelated change. Pelican's
    watcher (``wait_for_changes``, the only one it has) also watches the
    static paths, joined to ``PATH``; an absolute path stays itself there,
    so the wire folders outside ``PATH`` are added to them, for watching
    only (the settings the build uses are left as they are)."""
    global _pelican_wait_for_changes
    if _pelican_wait_for_changes is None:
        _pelican_wait_for_changes = pelican_package.wait_for_changes
    content = os.path.abspath(settings["PATH"])
    folders = [os.path.abspath(os.path.join(content, p)) for p in settings["ARTICLE_PATHS"]]
    outside = [f for f in folders if f != content and not f.startswith(content + os.sep)]

    def wait_for_changes(settings_file, settings):
        watched = {**settings, "STATIC_PATHS": [*settings.get("STATIC_PATHS", []), *outside]}
        return _pelican_wait_for_changes(settings_file, watched)

    pelican_package.wait_for_changes = wait_for_changes


def add_reader(readers) -> None:
    """The wire reader for ``.txt`` files. Where Pelican's reader-level cache
    is off (any other ``CONTENT_CACHING_LAYER``), its look-ups are skipped:
    they keep nothing, yet take the time of each file read twice (20,000
    ``stat`` calls in a cold build of 10,000 stories)."""
    readers.reader_classes["txt"] = WireReader
    if readers.settings["CONTENT_CACHING_LAYER"] != "reader":
        readers.get_cached_data = lambda filename, default=None: default
        readers.cache_data = lambda filename, data: None


def start_report(generator) -> None:
    global _report
    _report = BuildReport()


def use_object_cache(generator) -> None:
    """Articles and pages are kept between builds as made (``object_cache``).

    While the articles' cache loads (0.25 s at 10,000 stories), another
    process lists their folders and takes each file's stamp
    (``list_articles``, 0.15 s): ``read_uncached_ahead`` takes both."""
    global _listing
    if isinstance(generator, ArticlesGenerator):
        _listing = in_background(list_articles, generator, workers=worker_count(generator.settings))
    generator.wire_object_cache = attach_object_cache(generator)
    if generator.wire_object_cache and isinstance(generator, ArticlesGenerator):
        generator.save_cache = functools.partial(save_articles_cache, generator.wire_object_cache)


def save_articles_cache(cache) -> None:
    """Pelican saves the articles' cache once they are made. A cache that
    changed throughout (a cold build: 0.5 s at 10,000 stories) is saved in
    the process of ``_later`` instead, beside the build, which then goes on;
    one new story's shard is saved here at once."""
    global _cache_saved
    if cache.changed_shards > SHARDS // 4:
        _cache_saved = _later.add(cache.save_cache)
    else:
        cache.save_cache()


def list_articles(generator) -> tuple[dict, list[str]]:
    """The stamp of each file of the article folders that a reader takes, by
    name (as Pelican lists them); and every file there, as the build's report
    accounts for them (``files_under``)."""
    settings = generator.settings
    every = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"], extensions=False)
    stamps = {name: generator._get_file_stamp(name) for name in with_extensions(every, generator.readers.extensions)}
    return stamps, files_under([os.path.join(settings["PATH"], p) for p in settings["ARTICLE_PATHS"]])


def freeze_loaded(generator) -> None:
    """The content cache is loaded: a million objects that live to the end
    of the build. The collector skips them from now on (0.5 s of a rebuild
    of 10,000 stories); it was off while they were made (``add_generators``),
    as none of them is garbage.

    It stays off to the end of the build (``finish_build``): what a build
    makes lives to its end or is freed by reference counting, and its few
    reference cycles add 5-8 MB to a 400 MB process at 10,000 stories,
    where looking for them took 0.4 s of a cold build's main process (and
    0.25 s of the process that saves the cache). A watching process
    (``pelican -r``) lives on after a run that fails: it keeps it on."""
    gc.freeze()
    if watches(sys.argv[1:]):
        gc.enable()


def read_uncached_ahead(generator) -> None:
    """Read the wire files Pelican has no cached copy of, in the processes
    ``start_reading`` started (or others: ``read_ahead``)."""
    global _listing, _wire_files
    settings = generator.settings
    paths = []
    objects = generator.wire_object_cache
    stamps, _wire_files = _listing() if _listing else list_articles(generator)
    _listing = None
    files = sorted(stamps)  # Pelican reads (and reports) the files in this order: the same every run
    if objects:
        objects.take_stamps(stamps)
    for name in files:
        path = os.path.abspath(os.path.join(generator.path, name))
        cached = objects.is_fresh(name) if objects else generator.readers.get_cached_data(path, None) is not None
        if path.endswith(".txt") and not cached:
            paths.append(path)
    started = WireReader.read_ahead if isinstance(WireReader.read_ahead, ReadAhead) else None
    WireReader.read_ahead = read_ahead(paths, settings["WIRE_MAX_BYTES"], worker_count(settings),
                                       slug_substitutions(settings), started)
    # Files of Pelican's disabled readers (Markdown without its package) are
    # named once, with the others no reader takes ("not a wire file"), not
    # also in Pelican's warning about the reader.
    listed_once(generator, {None: files, frozenset(generator.readers.disabled_extensions): set()})


def with_extensions(files: set[str], extensions: Iterable[str]) -> set[str]:
    """The ``files`` that Pelican lists for these extensions (its ``_include_path``)."""
    wanted = frozenset(extensions)
    return {name for name in files if os.path.splitext(os.path.basename(name))[1][1:] in wanted}


def listed_once(generator, listings: dict) -> None:
    """Pelican lists the article folders twice more: the files it reads
    (``extensions`` None), then those of its disabled readers (to warn about
    them). Each of these listings comes from ``listings`` (by the extensions
    asked for), once: each would walk the 10,000 files of an archive again."""
    settings = generator.settings
    folders = (settings["ARTICLE_PATHS"], settings["ARTICLE_EXCLUDES"])
    pending = dict(listings)

    def get_files(paths, exclude=None, extensions=None):
        wanted = None if extensions is None else False if extensions is False else frozenset(extensions)
        if (paths, exclude) != folders or wanted not in pending:
            return type(generator).get_files(generator, paths, exclude, extensions)
        listing = pending.pop(wanted)
        if not pending:
            del generator.get_files  # the generator's own method again
        return listing

    generator.get_files = get_files


def file_articles_as_made(generator) -> None:
    """Pelican files each article in the context under its path relative to
    ``PATH`` (``add_source_path``), and scans its HTML for ``{static}`` links
    (``add_static_links``), both anew in every build: 0.35 s and 0.2 s of a
    rebuild at 10,000 stories. The path is the one the article worked out
    when it was made (``relative_source_path``, kept with it by the object
    cache); a story's HTML has no such links (``render`` escapes every piece
    of wire text, and its own tags have no URL)."""
    context, add_static_links = generator.context, generator.add_static_links

    def add_source_path(content, static=False):
        context["static_content" if static else "generated_content"][content.relative_source_path] = content

    def add_story_links(content):
        if not is_story(content):
            add_static_links(content)

    generator.add_source_path = add_source_path
    generator.add_static_links = add_story_links


def start_reading(settings: dict) -> None:
    """Start the processes that read the wire files before Pelican loads its
    cache and lists the files (``read_uncached_ahead`` gives them the files):
    they get ready meanwhile, and a rebuild does not wait for them. One
    process in a rebuild, where few files are new, else one per core."""
    stop_reading_ahead(None)
    workers = worker_count(settings)
    if workers >= 2:
        WireReader.read_ahead = ReadAhead(1 if will_load(settings, ArticlesGenerator.__name__) else workers)


def stop_reading_ahead(generator) -> None:
    """Every wire file is read: no worker outlives the reading."""
    ahead, WireReader.read_ahead = WireReader.read_ahead, {}
    if isinstance(ahead, ReadAhead):
        ahead.close()


def note_rejection(generator, metadata) -> None:
    """Report a rejected file in one line, whether it was read now or cached."""
    reason = metadata.get("wire_rejected")
    if reason:
        _report.reject(metadata.get("wire_source", "?"), reason)


def is_story(article) -> bool:
    return hasattr(article, "story")


def collate_stories(generator) -> None:
    """Drop duplicate filings and non-wire files, make every permalink unique,
    fix the order."""
    for other in [a for a in generator.articles if not is_story(a)]:
        _report.reject(display_path(other.source_path), "not a wire file (.txt expected)")
    stories = [a for a in generator.articles if is_story(a)]
    by_source = {a.wire_source: a for a in stories}
    records = [
        StoryRecord(a.wire_source, a.source_id, a.text_hash, a.story.date, a.slug)
        for a in stories
    ]
    dropped = set()
    for duplicate in find_duplicates(records):
        logger.warning(
            "%s: same story as %s (%s); published once, from %s",
            duplicate.dropped, duplicate.kept, duplicate.reason, duplicate.kept,
        )
        _report.duplicates.append(duplicate.dropped)
        dropped.add(duplicate.dropped)
    kept = [r for r in records if r.file_name not in dropped]
    for file_name, slug in unique_slugs(kept).items():
        article = by_source[file_name]
        if article.slug != slug:
            article.slug = slug
            fix_url(article)
    for file_name, rank in filing_ranks(kept).items():
        article = by_source[file_name]
        article.feed_updated = article.date + datetime.timedelta(seconds=rank)
    generator.articles = sorted(
        (a for a in stories if a.wire_source not in dropped),
        key=lambda a: (a.feed_updated, a.wire_source),
        reverse=True,
    )
    _report.published = [r.file_name for r in kept]


def fix_url(content) -> None:
    """Fix a story's URL and path when Pelican makes it (it would otherwise
    derive them again on each use), and its card (what a list shows of it);
    they are cached with it. Only a story renamed by ``collate_stories``
    gets them again."""
    if is_story(content):
        content.__dict__.pop("override_url", None)  # so that Pelican derives them anew
        content.__dict__.pop("override_save_as", None)
        content.override_url, content.override_save_as = url_and_save_as(content)
        content.wire_card = digest(
            content.url, content.title, content.date.isoformat(), content.category.name,
            content._content, repr([(e.kind, e.key, e.name) for e in content.entities]),
        )


def url_and_save_as(article) -> tuple[str, str]:
    """The article's ``url`` and ``save_as`` as Pelican derives them, from
    one set of its URL fields: each use of ``url_format`` copies the metadata
    and resolves the source path again (0.5 s per 10,000 stories). Where the
    patterns name only the slug, date and language (the site's do), those
    are the fields, as ``url_format`` gives them: it also works out the
    source path and the category's slug (0.8 s per 10,000, profiled)."""
    if not article.in_default_lang:  # Pelican's LANG_ variants
        return article.url, article.save_as
    patterns = [str(article.settings[f"ARTICLE_{key}"]) for key in ("URL", "SAVE_AS")]
    if all(pattern_fields(pattern) <= {"slug", "date", "lang"} for pattern in patterns):
        fields = {"slug": getattr(article, "slug", ""), "lang": getattr(article, "lang", "en"),
                  "date": getattr(article, "date", None) or article.url_format["date"]}
    else:
        fields = article.url_format
    return tuple(pattern.format(**fields) for pattern in patterns)


@functools.cache
def pattern_fields(pattern: str) -> frozenset[str]:
    """The fields a ``str.format`` pattern names ("date" of "{date:%Y}")."""
    return frozenset(re.split(r"[.\[]", field, maxsplit=1)[0]
                     for _text, field, _spec, _conversion in string.Formatter().parse(pattern) if field is not None)


@dataclass(frozen=True)
class PendingRelated:
    """The related stories of ``stories`` as ``start_linking`` set them
    going, for ``link_related`` to take."""

    stories: list
    topic_keys: list[list[str]] | None  # to save in ``record``; None: the same as the last build's
    record: OutputRecord
    result: Callable[[], list[list[int]]]  # each story's related stories, by index: waits for them
    ready: bool  # worked out already: taking them waits for nothing


def start_linking(generator) -> None:
    """Give each story its topics once the stories and their order are final
    (``collate_stories``), and work out the related stories.

    When one story was filed since the last build, they are worked out from
    the last build's (``related_after_insert``): 0.1 s at 10,000 stories.
    Else they are worked out in another process (``_later``, started once
    the articles are made; ``link_related`` takes them, just before the
    writes), while this one does Pelican's taxonomy pass, indexes the topics
    and queues every page and feed: 1.3 s at 10,000 stories, which a build
    used to wait for."""
    global _related
    stories = generator.articles  # only stories remain after collate_stories
    for article in stories:
        article.topics = [entity_topic(e) for e in article.entities]
    topic_keys = [[topic.url for topic in article.topics] for article in stories]
    record = related_record(generator.settings)
    last = record.load()
    if not (isinstance(last, dict) and isinstance(last.get("keys"), list) and isinstance(last.get("related"), list)):
        last = {"keys": None, "related": None}
    if topic_keys == last["keys"]:
        _related = PendingRelated(stories, None, record, lambda: last["related"], True)  # the same: not saved again
        return
    quick = None
    if last["keys"]:  # a story filed late would have most of them worked out again: in another process
        most = max(RELATED_AGAIN_AT_MOST, len(topic_keys) // 10)
        quick = related_after_insert(topic_keys, last["keys"], last["related"], most=most)
    if quick is not None:
        _related = PendingRelated(stories, topic_keys, record, lambda: quick, True)
    else:
        _related = PendingRelated(stories, topic_keys, record, _later.add(related_indexes, topic_keys), False)


def related_record(settings: dict) -> OutputRecord:
    """The last build's stories' topic keys and related stories, by index.
    In the content cache: a change of settings, theme or code starts anew."""
    return OutputRecord(settings["CACHE_PATH"], settings["WIRE_PUBLISHED_OUTPUT"], "related")


def link_stories(generator) -> None:
    """Give each story its neighbours in time, once Pelican's taxonomy pass
    is done (whose category and author pages the plugin writes itself)."""
    stories = generator.articles
    # Category pages and period archives are written by TopicsGenerator in one
    # pass; Pelican's own would scan every story once per category and period.
    generator.categories, generator.authors = [], []
    neighbors = time_neighbors(stories)
    for index, article in enumerate(stories):
        article.newer, article.older = neighbors[index]
    generator.generate_articles = functools.partial(write_story_pages, generator)
    generator.refresh_metadata_intersite_links = functools.partial(refresh_links_but_stories, generator)
    _later.start()


def refresh_links_but_stories(generator) -> None:
    """Pelican's ``refresh_metadata_intersite_links``, for all but the stories
    (``generator.articles`` holds only stories by now). It rewrites
    ``{filename}`` links in each summary; a story's summary is its lede, plain
    text from the wire, which must stay as filed (and 10,000 scans take 0.05 s)."""
    stories, generator.articles = generator.articles, []
    try:
        type(generator).refresh_metadata_intersite_links(generator)
    finally:
        generator.articles = stories


def write_story_pages(generator, write) -> None:
    """Pelican's ``generate_articles``, a day's stories at a time: each day's
    story pages are a group (``IncrementalWriter.write_group``), kept whole
    in a rebuild when its stories, with their neighbours and related stories
    (``wire_page_key``), are as they were; else Pelican queues them. Their
    key is asked for just before the writes, once ``link_related`` is done.

    Pelican's own loop, as it is, where the site has more than stories in
    one language, or pages with relative URLs (keyed as Pelican renders them).
    """
    writer = IncrementalWriter.current
    if (generator.translations or generator.hidden_translations or generator.hidden_articles
            or generator.settings["RELATIVE_URLS"] or writer is None):
        type(generator).generate_articles(generator, write)
        return
    days: dict[datetime.date, list] = {}
    for article in generator.articles:
        days.setdefault(article.date.date(), []).append(article)
    categories: dict[int, str] = {}

    def day_key(stories: list, paths: list[str]) -> str | None:
        parts = []
        for article, path in zip(stories, paths, strict=True):
            story_key = getattr(article, "wire_page_key", None)
            if story_key is None:
                return None
            category = article.category
            if id(category) not in categories:
                categories[id(category)] = fingerprint(category)
            parts.append(f"{path}|{article.template}|{story_key}|{categories[id(category)]}")
        templates = {generator.get_template(article.template).name for article in stories}
        return writer.group_key(generator.context, templates, *parts)

    def queue(stories: list) -> None:
        everyone, generator.articles = generator.articles, stories
        try:
            type(generator).generate_articles(generator, write)
        finally:
            generator.articles = everyone

    for day, stories in days.items():
        paths = [article.save_as for article in stories]  # a Pelican property: worked out once
        writer.write_group(f"stories/{day.isoformat()}", functools.partial(day_key, stories, paths),
                           functools.partial(queue, stories), names=paths)


def link_related() -> None:
    """Give each story its related stories, and the key of its page (which
    shows them), once ``start_linking``'s related stories are worked out.
    Nothing reads them before the writer renders and keys the pages."""
    global _related
    if _related is None:  # no story was linked
        return
    pending, _related = _related, None
    stories, rows = pending.stories, pending.result()
    if pending.topic_keys is not None:
        pending.record.save({"keys": pending.topic_keys, "related": rows})
    for article, related in zip(stories, rows, strict=True):
        article.related_stories = [stories[other] for other in related]
        article.wire_page_key = digest(
            article.wire_card,
            *(getattr(a, "wire_card", "-") for a in (article.newer, article.older, *article.related_stories)),
        )


def index_early(generator, writer) -> None:
    """Start the search index once the story pages are queued, when the
    related stories are worked out already (a rebuild after a story was
    filed, see ``start_linking``): the pages Pagefind reads are written
    first, and it indexes the new story's month (0.45 s at 10,000 stories)
    while the topics' pages and feeds are queued, and no longer after
    them. A cold build waits for nothing here: its stories' pages go first
    in the writes anyway, with every core busy."""
    global _indexer
    if not (generator.settings["WIRE_SEARCH_INDEX"] and _related is not None and _related.ready
            and isinstance(writer, IncrementalWriter)):
        return
    link_related()
    _indexer = SearchIndexer(_staged.staging, _staged.final, _search_shards, writer.previous, writer.staged)
    if _indexer.names_its_pages:
        writer.start_background(_indexer)


def fix_page_urls(generator) -> None:
    """Every page lists the hand-written pages: fix their URLs once, as the
    stories' (Pelican would re-derive them on each use)."""
    for page in generator.pages:
        page.override_url, page.override_save_as = page.url, page.save_as


def finish_build(pelican) -> None:
    """Publish the staged output, then end with the count of what was published
    and rejected (and fail a strict build that rejected files)."""
    settings = pelican.settings
    writer = IncrementalWriter.current
    link_related()
    if settings["WIRE_SEARCH_INDEX"]:
        indexer = _indexer or SearchIndexer(_staged.staging, _staged.final, _search_shards, writer.previous,
                                            writer.staged)
        held = writer.clear_staged(keep=indexer.keys, later=indexer.walks)
        writer.flush(background=indexer)  # Pagefind runs while the writer goes on
        indexer.wait()
        writer.delete_staged(held)
        writer.keys.update(indexer.keys)
        writer.reused += indexer.reused
    else:
        writer.clear_staged()
        writer.flush()
    if _cache_saved is not None:
        _cache_saved()  # long done: the related stories and the cache take about 1 s
    _report.account_for(_wire_files)
    writer.forget_manifest()
    writer.save_manifest(_staged.publish(writer.previous))
    gc.enable()  # off since the cache was loaded (``freeze_loaded``)
    # A watching process (pelican -r) took the inputs' digest when it started:
    # it cannot vouch for the inputs of a later run, so the next build checks.
    # A strict build that rejected files fails: the next one must run again.
    if watches(sys.argv[1:]) or (_report.rejected and settings.get("WIRE_STRICT")):
        _state.forget()
        forget_record()
    elif _report.rejected:
        _state.forget()  # Pelican run without the check reports the rejected files again
        save_record(*_inputs, pelican.output_path,
                    rejected=[f"{source}: {reason}" for source, reason in _report.rejected.items()])
    else:
        _state.save(_digest)
        save_record(*_inputs, pelican.output_path)
        if os.path.basename(sys.argv[0]) == "pelican" and not watches(sys.argv[1:]):
            atexit.register(exit_without_teardown)  # runs first: registered last
    rejected = len(_report.rejected)
    console.print(
        f"Wire: {len(_report.published)} stories published, {rejected} files rejected, "
        f"{len(_report.duplicates)} duplicates skipped; "
        f"{writer.reused} of {len(writer.keys)} keyed files unchanged since the last build",
        highlight=False,
        soft_wrap=True,
    )
    if rejected and pelican.settings.get("WIRE_STRICT"):
        logger.error("Strict build failed: %d wire files rejected", rejected)
        raise SystemExit(1)  # a clean exit status, without Pelican's traceback


def exit_without_teardown() -> None:
    """End a successful ``pelican`` command at once, as mypy's fast exit does.

    At exit Python would free the build's millions of objects one by one:
    2 s at 10,000 stories, for nothing. Only after a build that succeeded,
    in a process that is the ``pelican`` command (not watching for changes).
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


def add_writer(pelican):
    _staged.take_linked_copy()  # nothing is written before the writer exists
    return IncrementalWriter


def finish_context(generators) -> None:
    """Once every story is read: the site key gains the category names (pages
    list them: a new one changes every page), then the search shards are keyed."""
    global _search_shards
    context, settings = generators[0].context, generators[0].settings
    stories = context.get("articles", [])  # only stories remain after collate_stories
    names = sorted({a.category.name for a in stories})
    settings["WIRE_SITE_KEY"] = digest(_site_key[0], *names)  # the run's, not the last run's extended
    _search_shards = search_shards(stories, settings["WIRE_SITE_KEY"], lambda a: a.wire_card)
    context["wire_search_bundles"] = [shard.bundle for shard in _search_shards]


def add_generators(pelican):
    """Start of every run (also under ``-r``): stage the output, add our generator."""
    global _staged, _related, _indexer, _listing, _later, _cache_saved, _wire_files, _site_key
    if watches(sys.argv[1:]):
        # The settings are the process's, read once; the theme, pages and
        # code may have changed since the last run.
        _, folders, settings_part = _site_key
        output = getattr(pelican, "wire_final_output", None) or pelican.output_path
        files = site_files_digest(pelican.settings["WIRE_STATE_PATH"], output, folders)
        _site_key = (combined_digest(settings_part, files), folders, settings_part)
    pelican.settings["WIRE_SITE_KEY"] = _site_key[0]
    _staged = StagedOutput(pelican)
    start_reading(pelican.settings)
    _related = _indexer = _listing = _cache_saved = None
    _wire_files = []
    _later = Batch(worker_count(pelican.settings))
    forget_rendered()
    gc.unfreeze()  # what the last run froze (watch mode) may be garbage now
    gc.disable()  # until the content cache is loaded: freeze_loaded
    return TopicsGenerator


def register() -> None:
    signals.initialized.connect(configure)
    signals.readers_init.connect(add_reader)
    signals.content_object_init.connect(fix_url)
    signals.article_generator_init.connect(use_object_cache)  # first: the collector is off
    signals.article_generator_init.connect(freeze_loaded)
    signals.article_generator_init.connect(start_report)
    signals.article_generator_init.connect(read_uncached_ahead)
    signals.article_generator_init.connect(file_articles_as_made)
    signals.article_generator_context.connect(note_rejection)
    signals.article_generator_pretaxonomy.connect(stop_reading_ahead)
    signals.article_generator_pretaxonomy.connect(collate_stories)
    signals.article_generator_pretaxonomy.connect(start_linking)  # after collate_stories
    signals.article_generator_finalized.connect(link_stories)
    signals.article_writer_finalized.connect(index_early)
    signals.page_generator_init.connect(use_object_cache)
    signals.page_generator_finalized.connect(fix_page_urls)
    signals.get_generators.connect(add_generators)
    signals.all_generators_finalized.connect(finish_context)
    signals.get_writer.connect(add_writer)
    signals.finalized.connect(finish_build)
