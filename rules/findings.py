"""The one value every check produces, and everything downstream renders."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for the most severe, so sorting by rank puts errors first."""
        return _RANK[self]


_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    path: str
    line: int | None
    message: str
    end_line: int | None = None
    suggestion: str | None = None

    def sort_key(self) -> tuple[str, bool, int, str, str]:
        """The contract's order: path, then line (null first), then rule."""
        return (self.path, self.line is not None, self.line or 0, self.rule, self.message)

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "path": self.path,
            "line": self.line,
            "end_line": self.end_line,
            "message": self.message,
            "suggestion": self.suggestion,
        }


def sorted_findings(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    """Sorted in the contract's order, exact duplicates dropped."""
    return sorted(set(findings), key=Finding.sort_key)


def has_errors(findings: list[Finding] | tuple[Finding, ...]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
