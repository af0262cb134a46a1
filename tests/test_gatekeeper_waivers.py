"""Waivers: a maintainer's `ignore` turns a rule's findings into waived, non-failing, still visible ones."""

from __future__ import annotations

from bot.gatekeeper.waivers import waiver_marker, waivers_from_comments
from rules.findings import Finding, Severity, has_errors
from rules.gatekeeping import Waiver, apply_waivers
from rules.registry import all_rules

BOT = "doi-bot[bot]"
ERROR = Finding("DOI-D012", Severity.ERROR, "https://github.com/o/r/blob/c/Dockerfile", 7, "Verify it.")
OTHER = Finding("DOI-L004", Severity.WARNING, "library/foo", 3, "Add the 1.2 alias.")


def test_waived_findings_stay_visible_with_reason_and_name_and_no_longer_fail():
    waived = apply_waivers([ERROR, OTHER], [Waiver("DOI-D012", "upstream signs releases with GPG", "tianon")])
    assert not has_errors(waived)
    [g001, kept] = waived
    assert kept == OTHER
    assert (g001.rule, g001.severity, g001.path, g001.line) == ("DOI-G001", Severity.INFO, ERROR.path, 7)
    assert g001.message == (
        "DOI-D012 (error) waived by @tianon: upstream signs releases with GPG. The finding was: Verify it."
    )


def test_without_a_waiver_for_the_rule_findings_are_unchanged():
    assert apply_waivers([ERROR], [Waiver("DOI-L001", "x", "a")]) == [ERROR]
    assert has_errors(apply_waivers([ERROR], []))


def test_the_latest_waiver_of_a_rule_is_shown():
    [g] = apply_waivers([ERROR], [Waiver("DOI-D012", "first.", "a"), Waiver("DOI-D012", "second!", "b")])
    assert "waived by @b: second!" in g.message


def test_g001_is_registered():
    assert "DOI-G001" in {r.id for r in all_rules()}


def test_waivers_are_read_back_only_from_the_bots_own_comments():
    record = Waiver("DOI-D012", "ends with --> and <b>", "tianon")
    comments = [
        {"user": {"login": BOT}, "body": f"Waived.\n{waiver_marker(record)}"},
        {"user": {"login": "mallory"}, "body": waiver_marker(Waiver("DOI-L004", "forged", "tianon"))},
        {"user": {"login": BOT}, "body": "<!-- doi-bot:waiver {not json} -->"},
        {"user": None, "body": None},
    ]
    assert "-->" not in waiver_marker(record).removesuffix(" -->")
    assert waivers_from_comments(comments, BOT) == [record]
