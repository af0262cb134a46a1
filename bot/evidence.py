"""Fetching what a review reads: the pull request's changed files with their base and head texts, and the
upstream Dockerfiles and parent library files a planner asks for; all fetched before the rules run."""

from __future__ import annotations

import asyncio
import dataclasses
import http
import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, Protocol

import gidgethub

from bot.checks.docs import TEMPLATE_FOLDERS
from bot.commits.github import GitHubCommitFacts
from bot.config import BotConfig
from bot.github.client import GitHubClient
from bot.github.contents import ContentsSource
from bot.review.docs import changed_folders
from bot.review.model import ChangedFile, Evidence, FileStatus, PullRequest, RepoKind, UpstreamRef
from rules.dockerfile.images import PINS, pins_from_file_names
from rules.docs.logo import LOGOS_TABLE
from rules.github_repo import github_repository

log = logging.getLogger(__name__)

MAX_FILES = 3000  # GitHub lists at most 3,000 files of a pull request
MAX_TEXTS = 300  # changed files whose texts are read; more are listed as not checked
PARALLEL_READS = 10
_STATUS: dict[str, FileStatus] = {
    "added": "added",
    "copied": "added",
    "removed": "removed",
    "renamed": "renamed",
}


class EvidencePlanner(Protocol):
    """Which upstream files a review needs. The Dockerfile checks provide the real planner (the Dockerfiles of
    the changed entries, then the library files of their parents); the pipeline only fetches."""

    def upstream_files(self, pr: PullRequest) -> Iterable[UpstreamRef]: ...

    def parent_libraries(
        self, pr: PullRequest, dockerfiles: Mapping[UpstreamRef, bytes | None]
    ) -> Iterable[str]: ...


# One area's extra evidence, fetched after the upstream files: returns Evidence fields to set, e.g.
# `{"commit_facts": ...}`. Steps run side by side; each sees the evidence gathered before them. The last
# argument, `fresh`, is true when the review was asked for again (`/doi-bot recheck`, a re-run): answers a
# step caches because they rarely change (a branch's history) are asked again.
EvidenceStep = Callable[[GitHubClient, PullRequest, Evidence, bool], Awaitable[Mapping[str, Any]]]


def reviewed(kind: RepoKind, path: str) -> bool:
    """Files whose texts the review reads: library files, or files in a docs image folder."""
    if kind == "official-images":
        return path.startswith("library/") and path.count("/") == 1
    return "/" in path and not path.startswith((".", "_"))


async def changed_files(gh: GitHubClient, repository: str, number: int) -> tuple[list[dict[str, Any]], bool]:
    """The files list (paginated) and whether GitHub's cap cut it short."""
    files: list[dict[str, Any]] = []
    async for item in gh.getiter(f"/repos/{repository}/pulls/{number}/files?per_page=100"):
        files.append(item)
        if len(files) >= MAX_FILES:
            return files, True
    return files, False


async def pull_request(
    gh: GitHubClient, contents: ContentsSource, repository: str, kind: RepoKind, pull: Mapping[str, Any]
) -> tuple[PullRequest, list[str]]:
    """The pull request with its reviewed files' texts, and sentences about what was not read."""
    number = int(pull["number"])
    base, head = pull["base"]["sha"], pull["head"]["sha"]
    listed, capped = await changed_files(gh, repository, number)
    unchecked = []
    if capped:
        unchecked.append(f"Only the first {MAX_FILES:,} changed files were reviewed: GitHub lists no more.")
    wanted = [item for item in listed if reviewed(kind, item["filename"])]
    if len(wanted) > MAX_TEXTS:
        unchecked.append(f"Only {MAX_TEXTS} of the {len(wanted):,} changed files were read.")
        wanted = wanted[:MAX_TEXTS]
    limit = asyncio.Semaphore(PARALLEL_READS)

    async def read(commit: str, path: str) -> bytes | None:
        async with limit:
            return await contents.read(gh, repository, commit, path)

    async def changed(item: Mapping[str, Any]) -> ChangedFile:
        status = _STATUS.get(item["status"], "modified")
        path, before = item["filename"], item.get("previous_filename") or item["filename"]
        base_text, head_text = await asyncio.gather(
            read(base, before) if status != "added" else _none(),
            read(head, path) if status != "removed" else _none(),
        )
        return ChangedFile(
            path, status, base_text, head_text, item.get("patch"), item.get("previous_filename")
        )

    files = await asyncio.gather(*(changed(item) for item in wanted))
    pr = PullRequest(
        repository=repository,
        kind=kind,
        number=number,
        title=str(pull.get("title") or ""),
        head_sha=head,
        base_sha=base,
        files=tuple(files),
        author=str((pull.get("user") or {}).get("login", "")),
        body=str(pull.get("body") or ""),
    )
    return pr, unchecked


async def _none() -> None:
    return None


async def evidence(
    gh: GitHubClient,
    contents: ContentsSource,
    pr: PullRequest,
    planner: EvidencePlanner,
    unchecked: list[str],
) -> Evidence:
    limit = asyncio.Semaphore(PARALLEL_READS)
    notes = list(unchecked)
    planned = list(dict.fromkeys(planner.upstream_files(pr)))
    other_hosts = sorted({ref[0] for ref in planned if github_repository(ref[0]) is None})
    if other_hosts:
        notes.append(
            "Dockerfiles outside GitHub were not checked (doi-bot reads upstream files from GitHub only): "
            + ", ".join(other_hosts)
            + "."
        )

    async def upstream(ref: UpstreamRef) -> tuple[UpstreamRef, bytes | None] | None:
        repository = github_repository(ref[0])
        assert repository is not None
        async with limit:
            try:
                text = await contents.read(gh, repository, ref[1], ref[2])
                if text is None and not await contents.repository_exists(gh, repository):
                    # no file because no repository: nothing about the Dockerfile is known, so nothing is said
                    notes.append(f"GitHub shows no repository {repository}, so {ref[0]} could not be read.")
                    return None
                return ref, text
            except gidgethub.BadRequest as exc:  # a private or blocked repository: said once in the summary
                notes.append(f"{ref[0]}@{ref[1]}:{ref[2]} could not be read from GitHub ({exc.status_code}).")
                return None

    refs = [ref for ref in planned if github_repository(ref[0])]
    fetched = [pair for pair in await asyncio.gather(*(upstream(ref) for ref in refs)) if pair is not None]
    dockerfiles = dict(fetched)

    async def library(name: str) -> tuple[str, bytes | None]:
        async with limit:
            return name, await contents.read(gh, pr.repository, pr.head_sha, f"library/{name}")

    parents = list(dict.fromkeys(planner.parent_libraries(pr, dockerfiles)))
    read = dict(await asyncio.gather(*(library(n) for n in parents)))
    libraries = {name: text for name, text in read.items() if text is not None}
    absent = frozenset(name for name, text in read.items() if text is None)
    pins = frozenset()
    if pr.kind == "official-images" and refs:  # pins matter only to Dockerfiles' FROM lines
        try:
            pins = pins_from_file_names(
                await contents.files_under(gh, pr.repository, pr.head_sha, PINS) or []
            )
        except gidgethub.BadRequest as exc:
            notes.append(f"The external pins could not be read ({exc.status_code}).")
    return Evidence(
        dockerfiles=dockerfiles,
        libraries=libraries,
        absent_libraries=absent,
        external_pins=pins,
        unchecked=tuple(notes),
    )


async def extended(
    gh: GitHubClient, pr: PullRequest, found: Evidence, steps: Iterable[EvidenceStep], *, fresh: bool = False
) -> Evidence:
    """`found` with the fields every step adds (the steps run side by side)."""

    refused: list[str] = []

    async def guarded(step: EvidenceStep) -> Mapping[str, Any]:
        try:
            return await step(gh, pr, found, fresh)
        except gidgethub.BadRequest as exc:  # GitHub refused (not there, not allowed): said in the review
            name = getattr(step, "__name__", type(step).__name__)
            log.warning("%s#%s: %s not fetched (%s)", pr.repository, pr.number, name, exc)
            what = getattr(step, "what", "some of what the checks read")
            status = exc.status_code
            refused.append(f"The checks of {what} did not run: GitHub refused to show it ({status}).")
            return {}

    fields: dict[str, Any] = {}
    for added in await asyncio.gather(*(guarded(step) for step in steps)):
        fields.update(added)
    if refused:
        fields["unchecked"] = (*found.unchecked, *refused)
    return dataclasses.replace(found, **fields) if fields else found


class CommitFactsStep:
    """Official-images: the commit facts of the changed entries (GitCommit on GitFetch, tarball history)."""

    what = "the changed entries' commits (GitCommit on GitFetch)"

    def __init__(self) -> None:
        self.facts = GitHubCommitFacts()  # its caches live as long as the process

    async def __call__(
        self, gh: GitHubClient, pr: PullRequest, found: Evidence, fresh: bool
    ) -> Mapping[str, Any]:
        if pr.kind != "official-images":
            return {}
        return {"commit_facts": await self.facts.for_pull_request(gh, pr, found.dockerfiles, fresh=fresh)}


class DocsFilesStep:
    """Docs: every file of each changed image folder and the root files the docs checks read, at the head;
    and the official images, for the cross-checks."""

    what = "the changed docs folders"

    def __init__(self, contents: ContentsSource, config: BotConfig) -> None:
        self.contents = contents
        self.official_images = next(
            (n for n, k in config.repositories.items() if k == "official-images"), None
        )

    async def __call__(
        self, gh: GitHubClient, pr: PullRequest, found: Evidence, fresh: bool
    ) -> Mapping[str, Any]:
        if pr.kind != "docs":
            return {}
        files, known = await asyncio.gather(self.head_files(gh, pr), self.library_images(gh))
        return {"docs_files": files, "known_images": known}

    async def head_files(self, gh: GitHubClient, pr: PullRequest) -> dict[str, bytes]:
        folders = {*changed_folders(pr.files), *TEMPLATE_FOLDERS}
        tree = await self.contents.files_at(gh, pr.repository, pr.head_sha)
        wanted = {
            p: sha
            for p, sha in tree.items()
            if p in ("metadata.json", LOGOS_TABLE) or p.split("/")[0] in folders
        }
        limit = asyncio.Semaphore(PARALLEL_READS)

        async def blob(path: str, sha: str) -> tuple[str, bytes]:
            async with limit:
                return path, await self.contents.blob(gh, pr.repository, sha)

        return dict(await asyncio.gather(*(blob(p, sha) for p, sha in wanted.items())))

    async def library_images(self, gh: GitHubClient) -> frozenset[str] | None:
        if self.official_images is None:
            return None
        try:
            listing = await gh.getitem(f"/repos/{self.official_images}/contents/library")
        except gidgethub.BadRequest:  # the App is not installed there, or it is private: unknown
            return None
        return frozenset(
            i["name"] for i in listing if i.get("type") == "file" and not i["name"].startswith(".")
        )


class DocsFoldersStep:
    """Official-images: whether each added image has its docs folder (`known_images` then holds those of the
    added images that do); one call per added library file, none for a version bump."""

    def __init__(self, config: BotConfig) -> None:
        self.docs = next((n for n, k in config.repositories.items() if k == "docs"), None)

    async def __call__(
        self, gh: GitHubClient, pr: PullRequest, found: Evidence, fresh: bool
    ) -> Mapping[str, Any]:
        added = [f.path.removeprefix("library/") for f in pr.files if f.status == "added"]
        added = [name for name in added if "/" not in name and not name.startswith(".")]
        if pr.kind != "official-images" or not added or self.docs is None:
            return {}
        found_folders = await asyncio.gather(*(self.has_folder(gh, name) for name in added))
        if None in found_folders:
            return {}  # not known for every image: say nothing rather than guess
        return {
            "known_images": frozenset(name for name, has in zip(added, found_folders, strict=True) if has)
        }

    async def has_folder(self, gh: GitHubClient, image: str) -> bool | None:
        try:
            await gh.getitem(f"/repos/{self.docs}/contents/{image}")
        except gidgethub.BadRequest as exc:
            return False if exc.status_code == http.HTTPStatus.NOT_FOUND else None
        return True


def default_steps(contents: ContentsSource, config: BotConfig) -> tuple[EvidenceStep, ...]:
    return (CommitFactsStep(), DocsFilesStep(contents, config), DocsFoldersStep(config))
