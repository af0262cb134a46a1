"""Gatekeeping handlers called directly (no webhook), against the shared fake GitHub through gidgethub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import gidgethub.aiohttp
import pytest
from fakegithub import FakeGitHub
from fakegithub.state import Repo, user_json

from bot.gatekeeper.checklist import MARKER
from bot.gatekeeper.checkrun import GATE_CHECK
from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.conversation import on_comment
from bot.gatekeeper.decision import LabelEvent
from bot.gatekeeper.enforcement import on_label_change
from bot.gatekeeper.membership import MembershipCache
from bot.gatekeeper.proposal import (
    Proposal,
    ProposalOutcome,
    on_closed,
    publish_proposal,
    read_record,
    refresh_waiting_runs,
)
from bot.gatekeeper.settings import GatekeeperSettings, Team
from bot.gatekeeper.waivers import waivers_from_comments
from bot.review.model import PullRequest

OI, DOCS = "docker-library/official-images", "docker-library/docs"
HEAD = "1" * 40
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
LIBRARY = "Maintainers: Foo Team <team@foo.example> (@foo-team)\nGitRepo: https://github.com/foo-project/foo-docker.git\n"


async def run_proposal(gk: Gatekeeper, gh: Any, proposal: Proposal) -> ProposalOutcome:
    """Read, then publish: everything a new image gets on one review, as the pipeline does around it."""
    return await publish_proposal(gk, gh, proposal, await read_record(gk, gh, proposal.pr))


@pytest.fixture
async def gh(fake_github: FakeGitHub) -> AsyncIterator[gidgethub.aiohttp.GitHubAPI]:
    fake_github.add_team("docker-library", "maintainers", {"tianon": "active", "invited": "pending"})
    fake_github.add_repo(OI).open_pull(
        10,
        "Add foo",
        base_sha="0" * 40,
        head_sha=HEAD,
        files={"library/foo": (None, LIBRARY)},
        author="alice",
    )
    token, _ = fake_github.mint_token(1)
    async with aiohttp.ClientSession() as session:
        yield gidgethub.aiohttp.GitHubAPI(session, "tests", oauth_token=token, base_url=fake_github.base_url)


@pytest.fixture
def rereviews() -> list[tuple[str, int]]:
    return []


@pytest.fixture
def gk(fake_github: FakeGitHub, rereviews: list[tuple[str, int]]) -> Gatekeeper:
    async def rereview(repository: str, number: int) -> None:
        rereviews.append((repository, number))

    return Gatekeeper(GatekeeperSettings(), fake_github.bot_login, MembershipCache(), lambda: NOW, rereview)


def oi(fake_github: FakeGitHub) -> Repo:
    return fake_github.repos[OI]


def proposal(repo: Repo, number: int = 10, image: str = "foo") -> Proposal:
    pull = repo.pulls[number]
    kind = "docs" if repo.full_name == DOCS else "official-images"
    pr = PullRequest(
        repo.full_name,
        kind,
        number,
        pull.title,
        pull.head_sha,
        pull.base_sha,
        author=pull.author,
        body=pull.body,
    )
    return Proposal(pr, image, git_repos=("https://github.com/foo-project/foo-docker.git",), check="success")


async def label(
    gk: Gatekeeper, gh: Any, repo: Repo, name: str, who: str, added: bool = True, number: int = 10
) -> str:
    repo.change_label(number, name, user_json(who), added=added)
    return await on_label_change(gk, gh, repo.full_name, number, LabelEvent(name, added, who))


def gate_run(repo: Repo, head: str = HEAD) -> dict[str, Any]:
    return [r for r in repo.check_runs if r["name"] == GATE_CHECK and r["head_sha"] == head][-1]


def bodies(repo: Repo, marker: str) -> list[str]:
    return [c["body"] for c in repo.issue_comments if marker in c["body"]]


def pull_json(repo: Repo, number: int = 10) -> dict[str, Any]:
    pull = repo.pulls[number]
    return {"number": number, "user": {"login": pull.author}, "head": {"sha": pull.head_sha}, "labels": []}


async def test_the_same_review_again_writes_nothing(gk, gh, fake_github):
    repo = oi(fake_github)
    await run_proposal(gk, gh, proposal(repo))
    writes = len(fake_github.writes())
    await run_proposal(gk, gh, proposal(repo))
    assert len(fake_github.writes()) == writes
    assert repo.pulls[10].requested_teams == ["maintainers"] and len(bodies(repo, MARKER)) == 1


async def test_a_non_member_removing_a_decision_label_gets_it_put_back(gk, gh, fake_github):
    repo = oi(fake_github)
    await run_proposal(gk, gh, proposal(repo))
    await label(gk, gh, repo, "approved", "tianon")
    assert await label(gk, gh, repo, "approved", "eve", added=False) == "revert"
    assert "approved" in repo.pulls[10].labels
    assert gate_run(repo)["output"]["title"] == "Approved by @tianon"  # still credited to the gatekeeper
    [told] = bodies(repo, "doi-bot:label-guard eve")
    assert "doi-bot has put it back" in told
    assert await label(gk, gh, repo, "gate", "invited") == "revert"  # a pending invitation is no membership


async def test_lifting_the_gate_makes_the_proposal_pending_again_in_a_new_run(gk, gh, fake_github):
    repo = oi(fake_github)
    await run_proposal(gk, gh, proposal(repo))
    await label(gk, gh, repo, "gate", "tianon")
    assert "have not commented yet" in gate_run(repo)["output"]["summary"]
    await label(gk, gh, repo, "gate", "tianon", added=False)
    runs = [r for r in repo.check_runs if r["name"] == GATE_CHECK]
    assert [r["status"] for r in runs] == ["completed", "in_progress"]  # a completed run is never reopened
    assert "needs-gatekeeper" in repo.pulls[10].labels


async def test_a_refused_team_review_is_said_and_the_team_mentioned(gk, gh, fake_github):
    fake_github.teams.clear()  # GitHub refuses a review request to a team without access
    repo = oi(fake_github)
    outcome = await run_proposal(gk, gh, proposal(repo))
    [note] = outcome.notes
    assert note.startswith("GitHub refused to request a review from @docker-library/maintainers")
    assert note in bodies(repo, MARKER)[0]
    again = await run_proposal(gk, gh, proposal(repo))
    assert again.notes == outcome.notes
    requests = [c for c in fake_github.calls if c.path.endswith("/requested_reviewers")]
    assert len(requests) == 1


async def test_waiting_runs_are_recreated_before_githubs_fourteen_day_limit(gk, gh, fake_github):
    repo = oi(fake_github)
    await run_proposal(gk, gh, proposal(repo))
    assert await refresh_waiting_runs(gk, gh, OI) == 0
    gate_run(repo)["started_at"] = (NOW - timedelta(days=13, hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert await refresh_waiting_runs(gk, gh, OI) == 1
    assert len([r for r in repo.check_runs if r["name"] == GATE_CHECK]) == 2
    assert gate_run(repo)["status"] == "in_progress"


async def test_a_docs_folder_that_exists_and_a_missing_license_are_said(gk, gh, fake_github):
    fake_github.add_repo(DOCS).add_files("master", {"foo/content.md": "# Foo\n"})
    fake_github.add_repo("foo-project/foo-docker")
    repo = oi(fake_github)
    await run_proposal(gk, gh, proposal(repo))
    [body] = bodies(repo, MARKER)
    assert "Found: the `foo/` folder in docker-library/docs." in body
    assert "could not tell which repository is upstream" in body
    assert "GitHub detects no license file in `foo-project/foo-docker`." in body


async def test_closing_leaves_a_decided_run_as_it_was(gk, gh, fake_github):
    repo = oi(fake_github)
    await run_proposal(gk, gh, proposal(repo))
    await label(gk, gh, repo, "approved", "tianon")
    await on_closed(gk, gh, OI, 10, HEAD, set(repo.pulls[10].labels))
    assert gate_run(repo)["conclusion"] == "success"


async def test_waivers_are_refused_to_non_maintainers_and_for_unknown_rules(gk, gh, fake_github, rereviews):
    repo = oi(fake_github)
    first = repo.comment_as(10, "alice", "/doi-bot ignore DOI-X002 please")
    await on_comment(gk, gh, OI, pull_json(repo), first)
    second = repo.comment_as(10, "tianon", "/doi-bot ignore DOI-Q999 typo")
    await on_comment(gk, gh, OI, pull_json(repo), second)
    assert [r["content"] for c in (first, second) for r in repo.reactions[c["id"]]] == [
        "confused",
        "confused",
    ]
    assert bodies(repo, "only members of @docker-library/maintainers can waive a rule")
    assert bodies(repo, "there is no rule `DOI-Q999`")
    assert waivers_from_comments(repo.issue_comments, fake_github.bot_login) == [] and rereviews == []


async def test_bots_and_plain_comments_are_not_commands(gk, gh, fake_github):
    repo = oi(fake_github)
    bot_comment = {"id": 1, "user": {"login": "ci[bot]", "type": "Bot"}, "body": "/doi-bot recheck"}
    assert await on_comment(gk, gh, OI, pull_json(repo), bot_comment) == []
    assert await on_comment(gk, gh, OI, pull_json(repo), repo.comment_as(10, "alice", "LGTM")) == []
    assert fake_github.writes() == []


def test_team_parse():
    assert Team.parse("docker-library/maintainers") == Team("docker-library", "maintainers")
    with pytest.raises(ValueError):
        Team.parse("maintainers")
