"""Commit facts through the GitHub REST API, for the App: the questions of CI's naughty-commits check, asked
with a handful of calls, run concurrently, and cached as long as their answers cannot change.

- GitFetch's head: `GET /repos/{o}/{r}/git/ref/{heads|tags}/{name}`, asked every time since branches move;
- ancestry and existence at once: `GET /repos/{o}/{r}/compare/{head}...{sha}` (`behind` or `identical`:
  contained; 404: no such commit), cached per (commit, head of the ref), and not asked at all when the
  commit is the ref's head;
- commit existence alone, `GET /repos/{o}/{r}/commits/{sha}`, only when GitFetch names nothing to compare;
- tarball history, for `FROM scratch` / oci-import entries only: `GET /repos/{o}/{r}/commits?sha=&path=`,
  each listed commit's files, and the directory listing for sizes, all cached forever.
`/doi-bot recheck` passes `fresh=True`: every answer is asked again (and cached again).
"""

from __future__ import annotations

import asyncio
import http
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import aiohttp
from cachetools import LRUCache
from gidgethub import BadRequest, GitHubException, HTTPException

from bot.review.commits import commit_checks
from bot.review.model import PullRequest, UpstreamRef
from rules.commits import CommitCheck, CommitFacts, CommitRef, TarballChange, is_tarball_path

# The commits touching a base image's directory, read for tarball rewrites: one page of the commits API.
MAX_HISTORY = 100
# Requests in flight at once for one review: concurrent, yet far from GitHub's secondary rate limits.
MAX_CONCURRENT = 8
CACHE_ENTRIES = 20_000
_MISSING_COMMIT = {http.HTTPStatus.NOT_FOUND, http.HTTPStatus.UNPROCESSABLE_ENTITY}
_MISSING_REF = {http.HTTPStatus.NOT_FOUND, http.HTTPStatus.CONFLICT}  # 409: an empty repository


class GitHubReader(Protocol):
    """The part of gidgethub's `GitHubAPI` these facts need."""

    async def getitem(self, url: str, url_vars: Mapping[str, Any] | None = ..., **kwargs: Any) -> Any: ...

    def getiter(
        self, url: str, url_vars: Mapping[str, Any] | None = ..., **kwargs: Any
    ) -> AsyncIterator[Any]: ...


@dataclass(frozen=True, slots=True)
class ChangedFile:
    """One file of one commit, as far as tarball history needs it."""

    path: str
    status: str  # GitHub's: added, removed, modified, renamed, copied, changed, unchanged
    binary: bool  # GitHub gives no `patch` for binary files

    @property
    def rewritten(self) -> bool:
        """CI's `--diff-filter=MT` (a deletion leaves no size to count)."""
        return self.status in ("modified", "changed")


class NotChecked(Exception):
    """GitHub could not answer (an outage, the rate limit, a timeout): the facts are unknown."""


class GitHubCommitFacts:
    """Facts for the App's reviews, with caches that live as long as the process."""

    def __init__(self, cache_entries: int = CACHE_ENTRIES) -> None:
        # (owner, name, sha) -> its files; only commits that exist are kept
        self.commits: LRUCache[Hashable, tuple[ChangedFile, ...]] = LRUCache(cache_entries)
        # (owner, name, sha, ref head) -> whether the ref's head contains the commit
        self.ancestry: LRUCache[Hashable, bool] = LRUCache(cache_entries)
        # (owner, name, sha, directory) -> the commits in sha's history that touched the directory
        self.history: LRUCache[Hashable, tuple[str, ...]] = LRUCache(cache_entries)
        # (owner, name, sha, directory) -> file sizes in that directory at that commit
        self.sizes: LRUCache[Hashable, dict[str, int]] = LRUCache(cache_entries)

    async def gather(
        self, gh: GitHubReader, checks: Sequence[CommitCheck], *, fresh: bool = False
    ) -> dict[CommitRef, CommitFacts]:
        """Facts for every check, fetched concurrently; `fresh` (a recheck) ignores what is cached."""
        lookup = _Lookup(self, gh, fresh)
        facts = await asyncio.gather(*(lookup.facts(check) for check in checks))
        return {check.ref: fact for check, fact in zip(checks, facts, strict=True)}

    async def for_pull_request(
        self,
        gh: GitHubReader,
        pr: PullRequest,
        dockerfiles: Mapping[UpstreamRef, bytes | None],
        *,
        fresh: bool = False,
    ) -> dict[CommitRef, CommitFacts]:
        """`Evidence.commit_facts` for a pull request, once its upstream Dockerfiles are fetched."""
        return await self.gather(gh, commit_checks(pr, dockerfiles), fresh=fresh)


class _Lookup:
    """One review's questions: each distinct call is made at most once, even when triples share it."""

    def __init__(self, caches: GitHubCommitFacts, gh: GitHubReader, fresh: bool) -> None:
        self.caches = caches
        self.gh = gh
        self.fresh = fresh
        self._running: dict[Hashable, asyncio.Task[Any]] = {}
        self._slots = asyncio.Semaphore(MAX_CONCURRENT)

    async def facts(self, check: CommitCheck) -> CommitFacts:
        ref = check.ref
        repo = ref.github
        if repo is None:
            return CommitFacts.not_checked(f"{ref.git_repo} is not on GitHub, so doi-bot cannot read it")
        try:
            head = await self.ref_head(repo, ref)
            if head is None:
                # nothing to compare with: whether the commit exists is asked only to say what else is wrong
                exists = await self.commit_files(repo, ref.git_commit) is not None
                if not exists and not await self.repository_exists(repo):
                    return CommitFacts.not_checked(f"GitHub shows no repository {repo[0]}/{repo[1]}")
                return CommitFacts(commit_exists=exists, ref_exists=False, contained=False)
            contained, tarballs = await asyncio.gather(
                self.contained(repo, ref, head),
                self.tarball_changes(repo, ref.git_commit, check.tarball_dirs),
                return_exceptions=True,
            )
            if contained is None:  # no such commit: its history could not be listed either
                return CommitFacts(commit_exists=False, contained=False)
            for failed in (contained, tarballs):
                if isinstance(failed, BaseException):
                    raise failed
        except NotChecked as exc:
            return CommitFacts.not_checked(str(exc))
        assert isinstance(contained, bool) and isinstance(tarballs, tuple)
        return CommitFacts(contained=contained, tarball_changes=tarballs)

    async def once(
        self, cache: LRUCache[Hashable, Any] | None, key: Hashable, fetch: Callable[[], Awaitable[Any]]
    ) -> Any:
        """The cached answer (unless fresh), else one shared request per key for this review."""
        if cache is not None and not self.fresh and key in cache:
            return cache[key]
        if key not in self._running:
            self._running[key] = asyncio.ensure_future(fetch())
        answer = await self._running[key]
        if cache is not None and answer is not None:  # a missing commit may be pushed later: never cached
            cache[key] = answer
        return answer

    async def commit_files(self, repo: tuple[str, str], sha: str) -> tuple[ChangedFile, ...] | None:
        """The commit's files, or None when GitHub has no such commit."""

        async def fetch() -> tuple[ChangedFile, ...] | None:
            try:
                data = await self.get("/repos/{owner}/{repo}/commits/{sha}", repo, sha=sha)
            except BadRequest as exc:
                if exc.status_code in _MISSING_COMMIT:
                    return None
                raise
            return tuple(
                ChangedFile(f["filename"], f.get("status", ""), "patch" not in f)
                for f in data.get("files", [])
            )

        return await self.once(self.caches.commits, ("commit", *repo, sha), _guarded(fetch, f"commit {sha}"))

    async def repository_exists(self, repo: tuple[str, str]) -> bool:
        """Asked only when neither GitFetch nor GitCommit is there: a mistyped, private or absent repository
        leaves every fact unknown rather than wrong."""

        async def fetch() -> bool:
            try:
                await self.get("/repos/{owner}/{repo}", repo)
            except BadRequest as exc:
                if exc.status_code == http.HTTPStatus.NOT_FOUND:
                    return False
                raise
            return True

        return await self.once(None, ("repository", *repo), _guarded(fetch, f"{repo[0]}/{repo[1]}"))

    async def ref_head(self, repo: tuple[str, str], ref: CommitRef) -> tuple[str, str] | None:
        """(sha, object type) of GitFetch's head, or None when the branch or tag does not exist."""

        async def fetch() -> tuple[str, str] | None:
            try:
                data = await self.get(
                    "/repos/{owner}/{repo}/git/ref/{+ref}", repo, ref=ref.git_fetch.removeprefix("refs/")
                )
            except BadRequest as exc:
                if exc.status_code in _MISSING_REF:
                    return None
                raise
            return data["object"]["sha"], data["object"]["type"]

        return await self.once(None, ("ref", *repo, ref.git_fetch), _guarded(fetch, ref.git_fetch))

    async def contained(self, repo: tuple[str, str], ref: CommitRef, head: tuple[str, str]) -> bool | None:
        """Whether the ref's head contains the commit; None when GitHub has no such commit."""
        head_sha, kind = head
        if head_sha == ref.git_commit:
            return True
        # An annotated tag's object is the tag, not a commit: compare from its name instead.
        base = head_sha if kind == "commit" else ref.ref_name

        async def fetch() -> bool | None:
            try:
                data = await self.get(
                    "/repos/{owner}/{repo}/compare/{+basehead}{?per_page}",
                    repo,
                    basehead=f"{base}...{ref.git_commit}",
                    per_page=1,
                )
            except BadRequest as exc:
                if exc.status_code in _MISSING_COMMIT:
                    return None
                raise
            return data.get("status") in ("behind", "identical")

        key = ("ancestry", *repo, ref.git_commit, head_sha)
        return await self.once(
            self.caches.ancestry, key, _guarded(fetch, f"{ref.git_fetch}...{ref.git_commit}")
        )

    async def tarball_changes(
        self, repo: tuple[str, str], sha: str, directories: Sequence[str]
    ) -> tuple[TarballChange, ...]:
        if not directories:
            return ()
        histories = await asyncio.gather(*(self.history(repo, sha, d) for d in directories))
        commits = list(dict.fromkeys(c for history in histories for c in history))
        files = await asyncio.gather(*(self.commit_files(repo, c) for c in commits))
        rewrites = [
            (commit, f.path)
            for commit, changed in zip(commits, files, strict=True)
            for f in changed or ()
            if f.rewritten and f.binary and any(is_tarball_path(f.path, d) for d in directories)
        ]
        sizes = await asyncio.gather(*(self.size(repo, commit, path) for commit, path in rewrites))
        return tuple(TarballChange(c, p, s) for (c, p), s in zip(rewrites, sizes, strict=True))

    async def history(self, repo: tuple[str, str], sha: str, directory: str) -> tuple[str, ...]:
        async def fetch() -> tuple[str, ...]:
            path = None if directory in ("", ".") else directory
            found: list[str] = []
            commits = self.gh.getiter(
                "/repos/{owner}/{repo}/commits{?sha,path,per_page}",
                {"owner": repo[0], "repo": repo[1], "sha": sha, "path": path, "per_page": MAX_HISTORY},
            )
            async with self._slots:
                async for commit in commits:
                    found.append(commit["sha"])
                    if len(found) == MAX_HISTORY:
                        break
            return tuple(found)

        key = ("history", *repo, sha, directory)
        return await self.once(self.caches.history, key, _guarded(fetch, f"the history of {directory}"))

    async def size(self, repo: tuple[str, str], commit: str, path: str) -> int:
        """The file's size after `commit`, from a listing of its directory (GitHub gives commits no sizes)."""
        directory = path.rpartition("/")[0]

        async def fetch() -> dict[str, int]:
            listing = await self.get(
                "/repos/{owner}/{repo}/contents/{+path}{?ref}", repo, path=directory, ref=commit
            )
            return {item["path"]: int(item.get("size", 0)) for item in listing if isinstance(item, dict)}

        key = ("sizes", *repo, commit, directory)
        sizes = await self.once(self.caches.sizes, key, _guarded(fetch, f"{directory or '/'} at {commit}"))
        return sizes.get(path, 0)

    async def get(self, url: str, repo: tuple[str, str], **url_vars: Any) -> Any:
        async with self._slots:
            return await self.gh.getitem(url, {"owner": repo[0], "repo": repo[1], **url_vars})


def _guarded(fetch: Callable[[], Awaitable[Any]], what: str) -> Callable[[], Awaitable[Any]]:
    """GitHub failing (not answering "no") makes the facts unknown, never a crashed review."""

    async def guarded() -> Any:
        try:
            return await fetch()
        except HTTPException as exc:
            raise NotChecked(f"GitHub answered {int(exc.status_code)} when doi-bot asked for {what}") from exc
        except (GitHubException, aiohttp.ClientError, TimeoutError) as exc:
            raise NotChecked(
                f"GitHub did not answer when doi-bot asked for {what} ({type(exc).__name__})"
            ) from exc

    return guarded
