"""Work in a forked process (``background``)."""

import pytest

from diplomatic_wire.background import in_background
from diplomatic_wire.neighbors import related_indexes


@pytest.mark.parametrize("workers", [1, 2])
def test_work_in_background_gives_the_same_result(workers):
    keys = [["countries/ke/", "people/ruto/"], ["countries/ke/"], ["countries/cn/"], ["countries/ke/", "countries/cn/"]]
    result = in_background(related_indexes, keys, workers=workers)
    assert result() == related_indexes(keys) == [[1, 3], [0, 3], [3], [2, 1, 0]]  # closer in time first
