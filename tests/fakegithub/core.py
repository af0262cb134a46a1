"""The fake GitHub: state, credentials, OpenAPI validation, latency and faults around the resource routes."""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

import jwt
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from . import openapi
from .state import Installation, Repo, user_json

OPENAPI = Path(__file__).resolve().parents[3] / "shared" / "github" / "openapi-pr-review-bot.json"
BODY_LIMIT = 65536  # GitHub's limit for comment and review bodies
SECONDARY_LIMIT_MESSAGE = (
    "You have exceeded a secondary rate limit. Please wait a few minutes before you try again."
    " If you reach out to GitHub Support for help, please include the request ID."
)

FaultKind = Literal["5xx", "timeout", "secondary-rate-limit"]
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
BODY = web.RequestKey("body", Any)  # the request's JSON body, already validated


@dataclass
class Fault:
    kind: FaultKind
    when: Literal["before", "after"] = "before"  # "after": the write takes effect, then the answer fails
    method: str | None = None
    path: str | None = None  # a regular expression searched in the request path
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        return (self.method in (None, method)) and (
            self.path is None or re.search(self.path, path) is not None
        )


@dataclass
class Faults:
    rules: list[Fault] = field(default_factory=list)
    rate: float = 0.0  # chance that any request fails in a random way
    rng: random.Random = field(default_factory=lambda: random.Random(0))
    timeout_seconds: float = 1.0  # how long a "timeout" keeps the client waiting
    retry_after: int = 1

    def add(
        self,
        kind: FaultKind,
        *,
        when: Literal["before", "after"] = "before",
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> None:
        self.rules.append(Fault(kind, when, method, path, times))

    def chaos(self, rate: float, seed: int = 0) -> None:
        self.rate, self.rng = rate, random.Random(seed)

    def pick(self, method: str, path: str) -> Fault | None:
        for rule in self.rules:
            if rule.times > 0 and rule.matches(method, path):
                rule.times -= 1
                return rule
        if self.rate and self.rng.random() < self.rate:
            kind: FaultKind = self.rng.choice(["5xx", "timeout", "secondary-rate-limit"])
            return Fault(
                kind, self.rng.choice(["before", "after"]) if kind != "secondary-rate-limit" else "before"
            )
        return None


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    status: int
    body: Any = None

    @property
    def is_write(self) -> bool:
        return self.method != "GET" and not self.path.endswith("/access_tokens")


def error(status: int, message: str, **extra: Any) -> web.Response:
    return web.json_response(
        {"message": message, "documentation_url": "https://docs.github.com/rest", **extra}, status=status
    )


def by_id(items: list[dict[str, Any]], wanted: str) -> dict[str, Any]:
    """The item with id `wanted` (a path segment), or GitHub's 404."""
    for item in items:
        if str(item["id"]) == wanted:
            return item
    raise web.HTTPNotFound(text='{"message": "Not Found"}', content_type="application/json")


def too_long(value: Any) -> bool:
    return isinstance(value, str) and len(value) > BODY_LIMIT


class FakeGitHub:
    """One stateful GitHub for every test. Resource modules add their routes in `ROUTE_MODULES`."""

    def __init__(self, *, app_id: int, public_key: str, app_slug: str = "doi-bot") -> None:
        self.app_id = app_id
        self.app_slug = app_slug
        self.public_key = public_key
        self.repos: dict[str, Repo] = {}
        self.installations: dict[int, Installation] = {}
        self.teams: dict[tuple[str, str], dict[str, str]] = {}  # (org, slug) -> login -> "active"/"pending"
        self.tokens: dict[str, tuple[int, datetime]] = {}
        self.token_lifetime = timedelta(hours=1)
        self.hook_deliveries: list[dict[str, Any]] = []
        self.redelivered: list[int] = []
        self.calls: list[Call] = []
        self.invalid_requests: list[str] = []
        self.faults = Faults()
        self.missing: list[
            str
        ] = []  # regular expressions of paths this GitHub answers 404 (a smaller GitHub)
        self.ignored_queries: set[str] = set()  # query parameters this GitHub ignores (a smaller GitHub)
        # keys left out of every answer, at any depth (a smaller GitHub)
        self.omitted_fields: set[str] = set()
        self.latency = 0.0
        self.base_url = ""
        if not OPENAPI.is_file():
            pytest.skip("../shared (GitHub's OpenAPI description) is not beside this checkout")
        self._openapi = openapi.load(OPENAPI)

    # -- set-up helpers for tests --------------------------------------------------------------------
    @property
    def bot_login(self) -> str:
        return f"{self.app_slug}[bot]"

    def add_repo(self, full_name: str, *, installation_id: int = 1) -> Repo:
        owner, name = full_name.split("/")
        repo = self.repos.setdefault(full_name, Repo(owner, name))
        installation = self.installations.setdefault(installation_id, Installation(installation_id, owner))
        if full_name not in installation.repositories:
            installation.repositories.append(full_name)
        return repo

    def add_team(self, org: str, slug: str, members: dict[str, str]) -> None:
        self.teams[(org, slug)] = dict(members)

    def writes(self) -> list[Call]:
        return [c for c in self.calls if c.is_write and c.status < 400]

    def actor(self) -> dict[str, Any]:
        """Who writes through an installation token: the App's bot user."""
        return {**user_json(self.bot_login, "Bot"), "id": self.app_id}

    def app_json(self) -> dict[str, Any]:
        return {"id": self.app_id, "slug": self.app_slug, "name": self.app_slug}

    def installation_of(self, repo: Repo) -> Installation:
        return next(i for i in self.installations.values() if repo.full_name in i.repositories)

    # -- request pipeline ----------------------------------------------------------------------------
    def repo(self, request: web.Request) -> Repo:
        name = f"{request.match_info['owner']}/{request.match_info['repo']}"
        if name not in self.repos:
            raise web.HTTPNotFound(text=json.dumps({"message": "Not Found"}), content_type="application/json")
        return self.repos[name]

    def _authorised(self, request: web.Request) -> bool:
        scheme, _, credential = request.headers.get("Authorization", "").partition(" ")
        if request.path.startswith("/app") or request.path.endswith("/installation"):  # the App's own JWT
            if scheme.lower() != "bearer":
                return False
            try:
                claims = jwt.decode(credential, self.public_key, algorithms=["RS256"])
            except jwt.PyJWTError:
                return False
            return claims.get("iss") == str(self.app_id)
        if scheme.lower() != "token" or credential not in self.tokens:
            return False
        return self.tokens[credential][1] > datetime.now(UTC)

    def mint_token(self, installation_id: int) -> tuple[str, datetime]:
        token = "ghs_" + secrets.token_hex(18)
        expires = datetime.now(UTC) + self.token_lifetime
        self.tokens[token] = (installation_id, expires)
        return token, expires

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if self.ignored_queries & set(request.query):
            kept = {k: v for k, v in request.query.items() if k not in self.ignored_queries}
            request = request.clone(rel_url=request.rel_url.with_query(kept))
        body: Any = None
        if request.can_read_body:
            raw = await request.read()
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                return self._record(request, body, error(400, "Problems parsing JSON"))
        if self.latency:
            await asyncio.sleep(self.latency)
        if not self._authorised(request):
            return self._record(request, body, error(401, "Bad credentials"))
        op = self._openapi.operation(request.method, request.path)
        if op is None or any(re.search(pattern, request.path) for pattern in self.missing):
            return self._record(request, body, error(404, "Not Found"))
        problems = self._openapi.body_errors(op, body if body is not None else {}) if op.body_schema else []
        if problems or (op.body_required and body is None):
            self.invalid_requests.append(f"{request.method} {request.path}: {problems}")
            return self._record(request, body, error(422, "Invalid request.\n\n" + "\n".join(problems)))
        request[BODY] = body
        fault = self.faults.pick(request.method, request.path)
        if fault and fault.when == "before":
            return await self._fail(request, body, fault)
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # a lookup that found nothing, or an endpoint no module serves yet
            response = error(exc.status, "Not Found" if exc.status == 404 else exc.reason)
        if fault:
            return await self._fail(request, body, fault)
        if self.omitted_fields and isinstance(response, web.Response) and response.text:
            response.text = json.dumps(_without(json.loads(response.text), self.omitted_fields))
        if request.method == "GET" and response.status == 200 and isinstance(response, web.Response):
            response = self._conditional(request, response)
        return self._record(request, body, response)

    @staticmethod
    def _conditional(request: web.Request, response: web.Response) -> web.Response:
        """ETags as GitHub sends them; a matching If-None-Match gets an empty 304."""
        etag = '"' + hashlib.sha1(bytes(response.body or b"")).hexdigest() + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        response.headers["ETag"] = etag
        return response

    async def _fail(self, request: web.Request, body: Any, fault: Fault) -> web.StreamResponse:
        if fault.kind == "secondary-rate-limit":
            response = error(403, SECONDARY_LIMIT_MESSAGE)
            response.headers["Retry-After"] = str(self.faults.retry_after)
            response.headers["X-RateLimit-Remaining"] = "4000"
            return self._record(request, body, response)
        if fault.kind == "timeout":
            # Recorded first: the client gives up before the delay is over and the handler may be cancelled.
            response = self._record(request, body, error(504, "We couldn't respond to your request in time."))
            await asyncio.sleep(self.faults.timeout_seconds)
            return response
        return self._record(request, body, error(502, "Server Error"))

    def _record(self, request: web.Request, body: Any, response: web.StreamResponse) -> web.StreamResponse:
        self.calls.append(Call(request.method, request.path, response.status, body))
        response.headers.setdefault("X-RateLimit-Limit", "5000")
        response.headers.setdefault("X-RateLimit-Remaining", str(5000 - len(self.calls)))
        response.headers.setdefault("X-RateLimit-Reset", str(int(datetime.now(UTC).timestamp()) + 3600))
        response.headers.setdefault("X-RateLimit-Used", str(len(self.calls)))
        return response

    def build_app(self) -> web.Application:
        from . import ROUTE_MODULES

        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024**2)
        for module in ROUTE_MODULES:
            module.add_routes(app.router, self)
        return app

    @asynccontextmanager
    async def serve(self) -> AsyncIterator[str]:
        """Serves on 127.0.0.1 and yields the base URL for GITHUB_API_URL."""
        server = TestServer(self.build_app(), host="127.0.0.1")
        await server.start_server()
        self.base_url = str(server.make_url("")).rstrip("/")
        try:
            yield self.base_url
        finally:
            await server.close()


def _without(value: Any, keys: set[str]) -> Any:
    if isinstance(value, dict):
        return {k: _without(v, keys) for k, v in value.items() if k not in keys}
    if isinstance(value, list):
        return [_without(v, keys) for v in value]
    return value


def paginate(request: web.Request, items: list[Any], *, key: str | None = None) -> web.Response:
    """One page of `items` with GitHub's Link header (per_page at most 100, default 30)."""
    per_page = min(int(request.query.get("per_page", "30")), 100)
    page = int(request.query.get("page", "1"))
    chunk = items[(page - 1) * per_page : page * per_page]
    payload: Any = {"total_count": len(items), key: chunk} if key else chunk
    response = web.json_response(payload)
    if page * per_page < len(items):
        url = request.url.update_query(page=str(page + 1), per_page=str(per_page))
        response.headers["Link"] = f'<{url}>; rel="next"'
    return response
