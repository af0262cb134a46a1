"""The commit part of build_review: what a contributor sees when a changed GitCommit is not on GitFetch."""

from __future__ import annotations

import difflib

from bot.review.build import build_review
from bot.review.commits import commit_checks
from bot.review.model import ChangedFile, Evidence, PullRequest
from rules.commits import CommitFacts, CommitRef

OLD = "0123456789abcdef0123456789abcdef01234567"
NEW = "89abcdef0123456789abcdef0123456789abcdef"
REPO = "https://github.com/example/app.git"

BASE = f"""Maintainers: Jane Doe <jane@example.com> (@jane)
GitRepo: {REPO}
GitFetch: refs/heads/main

Tags: 1.2.3, 1.2, 1, latest
Architectures: amd64, arm64v8
GitCommit: {OLD}
Directory: 1

Tags: 0.9.1, 0.9, 0
GitCommit: {OLD}
Directory: 0
"""
HEAD = BASE.replace(f"GitCommit: {OLD}\nDirectory: 1", f"GitCommit: {NEW}\nDirectory: 1").replace(
    "1.2.3", "1.2.4"
)
BUMPED = CommitRef(REPO, "refs/heads/main", NEW)
# the bumped entry's Dockerfile, read, so that the review has nothing else left unchecked
READ = {(REPO, NEW, "1/Dockerfile"): b'FROM scratch\nCOPY app /app\nCMD ["/app"]\n'}


def pull_request(base: str = BASE, head: str = HEAD) -> PullRequest:
    patch = "\n".join(
        line
        for line in difflib.unified_diff(base.splitlines(), head.splitlines(), lineterm="", n=3)
        if not line.startswith(("---", "+++"))
    )
    changed = ChangedFile("library/app", "modified", base.encode(), head.encode(), patch)
    return PullRequest(
        "docker-library/official-images", "official-images", 1, "Update app", "h" * 40, "b" * 40, (changed,)
    )


def test_only_the_bumped_commit_is_planned_and_from_scratch_entries_get_their_tarball_history():
    [check] = commit_checks(pull_request(), {})
    assert (check.ref, check.tarball_dirs) == (BUMPED, ())
    [check] = commit_checks(
        pull_request(), {(REPO, NEW, "1/Dockerfile"): b"FROM scratch\nADD rootfs.tar.gz /\n"}
    )
    assert check.tarball_dirs == ("1",)


def test_a_bumped_commit_that_is_not_on_gitfetch_fails_with_an_inline_comment():
    review = build_review(pull_request(), Evidence(commit_facts={BUMPED: CommitFacts(contained=False)}))
    assert review.conclusion == "failure"
    [finding] = review.findings
    assert (finding.rule, finding.path, finding.line) == ("DOI-C001", "library/app", 7)
    assert [(c.path, c.line) for c in review.comments] == [("library/app", 7)]
    assert "**Entry `1.2.4, 1.2, 1, latest`**" in review.summary


def test_a_bumped_commit_on_gitfetch_succeeds():
    review = build_review(pull_request(), Evidence(dockerfiles=READ, commit_facts={BUMPED: CommitFacts()}))
    assert (review.conclusion, review.findings) == ("success", ())


def test_unchecked_commits_are_a_note_and_a_neutral_conclusion():
    reason = "GitHub answered 502 when doi-bot asked for refs/heads/main"
    review = build_review(pull_request(), Evidence(commit_facts={BUMPED: CommitFacts.not_checked(reason)}))
    assert [(f.rule, f.severity) for f in review.findings] == [("DOI-C005", "info")]
    assert review.conclusion == "neutral"
    assert f"Changed GitCommits were not checked against GitFetch: {reason}." in review.summary


def test_evidence_that_never_asked_about_commits_adds_nothing():
    assert build_review(pull_request(), Evidence()).findings == ()


def test_commits_the_user_chose_not_to_check_are_a_note_only():
    skipped = CommitFacts.not_checked("run with --source URL=DIR or --fetch to check them", by_choice=True)
    review = build_review(pull_request(), Evidence(dockerfiles=READ, commit_facts={BUMPED: skipped}))
    assert [(f.rule, f.severity) for f in review.findings] == [("DOI-C005", "info")]
    assert review.conclusion == "success"
