"""The issue side of a pull request: comments (with reactions), its labels and the repository's labels."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .core import BODY, FakeGitHub, by_id, error, paginate, too_long
from .state import Repo, next_id, now_iso

TOO_LONG = "body is too long (maximum is 65536 characters)"


def _too_long(resource: str) -> web.Response:
    return error(
        422,
        "Validation Failed",
        errors=[{"resource": resource, "code": "custom", "field": "body", "message": TOO_LONG}],
    )


def add_routes(router: web.UrlDispatcher, gh: FakeGitHub) -> None:
    def comment_json(repo: Repo, comment: dict[str, Any]) -> dict[str, Any]:
        base = f"{gh.base_url}/repos/{repo.full_name}"
        return {
            **{k: v for k, v in comment.items() if k != "issue_number"},
            "url": f"{base}/issues/comments/{comment['id']}",
            "html_url": f"https://github.com/{repo.full_name}/pull/{comment['issue_number']}#issuecomment-{comment['id']}",
            "issue_url": f"{base}/issues/{comment['issue_number']}",
            "author_association": "NONE",
            "performed_via_github_app": gh.app_json() if comment["user"]["type"] == "Bot" else None,
        }

    def find_comment(request: web.Request) -> tuple[Repo, dict[str, Any]]:
        repo = gh.repo(request)
        return repo, by_id(repo.issue_comments, request.match_info["comment_id"])

    async def list_comments(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        number = int(request.match_info["issue_number"])
        items = [comment_json(repo, c) for c in repo.issue_comments if c["issue_number"] == number]
        return paginate(request, items)

    async def create_comment(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        body = request[BODY]["body"]
        if too_long(body):
            return _too_long("IssueComment")
        stamp = now_iso()
        comment = {
            "id": next_id(),
            "node_id": "IC_x",
            "issue_number": int(request.match_info["issue_number"]),
            "body": body,
            "user": gh.actor(),
            "created_at": stamp,
            "updated_at": stamp,
        }
        repo.issue_comments.append(comment)
        return web.json_response(comment_json(repo, comment), status=201)

    async def get_comment(request: web.Request) -> web.Response:
        repo, comment = find_comment(request)
        return web.json_response(comment_json(repo, comment))

    async def update_comment(request: web.Request) -> web.Response:
        repo, comment = find_comment(request)
        if too_long(request[BODY]["body"]):
            return _too_long("IssueComment")
        comment.update(body=request[BODY]["body"], updated_at=now_iso())
        return web.json_response(comment_json(repo, comment))

    async def delete_comment(request: web.Request) -> web.Response:
        repo, comment = find_comment(request)
        repo.issue_comments.remove(comment)
        return web.Response(status=204)

    async def list_reactions(request: web.Request) -> web.Response:
        repo, comment = find_comment(request)
        return paginate(request, repo.reactions.get(comment["id"], []))

    async def create_reaction(request: web.Request) -> web.Response:
        repo, comment = find_comment(request)
        reactions = repo.reactions.setdefault(comment["id"], [])
        content = request[BODY]["content"]
        for reaction in reactions:
            if reaction["content"] == content and reaction["user"]["login"] == gh.bot_login:
                return web.json_response(reaction, status=200)
        reaction = {
            "id": next_id(),
            "node_id": "RE_x",
            "user": gh.actor(),
            "content": content,
            "created_at": now_iso(),
        }
        reactions.append(reaction)
        return web.json_response(reaction, status=201)

    # -- labels --------------------------------------------------------------------------------------
    def pull_labels(request: web.Request) -> tuple[Repo, list[str]]:
        repo = gh.repo(request)
        number = int(request.match_info["issue_number"])
        if number not in repo.pulls:
            raise web.HTTPNotFound(text='{"message": "Not Found"}', content_type="application/json")
        return repo, repo.pulls[number].labels

    def ensure_label(repo: Repo, name: str) -> str:
        label = repo.labels.setdefault(name.lower(), {"name": name, "color": "ededed", "description": None})
        return str(label["name"])

    def label_names(body: Any) -> list[str]:
        items = body["labels"] if isinstance(body, dict) else body
        return [item if isinstance(item, str) else item["name"] for item in items]

    async def list_issue_labels(request: web.Request) -> web.Response:
        repo, labels = pull_labels(request)
        return paginate(request, [repo.label_json(n) for n in labels])

    async def add_issue_labels(request: web.Request) -> web.Response:
        repo, labels = pull_labels(request)
        number = int(request.match_info["issue_number"])
        for name in label_names(request[BODY]):
            repo.change_label(number, ensure_label(repo, name), gh.actor())
        return web.json_response([repo.label_json(n) for n in labels])

    async def set_issue_labels(request: web.Request) -> web.Response:
        repo, labels = pull_labels(request)
        labels[:] = [ensure_label(repo, n) for n in label_names(request[BODY])]
        return web.json_response([repo.label_json(n) for n in labels])

    async def remove_issue_label(request: web.Request) -> web.Response:
        repo, labels = pull_labels(request)
        name = request.match_info["name"]
        match = next((n for n in labels if n.lower() == name.lower()), None)
        if match is None:
            return error(404, "Label does not exist")
        repo.change_label(int(request.match_info["issue_number"]), match, gh.actor(), added=False)
        return web.json_response([repo.label_json(n) for n in labels])

    async def list_issue_events(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        number = int(request.match_info["issue_number"])
        items = [
            {k: v for k, v in e.items() if k != "issue_number"}
            for e in repo.issue_events
            if e["issue_number"] == number
        ]
        return paginate(request, items)

    async def list_repo_labels(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        return paginate(request, [repo.label_json(label["name"]) for label in repo.labels.values()])

    async def create_repo_label(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        body = request[BODY]
        if body["name"].lower() in repo.labels:
            return error(
                422,
                "Validation Failed",
                errors=[{"resource": "Label", "code": "already_exists", "field": "name"}],
            )
        repo.labels[body["name"].lower()] = {
            "name": body["name"],
            "color": body.get("color", "ededed"),
            "description": body.get("description"),
        }
        return web.json_response(repo.label_json(body["name"]), status=201)

    async def get_repo_label(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        if request.match_info["name"].lower() not in repo.labels:
            return error(404, "Not Found")
        return web.json_response(repo.label_json(request.match_info["name"]))

    async def update_repo_label(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        label = repo.labels.get(request.match_info["name"].lower())
        if label is None:
            return error(404, "Not Found")
        body = request[BODY]
        label.update({k: body[k] for k in ("color", "description") if k in body})
        if "new_name" in body:
            del repo.labels[request.match_info["name"].lower()]
            label["name"] = body["new_name"]
            repo.labels[label["name"].lower()] = label
        return web.json_response(repo.label_json(label["name"]))

    async def get_issue(request: web.Request) -> web.Response:
        repo = gh.repo(request)
        pull = repo.pulls.get(int(request.match_info["issue_number"]))
        if pull is None:
            return error(404, "Not Found")
        return web.json_response(
            {
                "number": pull.number,
                "title": pull.title,
                "state": pull.state,
                "labels": [repo.label_json(n) for n in pull.labels],
                "pull_request": {"url": f"{gh.base_url}/repos/{repo.full_name}/pulls/{pull.number}"},
            }
        )

    issue = "/repos/{owner}/{repo}/issues/{issue_number}"
    comment = "/repos/{owner}/{repo}/issues/comments/{comment_id}"
    router.add_get(issue, get_issue)
    router.add_get(issue + "/comments", list_comments)
    router.add_post(issue + "/comments", create_comment)
    router.add_get(comment, get_comment)
    router.add_patch(comment, update_comment)
    router.add_delete(comment, delete_comment)
    router.add_get(comment + "/reactions", list_reactions)
    router.add_post(comment + "/reactions", create_reaction)
    router.add_get(issue + "/events", list_issue_events)
    router.add_get(issue + "/labels", list_issue_labels)
    router.add_post(issue + "/labels", add_issue_labels)
    router.add_put(issue + "/labels", set_issue_labels)
    router.add_delete(issue + "/labels/{name}", remove_issue_label)
    router.add_get("/repos/{owner}/{repo}/labels", list_repo_labels)
    router.add_post("/repos/{owner}/{repo}/labels", create_repo_label)
    router.add_get("/repos/{owner}/{repo}/labels/{name}", get_repo_label)
    router.add_patch("/repos/{owner}/{repo}/labels/{name}", update_repo_label)
