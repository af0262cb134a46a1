"""DOI-P002: one entry builds FROM the same images on every architecture."""

from __future__ import annotations

from collections.abc import Iterator

from rules.findings import Finding, Severity
from rules.library.model import LibraryFile
from rules.policy.builds import EntryBuilds
from rules.registry import rule

DIFFERENT_FROM = rule(
    "DOI-P002",
    Severity.WARNING,
    "Architectures of one entry build FROM different images",
    "The guidelines ask for one Dockerfile per entry for all architectures; only an architecture-specific"
    " Directory or File says that one architecture is built differently.",
)


def check(lib: LibraryFile, builds: EntryBuilds) -> Iterator[Finding]:
    by_file: dict[tuple[str, str], dict[tuple[str, ...], list[str]]] = {}
    for build in builds.arches:
        if build.bases is None or build.ref is None:
            continue
        place = (build.source.directory, build.source.file)
        by_file.setdefault(place, {}).setdefault(build.bases, []).append(build.arch)
    for variants in by_file.values():
        if len(variants) < 2:
            continue
        described = "; ".join(
            f"{', '.join(arches)}: FROM {' '.join(bases)}" for bases, arches in variants.items()
        )
        yield DIFFERENT_FROM.finding(
            lib.path,
            builds.entry.line,
            f"{builds.image} builds FROM different images per architecture ({described}); use the same"
            " base everywhere, or give the odd architecture its own Directory or File.",
        )
