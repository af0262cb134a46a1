"""`doi-bot check` on library files and official-images checkouts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from bot.checks import CheckOptions, PathKind, UsageError
from bot.checks.dockerfile import read_external_pins
from bot.checks.docs import image_folders
from bot.checks.upstream import check_library_dockerfiles, unread_note
from bot.review.model import Evidence
from rules.docs.cross import docs_without_library, library_without_docs
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
    if evidence.known_images is not None:
        findings += library_without_docs(name, path, evidence.known_images)
    return library, findings


def library_files(root: Path) -> list[Path]:
    """The library files of an official-images checkout, in name order (dot files are not images)."""
    return sorted(p for p in (root / "library").iterdir() if p.is_file() and not p.name.startswith("."))


def docs_images(options: CheckOptions) -> frozenset[str] | None:
    """The images the docs checkout of `--docs-dir` has folders for; None without it."""
    return frozenset(p.name for p in image_folders(options.docs_dir)) if options.docs_dir else None


def checkout_evidence(root: Path, options: CheckOptions) -> Evidence:
    """What a checkout gives the cross-file checks: every library file by image name, the pins, and with
    `--docs-dir` the images that have docs."""
    return Evidence(
        libraries={p.name: read_bytes(p) for p in library_files(root)},
        external_pins=read_external_pins(root),
        known_images=docs_images(options),
    )


def _library_file(path: Path, options: CheckOptions) -> tuple[list[LibraryFile | None], list[Finding]]:
    """One library file; its name is the image name. `--library-dir` names the checkout it belongs to."""
    evidence = (
        checkout_evidence(options.library_dir, options)
        if options.library_dir
        else Evidence(known_images=docs_images(options))
    )
    library, findings = _checked(read_bytes(path), path.name, str(path), evidence, options)
    return [library], findings


def _checkout(root: Path, options: CheckOptions) -> tuple[list[LibraryFile | None], list[Finding]]:
    """Every library file of the checkout; paths are the checkout path joined with `library/<name>`. With
    `--docs-dir`, each image's docs folder and each docs folder's library file."""
    evidence = checkout_evidence(root, options)
    findings: list[Finding] = []
    libraries: list[LibraryFile | None] = []
    for path in library_files(root):
        library, found = _checked(
            read_bytes(path), path.name, str(root / "library" / path.name), evidence, options
        )
        libraries.append(library)
        findings += found
    if options.docs_dir is not None:  # and the reverse: every docs folder has its library file
        images = frozenset(p.name for p in library_files(root))
        for folder in image_folders(options.docs_dir):
            findings += docs_without_library(folder.name, str(folder), images)
    return libraries, findings


LIBRARY_KINDS: tuple[PathKind, ...] = ("official-images", "library-file")


def check_libraries(paths: Sequence[tuple[Path, PathKind]], options: CheckOptions) -> list[Finding]:
    """Library files and official-images checkouts (PATHs with their kind), and without `--source` or
    `--fetch` the one note (on the first PATH) naming every entry whose Dockerfile was not read."""
    libraries: list[LibraryFile | None] = []
    findings: list[Finding] = []
    for path, kind in paths:
        found_libraries, found = (_checkout if kind == "official-images" else _library_file)(path, options)
        libraries += found_libraries
        findings += found
    return findings + (unread_note(str(paths[0][0]), libraries, options) if paths else [])
