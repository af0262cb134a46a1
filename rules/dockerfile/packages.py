"""DOI-D014, D015: apt lists removed where they are made, and no blanket upgrades."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import Dockerfile
from rules.dockerfile.shell import commands, sh_runs
from rules.findings import Finding, Severity
from rules.registry import rule

APT_LISTS_KEPT = rule(
    "DOI-D014",
    Severity.WARNING,
    "apt lists not removed in the RUN that installs",
    "apt's package lists left in a layer add tens of megabytes to the image; remove them in the same RUN"
    " (`rm -rf /var/lib/apt/lists/*` or `apt-get dist-clean`).",
)
UPGRADE = rule(
    "DOI-D015",
    Severity.WARNING,
    "apt-get upgrade, dist-upgrade or apk upgrade",
    "Upgrading every package makes the build unrepeatable and duplicates the base image's layers; the base"
    " image is rebuilt for updates instead.",
)

_INSTALL = re.compile(r"^apt(?:-get)?\s+(?:-\S+\s+)*install\b")
_DRY_RUN = re.compile(r"\s(?:-s|--simulate|--dry-run|--just-print|--no-act)\b")
_CLEANED = re.compile(r"/var/lib/apt/lists|\bapt(?:-get)?\s+(?:-\S+\s+)*dist-clean\b")
_UPGRADE = re.compile(
    r"^(?:apt(?:-get)?|aptitude)\s+(?:-\S+\s+)*(?:dist-|full-|safe-)?upgrade\b|^apk\s+(?:-\S+\s+)*upgrade\b"
)


def check(dockerfile: Dockerfile, context: DockerfileContext) -> Iterator[Finding]:
    final = dockerfile.final_stages()
    for instruction in dockerfile.instructions:
        if not sh_runs(instruction) or not (
            "apt" in instruction.script.text or "apk" in instruction.script.text
        ):
            continue
        managers = list(commands(instruction.script, r"apt-get|apt|aptitude|apk"))
        for command in managers:
            if _UPGRADE.match(command.text):
                yield UPGRADE.finding(
                    context.path,
                    command.line,
                    "Remove this upgrade; pin the packages you need and let the base image bring updates.",
                )
        if instruction.stage not in final or _CLEANED.search(instruction.script.text):
            continue
        if any("/var/lib/apt" in (m or "") for m in instruction.flag_values("mount")):
            continue
        installs = [c for c in managers if _INSTALL.match(c.text) and not _DRY_RUN.search(c.text)]
        if installs:
            yield APT_LISTS_KEPT.finding(
                context.path,
                installs[0].line,
                "Remove the apt lists in this same RUN: end it with `rm -rf /var/lib/apt/lists/*` (or"
                " `apt-get dist-clean`).",
            )
