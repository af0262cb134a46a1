"""GitHub does not retry a failed delivery. On start and then periodically: redeliver recent failed
deliveries, and queue a review for every open pull request whose head has no completed `doi-bot` check run."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta
from typing import Any

from bot import pipeline, publish
from bot.config import BotConfig
from bot.gatekeeper.app import refresh_gate_runs
from bot.jobs import Job
from bot.routes import Delivery, Routes
from bot.services import Services

log = logging.getLogger(__name__)

routes = Routes()

REDELIVER_WITHIN = timedelta(hours=24)


async def reconcile(services: Services) -> int:
    """Queues the reviews that are missing; returns how many were queued."""
    queued = 0
    config = services.settings.config
    async for installation in services.github.app.getiter("/app/installations?per_page=100"):
        gh = await services.github.installation(installation["id"])
        async for repo in gh.getiter("/installation/repositories?per_page=100", iterable_key="repositories"):
            name = repo["full_name"]
            if config.kind_of(name) is None:
                continue
            await refresh_gate_runs(services, gh, installation["id"], name)
            async for pull in gh.getiter(f"/repos/{name}/pulls?state=open&per_page=100"):
                head = pull["head"]["sha"]
                runs = await gh.getitem(
                    f"/repos/{name}/commits/{head}/check-runs?check_name={publish.CHECK_RUN_NAME}&filter=latest"
                )
                if any(
                    run.get("name") == publish.CHECK_RUN_NAME and run.get("status") == "completed"
                    for run in runs.get("check_runs", [])
                ):
                    continue
                delivery_id = f"reconcile:{name}#{pull['number']}@{head}"
                if not services.queue.deliveries.accepts(delivery_id):
                    continue
                job = pipeline.review_job(
                    name, installation["id"], pull["number"], head, delivery_id, time.monotonic()
                )
                services.queue.submit(job)
                queued += 1
    return queued


def failed_deliveries(deliveries: list[dict[str, Any]], now: datetime) -> list[int]:
    """Ids of the last attempt of each recent delivery (by guid) that never got a 2xx."""
    by_guid: dict[str, list[dict[str, Any]]] = {}
    for delivery in deliveries:
        by_guid.setdefault(delivery["guid"], []).append(delivery)
    out = []
    for attempts in by_guid.values():
        if any(200 <= int(a.get("status_code") or 0) < 300 for a in attempts):
            continue
        last = max(attempts, key=lambda a: a["delivered_at"])
        delivered = datetime.fromisoformat(last["delivered_at"].replace("Z", "+00:00"))
        if now - delivered <= REDELIVER_WITHIN:
            out.append(int(last["id"]))
    return out


async def redeliver_failed(services: Services) -> int:
    app = services.github.app
    deliveries = [d async for d in app.getiter("/app/hook/deliveries?per_page=100")]
    ids = failed_deliveries(deliveries, datetime.now(UTC))
    for delivery_id in ids:
        await app.post(f"/app/hook/deliveries/{delivery_id}/attempts", data=b"")
    return len(ids)


async def reconcile_forever(services: Services, every: float) -> None:
    while True:
        try:
            redelivered = await redeliver_failed(services)
            queued = await reconcile(services)
            log.info("reconcile: %d deliveries redelivered, %d reviews queued", redelivered, queued)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("reconcile failed; trying again in %.0f s", every)
        await asyncio.sleep(every)


@routes.register("installation", "created", "unsuspend", "new_permissions_accepted")
@routes.register("installation_repositories", "added")
def on_installed(delivery: Delivery, config: BotConfig) -> Job:
    """A new installation or repository: its open pull requests are reviewed now, not at the next round."""

    async def run(job: Job, services: Services) -> None:
        await reconcile(services)

    return Job(key="reconcile", kind="reconcile", delivery_id=delivery.delivery_id, run=run)
