"""Inline review comments: warning and error findings on lines the pull request's diff shows."""

from __future__ import annotations

from collections.abc import Sequence

from bot.review.diff import commentable_lines
from bot.review.model import InlineComment, PullRequest
from rules.findings import Finding, Severity

MAX_BODY = 65_535


def finding_markdown(finding: Finding) -> str:
    return f"**{finding.severity}** `{finding.rule}`: {finding.message}"


def _body(findings: Sequence[Finding]) -> str:
    parts = [finding_markdown(f) for f in findings]
    suggestion = next(
        (f.suggestion for f in findings if f.suggestion is not None and f.end_line in (None, f.line)), None
    )
    if suggestion is not None and "```" not in suggestion and len(suggestion) < MAX_BODY // 2:
        parts.append(f"```suggestion\n{suggestion}\n```")
    return "\n\n".join(_fit(parts))


def _fit(parts: Sequence[str]) -> list[str]:
    """As many whole parts as fit in one comment, the suggestion (last) kept when there is room."""
    kept: list[str] = []
    used = 0
    for index, part in enumerate(parts):
        if used + len(part) + 2 > MAX_BODY - 100:
            kept.append(f"and {len(parts) - index} more findings on this line")
            break
        kept.append(part)
        used += len(part) + 2
    return kept


def inline_comments(pr: PullRequest, findings: Sequence[Finding]) -> tuple[InlineComment, ...]:
    """One comment per commented line (several findings on a line share it, with at most one suggestion)."""
    patches = {f.path: f.patch for f in pr.files if f.patch is not None and f.head is not None}
    lines_of = {path: commentable_lines(patch) for path, patch in patches.items()}
    by_line: dict[tuple[str, int], list[Finding]] = {}
    for finding in findings:
        if finding.severity is Severity.INFO or finding.line is None:
            continue
        if finding.line in lines_of.get(finding.path, ()):
            by_line.setdefault((finding.path, finding.line), []).append(finding)
    return tuple(InlineComment(path, line, _body(found)) for (path, line), found in sorted(by_line.items()))
