"""Applies a review to a pull request: reads what the bot left before, writes only what differs.

A re-run for the same head with the same result makes no write at all."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import gidgethub

from bot import publish
from bot.config import LabelNames
from bot.github.client import GitHubClient, create_once
from bot.review.model import PullRequest, Review

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    repository: str  # owner/name
    number: int
    head_sha: str
    app_id: str
    # the App's bot user (`slug[bot]`), when GET /app answered; without it, what the App wrote before is
    # recognised by the App named on it, or by a bot author (and, for comments, the hidden marker)
    bot_login: str | None = None

    def wrote(self, item: dict[str, Any]) -> bool:
        user = item.get("user") or {}
        if self.bot_login is not None:
            return bool(user.get("login") == self.bot_login)
        via = item.get("performed_via_github_app") or {}
        return str(via.get("id")) == self.app_id or user.get("type") == "Bot"

    def made(self, run: dict[str, Any]) -> bool:
        """A check run of this App (a run that names no App at all, as a smaller GitHub may answer, is taken
        for this App's: only Apps create check runs, and this one asked for its name)."""
        app = run.get("app")
        if not isinstance(app, dict):
            return True
        return str(app.get("id")) == self.app_id or (
            self.bot_login is not None and app.get("slug") == self.bot_login.removesuffix("[bot]")
        )

    @property
    def issue(self) -> str:
        return f"/repos/{self.repository}/issues/{self.number}"

    @property
    def pull(self) -> str:
        return f"/repos/{self.repository}/pulls/{self.number}"


class RepositoryLabels:
    """The repository's labels, read once per process; missing ones created with colour and description."""

    def __init__(self) -> None:
        self._known: dict[str, set[str]] = {}
        # one job at a time per repository: reviews starting together must not all create the same labels
        self._locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    async def ensure(self, gh: GitHubClient, repository: str, names: list[str], styles: LabelNames) -> None:
        """Best effort: a label that cannot be created here is still created, plain, when it is applied."""
        async with self._locks[repository.lower()]:
            await self._ensure(gh, repository, names, styles)

    async def _ensure(self, gh: GitHubClient, repository: str, names: list[str], styles: LabelNames) -> None:
        known = self._known.get(repository.lower())
        if known is None:
            try:
                known = {
                    label["name"].lower()
                    async for label in gh.getiter(f"/repos/{repository}/labels?per_page=100")
                }
            except gidgethub.BadRequest as exc:
                log.warning("labels of %s cannot be listed (%s); not created up front", repository, exc)
                return
            self._known[repository.lower()] = known
        for name in names:
            if name.lower() in known:
                continue
            style = publish.label_style(name, styles)
            try:
                await gh.post(
                    f"/repos/{repository}/labels",
                    data={"name": name, "color": style.color, "description": style.description},
                )
            except gidgethub.BadRequest as exc:  # already_exists (someone was quicker), or not allowed
                log.info("label %s in %s: %s", name, repository, exc)
            known.add(name.lower())


async def _own(gh: GitHubClient, url: str, target: Target) -> list[dict[str, Any]]:
    return [item async for item in gh.getiter(url) if target.wrote(item)]


async def publish_summary(gh: GitHubClient, target: Target, body: str) -> None:
    async def find() -> dict[str, Any] | None:
        comments = await _own(gh, f"{target.issue}/comments?per_page=100", target)
        return next((c for c in comments if (c.get("body") or "").startswith(publish.SUMMARY_MARKER)), None)

    existing = await find()
    if existing is None:
        await create_once(gh, f"{target.issue}/comments", {"body": body}, find=find)
    elif existing.get("body") != body:
        await gh.patch(f"/repos/{target.repository}/issues/comments/{existing['id']}", data={"body": body})


async def publish_review(gh: GitHubClient, target: Target, review: Review, pr: PullRequest) -> None:
    """At most one COMMENT review per head, only with inline comments no earlier review already made."""

    async def own_reviews() -> list[dict[str, Any]]:
        return await _own(gh, f"{target.pull}/reviews?per_page=100", target)

    async def find() -> dict[str, Any] | None:
        return next((r for r in await own_reviews() if r.get("commit_id") == target.head_sha), None)

    if not review.comments:
        return
    before = await own_reviews()
    if any(r.get("commit_id") == target.head_sha for r in before):
        return
    # no review of ours yet: no comment of ours to repeat either (and one request fewer)
    earlier = await _own(gh, f"{target.pull}/comments?per_page=100", target) if before else []
    comments = publish.inline_comments(
        review, pr, publish.fingerprints_in(c.get("body") or "" for c in earlier)
    )
    if not comments:
        return
    url = f"{target.pull}/reviews"
    try:
        await create_once(gh, url, publish.review_payload(pr, comments), find=find)
    except gidgethub.ValidationError as exc:
        # GitHub refused an anchor (it does not say which): the review goes out without inline comments.
        log.warning(
            "review on %s#%s refused (%s); posted without inline comments",
            target.repository,
            target.number,
            exc,
        )
        await create_once(gh, url, publish.review_payload(pr, comments, inline=False), find=find)


async def publish_check_run(gh: GitHubClient, target: Target, review: Review, pr: PullRequest) -> None:
    plan = publish.check_run_plan(review, pr)
    listing = (
        f"/repos/{target.repository}/commits/{target.head_sha}/check-runs"
        f"?check_name={publish.CHECK_RUN_NAME}&per_page=100"
    )

    async def find() -> dict[str, Any] | None:
        async for run in gh.getiter(listing, iterable_key="check_runs"):
            # by name too: a GitHub that ignores `check_name` lists the gatekeeper run beside it
            if run.get("name") == publish.CHECK_RUN_NAME and target.made(run):
                return dict(run)
        return None

    existing = await find()
    if existing is None:
        run = await create_once(gh, f"/repos/{target.repository}/check-runs", plan.create, find=find)
        await add_annotations(gh, target, run, plan, sent=len(plan.create["output"].get("annotations", [])))
        return
    attempt = 0
    while existing is not None and not _shows(existing, plan):
        attempt += 1
        update: dict[str, Any] = {key: plan.create[key] for key in ("status", "conclusion")}
        update["output"] = dict(plan.create["output"])
        annotated = bool((existing.get("output") or {}).get("annotations_count"))
        if annotated:
            update["output"].pop("annotations", None)  # they would be appended a second time
        try:
            run = await gh.patch(f"/repos/{target.repository}/check-runs/{existing['id']}", data=update)
        except gidgethub.GitHubBroken:
            if attempt >= gh.policy.attempts:
                raise
            await gh.sleep(gh.policy.backoff(attempt))
            existing = await find()  # the PATCH may have taken effect: look before sending it again
            continue
        if not annotated:
            await add_annotations(gh, target, run, plan, sent=len(update["output"].get("annotations", [])))
        return
    if existing is None:  # gone meanwhile: GitHub keeps no run we could update
        raise gidgethub.GitHubBroken(502, "the doi-bot check run disappeared while it was updated")


def _shows(run: dict[str, Any], plan: publish.CheckRunPlan) -> bool:
    """Whether the check run already says what the plan says (annotations are not compared)."""
    output = run.get("output") or {}
    return (
        run.get("status") == "completed"
        and run.get("conclusion") == plan.create["conclusion"]
        and output.get("title") == plan.create["output"]["title"]
        and output.get("summary") == plan.create["output"]["summary"]
    )


async def add_annotations(
    gh: GitHubClient, target: Target, run: dict[str, Any], plan: publish.CheckRunPlan, *, sent: int
) -> None:
    """The batches after the first, 50 per PATCH. Annotations append, so a PATCH GitHub failed to answer is
    not simply sent again: the run's annotations are counted first, and only a batch that is missing goes."""
    url = f"/repos/{target.repository}/check-runs/{run['id']}"
    for batch in plan.more_annotations:
        data = {"output": {**plan.create["output"], "annotations": batch}}
        for attempt in range(1, gh.policy.attempts + 1):
            try:
                await gh.patch(url, data=data)  # the client never repeats it blindly
                break
            except gidgethub.GitHubBroken:
                if attempt == gh.policy.attempts:
                    raise
            await gh.sleep(gh.policy.backoff(attempt))
            if await _annotation_count(gh, url) >= sent + len(batch):
                break  # the failed PATCH did take effect
        sent += len(batch)


async def _annotation_count(gh: GitHubClient, run_url: str) -> int:
    return sum([1 async for _ in gh.getiter(f"{run_url}/annotations?per_page=100")])


async def publish_labels(
    gh: GitHubClient,
    target: Target,
    review: Review,
    current: list[str],
    names: LabelNames,
    labels: RepositoryLabels,
) -> None:
    add, remove = publish.label_changes(review, current, names)
    if add:
        await labels.ensure(gh, target.repository, add, names)
        await gh.post(f"{target.issue}/labels", data={"labels": add})
    for name in remove:
        try:
            await gh.delete(f"{target.issue}/labels/{{name}}", {"name": name})
        except gidgethub.BadRequest as exc:
            if exc.status_code != 404:  # already gone
                raise


async def publish_all(
    gh: GitHubClient,
    target: Target,
    review: Review,
    pr: PullRequest,
    *,
    current_labels: list[str],
    names: LabelNames,
    labels: RepositoryLabels,
) -> None:
    """Labels, the summary, the review, and last the check run: a completed run means the review is done."""
    await publish_labels(gh, target, review, current_labels, names, labels)
    await publish_summary(gh, target, publish.summary_body(review))
    await publish_review(gh, target, review, pr)
    await publish_check_run(gh, target, review, pr)
