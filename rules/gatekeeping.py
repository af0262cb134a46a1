"""DOI-G: gatekeeping. A maintainer may waive one rule on one pull request; the waived findings stay visible,
marked as waived with the reason and the maintainer's name, and no longer fail the check."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rules.findings import Finding, Severity
from rules.registry import rule

WAIVED = rule(
    "DOI-G001",
    Severity.INFO,
    "A finding a maintainer waived on this pull request",
    "Some rules have justified exceptions; a maintainer's written waiver keeps the finding and its reason on"
    " record for reviewers without blocking the pull request.",
)


@dataclass(frozen=True, slots=True)
class Waiver:
    rule: str  # the waived rule's id, e.g. DOI-D012
    reason: str
    by: str  # the maintainer's login


def apply_waivers(findings: Iterable[Finding], waivers: Sequence[Waiver]) -> list[Finding]:
    """Each finding of a waived rule becomes one DOI-G001 info finding at the same place; others stay.

    When a rule was waived more than once, the latest waiver's reason and name are shown.
    """
    latest = {w.rule: w for w in waivers}
    result = []
    for f in findings:
        waiver = latest.get(f.rule)
        if waiver is None:
            result.append(f)
            continue
        message = (
            f"{f.rule} ({f.severity}) waived by @{waiver.by}: {_sentence(waiver.reason)}"
            f" The finding was: {f.message}"
        )
        result.append(WAIVED.finding(f.path, f.line, message, end_line=f.end_line))
    return result


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."
