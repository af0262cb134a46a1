"""The App itself: /app, installations and their tokens, installation repositories, hook deliveries."""

from __future__ import annotations

from aiohttp import web

from .core import FakeGitHub, error, paginate
from .state import user_json


def add_routes(router: web.UrlDispatcher, gh: FakeGitHub) -> None:
    async def get_app(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "id": gh.app_id,
                "slug": gh.app_slug,
                "name": gh.app_slug,
                "owner": user_json("docker-library", "Organization"),
            }
        )

    async def installations(request: web.Request) -> web.Response:
        items = [
            {"id": i.id, "account": user_json(i.account, "Organization"), "app_id": gh.app_id}
            for i in gh.installations.values()
        ]
        return paginate(request, items)

    async def access_token(request: web.Request) -> web.Response:
        installation_id = int(request.match_info["installation_id"])
        if installation_id not in gh.installations:
            return error(404, "Not Found")
        token, expires = gh.mint_token(installation_id)
        return web.json_response(
            {"token": token, "expires_at": expires.strftime("%Y-%m-%dT%H:%M:%SZ"), "permissions": {}},
            status=201,
        )

    async def installation_repositories(request: web.Request) -> web.Response:
        installation_id, _ = gh.tokens[request.headers["Authorization"].split()[1]]
        names = gh.installations[installation_id].repositories
        return paginate(request, [gh.repos[n].to_json() for n in names], key="repositories")

    async def repo_installation(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        installation = gh.installation_of(repo)
        return web.json_response(
            {
                "id": installation.id,
                "app_id": gh.app_id,
                "account": user_json(installation.account, "Organization"),
            }
        )

    async def deliveries(request: web.Request) -> web.Response:
        return paginate(request, gh.hook_deliveries)

    async def redeliver(request: web.Request) -> web.Response:
        gh.redelivered.append(int(request.match_info["delivery_id"]))
        return web.json_response({}, status=202)

    async def rate_limit(request: web.Request) -> web.Response:
        core = {"limit": 5000, "remaining": 5000 - len(gh.calls), "reset": 0, "used": len(gh.calls)}
        return web.json_response({"resources": {"core": core}, "rate": core})

    router.add_get("/app", get_app)
    router.add_get("/app/installations", installations)
    router.add_post("/app/installations/{installation_id}/access_tokens", access_token)
    router.add_get("/installation/repositories", installation_repositories)
    router.add_get("/repos/{owner}/{repo}/installation", repo_installation)
    router.add_get("/app/hook/deliveries", deliveries)
    router.add_post("/app/hook/deliveries/{delivery_id}/attempts", redeliver)
    router.add_get("/rate_limit", rate_limit)
