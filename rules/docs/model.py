"""A docs image folder as the rules see it: its files as texts (symlinks followed) and its logo's facts."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

# The image folders' required source files, checked by the docs CI (`.ci/check-required-files.sh`).
REQUIRED_FILES = ("content.md", "github-repo", "license.md", "maintainer.md")
# CI skips it: `scratch` has no software, so no content, license or maintainer.
NO_CONTENT_IMAGE = "scratch"
LOGO_NAMES = ("logo.png", "logo.svg")  # update.sh prefers the png when both exist

# Hub categories as in the root metadata.json (2026-08); the checkout's own file wins when it is readable.
DEFAULT_CATEGORIES = frozenset(
    {
        "api-management",
        "content-management-system",
        "data-science",
        "databases-and-storage",
        "developer-tools",
        "integration-and-delivery",
        "internet-of-things",
        "languages-and-frameworks",
        "machine-learning-and-ai",
        "message-queues",
        "monitoring-and-observability",
        "networking",
        "operating-systems",
        "security",
        "web-analytics",
        "web-servers",
    }
)

# What a git symlink blob holds (and a checkout without symlink support writes): a relative path, one line.
_LINK_TARGET = re.compile(r"(?:\.\./|\./)*(?:[\w.-]+/)*[\w.-]+")


def link_target(data: bytes) -> str | None:
    """The relative target when `data` is a git symlink's content rather than a document, else None."""
    if not data or len(data) > 200 or b"\n" in data or not data.startswith((b"../", b"./")):
        return None
    text = data.decode("ascii", errors="replace")
    return text if _LINK_TARGET.fullmatch(text) else None


def join_link(folder: str, target: str) -> str:
    """The checkout-relative path a folder's link points at (`ros/x.md` for `../ros/x.md` from gazebo)."""
    parts = [p for p in folder.split("/") if p]
    for part in target.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts)


@dataclass(frozen=True, slots=True)
class Logo:
    name: str  # logo.png or logo.svg
    size: int  # bytes
    width: float | None  # pixels from the PNG header, or the <svg> tag's width (None when not given)
    height: float | None


@dataclass(frozen=True)
class DocsFolder:
    name: str  # the image name, which is the folder's name
    place: str  # where findings point: the folder's path as the user gave it, or within the checkout
    texts: Mapping[str, str]  # readable text files by name, symlinks followed
    files: frozenset[str]  # every file present: texts, unreadable files, logos, links not followed
    logo: Logo | None = None
    # False when only some files are known (a pull request's changed files): folder-wide rules then wait
    complete: bool = True

    def path_of(self, name: str) -> str:
        return f"{self.place.rstrip('/')}/{name}" if self.place else name

    def markdown_names(self) -> list[str]:
        """The Markdown sources markdownfmt and the template read (README.md is generated)."""
        return sorted(n for n in self.texts if n.endswith(".md") and n != "README.md")


@dataclass(frozen=True)
class DocsContext:
    """What the rules need from outside one folder."""

    categories: frozenset[str] = DEFAULT_CATEGORIES  # allowed Hub categories (root metadata.json)
    templates: Mapping[str, str] = field(default_factory=dict)  # .template-helpers/*.md by name
    official_images: frozenset[str] | None = None  # image names an official image may use; None: unknown
    library_images: frozenset[str] | None = None  # official-images library/ names; None: not given
