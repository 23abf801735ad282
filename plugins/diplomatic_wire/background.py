"""Work done in a forked process while the build goes on: the other core
is idle through most of a rebuild."""

from __future__ import annotations

import os
import pickle


class BackgroundError(RuntimeError):
    """The work failed in the forked process, or the process did."""


def in_background(function, *args, workers: int):
    """Call ``function(*args)`` in a forked process while this one goes on;
    returns what waits for the result (and raises what the call raised).
    With one worker it is called at once.

    The process is a fork of this one: ``function`` and its arguments are
    not sent to it (they may be any object of the build, a method of
    Pelican's generator), only the result comes back, pickled.
    """
    if workers < 2:
        result = function(*args)
        return lambda: result
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child process
        os.close(reading)
        status = 1
        try:
            try:
                outcome = (True, function(*args))
            except Exception as error:
                outcome = (False, f"{type(error).__name__}: {error}")
            with os.fdopen(writing, "wb") as handle:
                pickle.dump(outcome, handle, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(writing)

    def result():
        with os.fdopen(reading, "rb") as handle:  # read before waiting: a large result fills the pipe
            try:
                done, value = pickle.load(handle)
            except EOFError:
                done, value = False, "the process ended without a result"
        os.waitpid(pid, 0)
        if not done:
            raise BackgroundError(f"{getattr(function, '__name__', function)} failed: {value}")
        return value
    return result


class Batch:
    """Pieces of work the build needs only later, done one after another in
    one forked process once the last of them is known (``start``): one fork
    of the build's large process instead of one per piece, and one process
    beside it at a time."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._jobs: list[tuple] = []
        self._wait = None
        self._outcomes: list | None = None

    def add(self, function, *args):
        """Queue ``function(*args)``; returns what waits for its result."""
        if self._wait is not None:
            raise RuntimeError("the batch has started")
        position = len(self._jobs)
        self._jobs.append((function, args))
        return lambda: self._outcome(position)

    def start(self) -> None:
        """Start the queued work: in a forked process, or here with one worker."""
        if self._wait is None:
            self._wait = in_background(_run_each, self._jobs, workers=self.workers)

    def _outcome(self, position: int):
        self.start()
        if self._outcomes is None:
            self._outcomes = self._wait()
        done, value = self._outcomes[position]
        if not done:
            raise BackgroundError(value)
        return value


def _run_each(jobs: list[tuple]) -> list[tuple[bool, object]]:
    """Each job's result, or why it failed: one failing does not stop the rest."""
    outcomes = []
    for function, args in jobs:
        try:
            outcomes.append((True, function(*args)))
        except Exception as error:
            outcomes.append((False, f"{getattr(function, '__name__', function)} failed: {type(error).__name__}: {error}"))
    return outcomes
