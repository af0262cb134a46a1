"""Reconcile: open pull requests whose head has no completed doi-bot check run are reviewed."""

from __future__ import annotations

from datetime import UTC, datetime

from fakegithub import FakeGitHub
from fakegithub.events import example
from fakegithub.fixtures import AppKey
from fakegithub.harness import running_bot
from fakegithub.scenarios import HEAD, official_images, tag_reviewer

from bot.reconcile import failed_deliveries, reconcile, redeliver_failed


async def test_a_missed_pull_request_is_reviewed_and_a_reviewed_one_is_not(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        services = bot.queue.services
        assert await reconcile(services) == 1
        await bot.settle()
        assert [run["head_sha"] for run in repo.check_runs] == [HEAD]
        writes = len(fake_github.writes())
        assert await reconcile(services) == 0
        await bot.settle()
    assert len(fake_github.writes()) == writes


def test_failed_deliveries_are_the_recent_guids_without_a_success() -> None:
    now = datetime(2026, 11, 27, 12, tzinfo=UTC)
    deliveries = [
        {"id": 1, "guid": "a", "status_code": 502, "delivered_at": "2026-11-27T11:00:00Z"},
        {"id": 2, "guid": "a", "status_code": 504, "delivered_at": "2026-11-27T11:30:00Z"},
        {"id": 3, "guid": "b", "status_code": 500, "delivered_at": "2026-11-27T11:00:00Z"},
        {"id": 4, "guid": "b", "status_code": 202, "delivered_at": "2026-11-27T11:05:00Z"},
        {"id": 5, "guid": "c", "status_code": 0, "delivered_at": "2026-11-20T11:00:00Z"},
    ]
    assert failed_deliveries(deliveries, now) == [2]


async def test_failed_deliveries_are_redelivered(fake_github: FakeGitHub, app_key: AppKey) -> None:
    official_images(fake_github)
    stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    fake_github.hook_deliveries = [
        {"id": 11, "guid": "g", "status_code": 502, "delivered_at": stamp, "event": "pull_request"}
    ]
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        assert await redeliver_failed(bot.queue.services) == 1
    assert fake_github.redelivered == [11]


async def test_a_new_installation_gets_its_open_pull_requests_reviewed(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    payload = example("installation", "created")
    payload["installation"]["id"] = fake_github.installation_of(repo).id
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        assert (await bot.deliver("installation", payload)).status == 202
        await bot.settle()
    assert [run["head_sha"] for run in repo.check_runs] == [HEAD]
