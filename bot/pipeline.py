"""The review of a pull request, from webhook to what GitHub shows: job -> pull request and evidence (fetched)
-> `build_review` (pure) -> publish (only what differs). Work for a head that is no longer the head, or for a
closed pull request, is dropped before anything is posted."""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from typing import Any

import gidgethub

from bot import evidence, publish
from bot.config import BotConfig
from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.review_steps import after_review, before_review, gatekeeper_settings, with_notes
from bot.github.publisher import Target, publish_all, publish_summary
from bot.jobs import Drop, Job
from bot.metrics import REVIEW_SECONDS
from bot.review.build import is_security
from bot.review.model import PullRequest, Review
from bot.routes import Delivery, Routes
from bot.services import Services
from rules.tool import CRASHED

log = logging.getLogger(__name__)

REVIEW = "review"

routes = Routes()


def review_job(
    repository: str,
    installation_id: int | None,  # None: a delivery without one (a repository webhook); asked of GitHub
    number: int,
    head_sha: str | None,
    delivery_id: str,
    received: float,
    *,
    again: bool = False,
    urgent: bool = False,
) -> Job:
    """`again`: review even a head this process has already reviewed (a re-run, an edited title)."""
    run = functools.partial(
        review_pull_request,
        repository=repository,
        installation_id=installation_id,
        number=number,
        again=again,
    )
    return Job(
        key=(repository.lower(), number),
        kind=REVIEW,
        delivery_id=delivery_id,
        run=run,
        head_sha=head_sha,
        received=received,
        urgent=urgent,
    )


@routes.register("pull_request", "opened", "synchronize", "reopened", "ready_for_review", "edited")
def on_pull_request(delivery: Delivery, config: BotConfig) -> Job | None:
    data = delivery.data
    pull = data["pull_request"]
    if pull["state"] != "open" or delivery.repository is None:
        return None
    if delivery.action == "edited" and not ({"title", "body", "base"} & set(data.get("changes") or {})):
        return None
    return review_job(
        delivery.repository,
        delivery.installation_id,
        int(pull["number"]),
        str(pull["head"]["sha"]),
        delivery.delivery_id,
        delivery.received,
        again=delivery.action == "edited",
        urgent=is_security(str(pull.get("title") or "")),
    )


@routes.register("pull_request", "closed")
def on_closed(delivery: Delivery, config: BotConfig) -> Drop | None:
    if delivery.repository is None:
        return None
    return Drop((delivery.repository.lower(), int(delivery.data["pull_request"]["number"])))


@routes.register("check_run", "rerequested")
def on_rerun(delivery: Delivery, config: BotConfig) -> list[Job]:
    """A "Re-run" of the doi-bot check: the pull requests of that head are reviewed again."""
    run = delivery.data["check_run"]
    if run.get("name") != publish.CHECK_RUN_NAME:
        return []
    return _review_again(delivery, run.get("pull_requests") or [])


@routes.register("check_suite", "rerequested")
def on_rerun_all(delivery: Delivery, config: BotConfig) -> list[Job]:
    """A "Re-run all checks" of the App's suite."""
    return _review_again(delivery, delivery.data["check_suite"].get("pull_requests") or [])


def _review_again(delivery: Delivery, pulls: list[dict[str, Any]]) -> list[Job]:
    # For a fork's pull request GitHub lists no pull requests here; the reconcile covers those heads.
    if not delivery.repository:
        return []
    return [
        review_job(
            delivery.repository,
            delivery.installation_id,
            int(pull["number"]),
            None,
            delivery.delivery_id,
            delivery.received,
            again=True,
        )
        for pull in pulls
    ]


async def review_pull_request(
    job: Job,
    services: Services,
    *,
    repository: str,
    installation_id: int | None,
    number: int,
    again: bool = False,
) -> None:
    config = services.settings.config
    kind = config.kind_of(repository)
    if kind is None:
        return
    if (
        not again
        and job.heads
        and all((repository.lower(), number, h) in services.reviewed for h in job.heads)
    ):
        return  # a repeated event for heads reviewed to the end here: nothing new to say, no API call
    if installation_id is None:
        installation_id = await services.github.installation_of(repository)
    gh = await services.github.installation(installation_id)
    url = f"/repos/{repository}/pulls/{number}"
    pull = await gh.getitem(url)
    head = pull["head"]["sha"]
    if pull["state"] != "open" or (job.heads and head not in job.heads):
        log.info("%s#%s: %s is not the head, or the pull is closed; dropped", repository, number, job.heads)
        return
    if not again and (repository.lower(), number, head) in services.reviewed:
        return  # another event for a head this process reviewed to the end: nothing new to say
    pr, unchecked = await evidence.pull_request(gh, services.contents, repository, kind, pull)
    found = await evidence.evidence(gh, services.contents, pr, services.planner, unchecked)
    found = await evidence.extended(gh, pr, found, services.evidence_steps, fresh=again)
    login = await _login(services)
    # without GET /app the bot's own label changes cannot be told by login: none is then taken for the bot's
    gk = Gatekeeper(gatekeeper_settings(config), login or "", services.members)
    found, record = await before_review(
        gk, gh, pr, found, [label["name"] for label in pull.get("labels", [])]
    )
    crash: Exception | None = None
    try:
        # In a thread: the review is pure, and a big one must not hold up the webhook answers.
        review = with_notes(await asyncio.to_thread(services.reviewer, pr, found, config), record.notes(gk))
    except Exception as exc:  # a bug in doi-bot: said on the pull request, never a silent crash loop
        log.exception("%s#%s: the review of %s crashed", repository, number, head)
        crash = exc
    now = await gh.getitem(url)
    if now["state"] != "open" or now["head"]["sha"] != head:
        log.info("%s#%s moved on from %s while it was reviewed; nothing posted", repository, number, head)
        return
    current = [label["name"] for label in now.get("labels", [])]
    if crash is not None:
        review = crashed_review(pr, current, crash)
    names = config.labels
    await services.labels.ensure(gh, repository, publish.fixed_labels(names), names)
    target = Target(repository, number, head, services.settings.app_id, login)
    await publish_all(gh, target, review, pr, current_labels=current, names=names, labels=services.labels)

    async def republish_summary(updated: Review) -> None:
        await publish_summary(gh, target, publish.summary_body(updated))

    if crash is None:
        await after_review(gk, gh, pr, found, review, record, republish_summary)
    services.reviewed[(repository.lower(), number, head)] = True
    REVIEW_SECONDS.observe(time.monotonic() - job.received)


async def _login(services: Services) -> str | None:
    """The App's bot user, or None when GitHub does not say (its writes are then told apart otherwise)."""
    if services.own_login is None:
        try:
            services.own_login = await services.github.login()
        except gidgethub.GitHubException as exc:
            log.warning("GET /app failed (%s): the App's earlier writes are found by its app id", exc)
    return services.own_login


def crashed_review(pr: PullRequest, labels: list[str], exc: Exception) -> Review:
    """What the pull request shows when building the review crashed: the labels as they are, a neutral
    check run, and a summary that says so."""
    path = pr.files[0].path if pr.files else pr.repository
    message = (
        f"doi-bot crashed while reviewing {pr.head_sha[:7]} ({type(exc).__name__}); this is a bug in doi-bot"
        " to report. Push again or re-run the check to try again."
    )
    summary = f"{publish.SUMMARY_MARKER}\n## doi-bot review\n\n**No review:** {message}\n"
    return Review(summary, (CRASHED.finding(path, None, message),), (), tuple(labels), "neutral")
