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
    if suggestion is not None and "```" not in suggestion:
        parts.append(f"```suggestion\n{suggestion}\n```")
    return "\n\n".join(parts)[:MAX_BODY]


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
