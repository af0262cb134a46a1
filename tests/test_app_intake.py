"""POST /webhook in the contract's order of checks, /healthz and /metrics."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from fakegithub import FakeGitHub
from fakegithub.events import issue_comment_event, ping_event, pull_request_event, signed
from fakegithub.fixtures import AppKey
from fakegithub.harness import SECRET, BotUnderTest, running_bot
from fakegithub.scenarios import BASE, HEAD, PYTHON_BASE, PYTHON_HEAD, tag_reviewer

from bot.server import MAX_BODY


@pytest.fixture
async def bot(fake_github: FakeGitHub, app_key: AppKey) -> Any:
    repo = fake_github.add_repo("docker-library/official-images")
    repo.open_pull(
        7, "python: bump", base_sha=BASE, head_sha=HEAD, files={"library/python": (PYTHON_BASE, PYTHON_HEAD)}
    )
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as running:
        yield running


def opened(gh: FakeGitHub) -> dict[str, Any]:
    return pull_request_event(gh, gh.repos["docker-library/official-images"], 7, "opened")


async def post(bot: BotUnderTest, body: bytes, headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
    response = await bot.client.post("/webhook", data=body, headers=headers)
    return response.status, await response.json()


async def test_a_body_over_25_mib_is_413_before_anything_else(bot: BotUnderTest) -> None:
    body = b" " * (MAX_BODY + 1)
    status, _ = await post(bot, body, {"Content-Type": "text/plain"})
    assert status == 413


async def test_a_body_that_is_not_json_is_415(bot: BotUnderTest, fake_github: FakeGitHub) -> None:
    headers, body = signed("pull_request", opened(fake_github), SECRET)
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    assert (await post(bot, body, headers))[0] == 415


@pytest.mark.parametrize("mangle", ["missing", "sha1-only", "wrong", "other-secret"])
async def test_a_missing_or_wrong_signature_is_401(
    bot: BotUnderTest, fake_github: FakeGitHub, mangle: str
) -> None:
    headers, body = signed(
        "pull_request", opened(fake_github), SECRET if mangle != "other-secret" else "nope"
    )
    signature = headers.pop("X-Hub-Signature-256")
    if mangle == "sha1-only":
        headers["X-Hub-Signature"] = "sha1=" + signature.removeprefix("sha256=")[:40]
    elif mangle in ("wrong", "other-secret"):
        headers["X-Hub-Signature-256"] = signature[:-2] + ("00" if not signature.endswith("00") else "11")
    assert (await post(bot, body, headers))[0] == 401


@pytest.mark.parametrize("missing", ["X-GitHub-Event", "X-GitHub-Delivery"])
async def test_a_missing_header_is_400(bot: BotUnderTest, fake_github: FakeGitHub, missing: str) -> None:
    headers, body = signed("pull_request", opened(fake_github), SECRET)
    del headers[missing]
    assert (await post(bot, body, headers))[0] == 400


@pytest.mark.parametrize("payload", [b"[1, 2]", b"not json", b'"text"', b"\xff\xfe"])
async def test_a_body_that_is_not_a_json_object_is_400(bot: BotUnderTest, payload: bytes) -> None:
    headers, _ = signed("pull_request", {}, SECRET)
    import hashlib
    import hmac

    headers["X-Hub-Signature-256"] = (
        "sha256=" + hmac.new(SECRET.encode(), payload, hashlib.sha256).hexdigest()
    )
    assert (await post(bot, payload, headers))[0] == 400


async def test_ping_and_unknown_events_are_200(bot: BotUnderTest, fake_github: FakeGitHub) -> None:
    assert (await bot.deliver("ping", ping_event())).status == 200
    assert (await bot.deliver("star", {"action": "created"})).status == 200
    assert (await bot.deliver("pull_request", {**opened(fake_github), "action": "assigned"})).status == 200


async def test_a_repository_not_configured_is_200(bot: BotUnderTest, fake_github: FakeGitHub) -> None:
    repo = fake_github.add_repo("someone/else")
    repo.open_pull(1, "x", base_sha=BASE, head_sha=HEAD, files={"library/x": (None, "x")})
    response = await bot.deliver("pull_request", pull_request_event(fake_github, repo, 1, "opened"))
    assert response.status == 200
    assert (await response.json())["detail"] == "repository not configured"


async def test_the_apps_own_action_is_200(bot: BotUnderTest, fake_github: FakeGitHub) -> None:
    for _ in range(100):
        if bot.queue.services.own_login:
            break
        await asyncio.sleep(0.01)
    event = pull_request_event(
        fake_github,
        fake_github.repos["docker-library/official-images"],
        7,
        "opened",
        sender=fake_github.bot_login,
        sender_type="Bot",
    )
    response = await bot.deliver("pull_request", event)
    assert response.status == 200
    assert (await response.json())["detail"] == "this App's own action"


async def test_another_bots_pull_request_is_reviewed(bot: BotUnderTest, fake_github: FakeGitHub) -> None:
    event = pull_request_event(
        fake_github,
        fake_github.repos["docker-library/official-images"],
        7,
        "opened",
        sender="dependabot[bot]",
        sender_type="Bot",
    )
    assert (await bot.deliver("pull_request", event)).status == 202


async def test_a_delivery_queued_running_or_done_is_200_and_a_failed_one_is_queued_again(
    bot: BotUnderTest, fake_github: FakeGitHub
) -> None:
    event = opened(fake_github)
    assert (await bot.deliver("pull_request", event, delivery="d-1")).status == 202
    assert (await bot.deliver("pull_request", event, delivery="d-1")).status == 200
    await bot.settle()
    assert (await bot.deliver("pull_request", event, delivery="d-1")).status == 200
    bot.queue.deliveries.mark("d-1", "failed")
    assert (await bot.deliver("pull_request", event, delivery="d-1")).status == 202


async def test_a_payload_of_the_wrong_shape_never_raises(bot: BotUnderTest, fake_github: FakeGitHub) -> None:
    event = opened(fake_github)
    del event["pull_request"]["head"]
    assert (await bot.deliver("pull_request", event)).status == 200
    assert (await bot.deliver("pull_request", {"action": "opened"})).status == 200


async def test_an_issue_comment_is_not_a_review_event(bot: BotUnderTest, fake_github: FakeGitHub) -> None:
    repo = fake_github.repos["docker-library/official-images"]
    assert (
        await bot.deliver("issue_comment", issue_comment_event(fake_github, repo, 7, "hello"))
    ).status == 200


async def test_healthz_and_metrics(bot: BotUnderTest, fake_github: FakeGitHub) -> None:
    await bot.deliver("pull_request", opened(fake_github))
    await bot.settle()
    health = await (await bot.client.get("/healthz")).json()
    assert health["status"] == "ok" and health["queue_depth"] == 0 and health["last_github_error"] is None
    assert isinstance(health["version"], str)
    text = await (await bot.client.get("/metrics")).text()
    for name in (
        'doi_bot_deliveries_total{event="pull_request",outcome="queued"}',
        "doi_bot_queue_depth",
        "doi_bot_review_seconds_bucket",
        'doi_bot_github_requests_total{method="POST",status="201"}',
        "doi_bot_github_rate_limit_remaining",
    ):
        assert name in text, name
    json.dumps(health)


async def test_a_delivery_during_shutdown_is_refused_for_later_redelivery(
    bot: BotUnderTest, fake_github: FakeGitHub
) -> None:
    await bot.queue.close(grace=0)
    assert (await bot.deliver("pull_request", opened(fake_github))).status == 503


async def test_a_delivery_whose_job_failed_is_queued_again_when_redelivered(
    bot: BotUnderTest, fake_github: FakeGitHub
) -> None:
    repo = fake_github.repos["docker-library/official-images"]
    fake_github.faults.add("5xx", method="GET", path=r"/pulls/7$", times=1000)
    assert (await bot.deliver("pull_request", opened(fake_github), delivery="d-9")).status == 202
    await bot.settle()
    assert repo.check_runs == [] and bot.queue.deliveries.state("d-9") == "failed"
    fake_github.faults.rules.clear()
    assert (await bot.deliver("pull_request", opened(fake_github), delivery="d-9")).status == 202
    await bot.settle()
    assert [run["head_sha"] for run in repo.check_runs] == [HEAD]
    assert (await bot.deliver("pull_request", opened(fake_github), delivery="d-9")).status == 200


async def test_a_comment_made_through_this_app_is_its_own_action_even_without_get_app(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    fake_github.missing.append(r"^/app$")
    repo = fake_github.add_repo("docker-library/official-images")
    repo.open_pull(
        7, "python", base_sha=BASE, head_sha=HEAD, files={"library/python": (PYTHON_BASE, PYTHON_HEAD)}
    )
    event = issue_comment_event(
        fake_github, repo, 7, "/doi-bot status", sender="doi-bot[bot]", sender_type="Bot"
    )
    event["comment"]["performed_via_github_app"] = {"id": fake_github.app_id, "slug": "doi-bot"}
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as running:
        response = await running.deliver("issue_comment", event)
        assert response.status == 200
        assert (await response.json())["detail"] == "this App's own action"
