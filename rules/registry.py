"""Every rule, declared once: the checks, `doi-bot rules` and the README table read the same registry."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rules.findings import Finding, Severity

_RULE_ID = re.compile(r"^DOI-[LDPCMGX]\d{3}$")


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    title: str
    why: str

    def finding(
        self,
        path: str,
        line: int | None,
        message: str,
        *,
        end_line: int | None = None,
        suggestion: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            rule=self.id,
            severity=severity or self.severity,
            path=path,
            line=line,
            message=message,
            end_line=end_line,
            suggestion=suggestion,
        )

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "severity": str(self.severity), "title": self.title, "why": self.why}


RULES: dict[str, Rule] = {}


def rule(rule_id: str, severity: Severity, title: str, why: str) -> Rule:
    """Declare a rule. Ids are stable forever, so a clash is a programming error."""
    if not _RULE_ID.match(rule_id):
        raise ValueError(f"rule id {rule_id!r} is not DOI- + area letter + three digits")
    if rule_id in RULES:
        raise ValueError(f"rule id {rule_id} is declared twice")
    declared = Rule(rule_id, severity, title, why)
    RULES[rule_id] = declared
    return declared


def all_rules() -> list[Rule]:
    """Every rule of every area, sorted by id."""
    import rules.catalog  # noqa: F401  (importing it declares every rule)

    return [RULES[k] for k in sorted(RULES)]
