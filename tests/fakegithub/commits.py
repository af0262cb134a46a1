"""Git history: commits, refs, compare, and the commits touching a path."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .core import FakeGitHub, error, paginate
from .state import Repo


def add_routes(router: web.UrlDispatcher, gh: FakeGitHub) -> None:
    def commit_json(repo: Repo, sha: str) -> dict[str, Any]:
        parents = repo.commits[sha]
        before = {p: d for (c, p), d in repo.files.items() if parents and c == parents[0]}
        after = {p: d for (c, p), d in repo.files.items() if c == sha}
        files = []
        for path in sorted(before.keys() | after.keys()):
            if before.get(path) == after.get(path):
                continue
            status = "added" if path not in before else "removed" if path not in after else "modified"
            entry: dict[str, Any] = {"filename": path, "status": status}
            if b"\0" not in (after.get(path) or before.get(path) or b""):
                entry["patch"] = "@@"  # GitHub gives binary files no patch
            files.append(entry)
        return {
            "sha": sha,
            "commit": {"message": f"commit {sha[:7]}"},
            "parents": [{"sha": p} for p in parents],
            "files": files,
            "html_url": f"https://github.com/{repo.full_name}/commit/{sha}",
        }

    async def get_commit(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        sha = request.match_info["ref"]
        sha = repo.refs.get(f"heads/{sha}", sha)
        if sha not in repo.commits:
            return error(422, f"No commit found for SHA: {sha}")
        return web.json_response(commit_json(repo, sha))

    async def list_commits(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        start = request.query.get("sha", repo.refs.get(f"heads/{repo.default_branch}", ""))
        path = request.query.get("path")
        start = repo.refs.get(f"heads/{start}", start)
        if start not in repo.commits:
            return error(404, f"No commit found for SHA: {start}")
        history = [c for c in repo.ancestors(start) if c in repo.commits]
        if path:
            inside = path.rstrip("/") + "/"
            history = [
                c
                for c in history
                if any(
                    f["filename"] + "/" == inside or f["filename"].startswith(inside)
                    for f in commit_json(repo, c)["files"]
                )
            ]
        return paginate(
            request, [{"sha": c, "parents": [{"sha": p} for p in repo.commits[c]]} for c in sorted(history)]
        )

    async def get_ref(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        ref = request.match_info["ref"]
        if ref not in repo.refs:
            return error(404, "Not Found")
        tag = repo.tag_objects.get(ref.removeprefix("tags/")) if ref.startswith("tags/") else None
        target = {"sha": tag, "type": "tag"} if tag else {"sha": repo.refs[ref], "type": "commit"}
        return web.json_response({"ref": f"refs/{ref}", "object": target})

    async def compare(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        base, _, head = request.match_info["basehead"].partition("...")
        base, head = (repo.refs.get(f"heads/{n}") or repo.refs.get(f"tags/{n}") or n for n in (base, head))
        if base not in repo.commits or head not in repo.commits:
            return error(404, "Not Found")
        in_base, in_head = repo.ancestors(base), repo.ancestors(head)
        status = (
            "identical"
            if base == head
            else "behind"
            if head in in_base
            else "ahead"
            if base in in_head
            else "diverged"
        )
        return web.json_response(
            {
                "status": status,
                "ahead_by": len(in_head - in_base),
                "behind_by": len(in_base - in_head),
                "commits": [],
                "files": [],
            }
        )

    router.add_get("/repos/{owner}/{repo}/commits/{ref}", get_commit)
    router.add_get("/repos/{owner}/{repo}/commits", list_commits)
    router.add_get("/repos/{owner}/{repo}/git/ref/{ref:.+}", get_ref)
    router.add_get("/repos/{owner}/{repo}/compare/{basehead}", compare)
