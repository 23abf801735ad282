"""Work done in a forked process while the build goes on: the other core
is idle through most of a rebuild."""

from __future__ import annotations

import os
import pickle
from typing import Any


class BackgroundError(RuntimeError):
    """The work failed in the forked process, or the process did."""


def in_background(function, *args, workers: int):
    """Call ``function(*args)`` in a forked process while this one goes on;
    returns what waits for the result (and raises a ``BackgroundError``
    naming what the call raised). With one worker it is called at once.

    The process is a fork of this one: ``function`` and its arguments are
    not sent to it (they may be any object of the build, a method of
    Pelican's generator), only the result comes back, pickled.
    """
    batch = Batch(workers)
    result = batch.add(function, *args)
    batch.start()
    return result


class Batch:
    """Pieces of work the build needs only later, done one after another in
    one forked process once the last of them is known (``start``): one fork
    of the build's large process instead of one per piece, and one process
    beside it at a time.

    Each result is sent as soon as its piece is done, so that what waits
    for the first (the related stories) does not wait for the next (the
    content cache's save: 0.5 s of a cold build at 10,000 stories). A
    result not yet read holds the process back once it fills the pipe."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._jobs: list[tuple] = []
        self._outcomes: list[tuple[bool, object]] | None = None
        self._process: tuple[int, Any] | None = None  # pid, the stream of its outcomes

    def add(self, function, *args):
        """Queue ``function(*args)``; returns what waits for its result."""
        if self._outcomes is not None:
            raise RuntimeError("the batch has started")
        position = len(self._jobs)
        self._jobs.append((function, args))
        return lambda: self._outcome(position)

    def start(self) -> None:
        """Start the queued work: in a forked process, or here with one worker."""
        if self._outcomes is not None:
            return
        self._outcomes = []
        if self.workers < 2 or not self._jobs:
            self._outcomes = list(_each_outcome(self._jobs))
            return
        reading, writing = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the child process
            os.close(reading)
            status = 1
            try:
                with os.fdopen(writing, "wb") as handle:
                    for outcome in _each_outcome(self._jobs):
                        pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
                        handle.flush()
                status = 0
            finally:
                os._exit(status)
        os.close(writing)
        self._process = (pid, os.fdopen(reading, "rb"))

    def _outcome(self, position: int):
        self.start()
        while len(self._outcomes) <= position:
            self._outcomes.append(self._next_outcome())
        done, value = self._outcomes[position]
        if not done:
            raise BackgroundError(value)
        return value

    def _next_outcome(self) -> tuple[bool, object]:
        """The next job's outcome from the process; the process is waited
        for after the last one, or once it ended without sending one."""
        ended = (False, "the process ended without a result")
        if self._process is None:
            return ended
        pid, stream = self._process
        try:
            outcome = pickle.load(stream)
        except EOFError:
            outcome = None
        if outcome is None or len(self._outcomes) + 1 == len(self._jobs):
            stream.close()
            os.waitpid(pid, 0)
            self._process = None
        return outcome or ended


def _each_outcome(jobs: list[tuple]):
    """Each job's result, or why it failed: one failing does not stop the rest."""
    for function, args in jobs:
        try:
            yield True, function(*args)
        except Exception as error:
            yield False, f"{getattr(function, '__name__', function)} failed: {type(error).__name__}: {error}"
