"""The data a review is built from and the review itself: plain values shared by the CLI and the App."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

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
