"""The webhook events gatekeeping acts on in the GitHub App: decision labels, `/doi-bot` commands, closing
and reviews (approvals change the checklist). Each becomes a job for the App's queue."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from gidgethub.abc import GitHubAPI

from bot import pipeline
from bot.config import BotConfig
from bot.gatekeeper.commands import PREFIX
from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.conversation import on_comment
from bot.gatekeeper.decision import LabelEvent
from bot.gatekeeper.enforcement import on_label_change
from bot.gatekeeper.proposal import on_closed, refresh_waiting_runs
from bot.gatekeeper.review_steps import gatekeeper_settings
from bot.jobs import Job
from bot.routes import Delivery, Routes
from bot.services import Services

routes = Routes()


async def gatekeeper_for(services: Services, installation_id: int, delivery_id: str) -> Gatekeeper:
    """The gatekeeping context of one job; a fresh review it asks for is queued under the same delivery."""

    async def rereview(repository: str, number: int) -> None:
        job = pipeline.review_job(
            repository, installation_id, number, None, delivery_id, time.monotonic(), again=True
        )
        services.queue.submit(job)

    return Gatekeeper(
        gatekeeper_settings(services.settings.config),
        await pipeline.own_login(services) or "",
        services.members,
        rereview=rereview,
    )


def _job(delivery: Delivery, number: int, kind: str, run: Callable[[Job, Services], Awaitable[None]]) -> Job:
    assert delivery.repository is not None
    return Job(
        key=(delivery.repository.lower(), number), kind=kind, delivery_id=delivery.delivery_id, run=run
    )


def _installation(delivery: Delivery) -> tuple[str, int]:
    assert delivery.repository is not None and delivery.installation_id is not None
    return delivery.repository, delivery.installation_id


@routes.register("pull_request", "labeled", "unlabeled")
def on_label(delivery: Delivery, config: BotConfig) -> Job | None:
    label = (delivery.data.get("label") or {}).get("name")  # missing when a label is deleted from the repo
    sender = (delivery.data.get("sender") or {}).get("login")
    names = config.labels
    if label not in (names.approve, names.gate) or not sender or delivery.installation_id is None:
        return None
    if config.kind_of(delivery.repository or "") is None:
        return None
    number = int(delivery.data["pull_request"]["number"])
    event = LabelEvent(label, delivery.action == "labeled", sender)

    async def run(job: Job, services: Services) -> None:
        repository, installation = _installation(delivery)
        gk = await gatekeeper_for(services, installation, job.delivery_id)
        await on_label_change(gk, await services.github.installation(installation), repository, number, event)

    # each label change counts (each person is told once): one job per delivery, never replaced
    return _job(delivery, number, f"gatekeeper-label:{delivery.delivery_id}", run)


@routes.register("issue_comment", "created")
def on_command(delivery: Delivery, config: BotConfig) -> Job | None:
    issue = delivery.data.get("issue") or {}
    comment = delivery.data.get("comment") or {}
    if "pull_request" not in issue or PREFIX not in (comment.get("body") or ""):
        return None
    if delivery.installation_id is None or config.kind_of(delivery.repository or "") is None:
        return None
    number = int(issue["number"])

    async def run(job: Job, services: Services) -> None:
        repository, installation = _installation(delivery)
        gk = await gatekeeper_for(services, installation, job.delivery_id)
        gh = await services.github.installation(installation)
        pull = await gh.getitem(f"/repos/{repository}/pulls/{number}")
        await on_comment(gk, gh, repository, pull, comment)

    return _job(delivery, number, f"gatekeeper-command:{comment.get('id')}", run)


@routes.register("pull_request", "closed")
def on_close(delivery: Delivery, config: BotConfig) -> Job | None:
    pull = delivery.data["pull_request"]
    labels = {label["name"] for label in pull.get("labels") or []}
    if "new-image" not in labels or delivery.installation_id is None or delivery.repository is None:
        return None

    async def run(job: Job, services: Services) -> None:
        repository, installation = _installation(delivery)
        gk = await gatekeeper_for(services, installation, job.delivery_id)
        gh = await services.github.installation(installation)
        await on_closed(gk, gh, repository, int(pull["number"]), pull["head"]["sha"], labels)

    return _job(delivery, int(pull["number"]), "gatekeeper-closed", run)


@routes.register("pull_request_review", "submitted", "dismissed")
def on_review(delivery: Delivery, config: BotConfig) -> Job | None:
    """A new image's checklist counts approvals: its pull request is reviewed again."""
    pull = delivery.data["pull_request"]
    labels = {label["name"] for label in pull.get("labels") or []}
    if "new-image" not in labels or delivery.installation_id is None or delivery.repository is None:
        return None
    number = int(pull["number"])
    return pipeline.review_job(
        delivery.repository,
        delivery.installation_id,
        number,
        None,
        delivery.delivery_id,
        delivery.received,
        again=True,
    )


async def refresh_gate_runs(services: Services, gh: GitHubAPI, installation_id: int, repository: str) -> int:
    """For the reconcile: undecided gatekeeper runs re-created before GitHub's 14-day limit."""
    gk = await gatekeeper_for(services, installation_id, f"reconcile:{repository}")
    return await refresh_waiting_runs(gk, gh, repository)
