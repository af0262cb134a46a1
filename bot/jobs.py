"""Jobs and the worker pool: jobs for one pull request run one at a time, a newer job replaces a queued
older one of the same kind, and every delivery's fate is remembered for de-duplication."""

from __future__ import annotations

import asyncio
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import cachetools

from bot.metrics import QUEUE_DEPTH

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)

DeliveryState = Literal["queued", "running", "done", "failed"]


@dataclass
class Job:
    key: Hashable  # jobs with one key (a pull request) run one at a time, in order
    kind: str  # a newer job of the same kind and key replaces a queued older one
    delivery_id: str
    run: Callable[[Job, Services], Awaitable[None]]
    head_sha: str | None = None
    received: float = field(default_factory=time.monotonic)
    attempt: int = 0  # how many times it failed and was queued again
    urgent: bool = False  # goes ahead of the other pull requests' work (a security fix)
    # deliveries this job stands for: its own and those of the jobs it replaced
    deliveries: list[str] = field(default_factory=list)
    # heads of the jobs it replaced: deliveries arrive in any order, so any of them may be the newest
    replaced_heads: set[str] = field(default_factory=set)

    @property
    def heads(self) -> set[str]:
        return {self.head_sha, *self.replaced_heads} if self.head_sha else set()

    def __post_init__(self) -> None:
        self.deliveries = [self.delivery_id, *self.deliveries]


@dataclass(frozen=True)
class Drop:
    """Forget queued work for a key (a closed pull request)."""

    key: Hashable


class Deliveries:
    """What happened to each delivery id, for a bounded time: queued, running, done or failed."""

    def __init__(self, *, maxsize: int = 100_000, ttl: float = 3 * 24 * 3600) -> None:
        self._states: cachetools.TTLCache[str, DeliveryState] = cachetools.TTLCache(maxsize=maxsize, ttl=ttl)
        self._open: dict[str, int] = {}  # delivery id -> jobs not yet finished

    def accepts(self, delivery_id: str) -> bool:
        """A new delivery, or the redelivery of one whose job failed."""
        return self._states.get(delivery_id) in (None, "failed")

    def state(self, delivery_id: str) -> DeliveryState | None:
        return self._states.get(delivery_id)

    def mark(self, delivery_id: str, state: DeliveryState) -> None:
        self._states[delivery_id] = state

    def queued(self, delivery_id: str) -> None:
        self._open[delivery_id] = self._open.get(delivery_id, 0) + 1
        self._states[delivery_id] = "queued"

    def finished(self, delivery_id: str, ok: bool) -> None:
        left = self._open.get(delivery_id, 1) - 1
        if not ok:
            self._states[delivery_id] = "failed"
        elif self._states.get(delivery_id) != "failed" and left <= 0:
            self._states[delivery_id] = "done"
        if left <= 0:
            self._open.pop(delivery_id, None)
        else:
            self._open[delivery_id] = left


class WorkQueue:
    def __init__(
        self,
        deliveries: Deliveries,
        *,
        workers: int = 8,
        retry_delays: tuple[float, ...] = (5.0, 30.0, 120.0),
    ) -> None:
        self.deliveries = deliveries
        self.services: Services | None = None  # what jobs run with; set once the server has built it
        # a failed job is tried again after each of these delays before its deliveries count as failed
        self.retry_delays = retry_delays
        self._pending: dict[Hashable, dict[str, Job]] = {}  # key -> kind -> the newest queued job
        self._running: set[Hashable] = set()
        self._waiting: dict[int, tuple[Job, asyncio.TimerHandle]] = {}  # failed jobs waiting for their retry
        # keys with work to start, urgent ones first, then in order of arrival
        self._ready: asyncio.PriorityQueue[tuple[bool, int, Hashable]] = asyncio.PriorityQueue()
        self._arrivals = itertools.count()
        self._workers = workers
        self._tasks: list[asyncio.Task[None]] = []
        self._in_flight: set[asyncio.Task[None]] = set()
        self._closed = False
        QUEUE_DEPTH.set_function(lambda: self.depth)  # counted when /metrics is read, not on every delivery

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def depth(self) -> int:
        return sum(len(jobs) for jobs in self._pending.values())

    def start(self) -> None:
        self._tasks = [
            asyncio.create_task(self._worker(), name=f"doi-bot worker {i}") for i in range(self._workers)
        ]

    def submit(self, job: Job) -> None:
        if self._closed:
            raise RuntimeError("the queue is closed")
        for delivery in job.deliveries:
            self.deliveries.queued(delivery)
        self._enqueue(job)

    def _enqueue(self, job: Job) -> None:
        jobs = self._pending.setdefault(job.key, {})
        older = jobs.pop(job.kind, None)
        if older is not None:
            # The newer job covers what the older one would have done; its deliveries finish with it.
            have = set(job.deliveries)
            job.deliveries.extend(d for d in older.deliveries if d not in have)
            if job.head_sha:
                job.replaced_heads |= older.heads - {job.head_sha}
        jobs[job.kind] = job
        if job.key not in self._running and (len(jobs) == 1 or job.urgent):
            self._make_ready(job.key)

    def _make_ready(self, key: Hashable) -> None:
        urgent = any(job.urgent for job in self._pending.get(key, {}).values())
        self._ready.put_nowait((not urgent, next(self._arrivals), key))

    def drop(self, key: Hashable) -> None:
        for job in self._pending.pop(key, {}).values():
            self._finish(job, ok=True)

    def _finish(self, job: Job, *, ok: bool) -> None:
        for delivery in job.deliveries:
            self.deliveries.finished(delivery, ok=ok)

    async def _worker(self) -> None:
        while True:
            _, _, key = await self._ready.get()
            jobs = self._pending.get(key)
            if not jobs or key in self._running:
                continue
            job = jobs.pop(next(iter(jobs)))
            if not jobs:
                del self._pending[key]
                self._running.add(key)
            task = asyncio.current_task()
            assert task is not None
            self._in_flight.add(task)
            try:
                await self._run(job)
            finally:
                self._in_flight.discard(task)
                self._running.discard(key)
                if self._pending.get(key):
                    self._make_ready(key)

    async def _run(self, job: Job) -> None:
        for delivery in job.deliveries:
            self.deliveries.mark(delivery, "running")
        try:
            assert self.services is not None
            await job.run(job, self.services)
        except asyncio.CancelledError:
            self._finish(job, ok=False)
            raise
        except Exception:
            log.exception("job %s for %s failed (attempt %d)", job.kind, job.key, job.attempt + 1)
            self._retry_later(job)
        else:
            self._finish(job, ok=True)

    def _retry_later(self, job: Job) -> None:
        if self._closed or job.attempt >= len(self.retry_delays):
            self._finish(job, ok=False)  # a redelivery, or the reconcile, brings it back
            return
        delay = self.retry_delays[job.attempt]
        job.attempt += 1
        for delivery in job.deliveries:
            self.deliveries.mark(delivery, "queued")
        handle = asyncio.get_running_loop().call_later(delay, self._retry, job)
        self._waiting[id(job)] = (job, handle)

    def _retry(self, job: Job) -> None:
        del self._waiting[id(job)]
        self._enqueue(job)

    async def join(self) -> None:
        """Waits until nothing is queued, running or waiting for a retry (for tests and benchmarks)."""
        while self._pending or self._running or self._waiting:
            await asyncio.sleep(0.01)

    async def close(self, grace: float) -> None:
        """Stops taking jobs; in-flight jobs get `grace` seconds to finish, then are cancelled and, like the
        queued ones, left to the next reconcile (their deliveries count as failed)."""
        self._closed = True
        for job, handle in self._waiting.values():
            handle.cancel()
            self._finish(job, ok=False)
        self._waiting.clear()
        for key in list(self._pending):
            for job in self._pending.pop(key).values():
                self._finish(job, ok=False)
        deadline = time.monotonic() + grace
        while self._in_flight and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
