"""What a Dockerfile rule knows besides the file itself."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DockerfileContext:
    path: str  # for findings: the path as given, or the upstream permalink
    pins: frozenset[str] | None = (
        None  # official-images' `.external-pins/` as `repository:tag`; None: unknown
    )
