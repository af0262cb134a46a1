"""Token buckets for content-creating requests: a burst is allowed, and the minute stays under GitHub's 80 and
the hour under its 500."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class TokenBucket:
    def __init__(self, *, capacity: int = 15, per_second: float = 1.0,
                 clock: Callable[[], float] = time.monotonic) -> None:  # fmt: skip
        # 15 at once, then one a second: at most 75 in any minute.
        self.capacity = capacity
        self.per_second = per_second
        self._clock = clock
        self._tokens = float(capacity)
        self._stamp = clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.per_second)
        self._stamp = now

    async def take(self) -> None:
        async with self._lock:
            self._refill()
            if self._tokens < 1:
                await asyncio.sleep((1 - self._tokens) / self.per_second)
                self._refill()
            self._tokens -= 1


class Throttle:
    """Several buckets at once (a minute's and an hour's): a write waits until each of them allows it."""

    def __init__(self, *buckets: TokenBucket) -> None:
        self.buckets = buckets

    async def take(self) -> None:
        for bucket in self.buckets:
            await bucket.take()
