"""`doi-bot check` on library files and official-images checkouts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.checks import CheckOptions, UsageError
from bot.checks.dockerfile import official_images_root, read_external_pins
from bot.checks.upstream import check_library_dockerfiles, unread_note
from bot.review.model import Evidence
from rules.findings import Finding
from rules.library.checks import read_library
from rules.library.model import LibraryFile
from rules.tool import guarded


def read_bytes(path: Path) -> bytes:
    """A file's bytes; a missing path, a directory or an unreadable file is a usage error (exit 2)."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory, not a library file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


# Checks of other areas on a parsed library file (its entries' Dockerfiles, policy across files), each
# `(library, evidence, options) -> findings`; an area plugs in with one line here.
AreaCheck = Callable[[LibraryFile, Evidence, CheckOptions], list[Finding]]
AREA_CHECKS: tuple[AreaCheck, ...] = (check_library_dockerfiles,)


def _checked(
    data: bytes, name: str, path: str, evidence: Evidence, options: CheckOptions
) -> tuple[LibraryFile | None, list[Finding]]:
    library, findings = read_library(data, name, path)
    if library is not None:
        for check in AREA_CHECKS:
            findings += guarded(lambda check=check: check(library, evidence, options), path, check.__name__)
    return library, findings


def check_library_path(path: Path, options: CheckOptions) -> list[Finding]:
    """One library file; its name is the image name. `--library-dir` names the checkout it belongs to."""
    evidence = (
        checkout_evidence(official_images_root(options.library_dir)) if options.library_dir else Evidence()
    )
    library, findings = _checked(read_bytes(path), path.name, str(path), evidence, options)
    return findings + unread_note(str(path), [library], options)


def library_files(root: Path) -> list[Path]:
    """The library files of an official-images checkout, in name order (dot files are not images)."""
    return sorted(p for p in (root / "library").iterdir() if p.is_file() and not p.name.startswith("."))


def checkout_evidence(root: Path) -> Evidence:
    """What a checkout gives the cross-file checks: every library file by image name, and the pins."""
    return Evidence(
        libraries={p.name: read_bytes(p) for p in library_files(root)},
        external_pins=read_external_pins(root),
    )


def check_official_images(root: Path, options: CheckOptions) -> list[Finding]:
    """Every library file of the checkout; paths are the checkout path joined with `library/<name>`."""
    evidence = checkout_evidence(root)
    findings: list[Finding] = []
    libraries: list[LibraryFile | None] = []
    for path in library_files(root):
        library, found = _checked(
            read_bytes(path), path.name, str(root / "library" / path.name), evidence, options
        )
        libraries.append(library)
        findings += found
    return findings + unread_note(str(root), libraries, options)
