"""`doi-bot serve`: the webhook intake, health and metrics endpoints, the worker pool and the reconcile loop.

The request only verifies, de-duplicates and queues; every GitHub API call happens in a job."""

from __future__ import annotations

import asyncio
import functools
import gc
import hmac
import json
import logging
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import aiohttp
import orjson
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, Counter, generate_latest

from bot import pipeline, reconcile
from bot.config import ConfigError, Settings, settings_from
from bot.evidence import EvidencePlanner, EvidenceStep, default_steps
from bot.gatekeeper import app as gatekeeping
from bot.github.auth import GitHubApp
from bot.github.client import ClientPolicy, GitHubHealth
from bot.github.contents import ContentsSource
from bot.jobs import Deliveries, Drop, Job, WorkQueue
from bot.metrics import DELIVERIES, REGISTRY
from bot.review.dockerfiles import DockerfilePlanner
from bot.routes import Delivery, Routes
from bot.services import Reviewer, Services, default_reviewer

log = logging.getLogger(__name__)

MAX_BODY = 25 * 1024 * 1024  # GitHub does not deliver payloads over 25 MiB
SWITCH_INTERVAL = 0.0005  # seconds a review thread may hold the interpreter before the event loop gets it
SHUTDOWN_GRACE = 6.0  # seconds in-flight jobs get on SIGTERM; with aiohttp's own 2 s, exit stays under 10 s
# events GitHub sends an App (its subscriptions and the ones every App gets): metrics label values
KNOWN_EVENTS = frozenset(
    {
        *("ping", "pull_request", "pull_request_review", "pull_request_review_comment", "issue_comment"),
        *("issues", "check_run", "check_suite", "installation", "installation_repositories"),
        *("installation_target", "github_app_authorization", "push", "label", "status", "meta"),
    }
)
QUEUE = web.AppKey("queue", WorkQueue)
HEALTH = web.AppKey("health", GitHubHealth)


@functools.cache
def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        return package_version("doi-bot")
    except PackageNotFoundError:
        return "0+unknown"


def build_routes() -> Routes:
    """Every feature's routes. A feature module adds its `routes` here."""
    return Routes(pipeline.routes, reconcile.routes, gatekeeping.routes)


@functools.lru_cache(maxsize=256)
def _answer_body(outcome: str, detail: str) -> bytes:
    return json.dumps({"status": outcome, "detail": detail}).encode()


@functools.lru_cache(maxsize=1024)
def _delivery_counter(event: str, outcome: str) -> Counter:
    return DELIVERIES.labels(event or "-", outcome)


def _answer(status: int, event: str, outcome: str, detail: str) -> web.Response:
    _delivery_counter(event, outcome).inc()
    return web.Response(status=status, body=_answer_body(outcome, detail), content_type="application/json")


def _unverified(event: str) -> str:
    """The event label of a delivery refused before its signature is checked: anyone can send those, so an
    unknown name is counted as "unknown" (a made-up header must not grow the metrics without bound)."""
    return event if event in KNOWN_EVENTS else "unknown"


def signature_ok(secret: bytes, body: bytes, header: str | None) -> bool:
    if not header or not header.startswith("sha256="):
        return False  # sha1 alone is refused
    try:
        given = bytes.fromhex(header[7:])
    except ValueError:
        return False
    return hmac.compare_digest(hmac.digest(secret, body, "sha256"), given)


class Intake:
    def __init__(self, settings: Settings, routes: Routes, queue: WorkQueue) -> None:
        self.settings = settings
        self.routes = routes
        self.queue = queue
        self._secret = settings.webhook_secret.encode()

    async def webhook(self, request: web.Request) -> web.Response:
        received = time.monotonic()
        event = request.headers.get("X-GitHub-Event", "")
        if (request.content_length or 0) > MAX_BODY:
            return _answer(413, _unverified(event), "too-large", "payload over 25 MiB")
        try:
            body = await request.read()  # a streamed body is cut off at MAX_BODY (client_max_size)
        except web.HTTPRequestEntityTooLarge:
            return _answer(413, _unverified(event), "too-large", "payload over 25 MiB")
        if request.content_type != "application/json":
            return _answer(415, _unverified(event), "unsupported-media-type", "content type must be JSON")
        if not signature_ok(self._secret, body, request.headers.get("X-Hub-Signature-256")):
            return _answer(401, _unverified(event), "bad-signature", "missing or wrong X-Hub-Signature-256")
        delivery_id = request.headers.get("X-GitHub-Delivery", "")
        if not event or not delivery_id:
            return _answer(400, event, "bad-request", "missing X-GitHub-Event or X-GitHub-Delivery")
        try:
            data = orjson.loads(body)
        except orjson.JSONDecodeError:  # not JSON, not UTF-8, or nested too deep
            data = None
        if not isinstance(data, dict):
            return _answer(400, event, "bad-request", "the body is not a JSON object")
        return self.route(Delivery(event, delivery_id, data, received))

    def own_action(self, delivery: Delivery) -> bool:
        """Done by this App: its bot user is the sender, or (before GET /app told the App its login) the
        comment was made through this App."""
        sender = delivery.data.get("sender")
        own = self.queue.services.own_login if self.queue.services else None
        if own and isinstance(sender, dict) and sender.get("login") == own:
            return True
        comment = delivery.data.get("comment")
        via = comment.get("performed_via_github_app") if isinstance(comment, dict) else None
        return isinstance(via, dict) and str(via.get("id")) == self.settings.app_id

    def route(self, delivery: Delivery) -> web.Response:
        event = delivery.event
        if event == "ping":
            return _answer(200, event, "ping", "pong")
        if not self.routes.handles(event):
            return _answer(200, event, "ignored", "event not handled")
        if delivery.repository is not None and self.settings.config.kind_of(delivery.repository) is None:
            return _answer(200, event, "ignored", "repository not configured")
        if self.own_action(delivery):
            return _answer(200, event, "ignored", "this App's own action")
        if not self.queue.deliveries.accepts(delivery.delivery_id):
            state = self.queue.deliveries.state(delivery.delivery_id)
            return _answer(200, event, "duplicate", f"delivery already {state}")
        try:
            intents = self.routes.intents(delivery, self.settings.config)
        except Exception:  # a payload of an unexpected shape: never a 500, GitHub would only record it
            log.warning("delivery %s: unexpected %s payload", delivery.delivery_id, event, exc_info=True)
            return _answer(200, event, "ignored", "payload not understood")
        if self.queue.closed and any(isinstance(intent, Job) for intent in intents):
            # Shutting down: GitHub records a failed delivery, which the next reconcile redelivers.
            return _answer(503, event, "shutting-down", "the server is stopping")
        queued = 0
        for intent in intents:
            if isinstance(intent, Drop):
                self.queue.drop(intent.key)
            elif isinstance(intent, Job):
                self.queue.submit(intent)
                queued += 1
        if not queued:
            self.queue.deliveries.mark(delivery.delivery_id, "done")
            return _answer(200, event, "ignored", "nothing to do")
        return _answer(202, event, "queued", f"{queued} job(s) queued")


async def healthz(request: web.Request) -> web.Response:
    return web.json_response(
        {
            "status": "ok",
            "version": version(),
            "queue_depth": request.app[QUEUE].depth,
            "last_github_error": request.app[HEALTH].last_error,
        }
    )


async def metrics(request: web.Request) -> web.Response:
    response = web.Response(body=generate_latest(REGISTRY))
    response.content_type = CONTENT_TYPE_LATEST.split(";")[0]
    response.charset = "utf-8"
    return response


def make_app(
    settings: Settings,
    *,
    policy: ClientPolicy | None = None,
    workers: int = 8,
    reconcile_every: float | None = 600.0,
    reviewer: Reviewer = default_reviewer,
    planner: EvidencePlanner | None = None,
    retry_delays: tuple[float, ...] = (5.0, 30.0, 120.0),
    evidence_steps: tuple[EvidenceStep, ...] | None = None,
) -> web.Application:
    """The aiohttp application; `reconcile_every=None` turns the reconcile loop off (tests drive it)."""
    app = web.Application(client_max_size=MAX_BODY)
    health = GitHubHealth()
    app[HEALTH] = health
    queue = WorkQueue(Deliveries(), workers=workers, retry_delays=retry_delays)
    app[QUEUE] = queue
    app.router.add_post("/webhook", Intake(settings, build_routes(), queue).webhook)

    async def lifecycle(app: web.Application) -> AsyncIterator[None]:
        session = aiohttp.ClientSession()
        github = GitHubApp(session, settings, policy=policy, health=health)
        contents = ContentsSource()
        steps = default_steps(contents, settings.config) if evidence_steps is None else evidence_steps
        services = Services(
            settings, github, contents, queue, reviewer, planner or DockerfilePlanner(), steps
        )
        queue.services = services
        queue.start()
        quick_answers()
        background = [asyncio.create_task(_learn_login(services))]
        if reconcile_every is not None:
            background.append(asyncio.create_task(reconcile.reconcile_forever(services, reconcile_every)))
        yield
        for task in background:
            task.cancel()
        await queue.close(grace=SHUTDOWN_GRACE)
        await asyncio.gather(*background, return_exceptions=True)
        await session.close()

    app.cleanup_ctx.append(lifecycle)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics)
    return app


def quick_answers() -> None:
    """Keeps webhook answers quick while reviews run in this process: everything loaded at start is left out
    of the garbage collector's full passes (one over the whole heap held the loop for ~80 ms), and a review's
    thread hands the interpreter back to the event loop after 0.5 ms instead of Python's default 5 ms."""
    gc.collect()
    gc.freeze()
    sys.setswitchinterval(SWITCH_INTERVAL)


async def _learn_login(services: Services) -> None:
    """The App's bot login, to ignore its own actions; retried quietly until GitHub answers."""
    delay = 1.0
    while services.own_login is None:
        try:
            services.own_login = await services.github.login()
        except Exception as exc:
            log.warning("GET /app failed (%s); retrying in %.0f s", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 300)


def run_server(host: str, port: int, env_file: Path | None) -> int:
    try:
        settings = settings_from(env_file)
    except ConfigError as exc:
        sys.stderr.write(f"doi-bot: {exc}\n")
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    web.run_app(make_app(settings), host=host, port=port, shutdown_timeout=2.0, print=None, access_log=None)
    return 0
