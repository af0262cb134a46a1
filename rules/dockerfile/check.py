"""Every Dockerfile rule over one parsed file: the one entry point the checks and the policy call."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rules.dockerfile import bases, downloads, habits, instructions, keys, packages, reading, stages
from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import Dockerfile, parse_dockerfile
from rules.findings import Finding
from rules.tool import guarded

DockerfileRule = Callable[[Dockerfile, DockerfileContext], Iterator[Finding]]

CHECKS: tuple[tuple[str, DockerfileRule], ...] = (
    ("reading", reading.check),
    ("downloads", downloads.check),
    ("keys", keys.check),
    ("bases", bases.check),
    ("packages", packages.check),
    ("habits", habits.check),
    ("instructions", instructions.check),
    ("stages", stages.check),
)


def check_dockerfile(dockerfile: Dockerfile, context: DockerfileContext) -> list[Finding]:
    findings: list[Finding] = []
    # a template gets only the note that says it was not checked
    for name, run in (("reading", reading.check),) if dockerfile.template else CHECKS:
        findings += guarded(lambda run=run: run(dockerfile, context), context.path, f"dockerfile.{name}")
    return findings


def read_dockerfile(text: str, path: str) -> tuple[Dockerfile | None, list[Finding]]:
    """The parsed file, or None and the one finding that says the parser crashed (a bug to report)."""
    parsed: list[Dockerfile] = []
    crashed = guarded(lambda: parsed.append(parse_dockerfile(text)) or (), path, "dockerfile.parse")
    return (parsed[0] if parsed else None), crashed


def check_dockerfile_text(text: str, context: DockerfileContext) -> list[Finding]:
    """Parse and check; a parser crash becomes one finding like any other rule's."""
    dockerfile, findings = read_dockerfile(text, context.path)
    return findings + (check_dockerfile(dockerfile, context) if dockerfile is not None else [])
