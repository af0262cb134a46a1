"""Repository metadata: the repository itself (whether GitHub shows it), the detected license that
gatekeeping reads, and the issue search (pull requests whose description mentions a phrase)."""

from __future__ import annotations

import re

from aiohttp import web

from .core import FakeGitHub, error, paginate
from .state import user_json


def add_routes(router: web.UrlDispatcher, gh: FakeGitHub) -> None:
    async def get_repository(request: web.Request) -> web.Response:
        return web.json_response(gh.repo(request).to_json())

    async def get_license(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        if repo.license is None:
            return error(404, "Not Found")
        return web.json_response(
            {
                "name": "LICENSE",
                "path": "LICENSE",
                "license": repo.license,
                "content": "",
                "encoding": "base64",
            }
        )

    async def search_issues(request: web.Request) -> web.Response:
        """Understands `repo:OWNER/NAME`, `is:pr`, `is:open` and one "quoted phrase" looked up in the body."""
        query = request.query.get("q", "")
        repository = re.search(r"repo:(\S+)", query)
        phrase = re.search(r'"([^"]*)"', query)
        repo = gh.repos.get(repository.group(1)) if repository else None
        found = [
            {
                "number": pull.number,
                "title": pull.title,
                "body": pull.body,
                "state": pull.state,
                "user": user_json(pull.author),
                "pull_request": {"url": f"{gh.base_url}/repos/{repo.full_name}/pulls/{pull.number}"},
            }
            for pull in (repo.pulls.values() if repo else [])
            if ("is:open" not in query or pull.state == "open")
            and (not phrase or phrase.group(1) in pull.body)
        ]
        response = paginate(request, found, key="items")
        return response

    router.add_get("/repos/{owner}/{repo}", get_repository)
    router.add_get("/repos/{owner}/{repo}/license", get_license)
    router.add_get("/search/issues", search_issues)
