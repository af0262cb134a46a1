"""Check runs and their annotations."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .core import BODY, FakeGitHub, by_id, error, paginate
from .state import Repo, next_id, now_iso

MAX_ANNOTATIONS = 50


def add_routes(router: web.UrlDispatcher, gh: FakeGitHub) -> None:
    def run_json(repo: Repo, run: dict[str, Any]) -> dict[str, Any]:
        output = dict(run["output"], annotations_count=len(repo.annotations.get(run["id"], [])))
        return {
            **run,
            "output": output,
            "url": f"{gh.base_url}/repos/{repo.full_name}/check-runs/{run['id']}",
            "html_url": f"https://github.com/{repo.full_name}/runs/{run['id']}",
            "app": gh.app_json(),
            "pull_requests": [],
        }

    def apply(repo: Repo, run: dict[str, Any], body: dict[str, Any]) -> web.Response | None:
        output = body.get("output") or {}
        annotations = output.get("annotations", [])
        if len(annotations) > MAX_ANNOTATIONS:
            return error(422, "Validation Failed", errors=["No more than 50 items are allowed"])
        for key in (
            "name",
            "details_url",
            "external_id",
            "status",
            "started_at",
            "conclusion",
            "completed_at",
        ):
            if key in body:
                run[key] = body[key]
        if body.get("conclusion"):
            run["status"] = "completed"
            run["completed_at"] = run.get("completed_at") or now_iso()
        if output:
            run["output"] = {k: output.get(k, run["output"].get(k)) for k in ("title", "summary", "text")}
        repo.annotations.setdefault(run["id"], []).extend(annotations)
        return None

    def find_run(request: web.Request) -> tuple[Repo, dict[str, Any]]:
        repo = gh.repo(request)
        return repo, by_id(repo.check_runs, request.match_info["check_run_id"])

    async def create_run(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        body = request[BODY]
        run: dict[str, Any] = {
            "id": next_id(),
            "node_id": "CR_x",
            "head_sha": body["head_sha"],
            "status": "queued",
            "conclusion": None,
            "started_at": now_iso(),
            "completed_at": None,
            "output": {"title": None, "summary": None, "text": None},
        }
        problem = apply(repo, run, body)
        if problem:
            return problem
        repo.check_runs.append(run)
        return web.json_response(run_json(repo, run), status=201)

    async def update_run(request: web.Request) -> web.Response:
        repo, run = find_run(request)
        problem = apply(repo, run, request[BODY])
        return problem or web.json_response(run_json(repo, run))

    async def get_run(request: web.Request) -> web.Response:
        repo, run = find_run(request)
        return web.json_response(run_json(repo, run))

    async def annotations(request: web.Request) -> web.Response:
        repo, run = find_run(request)
        return paginate(request, repo.annotations.get(run["id"], []))

    async def runs_for_ref(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        ref = request.match_info["ref"]
        runs = [r for r in repo.check_runs if r["head_sha"] == ref]
        if name := request.query.get("check_name"):
            runs = [r for r in runs if r["name"] == name]
        if request.query.get("filter", "latest") == "latest":
            latest: dict[str, dict[str, Any]] = {}
            for run in runs:
                latest[run["name"]] = run
            runs = list(latest.values())
        return paginate(request, [run_json(repo, r) for r in reversed(runs)], key="check_runs")

    router.add_post("/repos/{owner}/{repo}/check-runs", create_run)
    router.add_get("/repos/{owner}/{repo}/check-runs/{check_run_id}", get_run)
    router.add_patch("/repos/{owner}/{repo}/check-runs/{check_run_id}", update_run)
    router.add_get("/repos/{owner}/{repo}/check-runs/{check_run_id}/annotations", annotations)
    router.add_get("/repos/{owner}/{repo}/commits/{ref}/check-runs", runs_for_ref)
