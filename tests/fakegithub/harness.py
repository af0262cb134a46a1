"""The App under test, wired to the fake GitHub: deliver signed webhooks, wait for jobs, look at GitHub."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import ClientResponse
from aiohttp.test_utils import TestClient, TestServer

from bot.config import BotConfig, Settings
from bot.evidence import EvidencePlanner, EvidenceStep
from bot.github.client import ClientPolicy
from bot.server import QUEUE, make_app
from bot.services import Reviewer

from .core import FakeGitHub
from .events import signed

SECRET = "It's a Secret to Everybody"
FAST_RETRIES = ClientPolicy(
    attempts=6,
    base_delay=0.01,
    max_delay=0.05,
    secondary_default=0.05,
    request_timeout=0.3,
    writes_per_second=1000.0,
    hourly_writes_per_second=1000.0,
)


class BotUnderTest:
    def __init__(self, client: TestClient[Any, Any], settings: Settings) -> None:
        self.client = client
        self.settings = settings

    @property
    def queue(self) -> Any:
        return self.client.server.app[QUEUE]

    async def deliver(
        self, event: str, payload: dict[str, Any], *, delivery: str | None = None
    ) -> ClientResponse:
        headers, body = signed(event, payload, SECRET, delivery=delivery)
        return await self.client.post("/webhook", data=body, headers=headers)

    async def settle(self) -> None:
        """Waits until every queued job has run."""
        await self.queue.join()


def settings_for(gh: FakeGitHub, private_key: str, config: BotConfig | None = None) -> Settings:
    return Settings(str(gh.app_id), private_key, SECRET, gh.base_url, config or BotConfig())


@asynccontextmanager
async def running_bot(
    gh: FakeGitHub,
    private_key: str,
    reviewer: Reviewer,
    *,
    config: BotConfig | None = None,
    planner: EvidencePlanner | None = None,
    policy: ClientPolicy = FAST_RETRIES,
    retry_delays: tuple[float, ...] = (0.05, 0.1, 0.2),
    evidence_steps: tuple[EvidenceStep, ...] | None = None,
) -> AsyncIterator[BotUnderTest]:
    settings = settings_for(gh, private_key, config)
    app = make_app(
        settings,
        policy=policy,
        reconcile_every=None,
        reviewer=reviewer,
        planner=planner,
        retry_delays=retry_delays,
        evidence_steps=evidence_steps,
    )
    async with TestClient(TestServer(app)) as client:
        yield BotUnderTest(client, settings)
