"""DOI-P001: each tag's architectures are covered by its base images (CI's naughty-from, per architecture)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rules.dockerfile.images import ImageRef
from rules.findings import Finding, Severity
from rules.library.model import Entry, LibraryFile
from rules.policy.builds import SCRATCH, EntryBuilds, Parents, official_bases
from rules.registry import rule

UNSUPPORTED_BASE = rule(
    "DOI-P001",
    Severity.ERROR,
    "Architecture not supported by the base image",
    "Every architecture of a tag must exist for each image it builds FROM; official-images CI"
    " (naughty-from) rejects the pull request otherwise.",
)

WINDOWS = "windows-amd64"
RISCV64 = "riscv64"
_VERSION_TAG = re.compile(r"^(\d+)\.(\d+)$")


def _needs_rva23(image: ImageRef, entries: list[Entry]) -> bool:
    """naughty-from since 2025-08: Ubuntu after 25.04 builds riscv64 for RVA23, which the builders lack."""
    if image.official != "ubuntu":
        return False
    versions = [m for e in entries for t in e.tags if (m := _VERSION_TAG.match(t))]
    return any((int(m.group(1)), int(m.group(2))) > (25, 4) for m in versions)


def check(lib: LibraryFile, builds: EntryBuilds, parents: Parents) -> Iterator[Finding]:
    failing: dict[str, list[str]] = {}  # base as naughty-from prints it -> architectures it lacks
    rva23: list[str] = []
    for build in builds.arches:
        if SCRATCH in (build.bases or ()) and build.arch == WINDOWS:
            failing.setdefault(SCRATCH, []).append(build.arch)  # Windows images cannot start from scratch
        for image in official_bases(build.bases or ()):
            if not parents.known(image.official or ""):
                continue
            entries = parents.entries(image)
            if build.arch not in {a for e in entries for a in e.architectures}:
                failing.setdefault(image.shown, []).append(build.arch)
            elif build.arch == RISCV64 and _needs_rva23(image, entries):
                rva23.append(image.shown)
    line = builds.entry.line_of("Architectures")
    every = set(builds.entry.architectures)
    for shown, arches in failing.items():
        if set(arches) == every:
            message = (
                f"{builds.image} (FROM {shown}) -- completely unsupported base! None of this entry's"
                f" architectures exist for {shown}; build on a tag that has them."
            )
        else:
            message = (
                f"{builds.image} (FROM {shown}) [{', '.join(arches)}]: {shown} does not exist for these"
                " architectures; remove them from Architectures or build on a tag that has them."
            )
        yield UNSUPPORTED_BASE.finding(lib.path, line, message)
    for shown in dict.fromkeys(rva23):
        yield UNSUPPORTED_BASE.finding(
            lib.path,
            line,
            f"{builds.image} (FROM {shown}) [{RISCV64}]: Ubuntu after 25.04 needs RVA23 hardware that the"
            f" riscv64 builders lack; remove {RISCV64} from Architectures or build on Ubuntu 25.04 or older.",
        )
