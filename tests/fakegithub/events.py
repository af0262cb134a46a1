"""Webhook deliveries built from GitHub's real example payloads (shared/github/webhooks-examples.json)."""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from .core import FakeGitHub
from .pulls import pull_json
from .state import Repo, user_json

EXAMPLES = Path(__file__).resolve().parents[3] / "shared" / "github" / "webhooks-examples.json"


@cache
def _examples() -> dict[str, list[dict[str, Any]]]:
    if not EXAMPLES.is_file():
        pytest.skip("../shared (GitHub's webhook examples) is not beside this checkout")
    return {event["name"]: event["examples"] for event in json.loads(EXAMPLES.read_text())}


def example(event: str, action: str | None = None) -> dict[str, Any]:
    """A deep copy of GitHub's first example of `event` (with `action`)."""
    for payload in _examples()[event]:
        if action is None or payload.get("action") == action:
            return copy.deepcopy(payload)
    raise KeyError(f"no example of {event}.{action}")


def _stamp(
    gh: FakeGitHub, repo: Repo, payload: dict[str, Any], sender: str, sender_type: str
) -> dict[str, Any]:
    payload["repository"] = {**payload.get("repository", {}), **repo.to_json()}
    payload["installation"] = {
        "id": gh.installation_of(repo).id,
        "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ==",
    }
    payload["sender"] = {**payload.get("sender", {}), **user_json(sender, sender_type)}
    return payload


def pull_request_event(
    gh: FakeGitHub,
    repo: Repo,
    number: int,
    action: str,
    *,
    sender: str = "octocat",
    sender_type: str = "User",
    **extra: Any,
) -> dict[str, Any]:
    """`pull_request` of `action` for the fake's current state of the pull request."""
    payload = example("pull_request", action if action != "edited" else "opened")
    payload.update(action=action, number=number, **extra)
    payload["pull_request"] = {**payload["pull_request"], **pull_json(gh, repo, repo.pulls[number])}
    return _stamp(gh, repo, payload, sender, sender_type)


def issue_comment_event(
    gh: FakeGitHub,
    repo: Repo,
    number: int,
    body: str,
    *,
    action: str = "created",
    sender: str = "octocat",
    sender_type: str = "User",
    comment_id: int = 1,
) -> dict[str, Any]:
    payload = example("issue_comment", action)
    pull = repo.pulls[number]
    payload["issue"].update(
        number=number,
        title=pull.title,
        state=pull.state,
        pull_request={"url": f"{gh.base_url}/repos/{repo.full_name}/pulls/{number}"},
    )
    payload["comment"].update(id=comment_id, body=body, user=user_json(sender, sender_type))
    return _stamp(gh, repo, payload, sender, sender_type)


def check_run_event(
    gh: FakeGitHub,
    repo: Repo,
    number: int,
    action: str = "rerequested",
    *,
    name: str = "doi-bot",
    sender: str = "octocat",
) -> dict[str, Any]:
    """`check_run` (a "Re-run" by default) on the head of pull request `number`."""
    payload = example("check_run", action)
    head = repo.pulls[number].head_sha
    pulls = [{"number": number, "head": {"sha": head}, "base": {"sha": repo.pulls[number].base_sha}}]
    payload["check_run"].update(name=name, head_sha=head, pull_requests=pulls, app=gh.app_json())
    return _stamp(gh, repo, payload, sender, "User")


def pull_request_review_event(
    gh: FakeGitHub,
    repo: Repo,
    number: int,
    state: str = "approved",
    *,
    action: str = "submitted",
    sender: str = "octocat",
    body: str = "",
) -> dict[str, Any]:
    """`pull_request_review` (submitted by `sender`, `state` approved/changes_requested/commented)."""
    payload = example("pull_request_review", action)
    pull = repo.pulls[number]
    payload["pull_request"] = {**payload["pull_request"], **pull_json(gh, repo, pull)}
    payload["review"].update(state=state, body=body, commit_id=pull.head_sha, user=user_json(sender))
    return _stamp(gh, repo, payload, sender, "User")


def label_event(
    gh: FakeGitHub, repo: Repo, number: int, name: str, *, action: str = "labeled", sender: str = "octocat"
) -> dict[str, Any]:
    """`pull_request` labeled/unlabeled with `name`, applied by `sender`."""
    return pull_request_event(gh, repo, number, action, sender=sender, label=repo.label_json(name))


def ping_event() -> dict[str, Any]:
    return example("ping")


def signed(
    event: str, payload: dict[str, Any], secret: str, *, delivery: str | None = None
) -> tuple[dict[str, str], bytes]:
    """Headers and body exactly as GitHub sends a delivery."""
    body = json.dumps(payload).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "GitHub-Hookshot/044aadd",
        "X-GitHub-Event": event,
        "X-GitHub-Delivery": delivery or str(uuid.uuid4()),
        "X-GitHub-Hook-ID": "42",
        "X-Hub-Signature-256": f"sha256={signature}",
    }
    return headers, body
