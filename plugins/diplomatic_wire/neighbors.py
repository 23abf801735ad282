"""Links between stories: previous/next in time, and related by shared topics.

Pure functions over a newest-first list, in the manner of the pelican-plugins
``neighbors`` plugin. Related stories look only at a window of stories close
in time within each shared topic, so the cost stays linear in the archive size
even when one country appears in half of all stories.
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Hashable, Sequence
from typing import TypeVar

T = TypeVar("T")


def time_neighbors(stories: Sequence[T]) -> dict[int, tuple[T | None, T | None]]:
    """index -> (newer, older) for a newest-first list."""
    last = len(stories) - 1
    return {
        i: (stories[i - 1] if i > 0 else None, stories[i + 1] if i < last else None)
        for i in range(len(stories))
    }


def related_indexes(keys: Sequence[Sequence[Hashable]], limit: int = 5, window: int = 25) -> list[list[int]]:
    """For each story of a newest-first list, given by its topic keys, the
    indexes of up to ``limit`` others sharing most topics.

    Ties go to the story closer in time, then the newer one, so the result
    depends only on the list's order. Indexes in, indexes out: plain data,
    so that it can be worked out in another process.
    """
    members, position = _topic_positions(keys)
    return [_related_of(index, members, position, limit, window) for index in range(len(keys))]


def related_after_insert(keys: Sequence[Sequence[Hashable]], previous_keys: Sequence[Sequence[Hashable]],
                         previous: Sequence[Sequence[int]], limit: int = 5, window: int = 25,
                         most: int | None = None) -> list[list[int]] | None:
    """``related_indexes(keys, limit, window)`` from ``previous``, the result
    for ``previous_keys``, when ``keys`` is ``previous_keys`` with one story
    inserted (a story filed); None when it is not, or when more than
    ``most`` stories would be worked out again.

    Only the stories the new one can change are worked out again: those
    within ``window`` of it in a topic they share (it enters their window),
    and those that have a candidate on its other side (their distance to that
    candidate grows by one, which may reorder a tie). For the others the
    previous result holds, its indexes shifted past the new story. A story
    filed as the newest has about 200 of 10,000 stories worked out again;
    one filed as of years ago, most of them.
    """
    if len(keys) != len(previous_keys) + 1 or len(previous) != len(previous_keys):
        return None
    new = next((i for i, (a, b) in enumerate(zip(keys, previous_keys)) if a != b), len(previous_keys))
    if keys[new + 1:] != previous_keys[new:]:
        return None
    members, position = _topic_positions(keys)
    again = _may_change(new, keys, members, position, window)
    if most is not None and len(again) > most:
        return None
    return [
        _related_of(index, members, position, limit, window) if index in again
        else [o if o < new else o + 1 for o in previous[index if index < new else index - 1]]
        for index in range(len(keys))
    ]


def _topic_positions(keys: Sequence[Sequence[Hashable]]) -> tuple[dict, list[dict[Hashable, int]]]:
    """Each topic's stories (indexes, in order), and each story's position
    in each of its topics."""
    members: dict[Hashable, list[int]] = defaultdict(list)
    position: list[dict[Hashable, int]] = [{} for _ in keys]
    for index, story_keys in enumerate(keys):
        for key in dict.fromkeys(story_keys):
            position[index][key] = len(members[key])
            members[key].append(index)
    return members, position


def _related_of(index: int, members: dict, position: list[dict[Hashable, int]], limit: int,
                window: int) -> list[int]:
    candidates: list[int] = []
    for key, at in position[index].items():
        candidates += members[key][max(0, at - window): at + window + 1]
    shared = Counter(candidates)  # one count of all windows: twice as fast as one per topic
    del shared[index]
    return _most_shared(shared, index, limit)


def _may_change(new: int, keys: Sequence[Sequence[Hashable]], members: dict,
                position: list[dict[Hashable, int]], window: int) -> set[int]:
    """The stories that may relate otherwise once story ``new`` is inserted
    (itself included): those near it in a topic they share (it enters their
    window), and those with a candidate on its other side (their distance to
    that candidate grows by one). The latter are near the boundary between
    the stories newer and older than the new one, in a topic that has both:
    a topic of a story newer than it."""
    again = {new}
    for key, at in position[new].items():
        again.update(members[key][max(0, at - window - 1): at + window + 2])
    for key in {key for story_keys in keys[:new] for key in story_keys}:
        stories = members[key]
        boundary = bisect.bisect_left(stories, new)
        if boundary < len(stories):
            again.update(stories[max(0, boundary - window - 1): boundary + window + 2])
    return again


def _most_shared(shared: Counter, index: int, limit: int) -> list[int]:
    """The ``limit`` indexes sharing most topics with ``index``; ties to the
    closer in time, then to the newer (the smaller index).

    Grouped by count first, so that only the groups that make the cut are
    sorted: most candidates share one topic and are never needed.
    """
    by_count: dict[int, list[int]] = defaultdict(list)
    for other, count in shared.items():
        by_count[count].append(other)
    best: list[int] = []
    for count in sorted(by_count, reverse=True):
        # Twice the distance, plus one for the older of two as close: one int per story.
        group = sorted(by_count[count], key=lambda other: 2 * abs(other - index) + (other > index))
        best += group[: limit - len(best)]
        if len(best) >= limit:
            break
    return best
