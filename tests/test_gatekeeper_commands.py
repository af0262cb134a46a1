"""`/doi-bot` commands: parsed from comment text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.gatekeeper.commands import Ignore, Recheck, Status, Unknown, parse_commands


def test_each_known_command():
    assert parse_commands("/doi-bot recheck") == [Recheck()]
    assert parse_commands("  /doi-bot   status  ") == [Status()]
    reason = "upstream ships no checksum; we verify the GPG signature"
    assert parse_commands(f"/doi-bot ignore doi-d012 {reason}") == [Ignore("DOI-D012", reason)]


def test_commands_are_lines_of_their_own_and_ordinary_text_is_not_a_command():
    body = "Thanks!\n\n/doi-bot status\nplease run /doi-bot recheck later\n> /doi-bot recheck\n"
    body += "/doi-bot recheck"
    assert parse_commands(body) == [Status(), Recheck()]
    assert parse_commands("Looks good to me.") == []
    assert parse_commands("/doi-botty recheck") == []


def test_commands_in_fenced_code_are_examples():
    assert parse_commands("Try:\n```\n/doi-bot recheck\n```\n") == []


def test_unknown_and_malformed_commands_say_what_is_wrong():
    [unknown] = parse_commands("/doi-bot merge")
    assert isinstance(unknown, Unknown) and "`merge` is not a doi-bot command" in unknown.problem
    [bare] = parse_commands("/doi-bot")
    assert isinstance(bare, Unknown) and "missing" in bare.problem
    [no_reason] = parse_commands("/doi-bot ignore DOI-D012")
    assert isinstance(no_reason, Unknown) and "reason" in no_reason.problem
    [bad_id] = parse_commands("/doi-bot ignore D012 because")
    assert isinstance(bad_id, Unknown) and "rule id" in bad_id.problem
    [extra] = parse_commands("/doi-bot recheck now")
    assert isinstance(extra, Unknown) and "no arguments" in extra.problem


@settings(max_examples=200)
@given(st.text())
def test_any_comment_parses_without_an_exception(body: str):
    for command in parse_commands(body):
        assert isinstance(command, Recheck | Status | Ignore | Unknown)


@settings(max_examples=200)
@given(st.text(alphabet=st.characters(blacklist_categories=["Cs"]), min_size=1).filter(lambda s: s.strip()))
def test_ignore_keeps_any_reason(reason: str):
    [command] = parse_commands(f"/doi-bot ignore DOI-L004 {' '.join(reason.split())}")
    assert command == Ignore("DOI-L004", " ".join(reason.split()))
