"""Decisions over all stories: duplicates, unique permalinks, same-day order."""

import datetime

from diplomatic_wire.collate import StoryRecord, filing_ranks, find_duplicates, unique_slugs

DAY = datetime.date(2024, 9, 3)


def record(name, source_id, slug="talks", date=DAY, text_hash=None):
    return StoryRecord(name, source_id, text_hash or f"text-{source_id}", date, slug)


def test_same_title_same_day_gets_distinct_slugs_first_filed_keeps_plain():
    records = [record("010_b.txt", "bbbbbbbbbbbbbbbb"), record("002_a.txt", "aaaaaaaaaaaaaaaa")]
    assert unique_slugs(records) == {"002_a.txt": "talks", "010_b.txt": "talks-bbbbbbbb"}


def test_same_title_other_day_keeps_plain_slug():
    records = [record("001_a.txt", "a" * 16), record("002_b.txt", "b" * 16, date=DAY.replace(day=4))]
    assert set(unique_slugs(records).values()) == {"talks"}


def test_slug_suffix_cannot_collide_with_another_plain_slug():
    records = [
        record("001_a.txt", "abcdef0123456789"),
        record("002_b.txt", "abcdef0199999999", slug="talks-abcdef01"),
        record("003_c.txt", "abcdef0123450000"),
        record("004_d.txt", "abcdef0177777777"),
    ]
    slugs = unique_slugs(records)
    assert len(set(slugs.values())) == 4
    assert slugs["001_a.txt"] == "talks"


def test_running_number_orders_filings_numerically():
    records = [record("100_late.txt", "c" * 16), record("99_early.txt", "d" * 16)]
    assert unique_slugs(records)["99_early.txt"] == "talks"


def test_duplicates_by_source_id_and_by_text():
    records = [
        record("001_a.txt", "a" * 16),
        record("sub/001_a.txt", "a" * 16),
        record("005_x.txt", "e" * 16, text_hash="same"),
        record("003_y.txt", "f" * 16, text_hash="same"),
    ]
    found = {(d.kept, d.dropped, d.reason) for d in find_duplicates(records)}
    assert found == {
        ("001_a.txt", "sub/001_a.txt", "same source id " + "a" * 16),
        ("003_y.txt", "005_x.txt", "same text"),
    }


def test_filing_ranks_count_earlier_stories_of_the_same_day():
    records = [
        record("003_c.txt", "c" * 16),
        record("001_a.txt", "a" * 16),
        record("002_b.txt", "b" * 16, date=DAY.replace(day=4)),
    ]
    assert filing_ranks(records) == {"001_a.txt": 0, "003_c.txt": 1, "002_b.txt": 0}
