"""Work done in a forked process while the build goes on: the other core
is idle through most of a rebuild."""

from __future__ import annotations

import multiprocessing


def in_background(function, *args, workers: int):
    """Call ``function(*args)`` in a forked process while this one goes on;
    returns what waits for the result. With one worker it is called at once."""
    if workers < 2:
        result = function(*args)
        return lambda: result
    pool = multiprocessing.get_context("fork").Pool(1)
    pending = pool.apply_async(function, args)
    pool.close()

    def result():
        try:
            return pending.get()
        finally:
            pool.join()
    return result
