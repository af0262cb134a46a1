"""Pull requests: the pull itself, its files, reviews, review comments and requested reviewers."""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web

from .core import BODY, FakeGitHub, error, paginate, too_long
from .state import Pull, Repo, next_id, now_iso, user_json

OUTSIDE_DIFF = (
    "Pull request review thread line must be part of the diff and"
    " Pull request review thread diff hunk can't be blank"
)
_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def commentable(patch: str | None) -> dict[str, set[int]]:
    """Lines a review comment may target, per side; the fake's own reading of the hunks."""
    sides: dict[str, set[int]] = {"LEFT": set(), "RIGHT": set()}
    old = new = 0
    for line in (patch or "").splitlines():
        if m := _HUNK.match(line):
            old, new = int(m[1]), int(m[2])
        elif line.startswith("+"):
            sides["RIGHT"].add(new)
            new += 1
        elif line.startswith("-"):
            sides["LEFT"].add(old)
            old += 1
        elif not line.startswith("\\"):
            sides["LEFT"].add(old)
            sides["RIGHT"].add(new)
            old, new = old + 1, new + 1
    return sides


def pull_json(gh: FakeGitHub, repo: Repo, pull: Pull) -> dict[str, Any]:
    api = f"{gh.base_url}/repos/{repo.full_name}"
    return {
        "url": f"{api}/pulls/{pull.number}",
        "id": pull.number + 10**6,
        "node_id": f"PR_{pull.number}",
        "html_url": f"https://github.com/{repo.full_name}/pull/{pull.number}",
        "number": pull.number,
        "state": pull.state,
        "locked": False,
        "title": pull.title,
        "user": user_json(pull.author, pull.author_type),
        "body": pull.body,
        "labels": [repo.label_json(n) for n in pull.labels],
        "draft": pull.draft,
        "merged": pull.merged,
        "head": {
            "label": f"{pull.author}:{pull.head_ref}",
            "ref": pull.head_ref,
            "sha": pull.head_sha,
            "user": user_json(pull.author),
            "repo": repo.to_json(),
        },
        "base": {
            "label": f"{repo.owner}:{pull.base_ref}",
            "ref": pull.base_ref,
            "sha": pull.base_sha,
            "user": user_json(repo.owner, "Organization"),
            "repo": repo.to_json(),
        },
        "requested_reviewers": [user_json(login) for login in pull.requested_reviewers],
        "requested_teams": [{"slug": slug, "name": slug} for slug in pull.requested_teams],
        "issue_url": f"{api}/issues/{pull.number}",
        "comments_url": f"{api}/issues/{pull.number}/comments",
        "review_comments_url": f"{api}/pulls/{pull.number}/comments",
        "statuses_url": f"{api}/statuses/{pull.head_sha}",
        "author_association": "CONTRIBUTOR",
        "changed_files": len(pull.files),
    }


def add_routes(router: web.UrlDispatcher, gh: FakeGitHub) -> None:
    def find_pull(request: web.Request) -> tuple[Repo, Pull]:
        repo = gh.repo(request)
        pull = repo.pulls.get(int(request.match_info["pull_number"]))
        if pull is None:
            raise web.HTTPNotFound(text='{"message": "Not Found"}', content_type="application/json")
        return repo, pull

    def review_json(repo: Repo, review: dict[str, Any]) -> dict[str, Any]:
        return {
            **{k: v for k, v in review.items() if k != "pull_number"},
            "html_url": f"https://github.com/{repo.full_name}/pull/{review['pull_number']}#pullrequestreview-{review['id']}",
            "pull_request_url": f"{gh.base_url}/repos/{repo.full_name}/pulls/{review['pull_number']}",
            "author_association": "NONE",
            "_links": {},
        }

    async def list_pulls(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        state = request.query.get("state", "open")
        items = [pull_json(gh, repo, p) for p in repo.pulls.values() if state in ("all", p.state)]
        return paginate(request, items)

    async def get_pull(request: web.Request) -> web.Response:
        repo, pull = find_pull(request)
        return web.json_response(pull_json(gh, repo, pull))

    async def list_files(request: web.Request) -> web.Response:
        _, pull = find_pull(request)
        return paginate(request, [f.to_json(pull.head_sha) for f in pull.files[:3000]])

    async def list_reviews(request: web.Request) -> web.Response:
        repo, pull = find_pull(request)
        return paginate(
            request, [review_json(repo, r) for r in repo.reviews if r["pull_number"] == pull.number]
        )

    async def create_review(request: web.Request) -> web.Response:
        repo, pull = find_pull(request)
        body = request[BODY] or {}
        comments = body.get("comments", [])
        if too_long(body.get("body")) or any(too_long(c.get("body")) for c in comments):
            return error(422, "Validation Failed", errors=["body is too long (maximum is 65536 characters)"])
        if body.get("event") in ("COMMENT", "REQUEST_CHANGES") and not body.get("body") and not comments:
            return error(422, "Unprocessable Entity", errors=["Body is required for the COMMENT event"])
        files = {f.filename: f for f in pull.files}
        for comment in comments:
            pull_file = files.get(comment["path"])
            if pull_file is None:
                return error(422, "Unprocessable Entity", errors=["Path could not be resolved"])
            side = comment.get("side", "RIGHT")
            if "line" in comment and comment["line"] not in commentable(pull_file.patch)[side]:
                return error(422, "Unprocessable Entity", errors=[OUTSIDE_DIFF])
        commit_id = body.get("commit_id", pull.head_sha)
        review = {
            "id": next_id(),
            "node_id": "PRR_x",
            "pull_number": pull.number,
            "user": gh.actor(),
            "body": body.get("body", ""),
            "commit_id": commit_id,
            "submitted_at": now_iso(),
            "state": {
                "COMMENT": "COMMENTED",
                "APPROVE": "APPROVED",
                "REQUEST_CHANGES": "CHANGES_REQUESTED",
            }.get(body.get("event", ""), "PENDING"),
        }
        repo.reviews.append(review)
        for comment in comments:
            repo.review_comments.append(
                {
                    "id": next_id(),
                    "node_id": "PRRC_x",
                    "pull_request_review_id": review["id"],
                    "pull_number": pull.number,
                    "path": comment["path"],
                    "line": comment.get("line"),
                    "original_line": comment.get("line"),
                    "side": comment.get("side", "RIGHT"),
                    "start_line": comment.get("start_line"),
                    "body": comment["body"],
                    "user": gh.actor(),
                    "commit_id": commit_id,
                    "original_commit_id": commit_id,
                    "diff_hunk": "@@",
                    "created_at": now_iso(),
                    "updated_at": now_iso(),
                    "in_reply_to_id": None,
                }
            )
        return web.json_response(review_json(repo, review))

    async def review_comments(request: web.Request) -> web.Response:
        repo, pull = find_pull(request)
        items = [
            {k: v for k, v in c.items() if k != "pull_number"}
            for c in repo.review_comments
            if c["pull_number"] == pull.number
        ]
        return paginate(request, items)

    async def requested(request: web.Request) -> web.Response:
        _, pull = find_pull(request)
        return web.json_response(
            {
                "users": [user_json(u) for u in pull.requested_reviewers],
                "teams": [{"slug": t, "name": t} for t in pull.requested_teams],
            }
        )

    async def request_reviewers(request: web.Request) -> web.Response:
        repo, pull = find_pull(request)
        body = request[BODY]
        for team in body.get("team_reviewers", []):
            if not any(slug == team for (_org, slug) in gh.teams):
                return error(
                    422,
                    "Reviews may only be requested from collaborators. One or more of the teams you"
                    " specified is not a collaborator of the " + repo.full_name + " repository.",
                )
            if team not in pull.requested_teams:
                pull.requested_teams.append(team)
        for user in body.get("reviewers", []):
            if user not in pull.requested_reviewers:
                pull.requested_reviewers.append(user)
        return web.json_response(pull_json(gh, repo, pull), status=201)

    async def remove_reviewers(request: web.Request) -> web.Response:
        repo, pull = find_pull(request)
        body = request[BODY]
        pull.requested_teams[:] = [t for t in pull.requested_teams if t not in body.get("team_reviewers", [])]
        pull.requested_reviewers[:] = [
            u for u in pull.requested_reviewers if u not in body.get("reviewers", [])
        ]
        return web.json_response(pull_json(gh, repo, pull))

    pull = "/repos/{owner}/{repo}/pulls/{pull_number}"
    router.add_get("/repos/{owner}/{repo}/pulls", list_pulls)
    router.add_get(pull, get_pull)
    router.add_get(pull + "/files", list_files)
    router.add_get(pull + "/reviews", list_reviews)
    router.add_post(pull + "/reviews", create_review)
    router.add_get(pull + "/comments", review_comments)
    router.add_get(pull + "/requested_reviewers", requested)
    router.add_post(pull + "/requested_reviewers", request_reviewers)
    router.add_delete(pull + "/requested_reviewers", remove_reviewers)
