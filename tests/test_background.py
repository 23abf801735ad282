"""Work in a forked process (``background``)."""

import os
import time

import pytest

from diplomatic_wire.background import BackgroundError, Batch, in_background
from diplomatic_wire.neighbors import related_indexes


@pytest.mark.parametrize("workers", [1, 2])
def test_work_in_background_gives_the_same_result(workers):
    keys = [["countries/ke/", "people/ruto/"], ["countries/ke/"], ["countries/cn/"], ["countries/ke/", "countries/cn/"]]
    result = in_background(related_indexes, keys, workers=workers)
    assert result() == related_indexes(keys) == [[1, 3], [0, 3], [3], [2, 1, 0]]  # closer in time first


def test_the_work_need_not_be_picklable_and_a_large_result_comes_back_whole():
    """The process is a fork: a closure over this process's objects runs
    there as it is (only the result is pickled), and a result larger than
    a pipe holds is read before the process is waited for."""
    numbers = list(range(200_000))
    result = in_background(lambda: (os.getpid(), [n * 2 for n in numbers]), workers=2)
    pid, doubled = result()
    assert pid != os.getpid()
    assert doubled == [n * 2 for n in numbers]


def test_a_failure_in_the_background_is_raised_by_what_waits_for_it():
    def fails():
        raise ValueError("no such story")

    result = in_background(fails, workers=2)
    with pytest.raises(BackgroundError, match="fails failed: ValueError: no such story"):
        result()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_batch_does_its_work_in_one_process_and_one_failure_stops_nothing(workers):
    batch = Batch(workers)
    first = batch.add(os.getpid)
    failing = batch.add(int, "not a number")
    last = batch.add(sorted, [3, 1, 2])
    batch.start()
    with pytest.raises(BackgroundError, match="int failed: ValueError"):
        failing()
    assert last() == [1, 2, 3]
    assert (first() == os.getpid()) == (workers == 1)
    with pytest.raises(RuntimeError, match="started"):
        batch.add(sorted, [])


def test_a_batch_not_started_starts_when_a_result_is_asked_for():
    batch = Batch(2)
    result = batch.add(sum, [1, 2, 3])
    assert result() == 6


def test_a_batch_sends_each_result_as_soon_as_its_work_is_done(tmp_path):
    """What waits for the first result (the related stories) does not wait
    for the work after it (the cache's save): the second piece here waits
    until the first result has been taken, which it could not with the
    results sent together at the end."""
    taken = tmp_path / "first result taken"

    def wait_for_the_first_to_be_taken():
        deadline = time.monotonic() + 5
        while not taken.exists():
            if time.monotonic() > deadline:
                return "not taken"
            time.sleep(0.01)
        return "taken while this ran"

    batch = Batch(2)
    first = batch.add(sorted, [2, 1])
    second = batch.add(wait_for_the_first_to_be_taken)
    batch.start()
    assert first() == [1, 2]
    taken.touch()
    assert second() == "taken while this ran"


def test_a_batch_whose_process_dies_says_so_for_every_result():
    batch = Batch(2)
    first = batch.add(os._exit, 3)
    second = batch.add(sum, [1, 2])
    for result in (first, second):
        with pytest.raises(BackgroundError, match="ended without a result"):
            result()
