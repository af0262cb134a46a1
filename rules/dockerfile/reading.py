"""DOI-D040: what the parser could not read reliably, said once instead of guessed at."""

from __future__ import annotations

from collections.abc import Iterator

from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import Dockerfile
from rules.findings import Finding, Severity
from rules.registry import rule

NOT_READ = rule(
    "DOI-D040",
    Severity.INFO,
    "Part of the Dockerfile not checked",
    "Where a construct cannot be read reliably doi-bot says so once rather than report findings from a"
    " misreading.",
)


def check(dockerfile: Dockerfile, context: DockerfileContext) -> Iterator[Finding]:
    for note in dockerfile.notes:
        yield NOT_READ.finding(context.path, note.line, note.message)
