"""DOI-P003: Constraints match the Windows base or the parent entry (CI's naughty-constraints)."""

from __future__ import annotations

from collections.abc import Iterator

from rules.dockerfile.images import ImageRef, parse_image
from rules.findings import Finding, Severity
from rules.library.model import LibraryFile
from rules.policy.builds import SCRATCH, ArchBuild, EntryBuilds, Parents
from rules.registry import rule

CONSTRAINTS = rule(
    "DOI-P003",
    Severity.ERROR,
    "Constraints that do not match the base image",
    "bashbrew schedules Windows builds by Constraints: they must name the Windows base (windowsservercore-"
    "ltsc2022, nanoserver-ltsc2025) or repeat the parent entry's; official-images CI (naughty-constraints)"
    " rejects any difference.",
)

_WINDOWS_REPOSITORY = "mcr.microsoft.com/windows/"
_WINDOWS_BASES = {"servercore": "windowsservercore", "nanoserver": "nanoserver"}


class UnknownWindowsImage(Exception):
    pass


def _windows_constraint(image: ImageRef) -> str:
    base = _WINDOWS_BASES.get(image.repository.removeprefix(_WINDOWS_REPOSITORY))
    if base is None:
        raise UnknownWindowsImage(image.repository)
    tag = image.tag or "latest"
    return base if tag == "latest" else f"{base}-{tag}"


def _expected(build: ArchBuild, parents: Parents) -> set[str] | None:
    """The Constraints this architecture's bases call for; None when a parent is not known here."""
    expected: set[str] = set()
    for base in build.bases or ():
        if base == SCRATCH:
            continue
        image = parse_image(base)
        if image.repository.lower().startswith(_WINDOWS_REPOSITORY):
            expected.add(_windows_constraint(image))
        elif image.official is not None:
            if not parents.known(image.official):
                return None
            for entry in parents.entries(image):
                if build.arch in entry.architectures:
                    expected.update(c for c in entry.constraints if not c.startswith("!"))
    return expected


def check(lib: LibraryFile, builds: EntryBuilds, parents: Parents) -> Iterator[Finding]:
    entry = builds.entry
    actual = {c for c in entry.constraints if not c.startswith("!")}
    line = entry.line_of("Constraints")
    missing: set[str] = set()
    extra: set[str] = set()
    for build in builds.arches:
        if build.bases is None:
            continue
        try:
            expected = _expected(build, parents)
        except UnknownWindowsImage as exc:
            yield CONSTRAINTS.finding(
                lib.path,
                line,
                f"{builds.image} builds FROM the unknown Windows image {exc}; use"
                " mcr.microsoft.com/windows/servercore or nanoserver.",
            )
            continue
        if expected is None:
            continue
        missing |= expected - actual
        extra |= actual - expected
    if missing:
        yield CONSTRAINTS.finding(
            lib.path,
            line,
            f"{builds.image} -- missing constraints: add {', '.join(sorted(missing))} to Constraints.",
        )
    if extra:
        yield CONSTRAINTS.finding(
            lib.path,
            line,
            f"{builds.image} -- extra constraints: remove {', '.join(sorted(extra))} from Constraints.",
        )
