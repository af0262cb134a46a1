"""DOI-P001: each tag's architectures are covered by its base images (CI's naughty-from, per architecture)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.findings import Finding, Severity
from rules.library.model import LibraryFile
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


def check(lib: LibraryFile, builds: EntryBuilds, parents: Parents) -> Iterator[Finding]:
    failing: dict[str, list[str]] = {}  # base as naughty-from prints it -> architectures it lacks
    for build in builds.arches:
        if SCRATCH in (build.bases or ()) and build.arch == WINDOWS:
            failing.setdefault(SCRATCH, []).append(build.arch)  # Windows images cannot start from scratch
        for image in official_bases(build.bases or ()):
            if not parents.known(image.official or ""):
                continue
            arches = {a for e in parents.entries(image) for a in e.architectures}
            if build.arch not in arches:
                failing.setdefault(image.shown, []).append(build.arch)
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
