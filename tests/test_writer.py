"""Render keys: a page's key changes exactly when something it shows changes."""

import datetime
import shutil
from types import SimpleNamespace

import pytest

from diplomatic_wire import writer as writer_module
from diplomatic_wire.topics import Topic
from diplomatic_wire.writer import PageContext, Unkeyable, fingerprint, page_key


def story(card):
    return SimpleNamespace(wire_card=card)


def test_a_list_of_stories_is_summed_up_by_their_cards():
    assert fingerprint([story("a"), story("b")]) == "[a,b]"
    assert fingerprint((story("a"),)) == "[a]"
    assert fingerprint([]) == "[]"


def test_mixed_lists_are_summed_up_item_by_item():
    day = datetime.date(2024, 1, 2)
    assert fingerprint([story("a"), 3, "x", day]) == f"[a,3,'x',{day!r}]"
    assert fingerprint([[story("a")], story("b")]) == "[[a],b]"
    assert fingerprint([3, story("a")]) == "[3,a]"
    kenya = Topic("country", "KE", "Kenya")  # a topic page's related topics, with their counts
    assert fingerprint([(kenya, 3)]) == f"[[{kenya!r},3]]"
    with pytest.raises(Unkeyable):
        fingerprint([story("a"), object()])


def test_page_key_follows_the_stories_of_the_page():
    context = {"output_file": "countries/ke/index.html", "articles_page": None}
    first = page_key("site", "topic.html", {**context, "topic": "KE", "articles": [], "related": [story("a")]})
    same = page_key("site", "topic.html", {**context, "topic": "KE", "articles": [], "related": [story("a")]})
    edited = page_key("site", "topic.html", {**context, "topic": "KE", "articles": [], "related": [story("a2")]})
    assert first == same != edited
    assert page_key("other site", "topic.html", {**context, "topic": "KE", "related": [story("a")]}) != first
    assert page_key("site", "topic.html", {**context, "topic": object()}) is None


def test_a_page_is_keyed_from_its_own_values_over_the_sites():
    site = {"output_file": "site-wide", "topic": "KE", "articles": [story("a")], "wire_counts_key": "c1"}
    own = {"output_file": "countries/ke/index.html", "topic": "TZ", "related": [story("b")]}
    merged = {**site, **own}
    assert page_key("site", "index.html", PageContext(own, site), frozenset({"index.html"})) == page_key(
        "site", "index.html", merged, frozenset({"index.html"}))
    swapped = PageContext(site, own)
    assert page_key("site", "topic.html", PageContext(own, site)) != page_key("site", "topic.html", swapped)


class RecordingBackground:
    """Work in the background of the writes that reads the files under
    ``2024/`` and then those under ``2023/``, each part as soon as its files
    are written; busy for ``busy_polls`` polls."""

    def __init__(self, site, busy_polls):
        self.site, self.busy_polls = site, busy_polls
        self.waiting, self.found_when_ready, self.polls = None, {}, 0

    def reads(self, path):
        return path.startswith(("2024/", "2023/"))

    def order(self, path):
        return 0 if path.startswith("2024/") else 1

    def start(self, unwritten):
        self.waiting = self.waiting or {"2024": set(), "2023": set()}
        for part, paths in self.waiting.items():
            paths.update(p for p in unwritten if p.startswith(f"{part}/"))

    def busy(self, written):
        self.polls += 1
        for part, paths in self.waiting.items():
            paths.discard(written)
            if not paths and part not in self.found_when_ready and (self.site / part).is_dir():
                self.found_when_ready[part] = (self.polls, sorted(p.name for p in (self.site / part).iterdir()))
        return self.polls < self.busy_polls


@pytest.mark.parametrize("workers", [1, 2])
def test_background_work_starts_once_the_files_it_reads_are_written(tmp_path, workers):
    from diplomatic_wire.writer import IncrementalWriter

    site = tmp_path / "site"
    settings = {"WIRE_PUBLISHED_OUTPUT": str(tmp_path / "published"), "WIRE_SITE_KEY": "site",
                "WIRE_SITEWIDE_TEMPLATES": [], "WIRE_STATE_PATH": str(tmp_path / "cache"),
                "WIRE_WORKERS": workers}
    writer = IncrementalWriter(str(site), settings)
    names = ([f"countries/{i:02}.xml" for i in range(30)] + [f"2023/{i:02}.html" for i in range(20)]
             + [f"2024/{i:02}.html" for i in range(10)])
    for name in names:
        writer.reuse_bytes(name, f"key {name}", lambda name=name: name.encode())
    background = RecordingBackground(site, busy_polls=45)
    writer.flush(background=background)

    # Its first part is ready after its own ten files, before the others are written.
    assert background.found_when_ready["2024"] == (10, [f"{i:02}.html" for i in range(10)])
    assert background.found_when_ready["2023"] == (30, [f"{i:02}.html" for i in range(20)])
    assert background.polls == 45  # asked after each write until it was done, then no more
    assert writer.keys == {name: f"key {name}" for name in names}  # the forked writer's too
    assert all((site / name).read_bytes() == name.encode() for name in names)


def test_files_the_background_reads_can_be_written_before_the_rest_is_queued(tmp_path):
    """``start_background``: they are written, and it started, at once; the
    files written then are among those the build keeps."""
    from diplomatic_wire.writer import IncrementalWriter

    site = tmp_path / "site"
    for name in ("2024/00.html", "gone.html", "2024/gone.html"):  # the staging folder's files
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("old")
    settings = {"WIRE_PUBLISHED_OUTPUT": str(tmp_path / "published"), "WIRE_SITE_KEY": "site",
                "WIRE_SITEWIDE_TEMPLATES": [], "WIRE_STATE_PATH": str(tmp_path / "cache"), "WIRE_WORKERS": 2,
                "WIRE_STAGED_FILES": {"2024/00.html": "old key", "gone.html": "old key", "2024/gone.html": "k"}}
    writer = IncrementalWriter(str(site), settings)
    early = [f"2024/{i:02}.html" for i in range(3)]
    for name in ["countries/a.xml", *early]:
        writer.reuse_bytes(name, f"key {name}", lambda name=name: name.encode())
    background = RecordingBackground(site, busy_polls=1000)
    writer.start_background(background)
    # Started before the staging folder is cleared: it names the pages it reads.
    assert background.found_when_ready == {"2024": (3, ["00.html", "01.html", "02.html", "gone.html"])}
    assert not (site / "countries").exists()  # the rest waits for the flush

    later = [f"people/{i}.xml" for i in range(3)]
    for name in later:
        writer.reuse_bytes(name, f"key {name}", lambda name=name: name.encode())
    held = writer.clear_staged(later=("2024/",))  # the background walks 2024/: deleted once it is done
    assert held == ["2024/gone.html"] and (site / "2024/gone.html").exists() and not (site / "gone.html").exists()
    writer.flush(background=background)
    writer.delete_staged(held)
    assert sorted(p.relative_to(site).as_posix() for p in site.rglob("*.*")) == sorted(
        ["countries/a.xml", *early, *later])  # the gone files were no files of this build's
    assert (site / "2024/00.html").read_bytes() == b"2024/00.html"
    assert writer.keys == {name: f"key {name}" for name in ["countries/a.xml", *early, *later]}


def test_files_are_linked_from_the_published_folder_unless_missing_there(tmp_path):
    from diplomatic_wire.writer import IncrementalWriter

    published = tmp_path / "published"
    settings = {"WIRE_PUBLISHED_OUTPUT": str(published), "WIRE_SITE_KEY": "site", "WIRE_SITEWIDE_TEMPLATES": [],
                "WIRE_STATE_PATH": str(tmp_path / "cache"), "WIRE_WORKERS": 1}
    rendered = []

    def build(site, version):
        writer = IncrementalWriter(str(site), settings)
        for name in ("kept.xml", "deleted/a.xml", "changed.xml"):
            key = f"key {name}" + (version if name == "changed.xml" else "")
            writer.reuse_bytes(name, key, lambda name=name: rendered.append(name) or name.encode())
        writer.flush()
        writer.save_manifest(sorted(writer.keys))
        return writer

    build(published, "v1")
    (published / "deleted" / "a.xml").unlink()  # by hand, after the build
    rendered.clear()
    writer = build(tmp_path / "next", "v2")

    assert sorted(rendered) == ["changed.xml", "deleted/a.xml"]
    assert writer.reused == 1
    assert (tmp_path / "next" / "kept.xml").stat().st_ino == (published / "kept.xml").stat().st_ino
    assert (tmp_path / "next" / "deleted" / "a.xml").read_bytes() == b"deleted/a.xml"


def test_the_lists_of_every_story_are_fingerprinted_once_per_flush(monkeypatch):
    stories = [story("a"), story("b")]
    context = {"output_file": "archives/index.html", "dates": stories, "articles": stories}
    before = page_key("site", "archives.html", context)
    stories.append(story("c"))
    outside = page_key("site", "archives.html", context)
    assert outside != before  # outside a flush, nothing is remembered
    monkeypatch.setattr(writer_module, "_whole_lists", {})
    calls = []
    monkeypatch.setattr(writer_module, "fingerprint", lambda value: calls.append(value) or fingerprint(value))
    keys = {page_key("site", "archives.html", {**context, "output_file": f"{name}/index.html"})
            for name in ("archives", "search", "categories")}
    assert len(keys) == 3 and calls == [stories]  # one list, fingerprinted once
    assert page_key("site", "archives.html", context) == outside


def writer_settings(tmp_path, **more):
    return {"WIRE_PUBLISHED_OUTPUT": str(tmp_path / "published"), "WIRE_SITE_KEY": "site",
            "WIRE_SITEWIDE_TEMPLATES": ["index.html"], "WIRE_STATE_PATH": str(tmp_path / "cache"),
            "WIRE_WORKERS": 1, **more}


def test_a_group_key_follows_its_parts_and_what_every_page_reads_of_the_site(tmp_path):
    from diplomatic_wire.writer import IncrementalWriter

    writer = IncrementalWriter(str(tmp_path / "site"), writer_settings(tmp_path))
    site = {"wire_counts_key": "counts 1"}
    key = writer.group_key(site, ["topic.html"], "Kenya", "[a,b]")
    assert writer.group_key(site, ["topic.html"], "Kenya", "[a,b]") == key
    assert writer.group_key(site, ["topic.html"], "Kenya", "[a,b2]") != key
    assert writer.group_key({"wire_counts_key": "counts 2"}, ["topic.html"], "Kenya", "[a,b]") == key
    assert writer.group_key({**site, "topic": "KE"}, ["topic.html"], "Kenya", "[a,b]") != key  # read by page_key
    # A template that shows the site's counts depends on them.
    assert writer.group_key(site, ["index.html"], "x") != writer.group_key({"wire_counts_key": "counts 2"},
                                                                           ["index.html"], "x")
    assert writer.group_key({"topic": object()}, ["topic.html"], "Kenya") is None


def test_a_group_made_from_the_same_key_is_kept_as_it_was_without_being_queued(tmp_path):
    """A topic's pages and feeds are one group: kept whole in a rebuild when
    its key and every file of it in the staging folder are the last build's."""
    from diplomatic_wire.writer import IncrementalWriter

    published = tmp_path / "published"
    queued = []

    def build(site, group_key, staged):
        writer = IncrementalWriter(str(site), writer_settings(tmp_path, WIRE_STAGED_FILES=staged))

        def queue():
            queued.append(group_key)
            for name in ("countries/ke/index.html", "countries/ke/page/2/index.html", "countries/ke/atom.xml"):
                writer.reuse_bytes(name, f"{group_key} {name}", lambda name=name: f"{group_key} {name}".encode())
        writer.write_group("countries/ke/", group_key, queue)
        writer.reuse_bytes("index.html", "home", lambda: b"home")
        writer.clear_staged()
        writer.flush()
        return writer

    first = build(published, "g1", {})
    first.save_manifest(sorted(first.keys))
    assert queued == ["g1"]

    def staging(name):  # a staging folder that starts as the published one, as the spare does
        shutil.copytree(published, tmp_path / name)
        return tmp_path / name

    kept = build(staging("kept"), "g1", dict(first.keys))
    assert queued == ["g1"]  # not queued again
    assert kept.keys == first.keys and kept.reused == 4
    assert kept.groups == {"countries/ke/": "g1"}
    assert (tmp_path / "kept" / "countries/ke/page/2/index.html").read_bytes() == b"g1 countries/ke/page/2/index.html"

    changed = build(staging("changed"), "g2", dict(first.keys))  # made from something else
    assert queued == ["g1", "g2"]
    assert (tmp_path / "changed" / "countries/ke/atom.xml").read_bytes() == b"g2 countries/ke/atom.xml"
    assert changed.reused == 1

    # A file of the group differs in the staging folder (the spare is older
    # than the published folder): the group is queued, its files linked.
    older = build(staging("older"), "g1", {**first.keys, "countries/ke/atom.xml": "g0 countries/ke/atom.xml"})
    assert queued == ["g1", "g2", "g1"]
    assert older.keys == first.keys and older.reused == 4


def test_a_group_of_named_files_is_keyed_once_every_write_is_queued(tmp_path):
    """A day's story pages: a group of named files (their folder holds other
    files), whose key is asked for just before the writes."""
    from diplomatic_wire.writer import IncrementalWriter

    published = tmp_path / "published"
    day = ["2024/01/02/a/index.html", "2024/01/02/b/index.html"]
    asked, queued = [], []

    def build(site, group_key, staged):
        writer = IncrementalWriter(str(site), writer_settings(tmp_path, WIRE_STAGED_FILES=staged))
        asked_before = len(asked)

        def queue():
            queued.append(group_key)
            for name in day:
                writer.reuse_bytes(name, f"{group_key} {name}", lambda name=name: f"{group_key} {name}".encode())
        writer.write_group("stories/2024-01-02", lambda: asked.append(group_key) or group_key, queue, names=day)
        writer.reuse_bytes("2024/01/index.html", "month", lambda: b"month")
        assert len(asked) == asked_before and len(writer.jobs) == 1  # the group: not keyed nor queued yet
        writer.clear_staged()
        writer.flush()
        return writer

    first = build(published, "k1", {})
    first.save_manifest(sorted(first.keys))
    assert asked == queued == ["k1"]

    shutil.copytree(published, tmp_path / "kept")
    kept = build(tmp_path / "kept", "k1", dict(first.keys))
    assert asked == ["k1", "k1"] and queued == ["k1"]
    assert kept.keys == first.keys and kept.reused == 3
    assert (tmp_path / "kept" / day[1]).read_bytes() == b"k1 2024/01/02/b/index.html"  # not cleared

    shutil.copytree(published, tmp_path / "changed")
    build(tmp_path / "changed", "k2", dict(first.keys))
    assert queued == ["k1", "k2"]
    assert (tmp_path / "changed" / day[0]).read_bytes() == b"k2 2024/01/02/a/index.html"


def test_a_topic_with_its_stories_is_summed_up_by_its_pages_key_once_made():
    """The topic indexes list every topic: the key of each topic's pages
    (which sums up its stories' cards, roles and more) stands for it."""
    from diplomatic_wire.topics import TopicStories

    def kenya(*cards):
        return TopicStories(Topic("country", "KE", "Kenya"), [story(card) for card in cards])

    assert fingerprint(kenya("a", "b")) == fingerprint(kenya("a", "b")) != fingerprint(kenya("a"))
    item = kenya("a", "b")
    item.pages_key = "key of its pages"
    assert fingerprint(item) == "key of its pages"
    assert fingerprint([item, kenya("a")]) == f"[key of its pages,{fingerprint(kenya('a'))}]"


class PaginatedList:
    """Builds of one topic's paginated list (two stories a page) with the
    writer, each in a copy of the published folder as the spare or the
    linked copy is; optionally inside a group (``write_group``)."""

    def __init__(self, tmp_path):
        import jinja2

        self.tmp_path, self.published = tmp_path, tmp_path / "published"
        self.template = jinja2.Environment(loader=jinja2.DictLoader({"topic.html": (
            "{{ topic }} {{ articles_page.number }}:{% for a in articles_page.object_list %} {{ a.wire_card }}"
            "{% endfor %}{% if articles_next_page %} next {{ articles_next_page.number }}{% endif %}")}))
        self.last = None

    def build(self, name, stories, topic="Kenya", site_key="site", group=None):
        from pelican.settings import read_settings

        from diplomatic_wire.writer import IncrementalWriter

        site = self.published if self.last is None else self.tmp_path / name
        if self.last is not None:
            shutil.copytree(self.published, site)
        settings = read_settings(override={
            "PATH": str(self.tmp_path), "PAGINATED_TEMPLATES": {"topic": 2},
            "PAGINATION_PATTERNS": [(1, "{url}", "{save_as}"),
                                    (2, "{base_name}/page/{number}/", "{base_name}/page/{number}/index.html")],
            **writer_settings(self.tmp_path, WIRE_STAGED_FILES=dict(self.last.keys) if self.last else {},
                              WIRE_SITE_KEY=site_key)})
        writer = IncrementalWriter(str(site), settings)

        def queue():
            writer.write_file("countries/ke/index.html", self.template.get_template("topic.html"), {},
                              paginated={"articles": stories}, template_name="topic", url="countries/ke/", topic=topic,
                              articles=stories)
        if group is None:
            queue()
        else:
            writer.write_group("countries/ke/", group, queue)
        queued = sorted(job[0] for job in writer.jobs)
        writer.clear_staged()
        writer.flush()
        writer.save_manifest(sorted(writer.keys))
        if self.last is None:
            self.last = writer
        pages = {p.relative_to(site).as_posix(): p.read_text() for p in site.rglob("*.html")}
        return writer, queued, pages


ALL_PAGES = ["countries/ke/index.html", "countries/ke/page/2/index.html", "countries/ke/page/3/index.html"]


def test_the_pages_after_the_first_are_kept_while_they_would_show_the_same(tmp_path):
    """Pagination is anchored at the oldest story: a story filed changes a
    list's first page only. The later pages are kept as a group, neither
    queued nor keyed, until one of them would show something else."""
    builds = PaginatedList(tmp_path)
    stories = [story(f"s{i}") for i in range(6, 0, -1)]  # newest first: pages of 2 (the first: 2 or 3), 2 and 2
    first, queued, cold_pages = builds.build("cold", stories)
    assert queued == ALL_PAGES
    assert cold_pages["countries/ke/page/3/index.html"] == "Kenya 3: s4 s3 next 2"

    writer, queued, pages = builds.build("newer", [story("s7"), *stories])  # a story filed: the first page only
    assert queued == ["countries/ke/index.html"]
    assert writer.keys == {**first.keys, "countries/ke/index.html": writer.keys["countries/ke/index.html"]}
    assert pages == {**cold_pages, "countries/ke/index.html": "Kenya 1: s7 s6 s5 next 3"}

    # Anything a later page shows or is keyed by: each page is queued again (and keyed one by one).
    for name, changed, kwargs in (("edited", [*stories[:-1], story("s1 edited")], {}),
                                  ("older", [*stories, story("s0")], {}),  # every later page moves
                                  ("renamed", stories, {"topic": "Kenya!"}),
                                  ("site", stories, {"site_key": "another site"})):
        writer, queued, pages = builds.build(name, changed, **kwargs)
        assert queued == ALL_PAGES, name


def test_later_pages_kept_inside_a_group_kept_whole_stay_known(tmp_path):
    """A list inside a group (a topic's pages and feeds) that was kept whole
    was never paginated: its later pages' key is carried over, so that they
    are kept again when the group next changes."""
    builds = PaginatedList(tmp_path)
    stories = [story(f"s{i}") for i in range(6, 0, -1)]
    builds.build("cold", stories, group="g1")
    writer, queued, _ = builds.build("kept", stories, group="g1")
    assert queued == [] and "countries/ke/index.html#later" in writer.groups
    builds.last = writer
    _, queued, _ = builds.build("newer", [story("s7"), *stories], group="g2")
    assert queued == ["countries/ke/index.html"]
