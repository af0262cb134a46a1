"""Files at commits: the contents API (files and directory listings) and git trees."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from aiohttp import web

from .core import FakeGitHub, error
from .state import Repo


def blob_sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def tree_sha(repo: Repo, ref: str, folder: str) -> str:
    """Content-addressed like git's: the same files under a folder give the same sha at any commit."""
    listing = sorted(
        (p, blob_sha(d)) for (r, p), d in repo.files.items() if r == ref and p.startswith(folder + "/")
    )
    return hashlib.sha1(repr([(p[len(folder) :], s) for p, s in listing]).encode()).hexdigest()


def add_routes(router: web.UrlDispatcher, gh: FakeGitHub) -> None:
    trees: dict[str, tuple[Repo, str, str]] = {}  # tree sha -> where it was listed

    def entry(repo: Repo, ref: str, path: str) -> dict[str, Any]:
        data = repo.files.get((ref, path))
        if data is not None:
            return {
                "type": "file",
                "name": path.rsplit("/", 1)[-1],
                "path": path,
                "sha": blob_sha(data),
                "size": len(data),
            }
        sha = tree_sha(repo, ref, path)
        trees[sha] = (repo, ref, path)
        return {"type": "dir", "name": path.rsplit("/", 1)[-1], "path": path, "sha": sha, "size": 0}

    async def get_contents(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        path = request.match_info["path"].rstrip("/")
        ref = request.query.get("ref", repo.default_branch)
        data = repo.files.get((ref, path))
        if data is not None:
            return web.json_response(
                {**entry(repo, ref, path), "encoding": "base64", "content": base64.encodebytes(data).decode()}
            )
        children = sorted(
            {
                path + "/" + p[len(path) + 1 :].split("/", 1)[0]
                for (r, p) in repo.files
                if r == ref and p.startswith(path + "/")
            }
        )
        if not children:
            return error(404, "Not Found")
        return web.json_response([entry(repo, ref, child) for child in children])

    async def get_tree(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        sha = request.match_info["tree_sha"]
        if sha in trees:
            repo, ref, folder = trees[sha]
        elif any(r == sha for r, _ in repo.files):  # a commit (or a ref name) names its root tree
            ref, folder = sha, ""
        else:
            return error(404, "Not Found")
        prefix = folder + "/" if folder else ""
        files = sorted((p, d) for (r, p), d in repo.files.items() if r == ref and p.startswith(prefix))
        if not request.query.get("recursive"):
            return error(422, "This fake lists trees recursively only")
        tree = [
            {
                "path": p[len(prefix) :],
                "mode": "100644",
                "type": "blob",
                "sha": blob_sha(d),
                "size": len(d),
            }
            for p, d in files
        ]
        return web.json_response({"sha": sha, "url": str(request.url), "tree": tree, "truncated": False})

    router.add_get("/repos/{owner}/{repo}/contents/{path:.+}", get_contents)

    async def get_blob(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        sha = request.match_info["file_sha"]
        data = next((d for d in repo.files.values() if blob_sha(d) == sha), None)
        if data is None:
            return error(404, "Not Found")
        content = base64.encodebytes(data).decode()
        return web.json_response({"sha": sha, "size": len(data), "encoding": "base64", "content": content})

    router.add_get("/repos/{owner}/{repo}/git/trees/{tree_sha}", get_tree)
    router.add_get("/repos/{owner}/{repo}/git/blobs/{file_sha}", get_blob)
