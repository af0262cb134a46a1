"""A minimal, stateful stand-in of the GitHub REST endpoints gatekeeping uses, behind gidgethub's real
`GitHubAPI` (only `_request` is replaced), so the handlers run through gidgethub's URL expansion, paging and
error mapping. Until the shared fake GitHub reaches main, the gatekeeping tests use this."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from gidgethub.abc import GitHubAPI


@dataclass
class Pull:
    repository: str
    number: int
    author: str
    head_sha: str
    body: str = ""
    state: str = "open"
    labels: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    requested_teams: list[str] = field(default_factory=list)

    def json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "state": self.state,
            "body": self.body,
            "user": {"login": self.author, "type": "User"},
            "head": {"sha": self.head_sha},
            "labels": [{"name": n} for n in self.labels],
        }


class FakeGitHub(GitHubAPI):
    def __init__(self, bot: str = "doi-bot[bot]") -> None:
        super().__init__("doi-bot-tests", oauth_token="token")
        self.bot = bot
        self.pulls: dict[tuple[str, int], Pull] = {}
        self.teams: dict[tuple[str, str], dict[str, str]] = {}  # (org, slug) -> login -> state
        self.licenses: dict[str, dict[str, str]] = {}
        self.contents: set[tuple[str, str]] = set()
        self.check_runs: list[dict[str, Any]] = []
        self.reactions: list[tuple[int, str]] = []
        self.refuse_team_review = False
        self.calls: list[tuple[str, str]] = []
        self._ids = itertools.count(1000)

    # -- test set-up and inspection ------------------------------------------------------------------------
    def open_pull(self, repository: str, number: int, author: str, head_sha: str, body: str = "") -> Pull:
        pull = Pull(repository, number, author, head_sha, body)
        self.pulls[(repository, number)] = pull
        return pull

    def set_member(self, team: str, login: str, state: str | None = "active") -> None:
        org, slug = team.split("/")
        members = self.teams.setdefault((org, slug), {})
        if state is None:
            members.pop(login, None)
        else:
            members[login] = state

    def label(self, pull: Pull, name: str, actor: str, added: bool = True) -> None:
        """A person changes a label in GitHub's UI (the webhook is up to the test)."""
        if added and name not in pull.labels:
            pull.labels.append(name)
        if not added and name in pull.labels:
            pull.labels.remove(name)
        pull.events.append(
            {"event": "labeled" if added else "unlabeled", "actor": {"login": actor}, "label": {"name": name}}
        )

    def comment(self, pull: Pull, login: str, body: str, user_type: str = "User") -> dict[str, Any]:
        comment = {"id": next(self._ids), "user": {"login": login, "type": user_type}, "body": body}
        pull.comments.append(comment)
        return comment

    def runs(self, head_sha: str, name: str) -> list[dict[str, Any]]:
        return [r for r in self.check_runs if r["head_sha"] == head_sha and r["name"] == name]

    def writes(self) -> list[tuple[str, str]]:
        return [c for c in self.calls if c[0] != "GET"]

    # -- the HTTP side ------------------------------------------------------------------------------------
    async def sleep(self, seconds: float) -> None:
        return None

    async def _request(
        self, method: str, url: str, headers: Mapping[str, str], body: bytes = b""
    ) -> tuple[int, Mapping[str, str], bytes]:
        parts = urlsplit(url)
        path = unquote(parts.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        self.calls.append((method, path))
        data = json.loads(body) if body else None
        status, answer = self._route(method, path, query, data)
        out = b"" if answer is None else json.dumps(answer).encode()
        return status, {"content-type": "application/json; charset=utf-8"}, out

    def _pull(self, owner: str, repo: str, number: str) -> Pull | None:
        return self.pulls.get((f"{owner}/{repo}", int(number)))

    def _route(self, method: str, path: str, query: dict[str, str], data: Any) -> tuple[int, Any]:
        not_found = (404, {"message": "Not Found"})
        if m := re.fullmatch(r"/orgs/([^/]+)/teams/([^/]+)/memberships/([^/]+)", path):
            state = self.teams.get((m[1], m[2]), {}).get(m[3])
            return (200, {"role": "member", "state": state}) if state else not_found
        if m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/license", path):
            found = self.licenses.get(f"{m[1]}/{m[2]}")
            return (200, {"license": found}) if found else not_found
        if m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/contents/(.+)", path):
            return (200, []) if (f"{m[1]}/{m[2]}", m[3]) in self.contents else not_found
        if path == "/search/issues":
            repo = re.search(r"repo:(\S+)", query["q"])[1]
            items = [
                {"number": p.number, "body": p.body}
                for p in self.pulls.values()
                if p.repository == repo
                and p.state == "open"
                and re.search(r"\d+", query["q"].split('"')[1])[0] in p.body
            ]
            return 200, {"total_count": len(items), "items": items}
        if m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/check-runs(?:/(\d+))?", path):
            return self._check_runs(f"{m[1]}/{m[2]}", method, m[3], data)
        if m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/commits/([^/]+)/check-runs", path):
            runs = [r for r in self.check_runs if r["head_sha"] == m[3]]
            if "check_name" in query:
                runs = [r for r in runs if r["name"] == query["check_name"]]
            runs = sorted(runs, key=lambda r: -r["id"])
            return 200, {"total_count": len(runs), "check_runs": runs}
        if m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/comments/(\d+)/reactions", path):
            self.reactions.append((int(m[3]), data["content"]))
            return 201, {"id": next(self._ids), "content": data["content"]}
        if m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/issues/comments/(\d+)", path):
            for pull in self.pulls.values():
                for comment in pull.comments:
                    if comment["id"] == int(m[3]):
                        comment["body"] = data["body"]
                        return 200, comment
            return not_found
        if m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/pulls", path):
            pulls = [
                p.json()
                for p in self.pulls.values()
                if p.repository == f"{m[1]}/{m[2]}" and p.state == "open"
            ]
            return 200, pulls
        if not (m := re.fullmatch(r"/repos/([^/]+)/([^/]+)/(?:issues|pulls)/(\d+)(/.*)?", path)):
            return not_found
        pull = self._pull(m[1], m[2], m[3])
        if pull is None:
            return not_found
        rest = m[4] or ""
        if rest == "":
            return 200, pull.json()
        if rest == "/labels" and method == "GET":
            return 200, [{"name": n} for n in pull.labels]
        if rest == "/labels" and method == "POST":
            for name in data["labels"]:
                self.label(pull, name, self.bot)
            return 200, [{"name": n} for n in pull.labels]
        if rest.startswith("/labels/") and method == "DELETE":
            name = rest.removeprefix("/labels/")
            if name not in pull.labels:
                return not_found
            self.label(pull, name, self.bot, added=False)
            return 200, [{"name": n} for n in pull.labels]
        if rest == "/events":
            return 200, pull.events
        if rest == "/comments" and method == "GET":
            return 200, pull.comments
        if rest == "/comments" and method == "POST":
            return 201, self.comment(pull, self.bot, data["body"], "Bot")
        if rest == "/reviews":
            return 200, pull.reviews
        if rest == "/requested_reviewers" and method == "POST":
            if self.refuse_team_review:
                return 422, {"message": "Reviews may only be requested from collaborators.", "errors": []}
            pull.requested_teams.extend(data.get("team_reviewers", []))
            return 201, pull.json()
        return not_found

    def _check_runs(self, repository: str, method: str, run_id: str | None, data: Any) -> tuple[int, Any]:
        if method == "POST":
            run = {"id": next(self._ids), "conclusion": None} | data
            self.check_runs.append(run)
            return 201, run
        for run in self.check_runs:
            if run["id"] == int(run_id or 0):
                if method == "PATCH":
                    run.update(data)
                    if data.get("status") != "completed":
                        run["conclusion"] = None
                return 200, run
        return 404, {"message": "Not Found"}
