"""Commit facts through the GitHub API, against a small in-test stand-in for gidgethub's GitHubAPI."""

from __future__ import annotations

import asyncio
import http
import re
from collections import Counter
from collections.abc import AsyncIterator, Mapping
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import uritemplate
from gidgethub import BadRequest, GitHubBroken

from bot.commits.github import GitHubCommitFacts
from bot.review.model import ChangedFile, PullRequest
from rules.commits import (
    MIB,
    CommitCheck,
    CommitFacts,
    CommitRef,
    TarballChange,
    commit_findings,
    plan_commit_checks,
)
from tests.commit_fixtures import REPO, entry, library

ROOT, ADDED, REWRITTEN, TIP, OTHER, DELETED = (f"{n:x}" * 40 for n in range(1, 7))
TAG_OBJECT = "f" * 40


def binary(path: str, status: str) -> dict[str, Any]:
    return {"filename": path, "status": status}  # GitHub gives binary files no `patch`


def text(path: str, status: str) -> dict[str, Any]:
    return {"filename": path, "status": status, "patch": "@@ -1 +1 @@"}


class StandIn:
    """gidgethub's getitem/getiter over plain dicts: one repository, its commits, refs and file sizes."""

    def __init__(self) -> None:
        self.commits: dict[str, dict[str, Any]] = {
            ROOT: {"parents": [], "files": [text("glibc/Dockerfile", "added")]},
            ADDED: {"parents": [ROOT], "files": [binary("glibc/busybox.tar.xz", "added")]},
            REWRITTEN: {"parents": [ADDED], "files": [binary("glibc/busybox.tar.xz", "modified")]},
            TIP: {"parents": [REWRITTEN], "files": [text("glibc/Dockerfile", "modified")]},
            OTHER: {"parents": [TIP], "files": [text("README.md", "modified")]},
        }
        self.refs = {
            "heads/dist": (TIP, "commit"),
            "heads/other": (OTHER, "commit"),
            "tags/v1": (TAG_OBJECT, "tag"),
        }
        self.tag_targets = {"v1": ADDED}
        self.sizes = {
            (ADDED, "glibc/busybox.tar.xz"): 4 * MIB,
            (REWRITTEN, "glibc/busybox.tar.xz"): 5 * MIB + 7,
        }
        self.calls: Counter[str] = Counter()
        self.failing: set[str] = set()  # kinds of call that answer 502
        self.in_flight = self.most_in_flight = 0

    async def getitem(self, url: str, url_vars: Mapping[str, Any] | None = None, **_: Any) -> Any:
        kind, match, query = self.route(url, url_vars)
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        await asyncio.sleep(0)  # let the other requests start, as real ones would
        self.in_flight -= 1
        return getattr(self, kind)(*match.groups(), **query)

    async def getiter(
        self, url: str, url_vars: Mapping[str, Any] | None = None, **_: Any
    ) -> AsyncIterator[Any]:
        kind, _match, query = self.route(url, url_vars)
        assert kind == "history"
        for sha in self.ancestors(query["sha"]):
            if any(f["filename"].startswith(query.get("path", "") + "/") for f in self.commits[sha]["files"]):
                yield {"sha": sha}

    ROUTES = (
        ("commit", r"/repos/docker-library/busybox/commits/(\w+)"),
        ("history", r"/repos/docker-library/busybox/commits"),
        ("ref", r"/repos/docker-library/busybox/git/ref/(.+)"),
        ("compare", r"/repos/docker-library/busybox/compare/(.+)\.\.\.(\w+)"),
        ("contents", r"/repos/docker-library/busybox/contents/(.*)"),
    )

    def route(
        self, url: str, url_vars: Mapping[str, Any] | None
    ) -> tuple[str, re.Match[str], dict[str, str]]:
        parts = urlsplit(uritemplate.expand(url, var_dict=dict(url_vars or {})))
        for kind, pattern in self.ROUTES:
            if match := re.fullmatch(pattern, parts.path):
                self.calls[kind] += 1
                if kind in self.failing:
                    raise GitHubBroken(http.HTTPStatus.BAD_GATEWAY)
                return kind, match, {k: v[0] for k, v in parse_qs(parts.query).items() if k != "per_page"}
        raise AssertionError(f"the stand-in has no route for {parts.path}")

    def ancestors(self, sha: str) -> list[str]:
        found, todo = [], [sha]
        while todo:
            found.append(current := todo.pop(0))
            todo += self.commits[current]["parents"]
        return found

    def commit(self, sha: str) -> dict[str, Any]:
        if sha not in self.commits:
            raise BadRequest(http.HTTPStatus.UNPROCESSABLE_ENTITY, f"No commit found for SHA: {sha}")
        return {"sha": sha, "files": self.commits[sha]["files"]}

    def ref(self, name: str) -> dict[str, Any]:
        if name not in self.refs:
            raise BadRequest(http.HTTPStatus.NOT_FOUND, "Not Found")
        sha, kind = self.refs[name]
        return {"ref": f"refs/{name}", "object": {"sha": sha, "type": kind}}

    def compare(self, base: str, head: str) -> dict[str, Any]:
        if head not in self.commits:
            raise BadRequest(http.HTTPStatus.NOT_FOUND, "Not Found")
        base = self.tag_targets.get(base) or self.refs.get(f"heads/{base}", (base, ""))[0]
        if base == head:
            return {"status": "identical"}
        return {"status": "behind" if head in self.ancestors(base) else "diverged"}

    def contents(self, directory: str, ref: str) -> list[dict[str, Any]]:
        return [
            {"type": "file", "path": path, "size": size}
            for (commit, path), size in self.sizes.items()
            if commit == ref and path.startswith(directory + "/")
        ]


def check(
    commit: str, fetch: str = "refs/heads/dist", dirs: tuple[str, ...] = (), repo: str = REPO
) -> CommitCheck:
    return CommitCheck(CommitRef(repo, fetch, commit), (), dirs)


@pytest.fixture
def github() -> StandIn:
    return StandIn()


async def facts_of(
    github: StandIn, *checks: CommitCheck, source: GitHubCommitFacts | None = None, fresh=False
):
    found = await (source or GitHubCommitFacts()).gather(github, checks, fresh=fresh)
    return [found[c.ref] for c in checks]


async def test_a_commit_on_its_branch_costs_two_calls_and_the_branch_head_one(github):
    assert await facts_of(github, check(ADDED)) == [CommitFacts()]
    assert github.calls == {"ref": 1, "compare": 1}
    github.calls.clear()
    assert await facts_of(github, check(TIP)) == [CommitFacts()]
    assert github.calls == {"ref": 1}


async def test_a_commit_only_on_another_branch_is_not_contained(github):
    assert await facts_of(github, check(OTHER)) == [CommitFacts(contained=False)]
    assert await facts_of(github, check(OTHER, "refs/heads/other")) == [CommitFacts()]


async def test_a_missing_tag_is_reported_without_a_compare(github):
    [facts] = await facts_of(github, check(TIP, "refs/tags/v9"))
    assert (facts.ref_exists, facts.contained) == (False, False)
    assert github.calls["compare"] == 0


async def test_an_annotated_tag_is_compared_by_its_name(github):
    assert await facts_of(github, check(ADDED, "refs/tags/v1")) == [CommitFacts()]
    assert await facts_of(github, check(TIP, "refs/tags/v1")) == [CommitFacts(contained=False)]


async def test_a_deleted_commit_is_an_error_finding_never_a_crash(github):
    head = library(entry(5, ("1.37",), DELETED))
    checks = plan_commit_checks([(None, head)])
    found = commit_findings(checks, await GitHubCommitFacts().gather(github, checks))
    assert [(f.rule, f.severity, f.line) for f in found] == [("DOI-C003", "error", 9)]


async def test_a_tarball_rewritten_in_two_commits_is_found_for_scratch_entries(github):
    [facts] = await facts_of(github, check(TIP, dirs=("glibc",)))
    assert facts == CommitFacts(
        tarball_changes=(TarballChange(REWRITTEN, "glibc/busybox.tar.xz", 5 * MIB + 7),)
    )
    head = library(entry(5, ("1.37",), TIP, directory="glibc"))
    checks = plan_commit_checks([(None, head)], lambda source: True)
    [finding] = commit_findings(checks, await GitHubCommitFacts().gather(github, checks))
    assert finding.rule == "DOI-C004"
    assert "glibc/busybox.tar.xz (5MB)" in finding.message


async def test_entries_that_are_not_from_scratch_read_no_history(github):
    await facts_of(github, check(TIP))
    assert github.calls["history"] == github.calls["contents"] == 0


async def test_repositories_not_on_github_are_not_checked_and_cost_nothing(github):
    [facts] = await facts_of(github, check(TIP, repo="https://gitlab.com/o/r.git"))
    assert facts.unchecked == "https://gitlab.com/o/r.git is not on GitHub, so doi-bot cannot read it"
    assert not github.calls


async def test_an_outage_makes_the_facts_unknown(github):
    github.failing.add("compare")
    [facts] = await facts_of(github, check(ADDED))
    assert facts.unchecked is not None and "GitHub answered 502" in facts.unchecked


async def test_existence_and_history_are_cached_forever_and_ancestry_per_ref_head(github):
    source = GitHubCommitFacts()
    scratch = check(TIP, dirs=("glibc",))
    first = await facts_of(github, scratch, source=source)
    calls = github.calls.copy()
    assert await facts_of(github, scratch, source=source) == first
    assert github.calls - calls == Counter(ref=1)  # only the branch head is asked again

    github.refs["heads/dist"] = (OTHER, "commit")  # the branch moved on
    await facts_of(github, scratch, source=source)
    assert github.calls - calls == Counter(ref=2, compare=1)

    await facts_of(github, scratch, source=source, fresh=True)  # /doi-bot recheck
    assert github.calls["commit"] == 2 * calls["commit"]


async def test_a_missing_commit_is_asked_again_next_time(github):
    source = GitHubCommitFacts()
    await facts_of(github, check(DELETED), source=source)
    github.commits[DELETED] = {"parents": [TIP], "files": []}  # pushed after all
    github.refs["heads/dist"] = (DELETED, "commit")
    assert await facts_of(github, check(DELETED), source=source) == [CommitFacts()]


async def test_a_ten_entry_change_asks_ancestry_once_per_distinct_commit_and_concurrently(github):
    entries = [
        entry(5 + 15 * i, (f"1.3{i}",), (TIP, OTHER, ADDED)[i % 3], arches=("amd64", "arm64v8", "s390x"))
        for i in range(10)
    ]
    checks = plan_commit_checks([(None, library(*entries))])
    facts = await GitHubCommitFacts().gather(github, checks)
    assert len(facts) == 3
    assert github.calls == {"ref": 1, "compare": 2}  # TIP is the branch's head: nothing to compare
    assert github.most_in_flight > 1


async def test_a_long_tarball_history_never_has_more_than_eight_requests_in_flight(github):
    parent = TIP
    for n in range(40):
        sha = f"{n:040x}"
        github.commits[sha] = {"parents": [parent], "files": [binary("glibc/busybox.tar.xz", "modified")]}
        github.sizes[(sha, "glibc/busybox.tar.xz")] = MIB
        parent = sha
    [facts] = await facts_of(github, check(parent, "refs/heads/other", dirs=("glibc",)))
    assert len(facts.tarball_changes) == 41
    assert 1 < github.most_in_flight <= 8


async def test_a_pull_request_gets_facts_for_its_bumped_commit_only(github):
    base = f"Maintainers: A <a@example.org> (@a)\nGitRepo: {REPO}\nGitFetch: refs/heads/dist\n\n"
    base += f"Tags: 1.36\nGitCommit: {ADDED}\nDirectory: glibc\n\n"
    base += f"Tags: 1.37\nGitCommit: {TIP}\nDirectory: glibc\n"
    head = base.replace(f"1.37\nGitCommit: {TIP}", f"1.37\nGitCommit: {OTHER}")
    changed = ChangedFile("library/busybox", "modified", base.encode(), head.encode())
    pr = PullRequest(
        "docker-library/official-images", "official-images", 1, "bump", "h" * 40, "b" * 40, (changed,)
    )
    facts = await GitHubCommitFacts().for_pull_request(github, pr, {})
    assert facts == {CommitRef(REPO, "refs/heads/dist", OTHER): CommitFacts(contained=False)}
