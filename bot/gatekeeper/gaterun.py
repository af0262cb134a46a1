"""Keeps the `doi-bot/gatekeeper` check run on a head true to the decision, with as few writes as possible."""

from __future__ import annotations

from typing import Any

import gidgethub
from gidgethub.abc import GitHubAPI

from bot.gatekeeper.checkrun import GATE_CHECK, gate_run_payload, latest_comment, needs_recreate, same_outcome
from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.decision import DecisionState
from bot.gatekeeper.record import PullHead, comments_of, split_repository


async def gate_runs(gh: GitHubAPI, repository: str, head_sha: str) -> list[dict[str, Any]]:
    """This head's gatekeeper runs, newest first."""
    url = "/repos/{owner}/{repo}/commits/{ref}/check-runs?check_name={check_name}"
    runs = [
        run
        async for run in gh.getiter(
            url,
            split_repository(repository) | {"ref": head_sha, "check_name": GATE_CHECK},
            iterable_key="check_runs",
        )
        if run.get("name") == GATE_CHECK
    ]
    return sorted(runs, key=lambda run: run.get("id", 0), reverse=True)


async def sync_gate_run(
    gk: Gatekeeper, gh: GitHubAPI, head: PullHead, decision: DecisionState, *, closed: bool = False
) -> str | None:
    """Makes the head's gatekeeper run show `decision`: "created", "updated" or None (nothing written).

    A run still in progress is updated in place; a completed one is never reopened: a new run replaces it.
    """
    repository, head_sha = head.repository, head.sha
    runs = await gate_runs(gh, repository, head_sha)
    latest = runs[0] if runs else None
    if closed and (latest is None or latest.get("status") == "completed"):
        return None  # closing only completes a run still waiting; a decided run stays as it was
    reason = None
    if decision.gate == "gated" and decision.by:
        reason = latest_comment(await comments_of(gh, repository, head.number), decision.by)
    payload = gate_run_payload(head_sha, decision, gk.gatekeepers, gk.now(), reason=reason, closed=closed)
    names = split_repository(repository)
    if latest is not None and same_outcome(latest, payload) and not needs_recreate(latest, gk.now()):
        return None
    if latest is None or latest.get("status") == "completed" or needs_recreate(latest, gk.now()):
        await gh.post("/repos/{owner}/{repo}/check-runs", names, data=payload)
        return "created"
    update = {k: v for k, v in payload.items() if k not in ("name", "head_sha", "started_at")}
    await gh.patch(
        "/repos/{owner}/{repo}/check-runs/{check_run_id}", names | {"check_run_id": latest["id"]}, data=update
    )
    return "updated"


async def remove_label(gh: GitHubAPI, repository: str, number: int, label: str) -> None:
    """Removing a label that is not there is a 404: the wanted state, not an error."""
    try:
        await gh.delete(
            "/repos/{owner}/{repo}/issues/{issue_number}/labels/{name}",
            split_repository(repository) | {"issue_number": number, "name": label},
        )
    except gidgethub.BadRequest as exc:
        if exc.status_code.value != 404:
            raise


async def add_labels(gh: GitHubAPI, repository: str, number: int, labels: list[str]) -> None:
    if labels:
        await gh.post(
            "/repos/{owner}/{repo}/issues/{issue_number}/labels",
            split_repository(repository) | {"issue_number": number},
            data={"labels": labels},
        )
