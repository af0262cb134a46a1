"""The `doi-bot/gatekeeper` check run: in progress while undecided, success once approved, failure once gated.

GitHub marks a run that stays incomplete for 14 days as stale, so an undecided run is re-created before then.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.gatekeeper.decision import DecisionState
from bot.gatekeeper.settings import Team
from bot.publish import fit

GATE_CHECK = "doi-bot/gatekeeper"
# One day of margin before GitHub's 14 days, so a daily reconcile always catches it in time.
RECREATE_AFTER = timedelta(days=13)
MAX_QUOTE = 60_000


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def gate_output(
    state: DecisionState, gatekeepers: Team, *, reason: str | None = None, closed: bool = False
) -> tuple[str | None, dict[str, str]]:
    """The conclusion (None while in progress) and the run's `output`."""
    by = f"@{state.by}" if state.by else "a gatekeeper"
    if state.gate == "approved":
        return "success", {"title": f"Approved by {by}", "summary": f"{by} approved this new image."}
    if state.gate == "gated":
        summary = f"{by} gated this new image. "
        summary += f"Their latest comment:\n\n{quote(reason)}" if reason else "They have not commented yet."
        return "failure", {"title": f"Gated by {by}", "summary": fit(summary, where="the pull request")}
    if closed:
        return "neutral", {
            "title": "Closed before a decision",
            "summary": "The pull request was closed before a gatekeeper decided.",
        }
    return None, {
        "title": "Waiting for a gatekeeper",
        "summary": (
            f"A new image waits for the gatekeepers ({gatekeepers.mention}) to decide whether it is generally"
            " useful. The checklist comment on the pull request has the evidence."
        ),
    }


def gate_run_payload(
    head_sha: str,
    state: DecisionState,
    gatekeepers: Team,
    now: datetime,
    *,
    reason: str | None = None,
    closed: bool = False,
) -> dict[str, Any]:
    """The body of `POST /repos/{o}/{r}/check-runs` (its `name` and `head_sha` dropped for a PATCH)."""
    conclusion, output = gate_output(state, gatekeepers, reason=reason, closed=closed)
    payload: dict[str, Any] = {"name": GATE_CHECK, "head_sha": head_sha, "output": output}
    if conclusion is None:
        payload |= {"status": "in_progress", "started_at": _iso(now)}
    else:
        payload |= {"status": "completed", "conclusion": conclusion, "completed_at": _iso(now)}
    return payload


def needs_recreate(run: Mapping[str, Any], now: datetime) -> bool:
    """An incomplete run close to GitHub's 14-day limit: create a fresh one instead of letting it go stale."""
    if run.get("status") == "completed" or not run.get("started_at"):
        return False
    started = datetime.fromisoformat(str(run["started_at"]).replace("Z", "+00:00"))
    return now - started >= RECREATE_AFTER


def same_outcome(run: Mapping[str, Any], payload: Mapping[str, Any]) -> bool:
    """True when the run already shows what the payload would: nothing to write."""
    return (
        run.get("status") == payload["status"]
        and run.get("conclusion") == payload.get("conclusion")
        and (run.get("output") or {}).get("title") == payload["output"]["title"]
        and (run.get("output") or {}).get("summary") == payload["output"]["summary"]
    )


def latest_comment(comments: Iterable[Mapping[str, Any]], login: str) -> str | None:
    """The body of `login`'s latest comment (GitHub lists issue comments oldest first)."""
    bodies = [c.get("body") or "" for c in comments if (c.get("user") or {}).get("login") == login]
    bodies = [b for b in bodies if b.strip()]
    return bodies[-1] if bodies else None


def quote(text: str) -> str:
    """The text as a Markdown quote, cut at a line end (with `…`) if it would exceed MAX_QUOTE characters."""
    quoted: list[str] = []
    size = 0
    for line in text.splitlines():
        shown = f"> {line}" if line else ">"
        size += len(shown) + 1
        if size > MAX_QUOTE:
            quoted.append("> …")
            break
        quoted.append(shown)
    return "\n".join(quoted)
