"""Files at commits: the contents API."""

from __future__ import annotations

import base64

from aiohttp import web

from .core import FakeGitHub, error


def add_routes(router: web.UrlDispatcher, gh: FakeGitHub) -> None:
    async def get_contents(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        path = request.match_info["path"]
        ref = request.query.get("ref", repo.default_branch)
        data = repo.files.get((ref, path))
        if data is None:
            return error(404, "Not Found")
        encoded = base64.encodebytes(data).decode()
        return web.json_response(
            {
                "type": "file",
                "encoding": "base64",
                "size": len(data),
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "content": encoded,
                "sha": f"blob-{abs(hash(data)) % 10**12}",
                "url": f"{gh.base_url}/repos/{repo.full_name}/contents/{path}?ref={ref}",
            }
        )

    router.add_get("/repos/{owner}/{repo}/contents/{path:.+}", get_contents)
