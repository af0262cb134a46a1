"""Gatekeeping end to end: signed webhooks into the App, the fake GitHub's state afterwards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fakegithub import FakeGitHub
from fakegithub.events import issue_comment_event, label_event, pull_request_event, pull_request_review_event
from fakegithub.fixtures import AppKey
from fakegithub.harness import BotUnderTest, running_bot
from fakegithub.state import Repo, user_json

from bot.gatekeeper.checklist import MARKER
from bot.gatekeeper.checkrun import GATE_CHECK
from bot.gatekeeper.membership import MembershipCache
from bot.publish import SUMMARY_MARKER
from bot.services import default_reviewer
from tests.docs_folders import FILES

OI, DOCS = "docker-library/official-images", "docker-library/docs"
BASE, HEAD, HEAD2 = "b" * 40, "c" * 40, "e" * 40
UPSTREAM_COMMIT = "1" * 40
FOO = f"""Maintainers: Foo Team <team@foo.example> (@foo-team)
GitRepo: https://github.com/foo-project/foo-docker.git

Tags: 1.2.3, 1.2, 1, latest
Architectures: amd64, arm64v8
GitCommit: {UPSTREAM_COMMIT}
Directory: 1
"""
BODY = "Adds foo, a small database. Upstream: https://github.com/foo-project/foo"


class Clock:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def github(fake_github: FakeGitHub) -> FakeGitHub:
    fake_github.add_team("docker-library", "maintainers", {"tianon": "active", "yosifkit": "active"})
    upstream = fake_github.add_repo("foo-project/foo")
    upstream.license = {"key": "apache-2.0", "spdx_id": "Apache-2.0", "name": "Apache License 2.0"}
    dockerization = fake_github.add_repo("foo-project/foo-docker")
    dockerization.add_files(UPSTREAM_COMMIT, {"1/Dockerfile": 'FROM debian:bookworm-slim\nCMD ["foo"]\n'})
    oi = fake_github.add_repo(OI)
    oi.open_pull(
        20, "Add foo", base_sha=BASE, head_sha=HEAD, files={"library/foo": (None, FOO)}, author="alice"
    )
    oi.pulls[20].body = BODY
    return fake_github


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def bot(github: FakeGitHub, app_key: AppKey, clock: Clock) -> AsyncIterator[BotUnderTest]:
    async with running_bot(github, app_key.private_pem, default_reviewer, evidence_steps=()) as running:
        running.queue.services.members = MembershipCache(ttl=120, clock=clock)
        yield running


def oi(github: FakeGitHub) -> Repo:
    return github.repos[OI]


async def deliver(bot: BotUnderTest, event: str, payload: dict[str, Any]) -> None:
    response = await bot.deliver(event, payload)
    assert response.status in (200, 202)
    await bot.settle()


async def open_pull(bot: BotUnderTest, github: FakeGitHub, repo: Repo, number: int = 20) -> None:
    await deliver(bot, "pull_request", pull_request_event(github, repo, number, "opened", sender="alice"))


async def apply(
    bot: BotUnderTest, github: FakeGitHub, repo: Repo, number: int, name: str, who: str, added=True
):
    repo.change_label(number, name, user_json(who), added=added)
    action = "labeled" if added else "unlabeled"
    await deliver(bot, "pull_request", label_event(github, repo, number, name, action=action, sender=who))


async def command(
    bot: BotUnderTest, github: FakeGitHub, repo: Repo, number: int, who: str, text: str
) -> dict:
    comment = repo.comment_as(number, who, text)
    event = issue_comment_event(github, repo, number, text, sender=who, comment_id=comment["id"])
    await deliver(bot, "issue_comment", event)
    return comment


def gate_run(repo: Repo, head: str = HEAD) -> dict[str, Any]:
    return [r for r in repo.check_runs if r["name"] == GATE_CHECK and r["head_sha"] == head][-1]


def main_run(repo: Repo, head: str = HEAD) -> dict[str, Any]:
    return [r for r in repo.check_runs if r["name"] == "doi-bot" and r["head_sha"] == head][-1]


def comments(repo: Repo, number: int, marker: str) -> list[str]:
    return [c["body"] for c in repo.issue_comments if c["issue_number"] == number and marker in c["body"]]


def summary(repo: Repo, number: int = 20) -> str:
    [body] = comments(repo, number, SUMMARY_MARKER)
    return body


def next_steps(repo: Repo, number: int = 20) -> str:
    return summary(repo, number).split("### What happens next", 1)[1]


def checklist(repo: Repo, number: int = 20) -> str:
    [body] = comments(repo, number, MARKER)
    return body


async def test_a_new_image_from_open_to_approval(bot: BotUnderTest, github: FakeGitHub):
    repo = oi(github)
    await open_pull(bot, github, repo)
    pull = repo.pulls[20]
    assert {"library/foo", "new-image", "needs-gatekeeper"} <= set(pull.labels)
    assert pull.requested_teams == ["maintainers"]
    body = checklist(repo)
    assert "**Decision:** waiting for a gatekeeper (@docker-library/maintainers)." in body
    assert "`Apache-2.0` (Apache License 2.0) in `foo-project/foo`: OSI-approved." in body
    assert "GitRepo `https://github.com/foo-project/foo-docker.git` belongs to `foo-project`" in body
    assert "FROM `debian:bookworm-slim`." in body
    assert "Missing: open a pull request to docker-library/docs adding `foo/`" in body
    assert "[x]" not in body
    assert (gate_run(repo)["status"], gate_run(repo)["conclusion"]) == ("in_progress", None)
    assert "**A gatekeeper** (`@docker-library/maintainers`) decides whether `foo`" in next_steps(repo)

    repo.review_as(20, "tianon")
    repo.review_as(20, "fan")
    await deliver(bot, "pull_request_review", pull_request_review_event(github, repo, 20, sender="tianon"))
    assert "1 of 2 maintainer approvals (@tianon). Also approved, not counted" in checklist(repo)

    await apply(bot, github, repo, 20, "approved", "tianon")
    run = gate_run(repo)
    assert (run["status"], run["conclusion"], run["output"]["title"]) == (
        "completed",
        "success",
        "Approved by @tianon",
    )
    assert "needs-gatekeeper" not in pull.labels and "approved" in pull.labels
    assert "**Decision:** approved by @tianon." in checklist(repo)
    assert "`foo` was approved by @tianon and has 1 of 2 maintainer approvals" in next_steps(repo)
    assert github.invalid_requests == []


async def test_a_non_member_applying_approve_is_reverted_and_told_once(bot: BotUnderTest, github: FakeGitHub):
    repo = oi(github)
    await open_pull(bot, github, repo)
    for _ in range(2):
        await apply(bot, github, repo, 20, "approved", "eve")
        assert "approved" not in repo.pulls[20].labels
    [explanation] = comments(repo, 20, "doi-bot:label-guard eve")
    assert explanation.startswith("@eve, thank you for helping.")
    assert "only members of @docker-library/maintainers apply or remove them" in explanation
    assert gate_run(repo)["status"] == "in_progress"
    assert "needs-gatekeeper" in repo.pulls[20].labels
    # a bot is no gatekeeper either
    await apply(bot, github, repo, 20, "gate", "renovate[bot]")
    assert "gate" not in repo.pulls[20].labels and gate_run(repo)["status"] == "in_progress"


async def test_a_gatekeeper_applying_gate_fails_the_run_with_their_reason(
    bot: BotUnderTest, github: FakeGitHub
):
    repo = oi(github)
    await open_pull(bot, github, repo)
    repo.comment_as(20, "yosifkit", "Thanks, but this is too niche for an official image.")
    await apply(bot, github, repo, 20, "gate", "yosifkit")
    run = gate_run(repo)
    assert (run["conclusion"], run["output"]["title"]) == ("failure", "Gated by @yosifkit")
    assert run["output"]["summary"].endswith("> Thanks, but this is too niche for an official image.")
    assert "needs-gatekeeper" not in repo.pulls[20].labels
    assert "**The author**: @yosifkit gated `foo`" in next_steps(repo)


async def test_the_decision_survives_a_later_push(bot: BotUnderTest, github: FakeGitHub):
    repo = oi(github)
    await open_pull(bot, github, repo)
    await apply(bot, github, repo, 20, "approved", "tianon")
    repo.push(20, HEAD2, {"library/foo": (None, FOO.replace("1.2.3", "1.2.4"))})
    await deliver(bot, "pull_request", pull_request_event(github, repo, 20, "synchronize", sender="alice"))
    run = gate_run(repo, HEAD2)
    assert (run["status"], run["conclusion"]) == ("completed", "success")
    assert "needs-gatekeeper" not in repo.pulls[20].labels
    assert len(comments(repo, 20, MARKER)) == 1 and repo.pulls[20].requested_teams == ["maintainers"]


async def test_a_new_docs_folder_follows_its_official_images_pull_request(
    bot: BotUnderTest, github: FakeGitHub
):
    repo = oi(github)
    docs = github.add_repo(DOCS)
    files = {f"foo/{name}": (None, text) for name, text in FILES.items()}
    docs.open_pull(31, "Add foo", base_sha=BASE, head_sha="f" * 40, files=files, author="alice")
    docs.pulls[31].body = "Docs for https://github.com/docker-library/official-images/pull/20"
    await open_pull(bot, github, repo)
    assert "Found: docker-library/docs#31." in checklist(repo)
    await open_pull(bot, github, docs, 31)
    assert "follows the decision on docker-library/official-images#20" in checklist(docs, 31)
    assert docs.pulls[31].requested_teams == []  # the gatekeepers decide once, on official-images
    assert gate_run(docs, "f" * 40)["status"] == "in_progress"

    await apply(bot, github, repo, 20, "approved", "tianon")
    assert gate_run(docs, "f" * 40)["conclusion"] == "success"
    assert "needs-gatekeeper" not in docs.pulls[31].labels
    assert "(decided on docker-library/official-images#20)" in next_steps(docs, 31)
    await command(bot, github, docs, 31, "alice", "/doi-bot status")
    [status] = comments(docs, 31, "**Status of this pull request**")
    assert "approved by @tianon (decided on docker-library/official-images#20)" in status


async def test_a_maintainer_waives_a_rule(bot: BotUnderTest, github: FakeGitHub):
    repo = oi(github)
    repo.push(20, HEAD, {"library/foo": (None, FOO + "\nTags: 1.2.3\nGitCommit: " + UPSTREAM_COMMIT + "\n")})
    await open_pull(bot, github, repo)
    assert main_run(repo)["conclusion"] == "failure"
    error = next(r for r in ("DOI-L010", "DOI-L011") if r in summary(repo))
    cmd = await command(
        bot, github, repo, 20, "tianon", f"/doi-bot ignore {error} removed again in the next PR"
    )
    assert [r["content"] for r in repo.reactions[cmd["id"]]] == ["+1"]
    assert comments(repo, 20, f"`{error}` is waived on this pull request by @tianon")
    assert main_run(repo)["conclusion"] != "failure"
    assert f"{error} (error) waived by @tianon: removed again in the next PR." in summary(repo)


async def test_each_command(bot: BotUnderTest, github: FakeGitHub):
    repo = oi(github)
    await open_pull(bot, github, repo)
    runs = len(repo.check_runs)

    def file_lists() -> int:
        return sum(c.method == "GET" and c.path.endswith("/pulls/20/files") for c in github.calls)

    before = file_lists()
    recheck = await command(bot, github, repo, 20, "alice", "/doi-bot recheck")
    assert [r["content"] for r in repo.reactions[recheck["id"]]] == ["+1"]
    assert file_lists() == before + 1  # reviewed again
    assert len(repo.check_runs) == runs  # the same result for the same head: nothing new to write

    refused = await command(bot, github, repo, 20, "mallory", "/doi-bot recheck")
    assert [r["content"] for r in repo.reactions[refused["id"]]] == ["confused"]

    status = await command(bot, github, repo, 20, "mallory", "/doi-bot status")
    [reply] = comments(repo, 20, "**Status of this pull request**")
    assert "- New image, gatekeepers: Waiting for a gatekeeper." in reply and "0 of 2" in reply
    assert [r["content"] for r in repo.reactions[status["id"]]] == ["+1"]

    unknown = await command(bot, github, repo, 20, "alice", "/doi-bot merge")
    assert [r["content"] for r in repo.reactions[unknown["id"]]] == ["confused"]
    [help_reply] = comments(repo, 20, "`merge` is not a doi-bot command.")
    assert "/doi-bot ignore DOI-X000 <reason>" in help_reply


async def test_a_removed_member_loses_the_power_once_the_cached_answer_expires(
    bot: BotUnderTest, github: FakeGitHub, clock: Clock
):
    repo = oi(github)
    await open_pull(bot, github, repo)
    await apply(bot, github, repo, 20, "approved", "tianon")
    assert gate_run(repo)["conclusion"] == "success"
    del github.teams[("docker-library", "maintainers")]["tianon"]
    clock.seconds = 60  # still remembered as a member
    await apply(bot, github, repo, 20, "approved", "tianon", added=False)
    assert "approved" not in repo.pulls[20].labels and gate_run(repo)["status"] == "in_progress"
    clock.seconds = 121  # the cached answer expired
    await apply(bot, github, repo, 20, "approved", "tianon")
    assert "approved" not in repo.pulls[20].labels and gate_run(repo)["status"] == "in_progress"
    assert comments(repo, 20, "doi-bot:label-guard tianon")


async def test_closing_an_undecided_pull_request_completes_its_gate_run_as_neutral(
    bot: BotUnderTest, github: FakeGitHub
):
    repo = oi(github)
    await open_pull(bot, github, repo)
    repo.pulls[20].state = "closed"
    await deliver(bot, "pull_request", pull_request_event(github, repo, 20, "closed", sender="alice"))
    assert (gate_run(repo)["status"], gate_run(repo)["conclusion"]) == ("completed", "neutral")


async def test_a_reply_github_took_but_failed_to_answer_is_not_repeated(
    bot: BotUnderTest, github: FakeGitHub
):
    repo = oi(github)
    await open_pull(bot, github, repo)
    github.faults.add("5xx", when="after", method="POST", path=r"/issues/20/comments$")
    await command(bot, github, repo, 20, "alice", "/doi-bot status")
    await bot.settle()
    assert len(comments(repo, 20, "**Status of this pull request**")) == 1


async def test_a_reply_quoting_a_huge_command_fits_githubs_limit(bot: BotUnderTest, github: FakeGitHub):
    repo = oi(github)
    await open_pull(bot, github, repo)
    huge = await command(bot, github, repo, 20, "alice", "/doi-bot " + "x" * 70_000)
    await bot.settle()
    [reply] = comments(repo, 20, f"doi-bot:reply-to {huge['id']}")
    assert len(reply) <= 65535
    assert not github.invalid_requests


async def test_a_github_that_ignores_check_name_still_gets_one_run_of_each(
    bot: BotUnderTest, github: FakeGitHub
):
    github.ignored_queries = {"check_name", "filter"}
    repo = oi(github)
    await open_pull(bot, github, repo)
    await command(bot, github, repo, 20, "alice", "/doi-bot ignore DOI-X002 testing")  # the review changes
    await command(bot, github, repo, 20, "alice", "/doi-bot recheck")
    assert sorted(r["name"] for r in repo.check_runs) == ["doi-bot", "doi-bot/gatekeeper"]
    assert (gate_run(repo)["status"], gate_run(repo)["conclusion"]) == ("in_progress", None)
    assert main_run(repo)["status"] == "completed"
