"""Commit facts from real git repositories made in a temporary folder: a clone, and a fetch into a cache."""

from __future__ import annotations

import json
import os
import random
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.checks import CheckOptions
from bot.cli import main
from bot.commits.local import (
    commit_evidence,
    facts_by_fetch,
    facts_from_clone,
    local_commit_facts,
)
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
from tests.commit_fixtures import entry, library

MISSING = "d" * 40


@dataclass(frozen=True)
class Upstream:
    path: Path
    tarball_added: str  # adds img/rootfs.tar.xz
    tarball_rewritten: str  # modifies it: CI's "modified binary file"
    on_dist: str  # the head of refs/heads/dist
    only_on_other: str  # on refs/heads/other, not on dist

    @property
    def url(self) -> str:
        return self.path.as_uri()


def git(repo: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.org",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.org",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env
    ).stdout.strip()


def commit_file(repo: Path, path: str, data: bytes, message: str) -> str:
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_bytes(data)
    git(repo, "add", path)
    git(repo, "commit", "--quiet", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def upstream(tmp_path_factory: pytest.TempPathFactory) -> Upstream:
    repo = tmp_path_factory.mktemp("upstream")
    git(repo, "init", "--quiet", "--initial-branch=dist")
    noise = random.Random(7)
    commit_file(repo, "img/Dockerfile", b"FROM scratch\nADD rootfs.tar.xz /\n", "Dockerfile")
    added = commit_file(repo, "img/rootfs.tar.xz", noise.randbytes(4 * MIB), "rootfs")
    git(repo, "tag", "-a", "v1", "-m", "v1")
    rewritten = commit_file(repo, "img/rootfs.tar.xz", noise.randbytes(4 * MIB + 100), "rootfs again")
    on_dist = commit_file(repo, "img/README", b"readme\n", "readme")
    git(repo, "checkout", "--quiet", "-b", "other")
    only_on_other = commit_file(repo, "img/README", b"other\n", "elsewhere")
    git(repo, "checkout", "--quiet", "dist")
    return Upstream(repo, added, rewritten, on_dist, only_on_other)


def check(upstream: Upstream, commit: str, fetch: str = "refs/heads/dist", dirs=("img",)) -> CommitCheck:
    return CommitCheck(CommitRef(upstream.url, fetch, commit), (), tuple(dirs))


REWRITE = "img/rootfs.tar.xz"


@pytest.fixture(params=["clone", "fetch"])
def facts_of(request: pytest.FixtureRequest, upstream: Upstream, tmp_path: Path):
    """The same questions answered from the clone itself and from a fetch into an empty cache."""
    if request.param == "clone":
        return lambda c: facts_from_clone(upstream.path, c)
    return lambda c: facts_by_fetch(tmp_path / "cache", c)


def test_a_commit_on_its_branch_is_contained_and_its_tarball_rewrite_is_found(facts_of, upstream):
    facts = facts_of(check(upstream, upstream.on_dist))
    assert facts == CommitFacts(
        tarball_changes=(TarballChange(upstream.tarball_rewritten, REWRITE, 4 * MIB + 100),)
    )


def test_tarball_history_is_only_read_for_the_directories_asked(facts_of, upstream):
    assert facts_of(check(upstream, upstream.on_dist, dirs=())) == CommitFacts()
    assert facts_of(check(upstream, upstream.on_dist, dirs=("other",))) == CommitFacts()


def test_a_commit_only_on_another_branch_is_not_contained(facts_of, upstream):
    facts = facts_of(check(upstream, upstream.only_on_other, dirs=()))
    assert facts == CommitFacts(contained=False)


def test_a_missing_tag_is_reported_and_an_annotated_tag_is_peeled(facts_of, upstream):
    assert facts_of(check(upstream, upstream.on_dist, "refs/tags/v9", dirs=())).ref_exists is False
    assert facts_of(check(upstream, upstream.tarball_added, "refs/tags/v1")) == CommitFacts()


def test_a_missing_commit_is_reported(facts_of, upstream):
    facts = facts_of(check(upstream, MISSING))
    assert (facts.commit_exists, facts.ref_exists, facts.unchecked) == (False, True, None)


def test_a_folder_that_is_not_a_clone_and_an_unreachable_url_are_not_checked(upstream, tmp_path):
    facts = facts_from_clone(tmp_path, check(upstream, upstream.on_dist))
    assert facts.unchecked is not None and "is not a git clone" in facts.unchecked
    gone = CommitCheck(CommitRef((tmp_path / "nowhere").as_uri(), "refs/heads/dist", MISSING), ())
    facts = facts_by_fetch(tmp_path / "cache", gone)
    assert facts.unchecked is not None and "could not reach" in facts.unchecked


def test_sources_are_matched_after_normalising_and_others_need_fetch(upstream, tmp_path):
    head = library(
        entry(5, ("1",), upstream.only_on_other, repo=upstream.url + ".git/", directory="img"),
        entry(20, ("2",), upstream.on_dist, repo="https://example.org/elsewhere.git"),
    )
    checks = plan_commit_checks([(None, head)], lambda source: source.directory == "img")
    facts = local_commit_facts(checks, {upstream.url: upstream.path}, fetch=False, cache_dir=tmp_path)
    found = sorted((f.rule, f.line) for f in commit_findings(checks, facts))
    # on another branch (C001), a rewritten tarball in its history (C004), and the other repo unchecked
    assert found == [("DOI-C001", 9), ("DOI-C004", 9), ("DOI-C005", 24)]


def test_commit_evidence_for_a_local_change_reads_the_source_clone(upstream, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    base = f"Maintainers: A <a@example.org> (@a)\nGitRepo: {upstream.url}\nGitFetch: refs/heads/dist\n\n"
    base += f"Tags: 1\nGitCommit: {upstream.on_dist}\nDirectory: img\n"
    head = base.replace(upstream.on_dist, upstream.only_on_other)
    changed = ChangedFile("library/img", "modified", base.encode(), head.encode())
    pr = PullRequest("checkout", "official-images", None, "bump", "h" * 40, "b" * 40, (changed,))
    ref = CommitRef(upstream.url, "refs/heads/dist", upstream.only_on_other)
    with_clone = commit_evidence(pr, {}, CheckOptions(sources={upstream.url: upstream.path}))
    assert with_clone == {ref: CommitFacts(contained=False)}
    offline = commit_evidence(pr, {}, CheckOptions())
    assert offline[ref].unchecked == f"run with --source {upstream.url}=DIR or --fetch to check them"
    assert commit_evidence(pr, {}, CheckOptions(fetch=True)) == with_clone


def test_check_base_reviews_the_bumped_commit_against_a_source_clone(upstream, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    checkout = tmp_path / "official-images"
    git(checkout.parent, "init", "--quiet", str(checkout))
    library = f"Maintainers: A <a@example.org> (@a)\nGitRepo: {upstream.url}\nGitFetch: refs/heads/dist\n\n"
    library += f"Tags: 1\nGitCommit: {upstream.on_dist}\nDirectory: img\n"
    commit_file(checkout, "library/img", library.encode(), "img")
    bumped = library.replace(upstream.on_dist, upstream.only_on_other).replace("Tags: 1", "Tags: 2")
    commit_file(checkout, "library/img", bumped.encode(), "bump img")

    def check(*options: str) -> tuple[int, list[tuple[str, str, int]]]:
        code = main(["check", "--format", "json", "--base", "HEAD~1", *options, str(checkout)])
        found = json.loads(capsys.readouterr().out)["findings"]
        return code, [(f["rule"], f["path"], f["line"]) for f in found]

    where = str(checkout / "library" / "img")
    # the Dockerfile read from the clone says FROM scratch, so the tarball rewritten in its history counts too
    assert check("--source", f"{upstream.url}={upstream.path}") == (
        1,
        [("DOI-C001", where, 6), ("DOI-C004", where, 6)],
    )
    assert check() == (0, [("DOI-C005", where, 6)])
