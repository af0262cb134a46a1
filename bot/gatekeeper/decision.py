"""Where a new-image proposal stands: pending, approved or gated, from the decision labels and who set them.

The labels on the pull request are the record (they survive pushes, and GitHub keeps who applied them);
the bot reverts decision labels changed by anyone outside the gatekeeper team, so what stands is theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.gatekeeper.settings import DecisionLabels
from bot.review.model import Gate


@dataclass(frozen=True, slots=True)
class LabelEvent:
    """One `labeled`/`unlabeled` change, from a webhook or the issue events API, oldest first."""

    label: str
    added: bool
    actor: str


@dataclass(frozen=True, slots=True)
class DecisionState:
    gate: Gate
    by: str | None = None  # the gatekeeper whose label decided, when decided

    @property
    def decided(self) -> bool:
        return self.gate != "pending"


PENDING = DecisionState("pending")


def current_decision(
    labels: Iterable[str], history: Sequence[LabelEvent], names: DecisionLabels, *, bot: str
) -> DecisionState:
    """The decision the labels on the pull request stand for.

    If both decision labels are on, the one applied last wins. The gatekeeper who decided is the last person
    (never the bot, which only restores labels) who applied the winning label.
    """
    present = set(labels) & names.decisions
    if not present:
        return PENDING
    applied = [(i, e) for i, e in enumerate(history) if e.added and e.label in present]
    winner = max(applied, key=lambda pair: pair[0])[1].label if applied else min(present)
    people = [e.actor for _, e in applied if e.label == winner and e.actor != bot]
    return DecisionState("approved" if winner == names.approve else "gated", people[-1] if people else None)


Verdict = Literal["ignore", "accept", "revert"]


def judge_label_change(event: LabelEvent, names: DecisionLabels, *, bot: str, is_gatekeeper: bool) -> Verdict:
    """What to do about one label change: decision labels belong to gatekeepers, everything else to anyone."""
    if event.label not in names.decisions or event.actor == bot:
        return "ignore"
    return "accept" if is_gatekeeper else "revert"
