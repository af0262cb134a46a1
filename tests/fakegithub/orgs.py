"""Teams and their memberships, and repository permissions."""

from __future__ import annotations

from aiohttp import web

from .core import FakeGitHub, error


def add_routes(router: web.UrlDispatcher, gh: FakeGitHub) -> None:
    def team(request: web.Request) -> dict[str, str] | None:
        return gh.teams.get((request.match_info["org"], request.match_info["team_slug"]))

    async def get_membership(request: web.Request) -> web.Response:
        members = team(request)
        username = request.match_info["username"]
        if members is None or username not in members:
            return error(404, "Not Found")
        return web.json_response({"url": str(request.url), "role": "member", "state": members[username]})

    async def put_membership(request: web.Request) -> web.Response:
        members = team(request)
        if members is None:
            return error(404, "Not Found")
        members[request.match_info["username"]] = "active"
        return web.json_response({"url": str(request.url), "role": "member", "state": "active"})

    async def delete_membership(request: web.Request) -> web.Response:
        members = team(request)
        if members is None or members.pop(request.match_info["username"], None) is None:
            return error(404, "Not Found")
        return web.Response(status=204)

    async def permission(request: web.Request) -> web.Response:
        gh.repo(request)
        username = request.match_info["username"]
        is_member = any(username in members for members in gh.teams.values())
        level = "write" if is_member else "read"
        return web.json_response({"permission": level, "role_name": level, "user": {"login": username}})

    path = "/orgs/{org}/teams/{team_slug}/memberships/{username}"
    router.add_get(path, get_membership)
    router.add_put(path, put_membership)
    router.add_delete(path, delete_membership)
    router.add_get("/repos/{owner}/{repo}/collaborators/{username}/permission", permission)
