"""A new image's step in "What happens next": who has the proposal now, given the gatekeepers' decision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.gatekeeper.decision import PENDING, DecisionState

if TYPE_CHECKING:
    from bot.review.build import ReviewSettings


@dataclass(frozen=True, slots=True)
class GateStanding:
    """What the App read about a new image's proposal before the review is built."""

    decision: DecisionState = PENDING
    counted_approvals: int = 0
    follows: str | None = (
        None  # a docs pull request: the official-images pull request whose decision it takes
    )


def gatekeeper_step(image: str, standing: GateStanding, names: ReviewSettings) -> str:
    """One Markdown list item (without "- "), naming who has the next step."""
    decision = standing.decision
    where = f" (decided on {standing.follows})" if standing.follows else ""
    by = f"@{decision.by}" if decision.by else "a gatekeeper"
    if decision.gate == "gated":
        return (
            f"**The author**: {by} gated `{image}`{where}; their latest comment says why. Answer there, or"
            " close the pull request: only a gatekeeper can lift the gate."
        )
    if decision.gate == "approved":
        counted, needed = standing.counted_approvals, names.approvals_needed
        if counted >= needed:
            return (
                f"**A maintainer** (`@{names.maintainers}`) merges: `{image}` was approved by {by}{where} and"
                f" has {counted} of {needed} maintainer approvals."
            )
        return (
            f"**Maintainers** (`@{names.maintainers}`) review the Dockerfiles: `{image}` was approved by"
            f" {by}{where} and has {counted} of {needed} maintainer approvals."
        )
    return (
        f"**A gatekeeper** (`@{names.gatekeepers}`) decides whether `{image}` is generally useful{where}: the"
        f" label `{names.approve}` lets it go ahead, `{names.gate}` means not as proposed. The checklist"
        f" comment has the evidence; then it needs {names.approvals_needed} maintainer approvals."
    )
