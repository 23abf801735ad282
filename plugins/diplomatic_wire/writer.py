"""A Pelican writer that does not render what has not changed.

Each page gets a *render key*: a digest of everything its template shows (the
site's settings, theme and pages; the story or the page of stories; the topic,
period or category it is about). When the last build wrote the same file with
the same key, the file is linked from the published folder instead of being
rendered again. A page whose inputs cannot be keyed is always rendered, so a
missing key costs time, never correctness.
"""

from __future__ import annotations

import datetime
import gc
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
from collections.abc import Callable, Iterable, Iterator, Sequence

from pelican.writers import Writer

from .incremental import OutputRecord, files_record
from .pagination import AnchoredPage, paginate
from .settings import worker_count

logger = logging.getLogger(__name__)

# Context entries that a page's template reads and that differ from page to page.
_PAGE_ENTRIES = ("article", "page", "articles_page", "dates_page", "topic", "roles", "related",
                 "category", "period", "period_num", "heading", "kind", "topics")
_SIMPLE = (str, int, float, bool, type(None), datetime.date)
#: The entries that differ between the pages of one paginated list.
_PAGE_OWN = ("articles_page", "dates_page")
#: Names the group of a list's pages after the first (``_keep_later_pages``).
_LATER_PAGES = "#later"


class Unkeyable(Exception):
    """A value whose content cannot be summed up cheaply and safely."""


def digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def fingerprint(value) -> str:
    """A stable summary of what a template can show of ``value``."""
    if isinstance(value, _SIMPLE):
        return repr(value)
    card = getattr(value, "wire_card", None)  # a story in a list
    if card is not None:
        return card
    if isinstance(value, (list, tuple)):
        if value and hasattr(value[0], "wire_card"):
            try:  # most lists are stories: their cards, without a call per story
                return "[" + ",".join([v.wire_card for v in value]) + "]"
            except (AttributeError, TypeError):
                pass
        # Others (a country page's related countries, with their counts)
        # without an exception per list and item: 48 -> 21 µs a list of eight.
        return "[" + ",".join([fingerprint(v) for v in value]) + "]"
    if isinstance(value, AnchoredPage):  # a page of stories; only the first may show their count
        count = value.paginator.count if value.number == 1 else ""
        return f"p{value.number}{value.neighbours()}{count}:{fingerprint(list(value.object_list))}"
    if hasattr(value, "topic") and hasattr(value, "stories"):  # TopicStories
        # Its pages' key sums up all this and more: an index of 2,000 topics
        # would join 80,000 cards again.
        return value.pages_key or f"{value.topic!r}{fingerprint(value.stories)}{sorted(value.roles.items())!r}"
    if hasattr(value, "kind") and hasattr(value, "key"):  # Topic
        return repr(value)
    if hasattr(value, "slug") and hasattr(value, "url") and not hasattr(value, "content"):  # Category
        return f"{value}|{value.url}"
    if hasattr(value, "content") and hasattr(value, "url"):  # a Pelican page
        return digest(value.url, str(value.title), value.content)
    raise Unkeyable(type(value).__name__)


class PageContext:
    """What Pelican would render one page with: the page's own values over
    the site's context, looked up without copying the context (nor making a
    generator per lookup, as ``ChainMap`` does: 22,000 pages x 13 names)."""

    __slots__ = ("own", "site")

    def __init__(self, own: dict, site: dict) -> None:
        self.own, self.site = own, site

    def __contains__(self, name: str) -> bool:
        return name in self.own or name in self.site

    def __getitem__(self, name: str):
        own = self.own
        return own[name] if name in own else self.site[name]

    def get(self, name: str, default=None):
        own = self.own
        return own[name] if name in own else self.site.get(name, default)


def page_key(site_key: str, template_name: str, localcontext: dict | PageContext,
             sitewide: frozenset = frozenset()) -> str | None:
    """The render key of one output file, or None when it cannot be keyed.

    Templates in ``sitewide`` show site-wide counts (of topics, categories)
    on their first page: those pages also depend on them.
    """
    parts = [site_key, template_name, localcontext["output_file"]]
    page = localcontext.get("articles_page")
    if template_name in sitewide and (page is None or page.number == 1):
        parts.append(localcontext.get("wire_counts_key", "?"))
    try:
        for name in _PAGE_ENTRIES:
            if name in localcontext:
                value = localcontext[name]
                if name == "article":
                    value = getattr(value, "wire_page_key", None)
                    if value is None:
                        return None
                parts.append(f"{name}={fingerprint(value)}")
        if not any(n in localcontext for n in ("article", "page", "articles_page")):
            # not one story, page or page of stories: it may show any story given
            parts.append(_whole_list_fingerprint(localcontext.get("dates", [])))
            parts.append(_whole_list_fingerprint(localcontext.get("articles", [])))
    except Unkeyable:
        return None
    return digest(*parts)


#: While ``flush`` writes: id -> (list, fingerprint) of the lists of every
#: story that the site's direct templates all get (``_whole_list_fingerprint``).
_whole_lists: dict[int, tuple[list, str]] | None = None


def _whole_list_fingerprint(stories: list) -> str:
    """``fingerprint(stories)``, once per flush for each list: the archives,
    search, categories and 404 pages all get the same lists of every story
    (10,000 cards joined per list and page). The list is kept with its
    fingerprint, so that no other list can take its id meanwhile.
    """
    if _whole_lists is None:
        return fingerprint(stories)
    found = _whole_lists.get(id(stories))
    if found is None:
        found = _whole_lists[id(stories)] = (stories, fingerprint(stories))
    return found[1]


_BYTES = object()  # marks a queued write of ready bytes (feeds)


class Reused(str):
    """Stands for a rendering: the bytes are those of the last build's file."""

    def __new__(cls, source: str) -> Reused:
        reused = super().__new__(cls, "")
        reused.source = source
        return reused


class _DeferredFile:
    """What ``_open_w`` returns: writes the text in the file Pelican opened,
    or links a reused file in its place."""

    def __init__(self, handle) -> None:
        self.handle = handle

    def __enter__(self) -> _DeferredFile:
        return self

    def __exit__(self, *exc) -> None:
        self.handle.close()

    def write(self, output: str) -> None:
        if isinstance(output, Reused):
            self.handle.close()
            os.remove(self.handle.name)  # the empty file Pelican opened
            link_or_copy(output.source, self.handle.name)
        else:
            self.handle.write(output)


def link_or_copy(source: str, target: str) -> None:
    """A hard link, or a copy where the file system cannot link (never over
    an existing file: that one could be linked to a published file)."""
    try:
        os.link(source, target)
    except (FileExistsError, FileNotFoundError):
        raise
    except OSError:
        shutil.copy2(source, target)


def _queue_order(job: tuple) -> tuple[bool, int]:
    """Sort key, the first first: feeds (ready bytes), then pages by how many
    stories they list, the longest first, so that no long one is left for last.

    Feeds go first because a feed entry, serialised once, is kept for every
    feed of the process: those written before other writers are forked
    (while Pagefind runs) are never serialised again.
    """
    if job[0] is _BYTES:
        return True, 1
    kwargs = job[4]
    page = kwargs.get("articles_page")
    return False, len(page.object_list if page else kwargs.get("articles") or ())


def _output_name(job: tuple) -> str:
    return job[1] if job[0] is _BYTES else job[0]


def _read_first(background, jobs: list) -> tuple[list, list]:
    """The ``jobs`` that write files ``background`` reads, in its ``order``,
    and the others, in theirs (see ``IncrementalWriter.flush``)."""
    first: list[tuple] = []
    rest: list[tuple] = []
    for job in jobs:
        (first if background.reads(_output_name(job)) else rest).append(job)
    first.sort(key=lambda job: background.order(_output_name(job)))
    return first, rest


def _take_in_turn(jobs: list, taken) -> Iterator:
    """The jobs, in queue order, each taken by one of the processes sharing
    the counter ``taken``."""
    while True:
        with taken.get_lock():
            index = taken.value
            taken.value += 1
        if index >= len(jobs):
            return
        yield jobs[index]


class _KeyedTemplate:
    """Wraps a Jinja template so that rendering asks the writer first (for
    pages with relative URLs, whose key needs Pelican's own context)."""

    def __init__(self, template, writer: IncrementalWriter) -> None:
        self.template, self.writer = template, writer

    def render(self, localcontext: dict) -> str:
        return self.writer.render_or_reuse(self.template, localcontext)


class IncrementalWriter(Writer):
    """Pelican's writer, reusing unchanged files of the published folder.

    Writes are queued and carried out by ``flush`` at the end of the build,
    shared out among ``WIRE_WORKERS`` processes: every page is rendered from
    the same finished context, so which process writes it cannot change a
    byte of the output.
    """

    current: IncrementalWriter | None = None  # the writer of the running build

    def __init__(self, output_path, settings=None):
        super().__init__(output_path, settings=settings)
        IncrementalWriter.current = self
        self.published = settings["WIRE_PUBLISHED_OUTPUT"]
        self.site_key = settings["WIRE_SITE_KEY"]
        self.sitewide = frozenset(settings["WIRE_SITEWIDE_TEMPLATES"])
        # Render keys of the files of the published folder, kept in the cache.
        # The record of each file of the published folder: its render key, or
        # None for the files written without one (theme files, the sitemap).
        self.manifest = files_record(settings["WIRE_STATE_PATH"], self.published)
        self.previous: dict[str, str | None] = self.manifest.load() or {}
        # The same record of the files the staging folder starts with (the
        # spare, see ``staging``): a file whose key is the same is left as it is.
        self.staged: dict[str, str] = settings.get("WIRE_STAGED_FILES") or {}
        # The key of each group of files (``write_group``), this build's and the last's.
        self.group_record = OutputRecord(settings["WIRE_STATE_PATH"], self.published, "groups")
        previous_groups = self.group_record.load() if self.previous else None
        self.previous_groups: dict[str, str] = previous_groups if isinstance(previous_groups, dict) else {}
        self.groups: dict[str, str] = {}
        self._previous_by_folder: dict[str, list[tuple[str, str | None]]] | None = None
        self._kept: set[str] = set()  # files kept by ``write_group``, never queued
        self._written_early: set[str] = set()  # by ``start_background``
        self._deferred: list[tuple] = []  # groups whose key is asked for later (``queue_deferred``)
        self._site_values: tuple[dict, str | None] | None = None  # (context, its fingerprint)
        self.keys: dict[str, str] = {}
        self.reused = 0
        self.workers = worker_count(settings)
        self.jobs: list[tuple] = []
        self._folders: set[str] = set()  # made in the output folder by this process

    def write_file(self, name, template, context, relative_urls=False, paginated=None, template_name=None,
                   override_output=False, url=None, first_page=None, **kwargs):
        """Queue a write, as Pelican's ``write_file`` would make it; a paginated
        template is queued page by page, anchored at the oldest story
        (``pagination``). ``first_page``: template variables that only the
        first page shows, so that later pages do not change with them."""
        if not name:
            return
        options = {"relative_urls": relative_urls, "override_output": override_output, "url": url}
        if paginated is None:
            paginated = {key: value for key, value in kwargs.items() if key in ("articles", "dates")}
        if paginated and template_name in self.settings["PAGINATED_TEMPLATES"]:
            per_page = self.settings["PAGINATED_TEMPLATES"][template_name] or self.settings["DEFAULT_PAGINATION"]
            pages = paginate(name, url, paginated, self.settings, per_page, first_page)
            if (len(pages) > 1 and "articles" in paginated and not relative_urls
                    and self._keep_later_pages(name, template, context, kwargs, pages[1:])):
                pages = pages[:1]
            for save_as, variables in pages:
                self.jobs.append((save_as, template, context, options, {**kwargs, **variables}))
        else:
            self.jobs.append((name, template, context, options, {**(first_page or {}), **kwargs}))

    def start_background(self, background) -> None:
        """Write the queued files that ``background`` reads and start it,
        before the rest of the site is queued: a rebuild's search index of
        the new story's month then runs beside the topics' queueing instead
        of after it. ``flush`` later writes the rest (see there)."""
        self.queue_deferred()
        first, rest = _read_first(background, self.jobs)
        if not first:
            return
        self.jobs = rest
        background.start([_output_name(job) for job in first])
        for job in first:
            self._run([job])
            self._written_early.add(_output_name(job))
            background.busy(_output_name(job))

    def flush(self, background=None) -> None:
        """Carry out the queued writes, in parallel when there are workers.

        Each process takes the next write as soon as it is free: writes differ
        a thousandfold in size (a story page; a topic with a thousand pages).

        ``background`` is work that reads some of the output (the search
        index) and uses the other cores meanwhile. The files it ``reads`` are
        written first, in its ``order``, and it is told of each once written
        (``busy(name)``), so that it can start on the first part it reads
        while the writer goes on with the next. The writes go on in this
        process alone while it is busy, and in every process once it is not.
        """
        global _whole_lists
        self.queue_deferred()
        jobs, self.jobs = self.jobs, []
        jobs.sort(key=_queue_order, reverse=True)
        _whole_lists = {}  # the context's lists do not change while it writes
        try:
            if background is None:
                self._share(jobs)
                return
            first, rest = _read_first(background, jobs)
            background.start([_output_name(job) for job in first])
            self._share(first + rest, background.busy)
        finally:
            _whole_lists = None

    def _share(self, jobs: list, busy=None) -> None:
        """Write ``jobs`` in this process and ``workers - 1`` forked ones,
        which start once ``busy(name)`` is false: it is asked with the name
        of each file this process has written until then."""
        taken = multiprocessing.get_context("fork").Value("q", 0)  # how many jobs were taken, shared
        children: list[tuple[int, str]] = []

        def fork_workers() -> None:
            for worker in range(1, min(self.workers, len(jobs))):
                children.append(self._fork_worker(worker, jobs, taken))

        if busy is None:
            fork_workers()
        try:
            for job in _take_in_turn(jobs, taken):
                self._run([job])
                if busy is not None and not busy(_output_name(job)):
                    busy = None
                    fork_workers()
        finally:
            failed = [pid for pid, _ in children if os.waitpid(pid, 0)[1] != 0]
        if failed:
            raise RuntimeError("a page-writing worker failed (see the error above)")
        for _, result in children:
            with open(result, encoding="utf-8") as handle:
                done = json.load(handle)
            os.remove(result)
            self.keys.update(done["keys"])
            self.reused += done["reused"]

    def _fork_worker(self, worker: int, jobs: list, taken) -> tuple[int, str]:
        """A process that writes jobs in turn with this one: (pid, its result file)."""
        result = os.path.join(self.output_path, f".wire-worker-{worker}.json")
        # The child only reads the finished context: its collector need not
        # scan it, nor copy its memory pages by touching them. It lives to the
        # end of the build in this process too (the next run unfreezes it).
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child process
            status = 1
            try:
                self.keys, self.reused = {}, 0  # the child reports only its own
                self._run(_take_in_turn(jobs, taken))
                with open(result, "w", encoding="utf-8") as handle:
                    json.dump({"keys": self.keys, "reused": self.reused}, handle)
                status = 0
            except BaseException:
                logger.exception("Writing pages failed")
            finally:
                os._exit(status)
        return pid, result

    def _run(self, jobs) -> None:
        for job in jobs:
            if job[0] is _BYTES:
                self._write_bytes(*job[1:])
            else:
                self._write_page(*job)

    def group_key(self, context: dict, template_names: Iterable[str], *parts: str) -> str | None:
        """The key of a group of files made with ``template_names`` (and
        feeds) from ``parts`` and the site's ``context``: the inputs of each
        file's render key (``page_key``) but the values each file has of its
        own, which ``parts`` must determine. None when they cannot be keyed."""
        if self._site_values is None or self._site_values[0] is not context:
            try:  # once: the context does not change while pages are queued
                values = "".join(f"{n}={fingerprint(context[n])}" for n in _PAGE_ENTRIES if n in context)
            except Unkeyable:
                values = None
            self._site_values = (context, values)
        values = self._site_values[1]
        if values is None:
            return None
        template_names = sorted(set(template_names))
        counts = context.get("wire_counts_key", "?") if self.sitewide.intersection(template_names) else ""
        return digest(self.site_key, *template_names, values, counts, *parts)

    def write_group(self, group: str, key, queue: Callable[[], None], names: Sequence[str] | None = None) -> None:
        """Queue the files of ``group`` by calling ``queue()``, unless the
        last build made them from the same group ``key`` and the staging
        folder holds each of them as it was: then their keys are those of
        the last build, and they are kept as they are, without being queued
        or keyed again. The files are ``names``, or else those under the
        folder ``group`` (two levels deep: ``countries/ke/``).

        ``key`` (see ``group_key``) must change whenever a render key of one
        of the files would: a topic's thousand pages and feeds are then
        looked at once, not one by one, in a rebuild. A callable ``key`` is
        asked for once every write is queued (``queue_deferred``): a story
        page's key needs the related stories, which come last.
        """
        if callable(key):
            self._deferred.append((group, key, queue, names))
            return
        if key is not None and self._keep(group, key, lambda: self._files_last_made_in(group) if names is None
                                          else [(n, self.previous.get(n)) for n in names]):
            return
        queue()

    def _keep(self, group: str, key: str, files: Callable[[], list[tuple[str, str | None]]]) -> bool:
        """Record the group's key; keep its ``files`` (name, last key) as
        they are when the last build made them from the same key and the
        staging folder holds each of them with that key."""
        self.groups[group] = key
        if self.previous_groups.get(group) != key:
            return False
        kept = files()
        if not kept or not all(k is not None and self.staged.get(name) == k for name, k in kept):
            return False
        self.keys.update(kept)
        self._kept.update(name for name, _ in kept)
        self.reused += len(kept)
        return True

    def _keep_later_pages(self, name: str, template, context: dict, kwargs: dict, later: list) -> bool:
        """Keep the pages after the first of a paginated list (``later``:
        their names and variables) as they are, when they would show what
        they showed in the last build.

        Pagination is anchored at the oldest story (``pagination``): a new
        story changes a list's first page only, yet every later page was
        queued and keyed again (the home page's 500 pages, a country's
        hundreds: 1,900 pages for one story at 10,000). Their group key
        holds what their render keys (``page_key``) read: the template, the
        list's own values and the site's, and each page's name and stories.
        Not for a single story's page, whose key is its own.
        """
        own = PageContext(kwargs, context)
        if "article" in own:
            return False
        try:
            shared = [f"{n}={fingerprint(own[n])}" for n in _PAGE_ENTRIES if n not in _PAGE_OWN and n in own]
            pages = [f"{save_as}|{'|'.join(fingerprint(v[n]) for n in _PAGE_OWN if n in v)}" for save_as, v in later]
        except Unkeyable:
            return False
        key = digest(self.site_key, template.name, *shared, *pages)
        return self._keep(f"{name}{_LATER_PAGES}", key, lambda: [(n, self.previous.get(n)) for n, _ in later])

    def queue_deferred(self) -> None:
        """Queue (or keep) the groups whose key was deferred: before the
        writes, once what their keys read is known."""
        deferred, self._deferred = self._deferred, []
        for group, key, queue, names in deferred:
            self.write_group(group, key(), queue, names)

    def _files_last_made_in(self, folder: str) -> list[tuple[str, str | None]]:
        """The last build's files under ``folder`` (two levels deep) with their keys."""
        if self._previous_by_folder is None:
            by_folder: dict[str, list[tuple[str, str | None]]] = {}
            for name, key in self.previous.items():
                first, _, rest = name.partition("/")
                second, below, _ = rest.partition("/")
                if below:
                    by_folder.setdefault(f"{first}/{second}/", []).append((name, key))
            self._previous_by_folder = by_folder
        return self._previous_by_folder.get(folder, [])

    def _write_page(self, name, template, context, options, kwargs) -> None:
        """Keep or link an unchanged page without Pelican's rendering set-up
        (its key from a view of the context Pelican's would equal), else
        render it with Pelican's ``write_file``, as one page (Pelican does
        not paginate an empty ``paginated``)."""
        if options["relative_urls"]:
            # SITEURL depends on the page: keyed from the context Pelican makes.
            super().write_file(name, _KeyedTemplate(template, self), context, paginated={}, **options, **kwargs)
            return
        own = {"output_file": name, **kwargs}
        key = page_key(self.site_key, template.name, PageContext(own, context), self.sitewide)
        if key is not None:
            self.keys[name] = key
            if self._link_published(name, key):
                return
        super().write_file(name, template, context, paginated={}, **options, **kwargs)

    def _link_published(self, name: str, key: str) -> bool:
        """Keep the staging folder's copy of ``name``, or link the published
        one, when it was written with ``key`` (counted as reused); False when
        it must be written.

        Kept: no system call at all. Linked: a link, with its folder made
        once and, in the spare, the old copy unlinked.
        """
        target = os.path.join(self.output_path, name)
        if self.staged.get(name) == key:
            try:
                if self.previous.get(name) != key:  # changed since, and back: a new time for caches
                    os.utime(target)
                self.reused += 1
                return True
            except FileNotFoundError:  # gone from the spare: written below
                pass
        if self.previous.get(name) != key:
            return False
        self._make_folder(os.path.dirname(target))
        self._discard_staged(target)
        try:
            link_or_copy(os.path.join(self.published, name), target)
        except FileNotFoundError:  # deleted from the published folder since
            return False
        self.reused += 1
        return True

    def _discard_staged(self, target: str) -> None:
        """Unlink the staging folder's old copy of ``target`` before it is
        written: when the folder is the spare, the copy may be a link to a
        published file, which must not change."""
        if self.staged:
            try:
                os.unlink(target)
            except FileNotFoundError:
                pass

    def clear_staged(self, keep=(), later: tuple[str, ...] = ()) -> list[str]:
        """Delete the files of the staging folder that this build does not
        write (nor names in ``keep``): those of stories or topics gone. Call
        once every write is queued. Those under the folders ``later`` are
        returned instead, to be deleted later (``delete_staged``): a search
        index running meanwhile walks those folders."""
        self.queue_deferred()
        produced = {_output_name(job) for job in self.jobs} | self._kept | self._written_early | set(keep)
        now: list[str] = []
        held: list[str] = []
        for name in sorted(set(self.staged) - produced):
            (held if later and name.startswith(later) else now).append(name)
        self.delete_staged(now)
        return held

    def delete_staged(self, names: list[str]) -> None:
        """Delete these files (or folders, ending in "/") of the staging
        folder, and the folders they leave empty."""
        for name in names:
            path = os.path.join(self.output_path, name)
            if name.endswith("/"):
                shutil.rmtree(path, ignore_errors=True)
            else:
                try:
                    os.unlink(path)
                except FileNotFoundError:
                    pass
            remove_empty_folders(os.path.dirname(path.rstrip("/")), self.output_path)

    def _make_folder(self, folder: str) -> None:
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)

    def _reusable(self, name: str, key: str) -> str | None:
        """The published copy of ``name`` when the last build wrote it with
        ``key`` (counted as reused), else None."""
        source = os.path.join(self.published, name)
        if self.previous.get(name) == key and os.path.isfile(source):
            self.reused += 1
            return source
        return None

    def render_or_reuse(self, template, localcontext: dict) -> str:
        name = localcontext["output_file"]
        key = page_key(self.site_key, template.name, localcontext, self.sitewide)
        if key is not None:
            self.keys[name] = key
            source = self._reusable(name, key)
            if source is not None:
                return Reused(source)
        return template.render(localcontext)

    def reuse_bytes(self, name: str, key: str, render) -> None:
        """Queue writing ``name`` from ``render()``, unless the last build wrote
        it with ``key``: then it is linked."""
        self.jobs.append((_BYTES, name, key, render))

    def _write_bytes(self, name: str, key: str, render) -> None:
        self.keys[name] = key
        if self._link_published(name, key):
            return
        target = os.path.join(self.output_path, name)
        self._make_folder(os.path.dirname(target))
        self._discard_staged(target)
        with open(target, "wb") as handle:
            handle.write(render())

    def _open_w(self, filename, encoding, override=False):
        # Pelican's own opening would truncate a file linked to a published one.
        self._discard_staged(filename)
        handle = super()._open_w(filename, encoding, override)
        return _DeferredFile(handle) if handle.name != os.devnull else handle

    def save_manifest(self, files: list[str]) -> None:
        """Record each file of the published folder ``files``: its key, or
        None. Files under a keyed folder (a search bundle) go with it."""
        folders = tuple(name for name in self.keys if name.endswith("/"))
        record: dict[str, str | None] = {name: None for name in files if not name.startswith(folders)}
        record.update(self.keys)
        self.manifest.save(record)
        for group, key in self.previous_groups.items():  # in a group kept whole, not asked for
            if group.endswith(_LATER_PAGES) and group not in self.groups and group[:-len(_LATER_PAGES)] in self._kept:
                self.groups[group] = key
        self.group_record.save(self.groups)

    def forget_manifest(self) -> None:
        """Before the published folder changes: a record of another folder
        must never be taken for its own."""
        self.manifest.forget()
        self.group_record.forget()


def remove_empty_folders(folder: str, root: str) -> None:
    """Remove ``folder`` and its parents up to ``root`` while they are empty."""
    while folder != root and folder.startswith(root):
        try:
            os.rmdir(folder)
        except OSError:
            return
        folder = os.path.dirname(folder)
