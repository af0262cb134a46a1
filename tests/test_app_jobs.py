"""The worker pool: one job at a time per pull request, newer work replaces queued older work."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.jobs import Deliveries, Job, WorkQueue


class Recorder:
    def __init__(self) -> None:
        self.ran: list[str] = []
        self.running: set[Any] = set()
        self.overlap = False
        self.gate = asyncio.Event()

    def job(self, key: Any, delivery: str, *, fail: bool = False, kind: str = "review") -> Job:
        async def run(job: Job, services: Any) -> None:
            if job.key in self.running:
                self.overlap = True
            self.running.add(job.key)
            await self.gate.wait()
            self.running.discard(job.key)
            self.ran.append(delivery)
            if fail:
                raise RuntimeError("GitHub fell over")

        return Job(key=key, kind=kind, delivery_id=delivery, run=run)


async def queue_with(workers: int = 4) -> WorkQueue:
    queue = WorkQueue(Deliveries(), workers=workers, retry_delays=(0.01, 0.02))
    queue.services = object()  # type: ignore[assignment]
    queue.start()
    return queue


async def test_a_newer_job_replaces_a_queued_older_one_and_both_deliveries_finish() -> None:
    rec, queue = Recorder(), await queue_with()
    queue.submit(rec.job("pr-1", "first"))
    await asyncio.sleep(0.01)  # "first" is running
    queue.submit(rec.job("pr-1", "second"))
    queue.submit(rec.job("pr-1", "third"))
    rec.gate.set()
    await queue.join()
    assert rec.ran == ["first", "third"]
    assert not rec.overlap
    assert [queue.deliveries.state(d) for d in ("first", "second", "third")] == ["done"] * 3
    await queue.close(grace=1)


async def test_jobs_of_other_kinds_for_one_pull_request_all_run_in_turn() -> None:
    rec, queue = Recorder(), await queue_with()
    queue.submit(rec.job("pr-1", "review", kind="review"))
    queue.submit(rec.job("pr-1", "command", kind="command"))
    rec.gate.set()
    await queue.join()
    assert sorted(rec.ran) == ["command", "review"] and not rec.overlap
    await queue.close(grace=1)


async def test_different_pull_requests_run_side_by_side() -> None:
    rec, queue = Recorder(), await queue_with()
    for n in range(3):
        queue.submit(rec.job(f"pr-{n}", f"d{n}"))
    await asyncio.sleep(0.02)
    assert len(rec.running) == 3
    rec.gate.set()
    await queue.join()
    await queue.close(grace=1)


async def test_a_failed_job_is_tried_again_and_then_left_open_to_redelivery() -> None:
    rec, queue = Recorder(), await queue_with()
    rec.gate.set()
    queue.submit(rec.job("pr-1", "d1", fail=True))
    await queue.join()
    assert rec.ran == ["d1"] * 3  # the first run and two retries
    assert queue.deliveries.state("d1") == "failed" and queue.deliveries.accepts("d1")
    await queue.close(grace=1)


async def test_a_job_that_fails_once_finishes_on_its_retry() -> None:
    queue = await queue_with()
    runs: list[int] = []

    async def flaky(job: Job, services: Any) -> None:
        runs.append(job.attempt)
        if job.attempt == 0:
            raise RuntimeError("502 from GitHub, three times in a row")

    queue.submit(Job(key="pr-1", kind="review", delivery_id="d1", run=flaky))
    await queue.join()
    assert runs == [0, 1] and queue.deliveries.state("d1") == "done"
    await queue.close(grace=1)


async def test_drop_forgets_queued_work() -> None:
    rec, queue = Recorder(), await queue_with()
    queue.submit(rec.job("pr-1", "running"))
    await asyncio.sleep(0.01)
    queue.submit(rec.job("pr-1", "queued"))
    queue.drop("pr-1")
    assert queue.depth == 0
    rec.gate.set()
    await queue.join()
    assert rec.ran == ["running"]
    await queue.close(grace=1)


async def test_close_gives_in_flight_work_its_grace_then_cancels() -> None:
    rec, queue = Recorder(), await queue_with()
    queue.submit(rec.job("pr-1", "stuck"))
    await asyncio.sleep(0.01)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await queue.close(grace=0.2)
    assert loop.time() - started < 1
    assert queue.deliveries.state("stuck") == "failed"


async def test_a_replacing_job_carries_the_heads_of_the_jobs_it_replaced() -> None:
    rec, queue = Recorder(), await queue_with()
    queue.submit(rec.job("pr-1", "running"))
    await asyncio.sleep(0.01)
    older, newer = rec.job("pr-1", "a"), rec.job("pr-1", "b")
    older.head_sha, newer.head_sha = "head-b", "head-a"  # delivered out of order
    queue.submit(older)
    queue.submit(newer)
    assert newer.heads == {"head-a", "head-b"}
    rec.gate.set()
    await queue.join()
    await queue.close(grace=1)


async def test_urgent_work_goes_ahead_of_work_queued_before_it() -> None:
    rec, queue = Recorder(), await queue_with(workers=1)
    queue.submit(rec.job("pr-a", "a"))
    await asyncio.sleep(0.01)  # "a" holds the only worker
    queue.submit(rec.job("pr-b", "b"))
    security = rec.job("pr-c", "security fix")
    security.urgent = True
    queue.submit(security)
    rec.gate.set()
    await queue.join()
    assert rec.ran == ["a", "security fix", "b"]
    await queue.close(grace=1)
