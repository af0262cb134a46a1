"""The `doi-bot/gatekeeper` check-run payloads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.gatekeeper.checkrun import (
    GATE_CHECK,
    gate_run_payload,
    latest_comment,
    needs_recreate,
    quote,
    same_outcome,
)
from bot.gatekeeper.decision import PENDING, DecisionState
from bot.gatekeeper.settings import Team

TEAM = Team("docker-library", "maintainers")
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
SHA = "a" * 40


def test_undecided_is_in_progress():
    payload = gate_run_payload(SHA, PENDING, TEAM, NOW)
    assert payload["name"] == GATE_CHECK and payload["head_sha"] == SHA
    assert payload["status"] == "in_progress" and "conclusion" not in payload
    assert payload["started_at"] == "2026-11-27T12:00:00Z"
    assert payload["output"]["title"] == "Waiting for a gatekeeper"


def test_approve_is_success_and_gate_is_failure_quoting_the_gatekeeper():
    ok = gate_run_payload(SHA, DecisionState("approved", "tianon"), TEAM, NOW)
    assert (ok["status"], ok["conclusion"]) == ("completed", "success")
    assert ok["output"]["title"] == "Approved by @tianon"
    gated = gate_run_payload(
        SHA, DecisionState("gated", "yosifkit"), TEAM, NOW, reason="Not generally useful.\n\nSorry!"
    )
    assert (gated["conclusion"], gated["output"]["title"]) == ("failure", "Gated by @yosifkit")
    assert gated["output"]["summary"] == (
        "@yosifkit gated this new image. Their latest comment:\n\n> Not generally useful.\n>\n> Sorry!"
    )
    silent = gate_run_payload(SHA, DecisionState("gated", "yosifkit"), TEAM, NOW)
    assert "have not commented yet" in silent["output"]["summary"]


def test_closing_undecided_completes_neutral():
    payload = gate_run_payload(SHA, PENDING, TEAM, NOW, closed=True)
    assert (payload["status"], payload["conclusion"]) == ("completed", "neutral")


def test_incomplete_runs_are_recreated_before_githubs_fourteen_days():
    def run(age: timedelta, status: str = "in_progress") -> dict:
        return {"status": status, "started_at": (NOW - age).strftime("%Y-%m-%dT%H:%M:%SZ")}

    assert not needs_recreate(run(timedelta(days=12, hours=23)), NOW)
    assert needs_recreate(run(timedelta(days=13)), NOW)
    assert not needs_recreate(run(timedelta(days=20), "completed"), NOW)


def test_same_outcome_means_nothing_to_write():
    payload = gate_run_payload(SHA, DecisionState("approved", "tianon"), TEAM, NOW)
    stored = {"status": "completed", "conclusion": "success", "output": dict(payload["output"])}
    assert same_outcome(stored, payload)
    assert not same_outcome(stored | {"conclusion": "failure"}, payload)


def test_latest_comment_and_quote():
    comments = [
        {"user": {"login": "yosifkit"}, "body": "first"},
        {"user": {"login": "alice"}, "body": "reply"},
        {"user": {"login": "yosifkit"}, "body": "second"},
        {"user": {"login": "yosifkit"}, "body": "   "},
    ]
    assert latest_comment(comments, "yosifkit") == "second"
    assert latest_comment(comments, "nobody") is None
    long = "".join(f"{i}\n" for i in range(40_000))
    assert len(quote(long)) < 65_535 and quote(long).endswith("…")
