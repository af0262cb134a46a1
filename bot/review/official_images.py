"""The library-file part of an official-images review: the change, its labels, and the L findings."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.gatekeeper.next_step import GateStanding, gatekeeper_step
from bot.review.model import ChangedFile, Evidence, PullRequest
from bot.review.part import Placed, ReviewPart
from rules.docs.cross import library_without_docs
from rules.findings import Finding, has_errors
from rules.gatekeeping import apply_waivers
from rules.library.change import LibraryChange, changes_markdown, library_change
from rules.library.checks import read_library
from rules.library.model import LibraryFile

if TYPE_CHECKING:
    from bot.review.build import ReviewSettings

NEW_IMAGE = "new-image"


def library_name(path: str) -> str | None:
    """The image name of a `library/<name>` path, else None."""
    folder, slash, name = path.partition("/")
    if folder != "library" or not slash or not name or "/" in name:
        return None
    return name


@dataclass(frozen=True)
class ChangedLibrary:
    """One changed library file, parsed on both sides (None where it does not exist or is unreadable)."""

    name: str
    path: str
    status: str  # added, modified or removed
    base: LibraryFile | None
    head: LibraryFile | None
    findings: tuple[Finding, ...]  # on the head version

    @property
    def change(self) -> LibraryChange:
        if self.status != "removed" and self.head is None:
            return LibraryChange(self.name, "unreadable", self.base, None)
        return library_change(self.name, self.base, self.head)


def _parsed(data: bytes | None, name: str, path: str) -> tuple[LibraryFile | None, list[Finding]]:
    if data is None:
        return None, []
    return read_library(data, name, path)


def _sides(file: ChangedFile) -> list[tuple[str, bytes | None, bytes | None]]:
    """(path, base bytes, head bytes) of each side of a changed file."""
    if file.status == "renamed" and file.previous_path:
        return [(file.previous_path, file.base, None), (file.path, None, file.head)]
    return [(file.path, file.base, file.head)]


@functools.lru_cache(maxsize=4)
def changed_libraries(pr: PullRequest) -> tuple[ChangedLibrary, ...]:
    """Every changed `library/*` file of the pull request, parsed and checked once per pull request (other
    areas, such as the Dockerfile checks, call this too). A rename counts as a deletion and an addition, as
    official-images' own automation sees it with --no-renames."""
    changed: list[ChangedLibrary] = []
    for file in pr.files:
        for path, base_bytes, head_bytes in _sides(file):
            name = library_name(path)
            if name is None:
                continue
            base, _ = _parsed(base_bytes, name, path)
            head, findings = _parsed(head_bytes, name, path)
            status = "removed" if head_bytes is None else "added" if base_bytes is None else "modified"
            changed.append(ChangedLibrary(name, path, status, base, head, tuple(findings)))
    return tuple(changed)


def _placed(library: ChangedLibrary) -> list[Placed]:
    placed = []
    locate = library.head.entry_locator() if library.head else None
    for finding in library.findings:
        entry = locate(finding.line) if locate else None
        placed.append(Placed(finding, library.name, ", ".join(entry.tags) if entry else ""))
    return placed


def _next_steps(
    changes: list[LibraryChange],
    failing: bool,
    new_images: list[str],
    settings: ReviewSettings,
    standing: GateStanding,
) -> list[str]:
    steps = []
    if failing:
        steps.append("**The author**: fix the errors listed above and push; doi-bot reviews each new commit.")
    steps += [gatekeeper_step(name, standing, settings) for name in new_images]
    if not new_images and changes:
        steps.append(
            f"**A maintainer** (`@{settings.maintainers}`) reviews and merges; the Test PR workflow builds"
            " the changed tags."
        )
    return steps


def review(pr: PullRequest, evidence: Evidence, settings: ReviewSettings) -> ReviewPart:
    libraries = changed_libraries(pr)
    if not libraries:
        return ReviewPart()
    changes = [lib.change for lib in libraries]
    new_images = sorted({lib.name for lib in libraries if lib.status == "added"})
    labels = sorted({f"library/{lib.name}" for lib in libraries})
    if new_images:
        labels.append(NEW_IMAGE)
    placed = [p for lib in libraries for p in _placed(lib)]
    if evidence.known_images is not None:  # a new image needs its docs folder too
        placed += [
            Placed(finding, lib.name)
            for lib in libraries
            if lib.status == "added"
            for finding in library_without_docs(lib.name, lib.path, evidence.known_images)
        ]
    failing = has_errors(apply_waivers([p.finding for p in placed], evidence.waivers))
    return ReviewPart(
        findings=tuple(placed),
        labels=tuple(labels),
        change_markdown=changes_markdown(changes),
        new_images=tuple(new_images),
        next_steps=tuple(
            _next_steps(changes, failing, new_images, settings, evidence.gatekeeping or GateStanding())
        ),
    )
