"""Commit facts through the GitHub API, against the one fake GitHub: through the App's real client for the
facts, calls and caches, and end to end for what a pull request ends up showing."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
import pytest
from fakegithub import FakeGitHub
from fakegithub.events import check_run_event, pull_request_event
from fakegithub.fixtures import AppKey
from fakegithub.harness import FAST_RETRIES, BotUnderTest, running_bot, settings_for
from fakegithub.scenarios import BASE, HEAD, OI
from fakegithub.state import Repo

from bot.commits.github import MAX_CONCURRENT, GitHubCommitFacts
from bot.github.auth import GitHubApp
from bot.github.client import GitHubClient
from bot.review.model import ChangedFile, PullRequest
from bot.services import default_reviewer
from rules.commits import (
    MIB,
    CommitCheck,
    CommitFacts,
    CommitRef,
    TarballChange,
    commit_findings,
    plan_commit_checks,
)
from tests.commit_fixtures import entry, library

UPSTREAM = "docker-library/busybox"
URL = f"https://github.com/{UPSTREAM}.git"
ROOT, ADDED, REWRITTEN, TIP, OTHER, DELETED = (f"{n}" * 40 for n in range(1, 7))
TARBALL = "latest/glibc/busybox.tar.xz"
DOCKERFILE = b'FROM scratch\nADD busybox.tar.xz /\nCMD ["sh"]\n'
MAINTAINERS = "Maintainers: Tianon Gravi <admwiggin@gmail.com> (@tianon)\n"


def upstream(gh: FakeGitHub) -> Repo:
    """busybox's history: a tarball added, then rewritten (CI's naughty case) and tagged, a tip on `dist`,
    and one more commit only on `other`."""
    repo = gh.add_repo(UPSTREAM, installation_id=2)
    repo.commit(ROOT, {"latest/glibc/Dockerfile": DOCKERFILE})
    repo.commit(ADDED, {TARBALL: b"\0" * (4 * MIB)}, parents=(ROOT,))
    repo.commit(REWRITTEN, {TARBALL: b"\0\1" * (3 * MIB)}, parents=(ADDED,), branch="dist")
    repo.refs["tags/1.36.1"] = REWRITTEN
    repo.tag_objects["1.36.1"] = "7" * 40  # an annotated tag: the ref names the tag object
    repo.commit(TIP, {"latest/glibc/README": b"busybox\n"}, parents=(REWRITTEN,), branch="dist")
    repo.commit(OTHER, {"latest/glibc/README": b"elsewhere\n"}, parents=(TIP,), branch="other")
    return repo


@pytest.fixture
async def client(fake_github: FakeGitHub, app_key: AppKey) -> AsyncIterator[GitHubClient]:
    upstream(fake_github)
    async with aiohttp.ClientSession() as session:
        app = GitHubApp(session, settings_for(fake_github, app_key.private_pem), policy=FAST_RETRIES)
        yield await app.installation(2)


def check(
    commit: str, fetch: str = "refs/heads/dist", dirs: tuple[str, ...] = (), repo: str = URL
) -> CommitCheck:
    return CommitCheck(CommitRef(repo, fetch, commit), (), dirs)


async def facts_of(
    gh: GitHubClient, *checks: CommitCheck, source: GitHubCommitFacts | None = None, fresh=False
):
    found = await (source or GitHubCommitFacts()).gather(gh, checks, fresh=fresh)
    return [found[c.ref] for c in checks]


def calls(gh: FakeGitHub) -> Counter[str]:
    """The upstream calls by kind: ref, compare, commit, history (commits touching a path), contents."""
    kinds: Counter[str] = Counter()
    for call in gh.calls:
        path = call.path.removeprefix(f"/repos/{UPSTREAM}")
        if path == call.path:
            continue
        kind = path.split("/")[1] if path.count("/") > 1 else "history"
        kinds[{"git": "ref", "commits": "commit"}.get(kind, kind)] += 1
    return kinds


def in_flight(gh: GitHubClient, latency_of: FakeGitHub) -> dict[str, int]:
    """Counts the client's requests in flight at once; the fake answers slowly enough for them to overlap."""
    latency_of.latency = 0.01
    original = gh._request
    seen = {"now": 0, "most": 0}

    async def counting(*args: Any, **kwargs: Any) -> Any:
        seen["now"] += 1
        seen["most"] = max(seen["most"], seen["now"])
        try:
            return await original(*args, **kwargs)
        finally:
            seen["now"] -= 1

    gh._request = counting  # type: ignore[method-assign]
    return seen


async def test_a_commit_on_its_branch_costs_a_ref_and_a_compare(client, fake_github):
    assert await facts_of(client, check(ROOT)) == [CommitFacts()]
    assert calls(fake_github) == {"ref": 1, "compare": 1}


async def test_the_branch_head_itself_needs_no_compare(client, fake_github):
    assert await facts_of(client, check(TIP)) == [CommitFacts()]
    assert calls(fake_github) == {"ref": 1}


async def test_a_commit_only_on_another_branch_is_not_contained(client):
    assert await facts_of(client, check(OTHER)) == [CommitFacts(contained=False)]
    assert await facts_of(client, check(OTHER, "refs/heads/other")) == [CommitFacts()]


async def test_a_missing_tag_is_reported_without_a_compare(client, fake_github):
    assert await facts_of(client, check(TIP, "refs/tags/9.9")) == [
        CommitFacts(ref_exists=False, contained=False)
    ]
    assert calls(fake_github)["compare"] == 0


async def test_an_annotated_tag_is_compared_by_its_name(client):
    assert await facts_of(client, check(ADDED, "refs/tags/1.36.1")) == [CommitFacts()]
    assert await facts_of(client, check(TIP, "refs/tags/1.36.1")) == [CommitFacts(contained=False)]


async def test_a_deleted_commit_of_a_scratch_image_is_missing_though_its_history_cannot_be_listed(client):
    [facts] = await facts_of(client, check(DELETED, dirs=("latest/glibc",)))
    assert facts == CommitFacts(commit_exists=False, contained=False)


async def test_a_deleted_commit_is_an_error_finding_never_a_crash(client):
    checks = plan_commit_checks([(None, library(entry(5, ("1.37",), DELETED, repo=URL)))])
    found = commit_findings(checks, await GitHubCommitFacts().gather(client, checks))
    assert [(f.rule, f.severity, f.line) for f in found] == [("DOI-C003", "error", 9)]


async def test_a_tarball_rewritten_in_two_commits_is_found_for_scratch_entries(client):
    [facts] = await facts_of(client, check(TIP, dirs=("latest/glibc",)))
    assert facts == CommitFacts(tarball_changes=(TarballChange(REWRITTEN, TARBALL, 6 * MIB),))


async def test_entries_that_are_not_from_scratch_read_no_history(client, fake_github):
    await facts_of(client, check(ROOT))
    assert calls(fake_github)["history"] == calls(fake_github)["contents"] == 0


async def test_repositories_not_on_github_are_not_checked_and_cost_nothing(client, fake_github):
    [facts] = await facts_of(client, check(TIP, repo="https://gitlab.com/o/r.git"))
    assert facts.unchecked == "https://gitlab.com/o/r.git is not on GitHub, so doi-bot cannot read it"
    assert not calls(fake_github)


async def test_a_repository_github_does_not_show_leaves_the_facts_unknown_not_wrong(client):
    # a mistyped, private or absent GitRepo: its branch and commit are not missing, they are unknown
    [facts] = await facts_of(client, check(TIP, repo="https://github.com/docker-library/no-such-repo.git"))
    assert facts.unchecked == "GitHub shows no repository docker-library/no-such-repo"
    # a missing branch in a repository that is there stays an error
    [facts] = await facts_of(client, check(DELETED, "refs/heads/gone"))
    assert (facts.ref_exists, facts.commit_exists, facts.unchecked) == (False, False, None)


async def test_an_outage_makes_the_facts_unknown(client, fake_github):
    fake_github.faults.add("5xx", path="/compare/", times=100)
    [facts] = await facts_of(client, check(ROOT))
    assert facts.unchecked is not None and "GitHub answered 502" in facts.unchecked


async def test_history_is_cached_forever_ancestry_per_ref_head_and_a_recheck_asks_again(client, fake_github):
    source = GitHubCommitFacts()
    scratch = check(REWRITTEN, dirs=("latest/glibc",))
    first = await facts_of(client, scratch, source=source)
    before = calls(fake_github)
    assert await facts_of(client, scratch, source=source) == first
    assert calls(fake_github) - before == Counter(ref=1)  # only the branch head is asked again

    fake_github.repos[UPSTREAM].refs["heads/dist"] = OTHER  # the branch moved on
    await facts_of(client, scratch, source=source)
    assert calls(fake_github) - before == Counter(ref=2, compare=1)

    await facts_of(client, scratch, source=source, fresh=True)  # /doi-bot recheck
    assert calls(fake_github)["history"] == 2 * before["history"]


async def test_a_missing_commit_is_asked_again_next_time(client, fake_github):
    source = GitHubCommitFacts()
    await facts_of(client, check(DELETED), source=source)
    fake_github.repos[UPSTREAM].commit(DELETED, {}, parents=(TIP,), branch="dist")  # pushed after all
    assert await facts_of(client, check(DELETED), source=source) == [CommitFacts()]


async def test_a_ten_entry_change_asks_ancestry_once_per_distinct_commit_and_concurrently(
    client, fake_github
):
    seen = in_flight(client, fake_github)
    commits = (ROOT, ADDED, REWRITTEN)
    entries = [
        entry(5 + 15 * i, (f"1.3{i}",), commits[i % 3], repo=URL, arches=("amd64", "arm64v8", "s390x"))
        for i in range(10)
    ]
    checks = plan_commit_checks([(None, library(*entries))])
    facts = await GitHubCommitFacts().gather(client, checks)
    assert set(facts.values()) == {CommitFacts()}
    assert calls(fake_github) == {"ref": 1, "compare": 3}
    assert seen["most"] > 1


async def test_a_long_tarball_history_never_has_more_requests_in_flight_than_allowed(client, fake_github):
    repo = fake_github.repos[UPSTREAM]
    parent = TIP
    for n in range(20):
        sha = f"{n:040x}"
        repo.commit(sha, {TARBALL: bytes([n]) + b"\0" * MIB}, parents=(parent,))
        parent = sha
    seen = in_flight(client, fake_github)
    [facts] = await facts_of(client, check(parent, dirs=("latest/glibc",)))
    assert len(facts.tarball_changes) == 21
    assert 1 < seen["most"] <= MAX_CONCURRENT


async def test_a_pull_request_gets_facts_for_its_bumped_commit_only(client):
    base = f"{MAINTAINERS}GitRepo: {URL}\nGitFetch: refs/heads/dist\n\n"
    base += f"Tags: 1.36\nGitCommit: {ADDED}\nDirectory: latest/glibc\n\n"
    base += f"Tags: 1.37\nGitCommit: {TIP}\nDirectory: latest/glibc\n"
    head = base.replace(f"1.37\nGitCommit: {TIP}", f"1.37\nGitCommit: {OTHER}")
    changed = ChangedFile("library/busybox", "modified", base.encode(), head.encode())
    pr = PullRequest(OI, "official-images", 1, "bump", "h" * 40, "b" * 40, (changed,))
    facts = await GitHubCommitFacts().for_pull_request(client, pr, {})
    assert facts == {CommitRef(URL, "refs/heads/dist", OTHER): CommitFacts(contained=False)}


def bump(gh: FakeGitHub, commit: str) -> Repo:
    """official-images pull request 7: busybox's GitCommit moves from ROOT to `commit`."""
    library = f"{MAINTAINERS}GitRepo: {URL}\nGitFetch: refs/heads/dist\n"
    base = library + f"\nTags: 1.36.0, 1.36\nGitCommit: {ROOT}\nDirectory: latest/glibc\n"
    head = base.replace("1.36.0, 1.36", "1.36.1, 1.36").replace(ROOT, commit)
    repo = gh.add_repo(OI)
    repo.open_pull(
        7, "busybox: 1.36.1", base_sha=BASE, head_sha=HEAD, files={"library/busybox": (base, head)}
    )
    return repo


@asynccontextmanager
async def reviewed_bump(gh: FakeGitHub, key: AppKey, commit: str) -> AsyncIterator[tuple[BotUnderTest, Repo]]:
    """The App, running, after it reviewed a bump of busybox to `commit`."""
    upstream(gh)
    repo = bump(gh, commit)
    async with running_bot(gh, key.private_pem, default_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(gh, repo, 7, "opened"))
        await bot.settle()
        yield bot, repo


async def test_a_pull_request_bumping_to_a_commit_off_its_branch_fails_on_the_gitcommit_line(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    async with reviewed_bump(fake_github, app_key, OTHER) as (bot, repo):
        [run] = repo.check_runs
        assert run["conclusion"] == "failure"
        [annotation] = [
            a for a in repo.annotations[run["id"]] if "DOI-C001" in a["message"] + a.get("title", "")
        ]
        assert (annotation["path"], annotation["start_line"]) == ("library/busybox", 6)
        assert f"{OTHER} is not in the specified ref GitFetch: refs/heads/dist" in annotation["message"]
        assert any(c["path"] == "library/busybox" and c["line"] == 6 for c in repo.review_comments)
        assert calls(fake_github)["compare"] == 1

        # a re-run asks GitHub again, though nothing it caches has changed
        await bot.deliver("check_run", check_run_event(fake_github, repo, 7))
        await bot.settle()
        assert calls(fake_github)["compare"] == 2


async def test_a_scratch_image_whose_history_rewrote_its_tarball_fails(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    async with reviewed_bump(fake_github, app_key, TIP) as (_, repo):
        [run] = repo.check_runs
    assert run["conclusion"] == "failure"
    messages = [a["message"] for a in repo.annotations[run["id"]]]
    assert any(f"modified binary file (larger than 2MB): {TARBALL} (6MB)" in m for m in messages)
