"""Reads what GitHub holds about a pull request's proposal: its labels, who applied them, its comments and its
reviews. Every list is read to its end (GitHub pages them), so nothing after the 30th item is missed."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.gatekeeper.checklist import Approval
from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.decision import DecisionState, LabelEvent, current_decision
from bot.gatekeeper.links import linked_pulls


@dataclass(frozen=True, slots=True)
class PullHead:
    """A pull request at one head commit: where check runs go."""

    repository: str
    number: int
    sha: str


def split_repository(repository: str) -> dict[str, str]:
    owner, _, name = repository.partition("/")
    return {"owner": owner, "repo": name}


def _issue(repository: str, number: int) -> dict[str, Any]:
    return split_repository(repository) | {"issue_number": number}


async def labels_of(gh: GitHubAPI, repository: str, number: int) -> list[str]:
    url = "/repos/{owner}/{repo}/issues/{issue_number}/labels?per_page=100"
    return [label["name"] async for label in gh.getiter(url, _issue(repository, number))]


async def label_history(gh: GitHubAPI, repository: str, number: int) -> list[LabelEvent]:
    url = "/repos/{owner}/{repo}/issues/{issue_number}/events?per_page=100"
    return [
        LabelEvent(
            event["label"]["name"], event["event"] == "labeled", (event.get("actor") or {}).get("login", "")
        )
        async for event in gh.getiter(url, _issue(repository, number))
        if event.get("event") in ("labeled", "unlabeled") and event.get("label")
    ]


async def comments_of(gh: GitHubAPI, repository: str, number: int) -> list[Mapping[str, Any]]:
    url = "/repos/{owner}/{repo}/issues/{issue_number}/comments?per_page=100"
    return [comment async for comment in gh.getiter(url, _issue(repository, number))]


async def decision_of(
    gk: Gatekeeper, gh: GitHubAPI, repository: str, number: int, labels: Collection[str] | None = None
) -> DecisionState:
    """The pull request's decision; `labels` when the caller already holds them (saves a request)."""
    if labels is None:
        labels = await labels_of(gh, repository, number)
    names = gk.settings.labels
    if not set(labels) & names.decisions:
        return current_decision(labels, [], names, bot=gk.bot)
    history = await label_history(gh, repository, number)
    return current_decision(labels, history, names, bot=gk.bot)


async def approvals_of(
    gk: Gatekeeper, gh: GitHubAPI, repository: str, number: int, author: str
) -> list[Approval]:
    """Reviewers whose latest deciding review approves; maintainers are counted, the others shown."""
    url = "/repos/{owner}/{repo}/pulls/{pull_number}/reviews?per_page=100"
    latest: dict[str, str] = {}
    async for review in gh.getiter(url, split_repository(repository) | {"pull_number": number}):
        login = (review.get("user") or {}).get("login")
        # a later plain comment does not undo an approval or a change request
        if login and login not in (author, gk.bot) and review.get("state") != "COMMENTED":
            latest[login] = review.get("state", "")
    approvers = [login for login, state in latest.items() if state == "APPROVED"]
    return [
        Approval(login, await gk.members.is_active_member(gh, gk.maintainers, login)) for login in approvers
    ]


def find_own_comment(comments: list[Mapping[str, Any]], bot: str, marker: str) -> Mapping[str, Any] | None:
    """The bot's comment carrying `marker`: only the bot's own comments count, so a quote cannot hijack it."""
    for comment in comments:
        if (comment.get("user") or {}).get("login") == bot and marker in (comment.get("body") or ""):
            return comment
    return None


async def followed_decision(
    gk: Gatekeeper, gh: GitHubAPI, repository: str, number: int, body: str, labels: Collection[str]
) -> tuple[str | None, DecisionState]:
    """(where the decision was taken, the decision): a docs pull request that links its official-images pull
    request takes the decision there; any other pull request has its own."""
    official_images = gk.settings.official_images
    if repository.lower() == gk.settings.docs.lower() and (linked := linked_pulls(body, official_images)):
        return f"{official_images}#{linked[0]}", await decision_of(gk, gh, official_images, linked[0])
    return None, await decision_of(gk, gh, repository, number, labels)
