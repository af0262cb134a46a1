"""The last part of every summary, "What happens next": the next step and who has it, in one sentence."""

from __future__ import annotations

from dataclasses import dataclass

from bot.gatekeeper.decision import DecisionState
from bot.gatekeeper.settings import Team


@dataclass(frozen=True, slots=True)
class Standing:
    """What decides the next step of a pull request."""

    author: str
    has_errors: bool
    gatekeepers: Team
    decision: DecisionState | None = None  # None: not a new image, nobody needs to decide
    counted_approvals: int = 0
    approvals_needed: int = 0
    follows: str | None = None  # a docs pull request following an official-images pull request's decision
    closed: bool = False


def next_step(s: Standing) -> str:
    if s.closed:
        return "Nothing: this pull request is closed."
    fix = f"@{s.author} fixes the errors above (doi-bot reviews again on every push)"
    if s.decision is None:
        if s.has_errors:
            return f"{fix[0].upper()}{fix[1:]}; then an official-images maintainer reviews and merges."
        return "An official-images maintainer reviews and merges; the author need do nothing unless asked."
    where = f" on {s.follows}" if s.follows else ""
    if s.decision.gate == "gated":
        by = f"@{s.decision.by}" if s.decision.by else "A gatekeeper"
        return (
            f"{by} gated this proposal{where} (their comment says why): @{s.author} may answer there, or"
            " close the pull request; only a gatekeeper can lift the gate."
        )
    if s.decision.gate == "pending":
        text = (
            f"The gatekeepers ({s.gatekeepers.mention}) decide{where} whether the image is generally useful,"
            " using the checklist comment"
        )
        return f"{text}; meanwhile {fix}." if s.has_errors else f"{text}."
    if s.has_errors:
        return f"Approved by the gatekeepers{where}; next, {fix}."
    missing = s.approvals_needed - s.counted_approvals
    if missing > 0:
        return (
            f"Approved by the gatekeepers{where}; official-images maintainers review the Dockerfiles"
            f" ({s.counted_approvals} of {s.approvals_needed} approvals so far)."
        )
    return "Approved, with enough maintainer approvals: a maintainer merges."


def render_next_step(s: Standing) -> str:
    return f"### What happens next\n\n{next_step(s)}\n"
