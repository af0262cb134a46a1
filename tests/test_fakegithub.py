"""The fake GitHub itself answers like GitHub: validation, limits, the 422 for lines outside the diff."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from fakegithub import FakeGitHub
from fakegithub.events import label_event, pull_request_review_event
from fakegithub.pulls import OUTSIDE_DIFF, commentable
from fakegithub.scenarios import OI, official_images

Session = tuple[aiohttp.ClientSession, dict[str, str]]


@pytest.fixture
async def session(fake_github: FakeGitHub) -> AsyncIterator[Session]:
    official_images(fake_github)
    token, _ = fake_github.mint_token(1)
    async with aiohttp.ClientSession(base_url=fake_github.base_url) as client:
        yield client, {"Authorization": f"token {token}"}


async def test_requests_without_a_valid_token_are_401(session: Session) -> None:
    client, _ = session
    response = await client.get(f"/repos/{OI}/pulls/7", headers={"Authorization": "token nope"})
    assert response.status == 401 and (await response.json())["message"] == "Bad credentials"


async def test_a_body_that_breaks_the_openapi_schema_is_422(
    session: Session, fake_github: FakeGitHub
) -> None:
    client, auth = session
    response = await client.post(f"/repos/{OI}/pulls/7/reviews", json={"event": "SHOUT"}, headers=auth)
    assert response.status == 422
    assert "SHOUT" in fake_github.invalid_requests[0]


async def test_a_review_comment_outside_the_diff_gets_githubs_422(
    session: Session, fake_github: FakeGitHub
) -> None:
    client, auth = session
    review = {
        "event": "COMMENT",
        "body": "b",
        "commit_id": "c" * 40,
        "comments": [{"path": "library/python", "line": 99, "side": "RIGHT", "body": "x"}],
    }
    response = await client.post(f"/repos/{OI}/pulls/7/reviews", json=review, headers=auth)
    assert response.status == 422
    assert (await response.json())["errors"] == [OUTSIDE_DIFF]
    assert fake_github.repos[OI].reviews == []


async def test_bodies_over_65536_characters_and_over_50_annotations_are_refused(session: Session) -> None:
    client, auth = session
    long = await client.post(f"/repos/{OI}/issues/7/comments", json={"body": "x" * 65537}, headers=auth)
    assert long.status == 422
    annotation = {
        "path": "library/python",
        "start_line": 1,
        "end_line": 1,
        "annotation_level": "notice",
        "message": "m",
    }
    run = {
        "name": "doi-bot",
        "head_sha": "c" * 40,
        "output": {"title": "t", "summary": "s", "annotations": [annotation] * 51},
    }
    assert (await client.post(f"/repos/{OI}/check-runs", json=run, headers=auth)).status == 422


async def test_lists_are_paginated_with_a_link_header(session: Session, fake_github: FakeGitHub) -> None:
    client, auth = session
    for n in range(35):
        await client.post(f"/repos/{OI}/issues/7/comments", json={"body": f"c{n}"}, headers=auth)
    first = await client.get(f"/repos/{OI}/issues/7/comments", headers=auth)
    assert len(await first.json()) == 30 and 'rel="next"' in first.headers["Link"]


def test_commentable_lines_follow_the_hunks() -> None:
    patch = "@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -10,1 +10,2 @@\n j\n+k"
    sides = commentable(patch)
    assert sides["RIGHT"] == {1, 2, 3, 10, 11}
    assert sides["LEFT"] == {1, 2, 3, 10}


async def test_event_builders_follow_the_fakes_state(fake_github: FakeGitHub) -> None:
    repo = official_images(fake_github)
    review = pull_request_review_event(fake_github, repo, 7, "approved", sender="tianon")
    assert (review["review"]["state"], review["review"]["commit_id"], review["sender"]["login"]) == (
        "approved",
        repo.pulls[7].head_sha,
        "tianon",
    )
    labeled = label_event(fake_github, repo, 7, "approved", sender="yosifkit")
    assert (labeled["action"], labeled["label"]["name"], labeled["pull_request"]["number"]) == (
        "labeled",
        "approved",
        7,
    )
    assert labeled["installation"]["id"] == fake_github.installation_of(repo).id
