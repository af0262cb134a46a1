"""GitHub App authentication: one JWT client for the App, one cached token per installation."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import cachetools

from bot.config import Settings
from bot.github.bucket import Throttle
from bot.github.client import ClientPolicy, GitHubClient, GitHubHealth

TOKEN_LIFETIME = timedelta(hours=1)
REFRESH_BEFORE = timedelta(minutes=5)  # a token is replaced this long before GitHub expires it


class GitHubApp:
    """Clients for the App (`app`, JWT) and for each installation (`installation(id)`, a cached token).

    One conditional-request cache (ETags; a 304 costs no rate limit) and one write throttle per installation
    are shared by every client handed out."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        settings: Settings,
        *,
        policy: ClientPolicy | None = None,
        health: GitHubHealth | None = None,
    ) -> None:
        self._session = session
        self._settings = settings
        self.policy = policy or ClientPolicy()
        self.health = health or GitHubHealth()
        self.cache: cachetools.LRUCache[str, Any] = cachetools.LRUCache(maxsize=2000)
        self._tokens: dict[int, tuple[str, datetime]] = {}
        self._locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._buckets: defaultdict[int, Throttle] = defaultdict(self.policy.write_throttle)
        self._login: str | None = None
        self._installations: dict[str, int] = {}  # owner/name -> installation id
        self.app = GitHubClient(
            session,
            policy=self.policy,
            health=self.health,
            app_id=settings.app_id,
            private_key=settings.private_key,
            base_url=settings.api_url,
        )

    async def token(self, installation_id: int) -> str:
        async with self._locks[installation_id]:
            cached = self._tokens.get(installation_id)
            if cached and cached[1] - datetime.now(UTC) > REFRESH_BEFORE:
                return cached[0]
            answer = await self.app.post(
                "/app/installations/{installation_id}/access_tokens",
                {"installation_id": installation_id},
                data=b"",
            )
            stamp = answer.get("expires_at")  # GitHub's tokens last an hour: assumed when not said
            expires = (
                datetime.fromisoformat(stamp.replace("Z", "+00:00"))
                if isinstance(stamp, str)
                else datetime.now(UTC) + TOKEN_LIFETIME
            )
            self._tokens[installation_id] = (answer["token"], expires)
            return str(answer["token"])

    async def installation(self, installation_id: int) -> GitHubClient:
        return GitHubClient(
            self._session,
            policy=self.policy,
            bucket=self._buckets[installation_id],
            health=self.health,
            oauth_token=await self.token(installation_id),
            on_unauthorized=lambda: self._tokens.pop(installation_id, None),
            cache=self.cache,
            base_url=self._settings.api_url,
        )

    async def installation_of(self, repository: str) -> int:
        """The installation for a repository, for a delivery that names none (asked once per repository)."""
        key = repository.lower()
        if key not in self._installations:
            answer = await self.app.getitem(f"/repos/{repository}/installation")
            self._installations[key] = int(answer["id"])
        return self._installations[key]

    async def login(self) -> str:
        """The App's bot user (`slug[bot]`), to recognise its own actions."""
        if self._login is None:
            answer = await self.app.getitem("/app")
            self._login = f"{answer['slug']}[bot]"
        return self._login
