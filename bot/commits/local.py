"""Commit facts from git on this machine, for `doi-bot check`: a `--source` clone or a `--fetch` cache.

The same questions official-images CI asks in `naughty-commits.sh`, with plain git: does the commit exist,
does GitFetch exist, is the commit an ancestor of GitFetch's head, and which commits in its history
modified a binary *.tar* file (and how large it was after that commit).
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from bot.checks import CheckOptions
from bot.review.commits import commit_checks
from bot.review.model import PullRequest, UpstreamRef
from bot.sources.fetch import cache_root, fetch_url
from bot.sources.git import git
from rules.commits import CommitCheck, CommitFacts, CommitRef, TarballChange, tarball_pathspec
from rules.policy.upstream import normalise_repo_url

FETCH_TIMEOUT_SECONDS = 300


class GitFailed(Exception):
    """git could not answer (not a repository, a crash, a timeout): the facts are unknown, not negative."""


class GitRepository:
    """A git directory on this machine: a clone, or doi-bot's bare fetch cache for one upstream."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
        done = git(self.path, *args, timeout=timeout)
        stdout, stderr = (out.decode("utf-8", "replace") for out in (done.stdout, done.stderr))
        return subprocess.CompletedProcess(done.args, done.returncode, stdout, stderr)

    def output(self, *args: str) -> str:
        done = self.run(*args)
        if done.returncode != 0:
            raise GitFailed(_first_line(done.stderr) or f"git {args[0]} exited {done.returncode}")
        return done.stdout

    def is_repository(self) -> bool:
        return self.path.is_dir() and self.run("rev-parse", "--git-dir").returncode == 0

    def has_commit(self, sha: str) -> bool:
        return self.run("cat-file", "-e", f"{sha}^{{commit}}").returncode == 0

    def resolve(self, rev: str) -> str | None:
        done = self.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
        return done.stdout.strip() if done.returncode == 0 else None

    def ref_head(self, ref: str) -> str | None:
        """The commit GitFetch names here; in a clone, a branch may exist only as origin's remote branch."""
        candidates = [ref]
        if ref.startswith("refs/heads/"):
            candidates.append("refs/remotes/origin/" + ref.removeprefix("refs/heads/"))
        for candidate in candidates:
            if head := self.resolve(candidate):
                return head
        return None

    def is_ancestor(self, sha: str, head: str) -> bool:
        done = self.run("merge-base", "--is-ancestor", sha, head)
        if done.returncode not in (0, 1):
            raise GitFailed(_first_line(done.stderr) or "git merge-base failed")
        return done.returncode == 0

    def tarball_changes(self, sha: str, directories: Sequence[str]) -> tuple[TarballChange, ...]:
        """Every commit in `sha`'s history that modified a binary *.tar* file under `directories`."""
        if not directories:
            return ()
        specs = [tarball_pathspec(d) for d in directories]
        commits = self.output("log", "--format=%H", "--diff-filter=DMT", sha, "--", *specs).split()
        changes: list[TarballChange] = []
        for commit in commits:
            numstat = self.output(
                "diff-tree", "--no-commit-id", "-r", "--numstat", "--diff-filter=MT", commit, "--", *specs
            )
            for line in numstat.splitlines():
                added, _, rest = line.partition("\t")
                _, _, path = rest.partition("\t")
                if added == "-":  # numstat's mark for a binary file
                    size = int(self.output("cat-file", "-s", f"{commit}:{path}").strip())
                    changes.append(TarballChange(commit, path, size))
        return tuple(changes)

    def facts(self, check: CommitCheck, head: str | None) -> CommitFacts:
        """The facts once GitFetch's head (None: GitFetch does not exist) and the commit are here."""
        sha = check.ref.git_commit
        exists = self.has_commit(sha)
        return CommitFacts(
            commit_exists=exists,
            ref_exists=head is not None,
            contained=exists and head is not None and self.is_ancestor(sha, head),
            tarball_changes=self.tarball_changes(sha, check.tarball_dirs) if exists else (),
        )


def facts_from_clone(clone: Path, check: CommitCheck) -> CommitFacts:
    """Facts from a clone given with `--source`, as it is (no network)."""
    repo = GitRepository(clone)
    if not repo.is_repository():
        return CommitFacts.not_checked(
            f"{clone} (given with --source for {check.ref.git_repo}) is not a git clone"
        )
    try:
        return repo.facts(check, repo.ref_head(check.ref.git_fetch))
    except GitFailed as exc:
        return CommitFacts.not_checked(f"git could not read {clone} ({exc})")


def facts_by_fetch(cache_dir: Path, check: CommitCheck) -> CommitFacts:
    """Facts after fetching GitFetch (and, if it is not on it, the commit itself) into a bare cache."""
    url, ref = fetch_url(check.ref.git_repo), check.ref.git_fetch
    repo = GitRepository(cache_dir / hashlib.sha256(url.encode()).hexdigest()[:24])
    try:
        if not repo.is_repository():
            repo.path.mkdir(parents=True, exist_ok=True)
            repo.output("init", "--quiet", "--bare")
        listed = repo.run("ls-remote", "--", url, ref, timeout=FETCH_TIMEOUT_SECONDS)
        if listed.returncode != 0:
            return CommitFacts.not_checked(f"git could not reach {url} ({_first_line(listed.stderr)})")
        head = None
        if listed.stdout.strip():
            _fetch(repo, url, ref)
            head = repo.resolve("FETCH_HEAD")
        if not repo.has_commit(check.ref.git_commit):
            # bashbrew fetches the commit by its SHA first; a server may refuse, which leaves it missing
            repo.run(
                "fetch", "--quiet", "--no-tags", url, check.ref.git_commit, timeout=FETCH_TIMEOUT_SECONDS
            )
        return repo.facts(check, head)
    except GitFailed as exc:
        return CommitFacts.not_checked(f"git could not fetch {url} ({exc})")


def _fetch(repo: GitRepository, url: str, ref: str) -> None:
    done = repo.run("fetch", "--quiet", "--no-tags", url, ref, timeout=FETCH_TIMEOUT_SECONDS)
    if done.returncode != 0:
        raise GitFailed(_first_line(done.stderr) or "git fetch failed")


def commit_evidence(
    pr: PullRequest, dockerfiles: Mapping[UpstreamRef, bytes | None], options: CheckOptions
) -> dict[CommitRef, CommitFacts]:
    """`Evidence.commit_facts` for `doi-bot check --base`: without --source or --fetch, no network."""
    checks = commit_checks(pr, dockerfiles)
    cache_dir = cache_root() / "commits"
    return local_commit_facts(checks, options.sources, fetch=options.fetch, cache_dir=cache_dir)


def local_commit_facts(
    checks: Sequence[CommitCheck], sources: Mapping[str, Path], *, fetch: bool, cache_dir: Path
) -> dict[CommitRef, CommitFacts]:
    """Facts for each check: from its `--source` clone, else by fetching (only with `--fetch`)."""
    clones = {normalise_repo_url(url): folder for url, folder in sources.items()}
    facts: dict[CommitRef, CommitFacts] = {}
    for check in checks:
        clone = clones.get(normalise_repo_url(check.ref.git_repo))
        if clone is not None:
            facts[check.ref] = facts_from_clone(clone, check)
        elif fetch:
            facts[check.ref] = facts_by_fetch(cache_dir, check)
        else:
            facts[check.ref] = CommitFacts.not_checked(
                f"run with --source {check.ref.git_repo}=DIR or --fetch to check them", by_choice=True
            )
    return facts


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")
