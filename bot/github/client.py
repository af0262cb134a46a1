"""gidgethub's aiohttp client with what a bot needs around it: timeouts, retries with backoff and jitter,
`Retry-After` on secondary rate limits, a write throttle, metrics, and creates that never land twice."""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import gidgethub
import gidgethub.aiohttp
from multidict import CIMultiDict

from bot.github.bucket import Throttle, TokenBucket
from bot.metrics import GITHUB_REQUESTS, RATE_LIMIT_REMAINING

REQUESTER = "doi-bot"
# POSTs that do the same thing when repeated: adding labels, reactions, review requests, a token.
_IDEMPOTENT_POST = re.compile(r"/(labels|reactions|requested_reviewers|access_tokens|attempts)$")
# PATCHes that append: a check run's annotations add up, so a repeat could show them twice
_APPENDING_PATCH = re.compile(r"/check-runs/\d+$")


@dataclass(frozen=True)
class ClientPolicy:
    """How the client waits: retries, timeouts, and the pace of content-creating requests."""

    attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    secondary_default: float = 60.0  # GitHub: wait at least a minute when it gives no Retry-After
    max_retry_after: float = 120.0  # longer than this and the job fails now, to be reconciled later
    request_timeout: float = 10.0
    write_burst: int = 15  # 15 at once, then one a second: at most 75 in any minute, under GitHub's 80
    writes_per_second: float = 1.0
    hourly_burst: int = 100  # and 100 at once, then 400 an hour: at most 500 in any hour, GitHub's limit
    hourly_writes_per_second: float = 400 / 3600

    def write_throttle(self) -> Throttle:
        """One installation's pace of content-creating requests, under both of GitHub's limits."""
        return Throttle(
            TokenBucket(capacity=self.write_burst, per_second=self.writes_per_second),
            TokenBucket(capacity=self.hourly_burst, per_second=self.hourly_writes_per_second),
        )

    def backoff(self, attempt: int) -> float:
        """Exponential with full jitter above half, so clients that failed together do not retry together."""
        delay = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return delay * random.uniform(0.5, 1.0)


@dataclass
class GitHubHealth:
    """The last GitHub error, for /healthz."""

    last_error: str | None = None


def is_secondary_limit(exc: gidgethub.HTTPException) -> bool:
    if exc.status_code == 429:
        return True
    if exc.status_code != 403 or isinstance(exc, gidgethub.RateLimitExceeded):
        return False
    return "retry-after" in (exc.headers or {}) or "secondary rate limit" in str(exc).lower()


def retry_delay(
    policy: ClientPolicy, method: str, url: str, exc: gidgethub.HTTPException, attempt: int
) -> float | None:
    """Seconds to wait before trying again, or None when the request must not be repeated."""
    if attempt >= policy.attempts:
        return None
    if is_secondary_limit(exc):
        # GitHub refused the request without doing it, so even a create may be repeated.
        header = (exc.headers or {}).get("retry-after")
        wait = float(header) if header and header.isdigit() else policy.secondary_default
        return wait if wait <= policy.max_retry_after else None
    if isinstance(exc, gidgethub.GitHubBroken):
        path = url.split("?")[0]
        if (method == "POST" and not _IDEMPOTENT_POST.search(path)) or (
            method == "PATCH" and _APPENDING_PATCH.search(path)
        ):
            return None  # it may have happened: the caller reads back first (create_once, add_annotations)
        return policy.backoff(attempt)
    return None


class GitHubClient(gidgethub.aiohttp.GitHubAPI):
    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        policy: ClientPolicy,
        bucket: Throttle | TokenBucket | None = None,
        health: GitHubHealth | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_unauthorized: Callable[[], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(session, REQUESTER, **kwargs)
        self._on_unauthorized = on_unauthorized  # a revoked or expired token: forget it
        self.policy = policy
        self._bucket = bucket
        self._health = health or GitHubHealth()
        self._sleep = sleep

    async def sleep(self, seconds: float) -> None:
        await self._sleep(seconds)

    async def _request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes = b""
    ) -> tuple[int, Mapping[str, str], bytes]:
        try:
            async with asyncio.timeout(self.policy.request_timeout):
                async with self._session.request(method, url, headers=headers, data=body) as response:
                    status, answer, data = response.status, response.headers, await response.read()
        except (TimeoutError, aiohttp.ClientError):
            # No answer: handled like GitHub's own 504, since the request may or may not have taken effect.
            status, answer, data = 504, CIMultiDict(), b""
        GITHUB_REQUESTS.labels(method, str(status)).inc()
        if (remaining := answer.get("x-ratelimit-remaining")) is not None and remaining.isdigit():
            RATE_LIMIT_REMAINING.set(int(remaining))
        if status == 401 and self._on_unauthorized is not None:
            self._on_unauthorized()
        if status >= 500 or status in (401, 403, 429):
            self._health.last_error = f"{method} {url.split('?')[0]}: {status}"
        return status, answer, data

    async def manage_rate_limit(self, *, method: str, url: str) -> None:
        if self._bucket is not None and method != "GET" and not url.endswith("/access_tokens"):
            await self._bucket.take()

    async def handle_rate_limit_error(
        self, *, method: str, url: str, exception: gidgethub.HTTPException, attempt: int
    ) -> bool:
        delay = retry_delay(self.policy, method, url, exception, attempt)
        if delay is None:
            return False
        await self.sleep(delay)
        return True


async def create_once(
    gh: GitHubClient,
    url: str,
    data: Any,
    *,
    find: Callable[[], Awaitable[Any | None]],
    url_vars: Mapping[str, Any] | None = None,
) -> Any:
    """POSTs a create; when GitHub fails or does not answer, reads back with `find` before trying again,
    because the first request may have taken effect (GitHub sometimes writes and then answers 5xx)."""
    attempt = 0
    while True:
        attempt += 1
        try:
            return await gh.post(url, url_vars or {}, data=data)
        except gidgethub.GitHubBroken:
            if attempt >= gh.policy.attempts:
                raise
        await gh.sleep(gh.policy.backoff(attempt))
        existing = await find()
        if existing is not None:
            return existing
