"""The text of a file at (GitRepo, GitCommit, path): the one question the Dockerfile checks ask the outside.

Implementations: a local folder or clone (`--source URL=DIR`), a git fetch into a cache (`--fetch`); the App
adds the GitHub contents API behind the same interface. Contents at a commit never change, so they are
cached by (repo, commit, path) forever.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from rules.policy.upstream import UpstreamRef


class SourceUnavailable(Exception):
    """The repository or the commit could not be read at all (as opposed to a file missing at the commit)."""


class FileSource(Protocol):
    def read(self, ref: UpstreamRef) -> bytes | None:
        """The file's bytes; None when the commit exists and the file does not. Raises SourceUnavailable."""
        ...


def read_all(
    source: FileSource, refs: Iterable[UpstreamRef]
) -> tuple[dict[UpstreamRef, bytes | None], list[str]]:
    """Every file that could be read, and one sentence per repository that could not."""
    texts: dict[UpstreamRef, bytes | None] = {}
    problems: dict[str, str] = {}
    for ref in sorted(set(refs)):
        if ref[0] in problems:
            continue
        try:
            texts[ref] = source.read(ref)
        except SourceUnavailable as exc:
            problems[ref[0]] = str(exc)
    return texts, list(problems.values())


class FirstOf:
    """Ask each source in turn; the first that can read the repository answers."""

    def __init__(self, *sources: FileSource) -> None:
        self._sources = sources

    def read(self, ref: UpstreamRef) -> bytes | None:
        reasons = []
        for source in self._sources:
            try:
                return source.read(ref)
            except SourceUnavailable as exc:
                reasons.append(str(exc))
        raise SourceUnavailable("; ".join(reasons) or f"no source for {ref[0]}")
