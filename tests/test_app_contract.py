"""The contract as an outside harness sees it: `doi-bot serve` as a process, configured only through its
environment, fed signed deliveries over HTTP, judged by what the fake GitHub ends up holding."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import os
import re
import socket
import sys
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from fakegithub import FakeGitHub
from fakegithub.events import label_event, ping_event, pull_request_event, signed
from fakegithub.fixtures import AppKey
from fakegithub.scenarios import HEAD, official_images
from fakegithub.state import Repo

from bot.publish import SUMMARY_MARKER

REPO = Path(__file__).resolve().parents[1]
SECRET = "a harness secret"
MIB = 1024 * 1024


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "DOI_BOT_"))}


class Served:
    def __init__(self, url: str, session: aiohttp.ClientSession) -> None:
        self.url = url
        self.session = session

    async def post(self, body: bytes, headers: dict[str, str]) -> int:
        async with self.session.post(f"{self.url}/webhook", data=body, headers=headers) as response:
            await response.read()
            return response.status

    async def deliver(self, event: str, payload: dict[str, Any], *, delivery: str | None = None) -> int:
        headers, body = signed(event, payload, SECRET, delivery=delivery)
        return await self.post(body, headers)

    async def get(self, path: str) -> tuple[int, str, str]:
        async with self.session.get(f"{self.url}{path}") as response:
            return response.status, response.headers.get("Content-Type", ""), await response.text()


@pytest.fixture
async def served(fake_github: FakeGitHub, app_key: AppKey, tmp_path: Path) -> AsyncIterator[Served]:
    key = tmp_path / "app.pem"
    key.write_text(app_key.private_pem)
    port = free_port()
    env = clean_environment() | {
        "GITHUB_APP_ID": str(fake_github.app_id),
        "GITHUB_PRIVATE_KEY_FILE": str(key),
        "GITHUB_WEBHOOK_SECRET": SECRET,
        "GITHUB_API_URL": fake_github.base_url,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "serve", "--host", "127.0.0.1", "--port", str(port),
        cwd=REPO, env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        async with aiohttp.ClientSession() as session:
            for _ in range(300):
                try:
                    async with session.get(f"{url}/healthz") as answer:
                        if answer.status == 200:
                            break
                except aiohttp.ClientError:
                    assert process.returncode is None, "doi-bot serve exited at start"
                await asyncio.sleep(0.05)
            yield Served(url, session)
    finally:
        process.terminate()
        await asyncio.wait_for(process.wait(), 10)


async def until(condition: Any, seconds: float = 20.0) -> None:
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("GitHub never got there")


async def quiet(gh: FakeGitHub, seconds: float = 0.5) -> None:
    """Waits until the App has made no GitHub request for `seconds`."""
    seen = -1
    while seen != len(gh.calls):
        seen = len(gh.calls)
        await asyncio.sleep(seconds)


def summaries(repo: Repo) -> list[dict[str, Any]]:
    return [c for c in repo.issue_comments if c["body"].startswith(SUMMARY_MARKER)]


def doi_bot_runs(repo: Repo) -> list[dict[str, Any]]:
    return [r for r in repo.check_runs if r["name"] == "doi-bot"]


def sign(body: bytes) -> str:
    return "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()


def headers_for(body: bytes, event: str = "pull_request", **extra: str) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": str(uuid.uuid4()),
        "X-Hub-Signature-256": sign(body),
        **extra,
    }


async def test_webhook_checks_in_the_contracts_order(served: Served, fake_github: FakeGitHub) -> None:
    repo = official_images(fake_github)
    payload = pull_request_event(fake_github, repo, 7, "opened")
    good = json.dumps(payload).encode()
    # 413 first, even unsigned, of the wrong type, and without a Content-Length (streamed, chunked)
    assert await served.post(b" " * (25 * MIB + 1), {"Content-Type": "text/plain"}) == 413

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(26):
            yield b" " * MIB

    assert await served.post(chunks(), {"Content-Type": "application/json"}) == 413  # type: ignore[arg-type]
    # a body just under the cap is read, then refused for what it is
    assert await served.post(b" " * (25 * MIB - 10), headers_for(b"x")) == 401
    assert await served.post(good, headers_for(good, **{"Content-Type": "text/plain"})) == 415
    assert await served.post(good, {**headers_for(good), "X-Hub-Signature-256": ""}) == 401
    unsigned = {k: v for k, v in headers_for(good).items() if k != "X-Hub-Signature-256"}
    assert await served.post(good, unsigned) == 401
    sha1 = "sha1=" + hmac.new(SECRET.encode(), good, hashlib.sha1).hexdigest()
    assert await served.post(good, {**unsigned, "X-Hub-Signature": sha1}) == 401
    assert await served.post(good, {**headers_for(good), "X-Hub-Signature-256": sign(b"other")}) == 401
    # signed but incomplete: 400
    for missing in ("X-GitHub-Event", "X-GitHub-Delivery"):
        assert await served.post(good, {k: v for k, v in headers_for(good).items() if k != missing}) == 400
    for body in (b"[]", b"null", b"{", b"\xff", b"[" * 100_000 + b"]" * 100_000):
        assert await served.post(body, headers_for(body)) == 400
    # nothing to do: 200; work: 202
    assert await served.deliver("ping", ping_event()) == 200
    assert await served.deliver("star", {"action": "created", "repository": payload["repository"]}) == 200
    assert await served.deliver("pull_request", {**payload, "action": "assigned"}) == 200
    other = fake_github.add_repo("someone/else")
    other.open_pull(1, "x", base_sha="a" * 40, head_sha="e" * 40, files={"library/x": (None, "x")})
    assert await served.deliver("pull_request", pull_request_event(fake_github, other, 1, "opened")) == 200
    delivery = str(uuid.uuid4())
    assert await served.deliver("pull_request", payload, delivery=delivery) == 202
    assert await served.deliver("pull_request", payload, delivery=delivery) == 200  # queued or running
    await until(lambda: doi_bot_runs(repo))
    await quiet(fake_github)
    assert await served.deliver("pull_request", payload, delivery=delivery) == 200  # done
    writes = len(fake_github.writes())
    assert await served.deliver("pull_request", payload) == 202  # a new delivery for the same head
    await quiet(fake_github)
    assert len(fake_github.writes()) == writes  # nothing new to say
    own = pull_request_event(fake_github, repo, 7, "labeled", sender=fake_github.bot_login, sender_type="Bot")
    own["label"] = repo.label_json("library/python")
    assert await served.deliver("pull_request", own) == 200  # the App's own action


async def test_one_review_of_a_pull_request_through_the_process(
    served: Served, fake_github: FakeGitHub
) -> None:
    repo = official_images(fake_github)
    assert await served.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened")) == 202
    await until(lambda: doi_bot_runs(repo))
    await quiet(fake_github)
    [summary] = summaries(repo)
    assert "What happens next" in summary["body"]
    [run] = doi_bot_runs(repo)
    assert (run["head_sha"], run["status"]) == (HEAD, "completed")
    # python's Dockerfiles are not on this GitHub: some checks could not run, and the run says which
    assert run["conclusion"] in ("neutral", "failure")
    assert run["conclusion"] == "failure" or "not" in (run["output"]["summary"] or "")
    assert "library/python" in repo.pulls[7].labels
    assert not fake_github.invalid_requests
    for review in repo.reviews:
        assert review["commit_id"] == HEAD and review["state"] == "COMMENTED"

    # health and metrics, as the contract names them
    status, kind, text = await served.get("/healthz")
    health = json.loads(text)
    assert (status, kind.split(";")[0]) == (200, "application/json")
    assert set(health) == {"status", "version", "queue_depth", "last_github_error"}
    assert health["status"] == "ok" and isinstance(health["version"], str) and health["queue_depth"] == 0
    assert health["last_github_error"] is None or isinstance(health["last_github_error"], str)
    status, kind, text = await served.get("/metrics")
    assert status == 200 and kind.startswith("text/plain")
    assert re.search(r'^doi_bot_deliveries_total\{event="pull_request",outcome="queued"\} 1\.0$', text, re.M)
    assert re.search(r"^doi_bot_queue_depth 0\.0$", text, re.M)
    assert re.search(r"^# TYPE doi_bot_review_seconds histogram$", text, re.M)
    assert re.search(r"^doi_bot_review_seconds_count 1\.0$", text, re.M)
    assert re.search(r'^doi_bot_github_requests_total\{method="GET",status="200"\} \d', text, re.M)
    assert re.search(r"^doi_bot_github_rate_limit_remaining \d", text, re.M)
    names = {line.split("{")[0].split(" ")[0] for line in text.splitlines() if line.startswith("doi_bot")}
    assert {name.removesuffix("_bucket").removesuffix("_count").removesuffix("_sum") for name in names} == {
        "doi_bot_deliveries_total",
        "doi_bot_queue_depth",
        "doi_bot_review_seconds",
        "doi_bot_github_requests_total",
        "doi_bot_github_rate_limit_remaining",
    }


async def test_an_unsigned_made_up_event_does_not_grow_the_metrics(served: Served) -> None:
    for n in range(5):
        headers = {"Content-Type": "application/json", "X-GitHub-Event": f"x{n}"}
        assert await served.post(b"{}", headers) == 401
    _, _, text = await served.get("/metrics")
    assert 'event="x1"' not in text
    assert 'doi_bot_deliveries_total{event="unknown",outcome="bad-signature"} 5.0' in text


async def test_a_label_removed_or_added_by_hand_is_put_right(served: Served, fake_github: FakeGitHub) -> None:
    repo = official_images(fake_github)
    assert await served.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened")) == 202
    await until(lambda: doi_bot_runs(repo))
    await quiet(fake_github)
    assert "library/python" in repo.pulls[7].labels
    repo.pulls[7].labels.remove("library/python")
    event = label_event(fake_github, repo, 7, "library/python", action="unlabeled", sender="someone")
    assert await served.deliver("pull_request", event) == 202
    await until(lambda: "library/python" in repo.pulls[7].labels)
    repo.pulls[7].labels.append("new-image")  # not a new image
    event = label_event(fake_github, repo, 7, "new-image", sender="someone")
    assert await served.deliver("pull_request", event) == 202
    await until(lambda: "new-image" not in repo.pulls[7].labels)
    await quiet(fake_github)
    assert len(summaries(repo)) == 1 and len(doi_bot_runs(repo)) == 1


def start_error(env: dict[str, str], tmp_path: Path, config: str | None = None) -> tuple[int, list[str]]:
    import subprocess

    if config is not None:
        (tmp_path / "config.yaml").write_text(config)
        env = env | {"DOI_BOT_CONFIG": str(tmp_path / "config.yaml")}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "serve", "--port", str(free_port())],
        cwd=REPO, env=clean_environment() | env, capture_output=True, text=True, timeout=30,
    )  # fmt: skip
    return done.returncode, done.stderr.splitlines()


@pytest.mark.parametrize(
    ("drop", "extra", "config", "named"),
    [
        ("GITHUB_WEBHOOK_SECRET", {}, None, "GITHUB_WEBHOOK_SECRET"),
        ("GITHUB_APP_ID", {}, None, "GITHUB_APP_ID"),
        ("GITHUB_PRIVATE_KEY_FILE", {}, None, "GITHUB_PRIVATE_KEY"),
        (None, {"GITHUB_PRIVATE_KEY": "x"}, None, "GITHUB_PRIVATE_KEY_FILE"),
        (None, {}, "colour: red\n", "colour"),
        (None, {}, "approvals_needed: two\n", "approvals_needed"),
        (None, {}, "labels:\n  pending: [a]\n", "labels.pending"),
        (None, {}, "labels:\n  shiny: x\n", "shiny"),
        (None, {}, "repositories: docker-library/docs\n", "repositories"),
    ],
)
def test_a_start_error_is_exit_2_and_one_line_naming_it(
    tmp_path: Path, app_key: AppKey, drop: str | None, extra: dict[str, str], config: str | None, named: str
) -> None:
    key = tmp_path / "app.pem"
    key.write_text(app_key.private_pem)
    env = {
        "GITHUB_APP_ID": "1",
        "GITHUB_PRIVATE_KEY_FILE": str(key),
        "GITHUB_WEBHOOK_SECRET": "s",
    } | extra
    env.pop(drop or "", None)
    code, lines = start_error(env, tmp_path, config)
    assert code == 2
    assert len(lines) == 1 and named in lines[0], lines
