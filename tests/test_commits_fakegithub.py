"""Commit checks against the one fake GitHub: the facts through the App's real client, and what a pull
request ends up showing when a bumped GitCommit is not on its GitFetch branch."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
import pytest
from fakegithub import FakeGitHub
from fakegithub.events import check_run_event, pull_request_event
from fakegithub.fixtures import AppKey
from fakegithub.harness import FAST_RETRIES, BotUnderTest, running_bot, settings_for
from fakegithub.scenarios import BASE, HEAD, OI
from fakegithub.state import Repo

from bot.commits.github import GitHubCommitFacts
from bot.github.auth import GitHubApp
from bot.github.client import GitHubClient
from bot.services import default_reviewer
from rules.commits import MIB, CommitCheck, CommitFacts, CommitRef, TarballChange

UPSTREAM = "docker-library/busybox"
URL = f"https://github.com/{UPSTREAM}.git"
ROOT, ADDED, REWRITTEN, TIP, OTHER, DELETED = (f"{n}" * 40 for n in range(1, 7))
TARBALL = "latest/glibc/busybox.tar.xz"
DOCKERFILE = b'FROM scratch\nADD busybox.tar.xz /\nCMD ["sh"]\n'


def upstream(gh: FakeGitHub) -> Repo:
    """busybox's history: a tarball added, then rewritten (CI's naughty case), a tip, and a side branch."""
    repo = gh.add_repo(UPSTREAM, installation_id=2)
    repo.commit(ROOT, {"latest/glibc/Dockerfile": DOCKERFILE})
    repo.commit(ADDED, {TARBALL: b"\0" * (4 * MIB)}, parents=(ROOT,))
    repo.commit(REWRITTEN, {TARBALL: b"\0\1" * (3 * MIB)}, parents=(ADDED,), branch="dist")
    repo.refs["tags/1.36.1"] = REWRITTEN
    repo.commit(TIP, {"latest/glibc/README": b"busybox\n"}, parents=(REWRITTEN,), branch="dist")
    repo.commit(OTHER, {"latest/glibc/README": b"elsewhere\n"}, parents=(TIP,), branch="other")
    return repo


@pytest.fixture
async def client(fake_github: FakeGitHub, app_key: AppKey) -> AsyncIterator[GitHubClient]:
    upstream(fake_github)
    async with aiohttp.ClientSession() as session:
        app = GitHubApp(session, settings_for(fake_github, app_key.private_pem), policy=FAST_RETRIES)
        yield await app.installation(2)


async def facts(gh: GitHubClient, commit: str, fetch: str = "refs/heads/dist", dirs=()) -> CommitFacts:
    ref = CommitRef(URL, fetch, commit)
    return (await GitHubCommitFacts().gather(gh, [CommitCheck(ref, (), tuple(dirs))]))[ref]


async def test_a_commit_on_its_branch_or_tag(client):
    assert await facts(client, ROOT) == CommitFacts()
    assert await facts(client, TIP) == CommitFacts()
    assert await facts(client, ADDED, "refs/tags/1.36.1") == CommitFacts()


async def test_a_commit_only_on_another_branch(client):
    assert await facts(client, OTHER) == CommitFacts(contained=False)


async def test_a_missing_tag(client):
    assert await facts(client, TIP, "refs/tags/9.9") == CommitFacts(ref_exists=False, contained=False)


async def test_a_deleted_commit(client):
    assert await facts(client, DELETED) == CommitFacts(commit_exists=False, contained=False)


async def test_a_tarball_rewritten_in_two_commits(client):
    found = await facts(client, TIP, dirs=("latest/glibc",))
    assert found == CommitFacts(tarball_changes=(TarballChange(REWRITTEN, TARBALL, 6 * MIB),))


def bump(gh: FakeGitHub, commit: str) -> Repo:
    """official-images pull request 7: busybox's GitCommit moves from ROOT to `commit`."""
    library = "Maintainers: Tianon Gravi <admwiggin@gmail.com> (@tianon)\n"
    library += f"GitRepo: {URL}\nGitFetch: refs/heads/dist\n"
    base = library + f"\nTags: 1.36.0, 1.36\nGitCommit: {ROOT}\nDirectory: latest/glibc\n"
    head = base.replace("1.36.0, 1.36", "1.36.1, 1.36").replace(ROOT, commit)
    repo = gh.add_repo(OI)
    repo.open_pull(
        7, "busybox: 1.36.1", base_sha=BASE, head_sha=HEAD, files={"library/busybox": (base, head)}
    )
    return repo


@asynccontextmanager
async def reviewed_bump(gh: FakeGitHub, key: AppKey, commit: str) -> AsyncIterator[tuple[BotUnderTest, Repo]]:
    """The App, running, after it reviewed a bump of busybox to `commit`."""
    upstream(gh)
    repo = bump(gh, commit)
    async with running_bot(gh, key.private_pem, default_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(gh, repo, 7, "opened"))
        await bot.settle()
        yield bot, repo


def compares(gh: FakeGitHub) -> int:
    return sum(1 for c in gh.calls if "/compare/" in c.path)


async def test_a_pull_request_bumping_to_a_commit_off_its_branch_fails_on_the_gitcommit_line(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    async with reviewed_bump(fake_github, app_key, OTHER) as (bot, repo):
        [run] = repo.check_runs
        assert run["conclusion"] == "failure"
        [annotation] = [
            a for a in repo.annotations[run["id"]] if "DOI-C001" in a["message"] + a.get("title", "")
        ]
        assert (annotation["path"], annotation["start_line"]) == ("library/busybox", 6)
        assert f"{OTHER} is not in the specified ref GitFetch: refs/heads/dist" in annotation["message"]
        assert any(c["path"] == "library/busybox" and c["line"] == 6 for c in repo.review_comments)
        assert compares(fake_github) == 1

        # a re-run asks GitHub again, though nothing it caches has changed
        await bot.deliver("check_run", check_run_event(fake_github, repo, 7))
        await bot.settle()
        assert compares(fake_github) == 2


async def test_a_scratch_image_whose_history_rewrote_its_tarball_fails(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    async with reviewed_bump(fake_github, app_key, TIP) as (_, repo):
        [run] = repo.check_runs
    assert run["conclusion"] == "failure"
    messages = [a["message"] for a in repo.annotations[run["id"]]]
    assert any(f"modified binary file (larger than 2MB): {TARBALL} (6MB)" in m for m in messages)
