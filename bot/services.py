"""What a running job may use: settings, GitHub, caches, the queue, and the review's two pluggable parts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import cachetools

from bot.config import BotConfig, Settings
from bot.evidence import EvidencePlanner, EvidenceStep
from bot.gatekeeper.membership import MembershipCache
from bot.github.auth import GitHubApp
from bot.github.contents import ContentsSource
from bot.github.publisher import RepositoryLabels
from bot.jobs import WorkQueue
from bot.review.build import ReviewSettings, build_review
from bot.review.dockerfiles import DockerfilePlanner
from bot.review.model import Evidence, PullRequest, Review

Reviewer = Callable[[PullRequest, Evidence, BotConfig], Review]


def review_settings(config: BotConfig) -> ReviewSettings:
    labels = config.labels
    return ReviewSettings(
        security=labels.security,
        pending=labels.pending,
        approve=labels.approve,
        gate=labels.gate,
        gatekeepers=config.gatekeepers,
        maintainers=config.maintainers,
        approvals_needed=config.approvals_needed,
    )


def default_reviewer(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
    return build_review(pr, found, review_settings(config))


@dataclass
class Services:
    settings: Settings
    github: GitHubApp
    contents: ContentsSource
    queue: WorkQueue
    reviewer: Reviewer = default_reviewer
    planner: EvidencePlanner = field(default_factory=DockerfilePlanner)
    evidence_steps: tuple[EvidenceStep, ...] = ()  # other areas' evidence (commit facts, gatekeeping, ...)
    labels: RepositoryLabels = field(default_factory=RepositoryLabels)  # repository labels known to exist
    own_login: str | None = None  # the App's bot user, once GET /app answered
    members: MembershipCache = field(default_factory=MembershipCache)  # team memberships, briefly remembered
    # (repository, number, head) reviewed to the end by this process: another event for the same head
    # (opened then ready_for_review, a re-sent synchronize) has nothing new to say
    reviewed: cachetools.TTLCache[tuple[str, int, str], bool] = field(
        default_factory=lambda: cachetools.TTLCache(maxsize=20000, ttl=3600)
    )
