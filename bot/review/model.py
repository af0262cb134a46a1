"""The data a review is built from and the review itself: plain values shared by the CLI and the App."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from rules.commits import CommitFacts, CommitRef
from rules.findings import Finding

RepoKind = Literal["official-images", "docs"]
FileStatus = Literal["added", "modified", "removed", "renamed"]
Conclusion = Literal["success", "neutral", "failure"]
Gate = Literal["pending", "approved", "gated"]


@dataclass(frozen=True, slots=True)
class ChangedFile:
    path: str
    status: FileStatus
    base: bytes | None  # None when the file is added
    head: bytes | None  # None when the file is removed
    patch: str | None = None  # the unified-diff hunks, as GitHub's files API gives them
    previous_path: str | None = None


@dataclass(frozen=True, slots=True)
class PullRequest:
    repository: str  # "owner/name"
    kind: RepoKind
    number: int | None
    title: str
    head_sha: str
    base_sha: str
    files: tuple[ChangedFile, ...] = ()
    author: str = ""
    body: str = ""


# (GitRepo as written in the library file, GitCommit, path inside the repository)
UpstreamRef = tuple[str, str, str]


@dataclass(frozen=True)
class Evidence:
    """What the I/O layer fetched for the rules before the review is built. A piece that is missing was not
    fetched (and the review says so once); nothing here is fetched lazily."""

    # upstream file texts; None means fetched and not found at that commit
    dockerfiles: Mapping[UpstreamRef, bytes | None] = field(default_factory=dict)
    # library files at the pull request's head (or the checkout), by image name: parents' architectures
    libraries: Mapping[str, bytes] = field(default_factory=dict)
    # image names looked up at head for which official-images has no library file (a base that does not exist)
    absent_libraries: frozenset[str] = frozenset()
    # "registry/repo:tag" pinned in official-images' .external-pins/
    external_pins: frozenset[str] = frozenset()
    # images of the other repository (docs folders for official-images and the reverse); None: unknown
    known_images: frozenset[str] | None = None
    # sentences for the summary: what could not be checked and why
    unchecked: tuple[str, ...] = ()
    # docs pull requests: files at the head by path (git symlinks as their link text): every file of each
    # changed image folder, the root metadata.json, .template-helpers/ and .common-templates/; a changed
    # folder whose files are not here is judged file by file
    docs_files: Mapping[str, bytes] = field(default_factory=dict)
    # facts about each changed (GitRepo, GitFetch, GitCommit); None: commits were not asked about at all
    commit_facts: Mapping[CommitRef, CommitFacts] | None = None


@dataclass(frozen=True, slots=True)
class InlineComment:
    path: str
    line: int
    body: str

    def to_json(self) -> dict[str, Any]:
        return {"path": self.path, "line": self.line, "body": self.body}


@dataclass(frozen=True, slots=True)
class Review:
    summary: str  # Markdown, at most 65,535 characters
    findings: tuple[Finding, ...]
    comments: tuple[InlineComment, ...]
    labels: tuple[str, ...]
    conclusion: Conclusion
    gate: Gate | None = None
    new_images: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary,
            "findings": [f.to_json() for f in self.findings],
            "comments": [c.to_json() for c in self.comments],
            "labels": list(self.labels),
            "conclusion": self.conclusion,
            "gate": self.gate,
        }
