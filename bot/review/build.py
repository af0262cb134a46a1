"""build_review: the one pure entry point from a pull request and its evidence to the bot's review.

`doi-bot check --base` and the GitHub App both call it. Each kind of repository has a tuple of area
reviewers (`REVIEWERS`); adding an area is one line there: a function `(PullRequest, Evidence,
ReviewSettings) -> ReviewPart` (bot.review.part) giving its findings placed by image and entry, labels,
change Markdown and next steps. This module merges the parts: labels, the summary, the conclusion and the
inline comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.review import commits, dockerfiles, docs, official_images
from bot.review.inline import inline_comments
from bot.review.model import Conclusion, Evidence, PullRequest, RepoKind, Review
from bot.review.part import Placed, Reviewer, ReviewPart
from bot.review.summary import summary_markdown
from rules.findings import Severity, sorted_findings

_SECURITY_TITLE = re.compile(r"\s*\[security\]", re.IGNORECASE)
_REPOSITORY = re.compile(r"[\w.-]+/[\w.-]+")


@dataclass(frozen=True, slots=True)
class ReviewSettings:
    """The names the review uses; the App's configuration maps onto these (defaults as in CONTRACT.md)."""

    security: str = "security"
    pending: str = "needs-gatekeeper"
    approve: str = "approved"
    gate: str = "gate"
    gatekeepers: str = "docker-library/maintainers"
    maintainers: str = "docker-library/maintainers"
    approvals_needed: int = 2


REVIEWERS: dict[RepoKind, tuple[Reviewer, ...]] = {
    "official-images": (official_images.review, dockerfiles.review, commits.review),
    "docs": (docs.review,),
}


def is_security(title: str) -> bool:
    """A `[security]` title prefix, as the official-images README asks for security releases."""
    return _SECURITY_TITLE.match(title) is not None


def _security_steps(security: bool) -> list[str]:
    if not security:
        return []
    return [
        "**The author**: if not done yet, tell doi@docker.com about the security release, as the"
        " official-images README asks, and keep this pull request to the fix."
    ]


def _blob_url(pr: PullRequest) -> str | None:
    """Where the head's files are on GitHub, for links from the summary (None for a local review)."""
    if _REPOSITORY.fullmatch(pr.repository) and pr.number is not None:
        return f"https://github.com/{pr.repository}/blob/{pr.head_sha}"
    return None


def _conclusion(placed: list[Placed], unchecked: tuple[str, ...]) -> Conclusion:
    severities = {p.finding.severity for p in placed}
    if Severity.ERROR in severities:
        return "failure"
    if Severity.WARNING in severities or unchecked:
        return "neutral"
    return "success"


def build_review(pr: PullRequest, evidence: Evidence, settings: ReviewSettings = ReviewSettings()) -> Review:
    parts: list[ReviewPart] = [reviewer(pr, evidence, settings) for reviewer in REVIEWERS.get(pr.kind, ())]
    placed = [p for part in parts for p in part.findings]
    findings = sorted_findings([p.finding for p in placed])
    labels = {label for part in parts for label in part.labels}
    new_images = tuple(sorted({name for part in parts for name in part.new_images}))
    security = is_security(pr.title)
    if security:
        labels.add(settings.security)
    if new_images:
        labels.add(settings.pending)
    unchecked = tuple(dict.fromkeys([*evidence.unchecked, *(s for part in parts for s in part.unchecked)]))
    summary = summary_markdown(
        security=settings.security if security else None,
        findings=placed,
        change="\n\n".join(part.change_markdown for part in parts if part.change_markdown),
        unchecked=unchecked,
        next_steps=[*_security_steps(security), *(step for part in parts for step in part.next_steps)],
        blob_url=_blob_url(pr),
    )
    return Review(
        summary=summary,
        findings=tuple(findings),
        comments=inline_comments(pr, findings),
        labels=tuple(sorted(labels)),
        conclusion=_conclusion(placed, unchecked),
        gate="pending" if new_images else None,
        new_images=new_images,
    )
