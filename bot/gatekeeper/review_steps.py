"""Gatekeeping inside the App's review of a pull request: what it reads before the review is built (the
waivers and the decision) and what it leaves after the review is published (for each new image: the review
request, the checklist and the gatekeeper check run)."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable, Iterable

from gidgethub.abc import GitHubAPI

from bot.config import BotConfig
from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.proposal import ProposalRecord, proposals_of, publish_proposal, read_record
from bot.gatekeeper.settings import DecisionLabels, GatekeeperSettings, Team
from bot.review.model import Evidence, PullRequest, Review

NEXT = "### What happens next"


def gatekeeper_settings(config: BotConfig) -> GatekeeperSettings:
    def first(kind: str, default: str) -> str:
        return next((name for name, k in config.repositories.items() if k == kind), default)

    defaults = GatekeeperSettings()
    labels = config.labels
    return GatekeeperSettings(
        gatekeepers=Team.parse(config.gatekeepers),
        maintainers=Team.parse(config.maintainers),
        labels=DecisionLabels(labels.pending, labels.approve, labels.gate),
        approvals_needed=config.approvals_needed,
        official_images=first("official-images", defaults.official_images),
        docs=first("docs", defaults.docs),
    )


async def before_review(
    gk: Gatekeeper, gh: GitHubAPI, pr: PullRequest, found: Evidence, labels: Iterable[str]
) -> tuple[Evidence, ProposalRecord]:
    """The evidence with the waivers and the decision, and the record the publishing step reuses."""
    record = await read_record(gk, gh, pr, list(labels))
    return dataclasses.replace(found, waivers=record.waivers, gatekeeping=record.standing), record


def with_notes(review: Review, notes: Iterable[str]) -> Review:
    """The summary with gatekeeping's notes just above "What happens next" (which stays last)."""
    text = "".join(f"> {note}\n\n" for note in notes)
    if not text or text in review.summary:
        return review
    summary = review.summary
    at = summary.rfind(NEXT)
    summary = summary[:at] + text + summary[at:] if at >= 0 else summary + "\n" + text
    return dataclasses.replace(review, summary=summary)


async def after_review(
    gk: Gatekeeper,
    gh: GitHubAPI,
    pr: PullRequest,
    found: Evidence,
    review: Review,
    record: ProposalRecord,
    republish_summary: Callable[[Review], Awaitable[None]],
) -> None:
    """For each new image: the review request, the checklist and the gatekeeper check run. A review request
    GitHub refuses for the first time is said in the summary at once."""
    notes: list[str] = []
    for proposal in proposals_of(pr, review.new_images, review.conclusion, found):
        outcome = await publish_proposal(gk, gh, proposal, record, write_labels=False)
        notes += [n for n in outcome.notes if n not in notes]
    updated = with_notes(review, notes)
    if updated is not review:
        await republish_summary(updated)
