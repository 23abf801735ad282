"""Links between stories: previous/next in time, and related by shared topics.

Pure functions over a newest-first list, in the manner of the pelican-plugins
``neighbors`` plugin. Related stories look only at a window of stories close
in time within each shared topic, so the cost stays linear in the archive size
even when one country appears in half of all stories.
"""

from __future__ import annotations

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
    members: dict[Hashable, list[int]] = defaultdict(list)
    position: list[dict[Hashable, int]] = [{} for _ in keys]
    for index, story_keys in enumerate(keys):
        for key in dict.fromkeys(story_keys):
            position[index][key] = len(members[key])
            members[key].append(index)

    result: list[list[int]] = []
    for index, story_positions in enumerate(position):
        candidates: list[int] = []
        for key, at in story_positions.items():
            candidates += members[key][max(0, at - window): at + window + 1]
        shared = Counter(candidates)  # one count of all windows: twice as fast as one per topic
        del shared[index]
        result.append(_most_shared(shared, index, limit))
    return result


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
