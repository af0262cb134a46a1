"""DOI-D010, D032: shell habits the guidelines steer away from."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import Dockerfile
from rules.dockerfile.shell import commands, sh_runs
from rules.findings import Finding, Severity
from rules.registry import rule

SUDO = rule(
    "DOI-D010",
    Severity.WARNING,
    "sudo in a RUN",
    "Builds run as root already, and sudo's TTY and signal handling is unpredictable in containers; use gosu"
    " or su-exec to drop privileges.",
)
UNAME_ARCH = rule(
    "DOI-D032",
    Severity.INFO,
    "uname -m for architecture detection",
    "`uname -m` reports the kernel, not the userland being built (an i386 image built on an amd64 host);"
    " the guidelines use `dpkg --print-architecture` or `apk --print-arch`.",
)

_UNAME = re.compile(r"\buname\s+(?:-\S*m\S*|--machine)\b")


def check(dockerfile: Dockerfile, context: DockerfileContext) -> Iterator[Finding]:
    for instruction in dockerfile.instructions:
        if not sh_runs(instruction):
            continue
        text = instruction.script.text
        for command in commands(instruction.script, "sudo") if "sudo" in text else ():
            yield SUDO.finding(
                context.path, command.line, "Drop sudo: the build already runs as root (use gosu or su-exec)."
            )
        for match in _UNAME.finditer(text) if "uname" in text else ():
            yield UNAME_ARCH.finding(
                context.path,
                instruction.script.line_at(match.start()),
                "Detect the architecture with `dpkg --print-architecture` or `apk --print-arch`, not"
                " `uname -m`.",
            )
