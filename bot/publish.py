"""What the bot leaves on a pull request, as GitHub request payloads: pure code, tested with plain data.

`bot.github.publisher` compares these with what GitHub holds and writes only the difference."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bot.config import LabelNames
from bot.review.model import InlineComment, PullRequest, Review
from rules.findings import Finding, Severity

SUMMARY_MARKER = "<!-- doi-bot:summary -->"
CHECK_RUN_NAME = "doi-bot"
BODY_LIMIT = 65535  # GitHub accepts 65,536; one less leaves room for nothing to go wrong
MAX_INLINE_COMMENTS = 10
ANNOTATIONS_PER_REQUEST = 50
NEW_IMAGE_LABEL = "new-image"
_FINGERPRINT = re.compile(r"<!-- doi-bot:finding ([0-9a-f]{16}) -->")
_LEVEL = {Severity.ERROR: "failure", Severity.WARNING: "warning", Severity.INFO: "notice"}


def fit(text: str, limit: int = BODY_LIMIT, *, where: str = "the doi-bot check run") -> str:
    """`text` if it fits, else its first whole lines and one line saying how much was left out and where to
    find it: summarised, never cut mid-line."""
    if len(text) <= limit:
        return text
    lines = text.splitlines()
    kept: list[str] = []
    size = 0
    budget = limit - 200  # room for the note
    for line in lines:
        if size + len(line) + 1 > budget:
            break
        kept.append(line)
        size += len(line) + 1
    left = len(lines) - len(kept)
    if not kept:  # a single enormous line: say so rather than cut it
        return f"This text is too long for GitHub ({len(text):,} characters); see {where}."
    return "\n".join(kept) + f"\n\n… {left:,} more lines are not shown here: see {where}.\n"


# -- summary comment -----------------------------------------------------------------------------------
def summary_body(review: Review) -> str:
    """The one summary comment: its marker first (the review's summary carries it already), within GitHub's
    limit."""
    text = review.summary.removeprefix(SUMMARY_MARKER).lstrip("\n")
    return fit(f"{SUMMARY_MARKER}\n{text}")


# -- inline comments -------------------------------------------------------------------------------------
def line_text(pr: PullRequest, path: str, line: int) -> str:
    for changed in pr.files:
        if changed.path == path and changed.head is not None:
            lines = changed.head.decode("utf-8", "replace").splitlines()
            return lines[line - 1].strip() if 0 < line <= len(lines) else ""
    return ""


def fingerprint(pr: PullRequest, comment: InlineComment) -> str:
    """The same finding at an unchanged place (same file, same line text, same words) has the same print,
    wherever the line moved to; a changed line or a changed message gets a new one."""
    key = "\0".join((comment.path, line_text(pr, comment.path, comment.line), comment.body.strip()))
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def fingerprints_in(bodies: Iterable[str]) -> set[str]:
    return {m[1] for body in bodies for m in _FINGERPRINT.finditer(body or "")}


def _severity_rank(comment: InlineComment, findings: Sequence[Finding]) -> int:
    ranks = [f.severity.rank for f in findings if f.path == comment.path and f.line == comment.line]
    return min(ranks, default=Severity.INFO.rank)


def inline_comments(review: Review, pr: PullRequest, already: set[str]) -> list[dict[str, Any]]:
    """Review comments to post: most severe first, capped, none repeating a finding already commented."""
    ranked = sorted(review.comments, key=lambda c: (_severity_rank(c, review.findings), c.path, c.line))
    out: list[dict[str, Any]] = []
    for comment in ranked:
        print_ = fingerprint(pr, comment)
        if print_ in already:
            continue
        already = already | {print_}
        body = fit(comment.body, BODY_LIMIT - 60)
        out.append(
            {
                "path": comment.path,
                "line": comment.line,
                "side": "RIGHT",
                "body": f"{body}\n\n<!-- doi-bot:finding {print_} -->",
            }
        )
        if len(out) == MAX_INLINE_COMMENTS:
            break
    return out


def review_payload(pr: PullRequest, comments: list[dict[str, Any]], *, inline: bool = True) -> dict[str, Any]:
    """A COMMENT review pinned to the head; with `inline=False` (GitHub refused an anchor) the comments are
    listed in the body instead."""
    count = len(comments)
    plural = "s" if count != 1 else ""
    body = f"doi-bot left {count} comment{plural} on lines of this change; the summary lists every finding."
    if not inline:
        listed = "\n".join(f"- `{c['path']}` line {c['line']}: {c['body'].splitlines()[0]}" for c in comments)
        body = f"doi-bot's findings on lines of this change (refused as inline comments):\n\n{listed}"
    payload: dict[str, Any] = {"commit_id": pr.head_sha, "event": "COMMENT", "body": fit(body)}
    if inline:
        payload["comments"] = comments
    return payload


# -- check run -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CheckRunPlan:
    create: dict[str, Any]  # the first request, with up to 50 annotations
    more_annotations: list[list[dict[str, Any]]]  # then one PATCH per further batch of 50


def _annotation(finding: Finding) -> dict[str, Any]:
    line = finding.line or 1
    end = finding.end_line if finding.end_line and finding.end_line >= line else line
    return {
        "path": finding.path,
        "start_line": line,
        "end_line": end,
        "annotation_level": _LEVEL[finding.severity],
        "title": finding.rule,
        "message": fit(finding.message, 60000),
    }


def annotations(review: Review, pr: PullRequest) -> list[dict[str, Any]]:
    """Annotations for findings in files of the pull request (an upstream Dockerfile is not a file here)."""
    paths = {f.path for f in pr.files}
    ranked = sorted(review.findings, key=lambda f: (f.severity.rank, f.sort_key()))
    return [_annotation(f) for f in ranked if f.path in paths]


_TITLES = {
    "failure": "Errors to fix",
    "neutral": "Warnings, or checks that could not run",
    "success": "No problems found",
}


def check_run_output(review: Review) -> dict[str, str]:
    counts = {s: sum(1 for f in review.findings if f.severity is s) for s in Severity}
    title = (
        f"{_TITLES[review.conclusion]}: {counts[Severity.ERROR]} errors, {counts[Severity.WARNING]} warnings"
    )
    summary = review.summary.removeprefix(SUMMARY_MARKER).lstrip("\n")
    return {"title": title, "summary": fit(summary, where="the annotations and the summary comment")}


def check_run_plan(review: Review, pr: PullRequest) -> CheckRunPlan:
    notes = annotations(review, pr)
    batches = [notes[i : i + ANNOTATIONS_PER_REQUEST] for i in range(0, len(notes), ANNOTATIONS_PER_REQUEST)]
    output: dict[str, Any] = dict(check_run_output(review))
    if batches:
        output["annotations"] = batches[0]
    create = {
        "name": CHECK_RUN_NAME,
        "head_sha": pr.head_sha,
        "status": "completed",
        "conclusion": review.conclusion,
        "output": output,
    }
    return CheckRunPlan(create, batches[1:])


# -- labels ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class LabelStyle:
    color: str
    description: str


def label_style(name: str, names: LabelNames) -> LabelStyle:
    """The colour and description of every label the bot creates."""
    if name.startswith("library/"):
        return LabelStyle("0e8a16", f"Changes the library file of {name.removeprefix('library/')}")
    if name.startswith("docs/"):
        return LabelStyle("1d76db", f"Changes the docs of {name.removeprefix('docs/')}")
    fixed = {
        NEW_IMAGE_LABEL: LabelStyle("fbca04", "Adds a new official image"),
        names.security: LabelStyle("b60205", "A security fix: reviewed before anything else"),
        names.pending: LabelStyle("d93f0b", "A new image waiting for a gatekeeper's decision"),
        names.approve: LabelStyle("0e8a16", "Gatekeepers: generally useful, go ahead"),
        names.gate: LabelStyle("000000", "Gatekeepers: not accepted as proposed"),
    }
    return fixed.get(name, LabelStyle("ededed", "Set by doi-bot"))


def fixed_labels(names: LabelNames) -> list[str]:
    """Labels created up front in every configured repository."""
    return [NEW_IMAGE_LABEL, names.security, names.pending, names.approve, names.gate]


def owned(name: str, names: LabelNames, *, gatekeeping: bool) -> bool:
    """Whether the bot keeps this label true for the head. The pending label is the gatekeeping feature's
    when that feature decides (the review carries a gate)."""
    if name.startswith(("library/", "docs/")) or name in (NEW_IMAGE_LABEL, names.security):
        return True
    return gatekeeping and name == names.pending


def wanted_labels(review: Review, names: LabelNames) -> set[str]:
    wanted = set(review.labels)
    if review.gate == "pending":
        wanted.add(names.pending)
    return wanted


def label_changes(review: Review, current: Iterable[str], names: LabelNames) -> tuple[list[str], list[str]]:
    """(labels to add, labels to remove): only the bot's own labels are ever removed."""
    have = set(current)
    wanted = wanted_labels(review, names)
    add = sorted(wanted - have)
    remove = sorted(n for n in have - wanted if owned(n, names, gatekeeping=review.gate is not None))
    return add, remove
