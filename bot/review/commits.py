"""The commit part of an official-images review: is each changed GitCommit on its GitFetch, and did a base
image rewrite a tarball in its history (CI's naughty-commits check, from the facts in the evidence)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.review.model import Evidence, PullRequest, UpstreamRef
from bot.review.official_images import changed_libraries
from bot.review.part import Placed, ReviewPart
from rules.commits import CommitCheck, commit_findings, facts_of, plan_commit_checks, scratch_sources

if TYPE_CHECKING:
    from bot.review.build import ReviewSettings


def commit_checks(
    pr: PullRequest, dockerfiles: Mapping[UpstreamRef, bytes | None]
) -> tuple[CommitCheck, ...]:
    """The triples a pull request needs commit facts for; the I/O layer fetches exactly these."""
    changes = [(lib.base, lib.head) for lib in changed_libraries(pr) if lib.head is not None and lib.head.ok]
    return plan_commit_checks(changes, scratch_sources(dockerfiles))


def review(pr: PullRequest, evidence: Evidence, settings: ReviewSettings) -> ReviewPart:
    facts = evidence.commit_facts
    if facts is None:  # the I/O layer did not ask about commits at all
        return ReviewPart()
    heads = {lib.path: lib.head for lib in changed_libraries(pr) if lib.head is not None}
    checks = commit_checks(pr, evidence.dockerfiles)
    placed = []
    for finding in commit_findings(checks, facts):
        head = heads[finding.path]
        entry = head.entry_locator()(finding.line)
        placed.append(Placed(finding, head.name, ", ".join(entry.tags) if entry else ""))
    # a check that could not run makes the conclusion neutral; one the user chose to skip does not
    failed = (facts_of(check, facts) for check in checks)
    reasons = dict.fromkeys(f.unchecked for f in failed if f.unchecked and not f.by_choice)
    return ReviewPart(
        findings=tuple(placed),
        unchecked=tuple(f"Changed GitCommits were not checked against GitFetch: {r}." for r in reasons),
    )
