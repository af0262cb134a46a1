"""What the fake GitHub holds: repositories, files at commits, pull requests and everything left on them."""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

_ids = itertools.count(1000)


def next_id() -> int:
    return next(_ids)


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def user_json(login: str, kind: str = "User") -> dict[str, Any]:
    return {
        "login": login,
        "id": abs(hash(login)) % 10**8,
        "node_id": f"U_{login}",
        "type": kind,
        "site_admin": False,
        "html_url": f"https://github.com/{login}",
        "url": f"https://api.github.com/users/{login}",
    }


def unified_patch(base: str | None, head: str | None) -> str:
    """The hunks GitHub shows as a file's `patch`: a unified diff with 3 lines of context, no headers."""
    lines = list(difflib.unified_diff((base or "").splitlines(), (head or "").splitlines(), lineterm="", n=3))
    return "\n".join(lines[2:])


@dataclass
class PullFile:
    filename: str
    status: str
    patch: str | None
    additions: int = 0
    deletions: int = 0
    previous_filename: str | None = None

    def to_json(self, sha: str) -> dict[str, Any]:
        data: dict[str, Any] = {
            "sha": sha,
            "filename": self.filename,
            "status": self.status,
            "additions": self.additions,
            "deletions": self.deletions,
            "changes": self.additions + self.deletions,
            "blob_url": f"https://github.com/blob/{sha}/{self.filename}",
            "raw_url": f"https://github.com/raw/{sha}/{self.filename}",
            "contents_url": f"https://api.github.com/contents/{self.filename}?ref={sha}",
        }
        if self.patch is not None:
            data["patch"] = self.patch
        if self.previous_filename:
            data["previous_filename"] = self.previous_filename
        return data


@dataclass
class Pull:
    number: int
    title: str
    author: str
    head_sha: str
    base_sha: str
    head_ref: str = "feature"
    base_ref: str = "master"
    state: str = "open"
    body: str = ""
    draft: bool = False
    merged: bool = False
    files: list[PullFile] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    requested_reviewers: list[str] = field(default_factory=list)
    requested_teams: list[str] = field(default_factory=list)
    author_type: str = "User"


@dataclass
class Repo:
    owner: str
    name: str
    id: int = field(default_factory=next_id)
    default_branch: str = "master"
    files: dict[tuple[str, str], bytes] = field(default_factory=dict)  # (commit, path) -> bytes
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)  # lower-cased name -> label
    pulls: dict[int, Pull] = field(default_factory=dict)
    issue_comments: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    review_comments: list[dict[str, Any]] = field(default_factory=list)
    check_runs: list[dict[str, Any]] = field(default_factory=list)
    annotations: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # check run id -> annotations
    reactions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)  # issue comment id -> reactions
    commits: dict[str, list[str]] = field(default_factory=dict)  # sha -> parent shas (the git history)
    refs: dict[str, str] = field(default_factory=dict)  # "heads/master" -> sha
    tag_objects: dict[str, str] = field(default_factory=dict)  # annotated tag name -> its tag object's sha
    issue_events: list[dict[str, Any]] = field(default_factory=list)  # labeled/unlabeled, oldest first
    license: dict[str, Any] | None = None  # what GitHub's license detection found, as /license shows it

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "node_id": f"R_{self.id}",
            "name": self.name,
            "full_name": self.full_name,
            "private": False,
            "owner": user_json(self.owner, "Organization"),
            "html_url": f"https://github.com/{self.full_name}",
            "url": f"https://api.github.com/repos/{self.full_name}",
            "default_branch": self.default_branch,
        }

    def change_label(self, number: int, name: str, actor: dict[str, Any], *, added: bool = True) -> None:
        """A label applied or removed on a pull request, recorded as GitHub's issue events record it."""
        labels = self.pulls[number].labels
        name = str(
            self.labels.setdefault(name.lower(), {"name": name, "color": "ededed", "description": None})[
                "name"
            ]
        )
        if added == (name in labels):
            return
        labels.append(name) if added else labels.remove(name)
        self.issue_events.append(
            {
                "id": next_id(),
                "node_id": "LE_x",
                "issue_number": number,
                "event": "labeled" if added else "unlabeled",
                "actor": actor,
                "label": {"name": name, "color": "ededed"},
                "created_at": now_iso(),
            }
        )

    def comment_as(self, number: int, login: str, body: str) -> dict[str, Any]:
        """Someone's comment on a pull request."""
        stamp = now_iso()
        comment = {
            "id": next_id(),
            "node_id": "IC_x",
            "issue_number": number,
            "body": body,
            "user": user_json(login),
            "created_at": stamp,
            "updated_at": stamp,
        }
        self.issue_comments.append(comment)
        return comment

    def review_as(self, number: int, login: str, state: str = "APPROVED") -> None:
        """Someone's submitted review of a pull request's head."""
        self.reviews.append(
            {
                "id": next_id(),
                "node_id": "PRR_x",
                "pull_number": number,
                "user": user_json(login),
                "body": "",
                "state": state,
                "commit_id": self.pulls[number].head_sha,
                "submitted_at": now_iso(),
            }
        )

    def add_files(self, commit: str, files: dict[str, str | bytes]) -> None:
        for path, text in files.items():
            self.files[(commit, path)] = text.encode() if isinstance(text, str) else text

    def commit(
        self,
        sha: str,
        files: dict[str, str | bytes],
        *,
        parents: tuple[str, ...] = (),
        branch: str | None = None,
    ) -> None:
        """A commit of `files` on top of `parents`; with `branch`, that branch now points at it."""
        self.commits[sha] = list(parents)
        self.add_files(
            sha, {**{p: d for (c, p), d in self.files.items() if parents and c == parents[0]}, **files}
        )
        if branch:
            self.refs[f"heads/{branch}"] = sha

    def ancestors(self, sha: str) -> set[str]:
        """`sha` and every commit in its history."""
        seen: set[str] = set()
        todo = [sha]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.commits.get(current, []))
        return seen

    def label_json(self, name: str) -> dict[str, Any]:
        label = self.labels.get(name.lower())
        if label is None:
            label = {"name": name, "color": "ededed", "description": None}
        return {
            "id": abs(hash(label["name"])) % 10**8,
            "node_id": f"L_{label['name']}",
            "url": f"https://api.github.com/repos/{self.full_name}/labels/{label['name']}",
            "name": label["name"],
            "color": label["color"],
            "description": label.get("description"),
            "default": False,
        }

    def open_pull(
        self,
        number: int,
        title: str,
        *,
        base_sha: str,
        head_sha: str,
        files: dict[str, tuple[str | None, str | None]],
        author: str = "octocat",
        body: str = "",
        author_type: str = "User",
    ) -> Pull:
        """A pull request whose files change from base text to head text (None: absent); the texts are
        stored at both commits and each file's patch is the unified diff GitHub would show."""
        pull = Pull(number, title, author, head_sha, base_sha, body=body, author_type=author_type)
        self.pulls[number] = pull
        self.push(number, head_sha, files, base_sha=base_sha)
        return pull

    def push(
        self,
        number: int,
        head_sha: str,
        files: dict[str, tuple[str | None, str | None]],
        *,
        base_sha: str | None = None,
    ) -> Pull:
        pull = self.pulls[number]
        pull.head_sha = head_sha
        if base_sha:
            pull.base_sha = base_sha
        pull.files = []
        for path, (base, head) in files.items():
            if base is not None:
                self.add_files(pull.base_sha, {path: base})
            if head is not None:
                self.add_files(head_sha, {path: head})
            status = "added" if base is None else "removed" if head is None else "modified"
            patch = unified_patch(base, head)
            added = sum(1 for ln in patch.splitlines() if ln.startswith("+"))
            removed = sum(1 for ln in patch.splitlines() if ln.startswith("-"))
            pull.files.append(PullFile(path, status, patch, added, removed))
        return pull


@dataclass
class Installation:
    id: int
    account: str
    repositories: list[str] = field(default_factory=list)
