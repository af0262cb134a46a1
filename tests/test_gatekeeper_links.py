"""Links between pull requests and to upstream repositories, read from free text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.gatekeeper.checklist import find_upstream
from bot.gatekeeper.links import linked_pulls
from bot.gatekeeper.waivers import waivers_from_comments

OI = "docker-library/official-images"


def test_linked_pulls_in_both_spellings_once_each_in_order():
    text = (
        "Docs: https://github.com/docker-library/official-images/pull/123"
        " and docker-library/official-images#45. Again docker-library/official-images#123;"
        " not my-docker-library/official-images#9"
        " nor docker-library/official-images#1234x nor docker-library/docs#7."
    )
    assert linked_pulls(text, OI) == [123, 45]
    assert linked_pulls("see Docker-Library/Official-Images#5", OI) == [5]
    assert linked_pulls("no links", OI) == []


@settings(max_examples=200)
@given(st.text())
def test_free_text_never_breaks_the_link_readers(text: str):
    assert all(isinstance(n, int) for n in linked_pulls(text, OI))
    found = find_upstream([text])
    assert found is None or found.count("/") == 1
    waivers_from_comments([{"user": {"login": "b"}, "body": text}], "b")


@settings(max_examples=200)
@given(st.integers(min_value=1, max_value=10**9))
def test_any_pull_number_is_read_back(number: int):
    assert linked_pulls(f"Part of {OI}#{number}.", OI) == [number]
    assert linked_pulls(f"https://github.com/{OI}/pull/{number}", OI) == [number]
