"""The GitHub client against the fake GitHub: tokens, retries, read-back, throttle, contents cache."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import gidgethub
import pytest
from fakegithub import FakeGitHub
from fakegithub.fixtures import AppKey
from fakegithub.harness import FAST_RETRIES, settings_for

from bot.github.auth import GitHubApp
from bot.github.bucket import TokenBucket
from bot.github.client import ClientPolicy, create_once
from bot.github.contents import ContentsSource
from rules.github_repo import github_repository

REPO = "docker-library/official-images"


@pytest.fixture
async def github(fake_github: FakeGitHub, app_key: AppKey) -> AsyncIterator[GitHubApp]:
    repo = fake_github.add_repo(REPO, installation_id=9)
    repo.add_files("c" * 40, {"library/python": "Maintainers: x\n"})
    async with aiohttp.ClientSession() as session:
        yield GitHubApp(session, settings_for(fake_github, app_key.private_pem), policy=FAST_RETRIES)


def token_mints(gh: FakeGitHub) -> int:
    return sum(1 for c in gh.calls if c.path.endswith("/access_tokens"))


async def test_one_token_per_installation_until_it_nears_expiry(
    github: GitHubApp, fake_github: FakeGitHub
) -> None:
    await github.installation(9)
    await github.installation(9)
    assert token_mints(fake_github) == 1
    fake_github.token_lifetime = timedelta(minutes=4)  # inside the refresh margin: replaced every time
    github._tokens.clear()
    await github.installation(9)
    await github.installation(9)
    assert token_mints(fake_github) == 3


async def test_the_app_login_comes_from_get_app(github: GitHubApp) -> None:
    assert await github.login() == "doi-bot[bot]"


async def test_a_read_is_retried_after_5xx_and_timeouts(github: GitHubApp, fake_github: FakeGitHub) -> None:
    gh = await github.installation(9)
    fake_github.faults.timeout_seconds = 0.5
    fake_github.faults.add("5xx", method="GET", path="/labels$")
    fake_github.faults.add("timeout", method="GET", path="/labels$")
    assert await gh.getitem(f"/repos/{REPO}/labels") == []
    assert sorted(c.status for c in fake_github.calls if c.path.endswith("/labels")) == [200, 502, 504]


async def test_a_secondary_rate_limit_waits_for_retry_after(
    fake_github: FakeGitHub, app_key: AppKey, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_github.add_repo(REPO, installation_id=9)
    fake_github.faults.retry_after = 7
    fake_github.faults.add("secondary-rate-limit", method="POST", path="/comments$")
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    async with aiohttp.ClientSession() as session:
        app = GitHubApp(session, settings_for(fake_github, app_key.private_pem), policy=FAST_RETRIES)
        gh = await app.installation(9)
        monkeypatch.setattr(gh, "_sleep", sleep)
        fake_github.repos[REPO].open_pull(1, "t", base_sha="b", head_sha="h", files={})
        await gh.post(f"/repos/{REPO}/issues/1/comments", data={"body": "hi"})
    assert slept == [7.0]
    assert len(fake_github.repos[REPO].issue_comments) == 1


async def test_a_create_is_not_blindly_repeated_after_a_5xx(
    github: GitHubApp, fake_github: FakeGitHub
) -> None:
    gh = await github.installation(9)
    fake_github.repos[REPO].open_pull(1, "t", base_sha="b", head_sha="h", files={})
    fake_github.faults.add("5xx", when="after", method="POST", path="/comments$")
    with pytest.raises(gidgethub.GitHubBroken):
        await gh.post(f"/repos/{REPO}/issues/1/comments", data={"body": "once"})
    assert len(fake_github.repos[REPO].issue_comments) == 1

    fake_github.faults.add("5xx", when="after", method="POST", path="/comments$")

    async def find() -> dict | None:
        comments = await gh.getitem(f"/repos/{REPO}/issues/1/comments")
        return next((c for c in comments if c["body"] == "twice?"), None)

    made = await create_once(gh, f"/repos/{REPO}/issues/1/comments", {"body": "twice?"}, find=find)
    assert made["body"] == "twice?"
    assert [c["body"] for c in fake_github.repos[REPO].issue_comments] == ["once", "twice?"]


async def test_contents_at_a_commit_are_read_once(github: GitHubApp, fake_github: FakeGitHub) -> None:
    gh = await github.installation(9)
    source = ContentsSource()
    assert await source.read(gh, REPO, "c" * 40, "library/python") == b"Maintainers: x\n"
    assert await source.read(gh, REPO, "c" * 40, "library/python") == b"Maintainers: x\n"
    assert await source.read(gh, REPO, "c" * 40, "library/nope") is None
    assert sum(1 for c in fake_github.calls if "/contents/" in c.path) == 2


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://github.com/docker-library/python.git", "docker-library/python"),
        ("https://github.com/tianon/docker-brew-debian", "tianon/docker-brew-debian"),
        ("git@github.com:owner/repo.git", "owner/repo"),
        ("https://gitlab.com/owner/repo.git", None),
        ("https://github.com/owner", None),
    ],
)
def test_github_repositories_are_recognised(url: str, expected: str | None) -> None:
    assert github_repository(url) == expected


async def test_the_write_bucket_allows_a_burst_then_paces() -> None:
    now = [0.0]
    bucket = TokenBucket(capacity=3, per_second=1000.0, clock=lambda: now[0])
    for _ in range(3):
        await bucket.take()
    assert bucket._tokens < 1
    now[0] += 0.01  # 10 tokens' worth of time, capped at the capacity
    await bucket.take()
    assert 1 <= bucket._tokens <= 2


async def test_a_repeated_read_is_a_free_conditional_request(
    github: GitHubApp, fake_github: FakeGitHub
) -> None:
    gh = await github.installation(9)
    first = await gh.getitem(f"/repos/{REPO}/labels")
    assert await gh.getitem(f"/repos/{REPO}/labels") == first
    assert [c.status for c in fake_github.calls if c.path.endswith("/labels")] == [200, 304]


async def test_writes_stay_under_githubs_hourly_limit_too() -> None:
    policy = ClientPolicy()
    # whatever the timing, a minute holds at most 80 writes and an hour at most 500
    assert policy.write_burst + 60 * policy.writes_per_second <= 80
    assert policy.hourly_burst + 3600 * policy.hourly_writes_per_second <= 500
    throttle = ClientPolicy(write_burst=100, writes_per_second=1000.0, hourly_burst=3).write_throttle()
    for _ in range(3):
        await throttle.take()
    with pytest.raises(TimeoutError):  # the hour's burst is spent: the next write waits for it
        await asyncio.wait_for(throttle.take(), 0.2)
