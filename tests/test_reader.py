"""Reading ahead: the files read on every core are read exactly as one by one."""

import os

from conftest import FIXTURES, ROOT

from diplomatic_wire.reader import READ_BY_ONE_AT_MOST, ReadAhead, read_ahead, read_wire_file

MAX_BYTES = 1_000_000


def wire_files():
    paths = sorted(str(p) for p in (FIXTURES / "wire").glob("*.txt"))
    paths += sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
    return paths * 2  # the same file twice: one result


def test_read_ahead_gives_what_reading_one_by_one_gives():
    paths = wire_files()
    ahead = read_ahead(paths, MAX_BYTES, workers=2)
    unique = list(dict.fromkeys(paths))
    wires = {path: ahead.pop(path) for path in reversed(unique)}  # asked for out of order
    assert all(wires[path] == read_wire_file(path, MAX_BYTES) for path in unique)
    assert all(ahead.pop(path) is None for path in paths)  # each handed out once
    rejected = {p for p, wire in wires.items() if wire.rejected}
    assert rejected and all("/reject_" in p for p in rejected)
    assert all(wires[p].story is None for p in rejected)


def test_one_worker_reads_nothing_ahead_and_one_file_is_read_by_one_process():
    paths = wire_files()
    assert read_ahead(paths, MAX_BYTES, workers=1).pop(paths[0], None) is None
    assert read_ahead([], MAX_BYTES, workers=2) == {}
    ahead = read_ahead(paths[:1], MAX_BYTES, workers=2)
    assert ahead._pool._max_workers == 1  # a new story, added to a built site
    assert ahead.pop(paths[0]) == read_wire_file(paths[0], MAX_BYTES)


def test_closing_early_stops_the_workers():
    paths = wire_files()
    for _ in range(5):  # Pool.terminate hung here once in many runs (a worker killed holding a lock)
        ahead = read_ahead(paths, MAX_BYTES, workers=2)
        processes = list(ahead._pool._processes.values())
        assert ahead.pop(paths[0]) == read_wire_file(paths[0], MAX_BYTES)
        ahead.close()
        assert ahead.pop(paths[1]) is None
        assert not any(process.is_alive() for process in processes)


def test_processes_started_before_the_files_are_known_read_them():
    paths = wire_files()
    started = ReadAhead(1)
    processes = list(started._pool._processes.values())
    assert len(processes) == 1 and processes[0].is_alive()  # at once, not at the first file
    ahead = read_ahead(paths[:3], MAX_BYTES, workers=2, started=started)
    assert ahead is started  # a rebuild's few new files: the one process started reads them
    assert all(ahead.pop(path) == read_wire_file(path, MAX_BYTES) for path in paths[:3])
    assert not any(process.is_alive() for process in processes)  # closed once all are handed out


def test_started_processes_give_way_to_one_per_core_for_many_files_and_stop_for_none(tmp_path):
    one = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))[0]
    paths = []
    for index in range(READ_BY_ONE_AT_MOST + 1):
        path = tmp_path / f"{index:04d}.txt"
        path.write_bytes(open(one, "rb").read())
        paths.append(str(path))
    started = ReadAhead(1)
    processes = list(started._pool._processes.values())
    ahead = read_ahead(paths, MAX_BYTES, workers=2, started=started)
    assert ahead is not started and ahead.workers == 2
    assert not any(process.is_alive() for process in processes)
    assert ahead.pop(paths[-1]) == read_wire_file(paths[-1], MAX_BYTES)
    ahead.close()

    started = ReadAhead(2)
    processes = list(started._pool._processes.values())
    assert read_ahead([], MAX_BYTES, workers=2, started=started) == {}  # nothing new: nothing to read
    assert not any(process.is_alive() for process in processes)


def test_a_worker_that_cannot_prepare_still_reads(monkeypatch):
    from diplomatic_wire import reader

    def prepare():
        raise RuntimeError("a bug")

    monkeypatch.setattr(reader, "prepare", prepare)
    paths = wire_files()[:4]
    ahead = read_ahead(paths, MAX_BYTES, workers=2, started=ReadAhead(2))
    assert all(ahead.pop(path) == read_wire_file(path, MAX_BYTES) for path in dict.fromkeys(paths))


def test_a_file_that_fails_unexpectedly_is_left_to_pelican(monkeypatch):
    from diplomatic_wire import reader

    paths = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
    broken = paths[3]
    real = reader.parse_story

    def parse_story(text, name):
        if name == os.path.basename(broken):
            raise RuntimeError("a bug")
        return real(text, name)

    monkeypatch.setattr(reader, "parse_story", parse_story)
    ahead = read_ahead(paths, MAX_BYTES, workers=2)
    wires = {path: ahead.pop(path) for path in paths}
    assert [path for path, wire in wires.items() if wire is None] == [broken]


def test_the_reader_gives_stories_one_object_per_distinct_entity():
    from pelican.settings import DEFAULT_CONFIG

    from diplomatic_wire.reader import WireReader
    from diplomatic_wire.settings import apply_defaults

    settings = {**DEFAULT_CONFIG, "TIMEZONE": "UTC"}
    apply_defaults(settings)
    reader = WireReader(settings)
    seeds = sorted(str(p) for p in (ROOT / "seeds").glob("*.txt"))
    entities = [e for path in seeds for e in reader.read(path)[1]["entities"]]
    china = [e for e in entities if e.key == "CN"]
    assert len(china) > 5 and all(e is china[0] for e in china)
    assert len({id(e) for e in entities}) == len(set(entities)) < len(entities)
    assert [reader.read(seeds[0])[1]["entities"]] == [read_wire_file(seeds[0], MAX_BYTES).entities]  # the same values


def test_the_stories_of_a_category_share_one_category_as_pelican_makes_it():
    from pelican.settings import DEFAULT_CONFIG
    from pelican.urlwrappers import Category

    from diplomatic_wire.reader import WireReader
    from diplomatic_wire.settings import apply_defaults

    settings = {**DEFAULT_CONFIG, "TIMEZONE": "UTC"}
    apply_defaults(settings)
    reader = WireReader(settings)
    categories = [reader.read(str(path))[1]["category"] for path in sorted((ROOT / "seeds").glob("*.txt"))]
    news = [c for c in categories if c.name == settings["WIRE_NEWS_CATEGORY"]]
    assert len(news) > 5 and all(c is news[0] for c in news)
    assert news[0] == Category(settings["WIRE_NEWS_CATEGORY"], settings) and news[0].slug == "news"
    assert len({id(c) for c in categories}) == len({c.name for c in categories})
