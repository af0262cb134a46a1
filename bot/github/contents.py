"""Files at a commit through the contents API, cached forever: a commit's content never changes."""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import cachetools
import gidgethub

from bot.github.client import GitHubClient

REPOSITORY_TTL = 600  # seconds


class ContentsSource:
    """Reads files of GitHub repositories at commits, each at most once per process."""

    def __init__(self, maxsize: int = 20000) -> None:
        # (owner/name, commit, path) -> bytes, or None when the file is not there at that commit
        self._cache: cachetools.LRUCache[tuple[str, str, str], bytes | None] = cachetools.LRUCache(maxsize)
        self._inflight: dict[tuple[str, str, str], asyncio.Future[bytes | None]] = {}
        # (owner/name, sha) -> a folder's file paths; a tree sha names its content, so this never goes stale
        self._trees: cachetools.LRUCache[tuple[str, str], list[str]] = cachetools.LRUCache(2000)
        # (owner/name, blob sha) -> a file's bytes
        self._blobs: cachetools.LRUCache[tuple[str, str], bytes] = cachetools.LRUCache(maxsize)
        # (owner/name, commit) -> every file at the commit, path -> blob sha
        self._commits: cachetools.LRUCache[tuple[str, str], dict[str, str]] = cachetools.LRUCache(200)
        # owner/name -> whether GitHub shows the repository; a repository may appear later, so not forever
        self._repositories: cachetools.TTLCache[str, bool] = cachetools.TTLCache(2000, ttl=REPOSITORY_TTL)

    async def repository_exists(self, gh: GitHubClient, repository: str) -> bool:
        """Whether GitHub shows the repository at all: a file answered 404 may be missing from the commit, or
        the whole repository may be (mistyped, private, or not on this GitHub)."""
        key = repository.lower()
        if key not in self._repositories:
            try:
                await gh.getitem(f"/repos/{repository}")
                self._repositories[key] = True
            except gidgethub.BadRequest as exc:
                if exc.status_code != 404:
                    raise
                self._repositories[key] = False
        return self._repositories[key]

    async def read(self, gh: GitHubClient, repository: str, commit: str, path: str) -> bytes | None:
        key = (repository.lower(), commit, path)
        if key in self._cache:
            return self._cache[key]
        if key in self._inflight:  # two jobs asking at once make one request
            return await asyncio.shield(self._inflight[key])
        future: asyncio.Future[bytes | None] = asyncio.get_running_loop().create_future()
        self._inflight[key] = future
        try:
            data = await self._fetch(gh, repository, commit, path)
            self._cache[key] = data
            future.set_result(data)
            return data
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # marks it retrieved when nobody else waits
            raise
        finally:
            del self._inflight[key]

    @staticmethod
    async def _contents(gh: GitHubClient, repository: str, commit: str, path: str) -> Any:
        """The contents API's answer for `path` at `commit` (a file or a folder listing); None if absent."""
        try:
            return await gh.getitem(
                f"/repos/{repository}/contents/{{+path}}{{?ref}}", {"path": path, "ref": commit}
            )
        except gidgethub.BadRequest as exc:
            if exc.status_code == 404:
                return None
            raise

    async def _fetch(self, gh: GitHubClient, repository: str, commit: str, path: str) -> bytes | None:
        answer = await self._contents(gh, repository, commit, path)
        if not isinstance(answer, dict) or answer.get("type") != "file":
            return None  # a directory or a submodule is not a file to read
        return base64.b64decode(answer.get("content", ""))

    async def files_under(
        self, gh: GitHubClient, repository: str, commit: str, folder: str
    ) -> list[str] | None:
        """Paths of every file under `folder` at `commit`, relative to it; None when there is no such folder.
        One listing per commit, and each subfolder's tree once ever (a tree sha names its content)."""
        listing = await self._contents(gh, repository, commit, folder)
        if not isinstance(listing, list):
            return None
        files: list[str] = []
        for item in listing:
            if item.get("type") == "file":
                files.append(item["name"])
            elif item.get("type") == "dir":
                key = (repository.lower(), item["sha"])
                if key not in self._trees:
                    tree = await gh.getitem(f"/repos/{repository}/git/trees/{item['sha']}?recursive=1")
                    self._trees[key] = [t["path"] for t in tree.get("tree", []) if t.get("type") == "blob"]
                files.extend(f"{item['name']}/{path}" for path in self._trees[key])
        return files

    async def files_at(self, gh: GitHubClient, repository: str, commit: str) -> dict[str, str]:
        """Every file at `commit` (path -> blob sha), in one call per commit."""
        key = (repository.lower(), commit)
        if key not in self._commits:
            tree = await gh.getitem(f"/repos/{repository}/git/trees/{commit}?recursive=1")
            self._commits[key] = {
                t["path"]: t["sha"] for t in tree.get("tree", []) if t.get("type") == "blob"
            }
        return self._commits[key]

    async def blob(self, gh: GitHubClient, repository: str, sha: str) -> bytes:
        """A file's bytes by its blob sha: read once ever, since the sha names the content."""
        key = (repository.lower(), sha)
        if key not in self._blobs:
            answer = await gh.getitem(f"/repos/{repository}/git/blobs/{sha}")
            self._blobs[key] = base64.b64decode(answer.get("content", ""))
        return self._blobs[key]
