"""`doi-bot check` on library files and official-images checkouts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.checks import CheckOptions, UsageError
from bot.review.model import Evidence
from rules.findings import Finding
from rules.library.checks import read_library
from rules.library.model import LibraryFile
from rules.tool import guarded

PINS = ".external-pins"


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
AREA_CHECKS: tuple[AreaCheck, ...] = ()


def _checked(data: bytes, name: str, path: str, evidence: Evidence, options: CheckOptions) -> list[Finding]:
    library, findings = read_library(data, name, path)
    if library is not None:
        for check in AREA_CHECKS:
            findings += guarded(lambda check=check: check(library, evidence, options), path, check.__name__)
    return findings


def check_library_path(path: Path, options: CheckOptions) -> list[Finding]:
    """One library file; its name is the image name. `--library-dir` names the checkout it belongs to."""
    evidence = checkout_evidence(_checkout_root(options.library_dir)) if options.library_dir else Evidence()
    return _checked(read_bytes(path), path.name, str(path), evidence, options)


def _checkout_root(library_dir: Path) -> Path:
    """`--library-dir` accepts a checkout root or its `library/` folder."""
    return library_dir if (library_dir / "library").is_dir() else library_dir.parent


def library_files(root: Path) -> list[Path]:
    """The library files of an official-images checkout, in name order (dot files are not images)."""
    return sorted(p for p in (root / "library").iterdir() if p.is_file() and not p.name.startswith("."))


def pin_name(relative: str) -> str | None:
    """`registry/repo:tag` of a pin file path inside `.external-pins/` (`registry/repo___tag`), else None."""
    repository, sep, tag = relative.rpartition("___")
    if not sep or not repository or not tag or "/" in tag:
        return None
    return f"{repository}:{tag}"


def external_pins(root: Path) -> frozenset[str]:
    """Every image pinned in the checkout's `.external-pins/`, as `registry/repo:tag`."""
    folder = root / PINS
    if not folder.is_dir():
        return frozenset()
    names = (pin_name(p.relative_to(folder).as_posix()) for p in folder.rglob("*") if p.is_file())
    return frozenset(name for name in names if name)


def checkout_evidence(root: Path) -> Evidence:
    """What a checkout gives the cross-file checks: every library file by image name, and the pins."""
    return Evidence(
        libraries={p.name: read_bytes(p) for p in library_files(root)},
        external_pins=external_pins(root),
    )


def check_official_images(root: Path, options: CheckOptions) -> list[Finding]:
    """Every library file of the checkout; paths are the checkout path joined with `library/<name>`."""
    evidence = checkout_evidence(root)
    findings: list[Finding] = []
    for path in library_files(root):
        findings += _checked(
            read_bytes(path), path.name, str(root / "library" / path.name), evidence, options
        )
    return findings
