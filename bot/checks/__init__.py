"""`doi-bot check`: reads the paths it is given, hands the texts to the rules, collects the findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

PathKind = Literal["official-images", "docs", "docs-folder", "dockerfile", "library-file"]


class UsageError(Exception):
    """The command could not run (exit 2): a missing path, a directory of no known kind, a bad option."""


@dataclass(frozen=True)
class CheckOptions:
    library_dir: Path | None = None  # an official-images checkout root or its library/ folder
    docs_dir: Path | None = None  # a docs checkout root
    sources: dict[str, Path] = field(default_factory=dict)  # normalised GitRepo URL -> local folder or clone
    fetch: bool = False


DOCKERFILE_SUFFIXES = (".Dockerfile", ".dockerfile")


def is_dockerfile_name(name: str) -> bool:
    """`Dockerfile`, `Dockerfile.*`, `*.Dockerfile` or `*.dockerfile`, as the contract names them."""
    return name == "Dockerfile" or name.startswith("Dockerfile.") or name.endswith(DOCKERFILE_SUFFIXES)


def path_kind(path: Path) -> PathKind:
    """What a PATH is, tried in the contract's order."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_dir():
        if (path / "library").is_dir():
            return "official-images"
        if (path / ".template-helpers").is_dir():
            return "docs"
        # every docs image folder holds a metadata.json too: its content.md or README-short.txt tells it
        # from a checkout's root metadata.json
        if (path / "content.md").exists() or (path / "README-short.txt").exists():
            return "docs-folder"
        if (path / "metadata.json").is_file():
            return "docs"
        raise UsageError(
            f"{path}: a directory of no known kind (not an official-images checkout, a docs checkout"
            " or a docs image folder)"
        )
    if is_dockerfile_name(path.name):
        return "dockerfile"
    return "library-file"


def official_images_root(library_dir: Path) -> Path:
    """`--library-dir`: an official-images checkout root or its `library/` folder; the root either way."""
    if (library_dir / "library").is_dir():
        return library_dir
    if library_dir.is_dir() and library_dir.name == "library":
        return library_dir.parent
    if not library_dir.exists():
        raise UsageError(f"--library-dir {library_dir}: no such directory")
    raise UsageError(f"--library-dir {library_dir}: not an official-images checkout or its library/ folder")


def docs_root(docs_dir: Path) -> Path:
    """`--docs-dir`: a docs checkout root (every folder in it but the dot ones is an image's docs)."""
    if not docs_dir.is_dir():
        raise UsageError(f"--docs-dir {docs_dir}: no such directory")
    if path_kind(docs_dir) != "docs":
        reason = "not a docs checkout (no .template-helpers/ or metadata.json)"
        raise UsageError(f"--docs-dir {docs_dir}: {reason}")
    return docs_dir


def check_options(
    library_dir: Path | None, docs_dir: Path | None, sources: list[tuple[str, Path]], fetch: bool
) -> CheckOptions:
    """The options as given on the command line, checked before anything runs (a bad one is exit 2)."""
    for url, folder in sources:
        if not folder.is_dir():
            raise UsageError(f"--source {url}={folder}: no such directory")
    return CheckOptions(
        library_dir=official_images_root(library_dir) if library_dir is not None else None,
        docs_dir=docs_root(docs_dir) if docs_dir is not None else None,
        sources=dict(sources),
        fetch=fetch,
    )
