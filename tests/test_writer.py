"""Render keys: a page's key changes exactly when something it shows changes."""

import datetime
from types import SimpleNamespace

import pytest

from diplomatic_wire.writer import Unkeyable, fingerprint, page_key


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
