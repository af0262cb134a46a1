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


def is_dockerfile_name(name: str) -> bool:
    return name == "Dockerfile" or name.startswith("Dockerfile.") or name.lower().endswith(".dockerfile")


def path_kind(path: Path) -> PathKind:
    """What a PATH is, tried in the contract's order."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_dir():
        if (path / "library").is_dir():
            return "official-images"
        if (path / ".template-helpers").is_dir() or (path / "metadata.json").is_file():
            return "docs"
        if (path / "content.md").exists() or (path / "README-short.txt").exists():
            return "docs-folder"
        raise UsageError(
            f"{path}: a directory of no known kind (not an official-images checkout, a docs checkout"
            " or a docs image folder)"
        )
    if is_dockerfile_name(path.name):
        return "dockerfile"
    return "library-file"
