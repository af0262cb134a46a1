"""The Dockerfile part of an official-images review: the changed entries' upstream Dockerfiles and the image
policy across library files (bases, architectures, constraints).

The App plans its fetches with `upstream_refs_to_fetch(pr)`, then `parent_libraries_to_fetch(pr,
dockerfiles)`, fills `Evidence`, and `review` reads only what is there.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from bot.review.model import Evidence, PullRequest, UpstreamRef
from bot.review.official_images import ChangedLibrary, changed_libraries
from bot.review.part import Placed, ReviewPart
from rules.library.change import library_change
from rules.library.checks import read_library
from rules.library.model import Entry, LibraryFile
from rules.policy.check import NOT_CHECKED, check_entries, parent_images_needed
from rules.policy.upstream import permalink, upstream_ref, upstream_refs_needed
from rules.tool import guarded

if TYPE_CHECKING:
    from bot.review.build import ReviewSettings


def changed_entries(library: ChangedLibrary) -> tuple[Entry, ...]:
    """The head entries this pull request adds or changes (all of them for a new image)."""
    if library.head is None or not library.head.ok:
        return ()
    change = library_change(library.name, library.base, library.head)
    return change.entries_added + tuple(c.head for c in change.entries_changed)


def _reviewed(pr: PullRequest) -> list[tuple[ChangedLibrary, tuple[Entry, ...]]]:
    found = []
    for library in changed_libraries(pr):
        entries = changed_entries(library)
        if entries and library.head is not None:
            found.append((library, entries))
    return found


def upstream_refs_to_fetch(pr: PullRequest) -> set[UpstreamRef]:
    """Every upstream Dockerfile the review of this pull request reads: fetch these into
    `Evidence.dockerfiles` (None for a file missing at its commit)."""
    refs: set[UpstreamRef] = set()
    for library, entries in _reviewed(pr):
        assert library.head is not None
        refs |= upstream_refs_needed(library.head, entries)
    return refs


def parent_libraries_to_fetch(pr: PullRequest, dockerfiles: Mapping[UpstreamRef, bytes | None]) -> set[str]:
    """The library files (image names) of the base images those Dockerfiles use: fetch `library/<name>` at
    the pull request's head into `Evidence.libraries`, and list names with no such file in
    `Evidence.absent_libraries`."""
    names: set[str] = set()
    for library, _ in _reviewed(pr):
        assert library.head is not None
        names |= parent_images_needed(library.head, dockerfiles)
    return names


def _parents(pr_libraries: list[ChangedLibrary], evidence: Evidence) -> dict[str, LibraryFile | None]:
    parents: dict[str, LibraryFile | None] = {name: None for name in evidence.absent_libraries}
    for name, data in evidence.libraries.items():
        parents[name] = read_library(data, name, f"library/{name}")[0]
    for library in pr_libraries:
        parents[library.name] = library.head
    return parents


def _entry_of_upstream(entries: tuple[Entry, ...]) -> dict[str, str]:
    """Which entry a finding on an upstream permalink belongs to (the first entry that builds it)."""
    owners: dict[str, str] = {}
    for entry in entries:
        for source in entry.arches.values():
            ref = upstream_ref(source)
            if ref is not None:
                owners.setdefault(permalink(ref), ", ".join(entry.tags))
    return owners


def review(pr: PullRequest, evidence: Evidence, settings: ReviewSettings) -> ReviewPart:
    reviewed = _reviewed(pr)
    if not reviewed:
        return ReviewPart()
    parents = _parents([library for library, _ in reviewed], evidence)
    pins = evidence.external_pins or None  # official-images always pins something: empty means not fetched
    placed: list[Placed] = []
    unchecked: list[str] = []
    for library, entries in reviewed:
        head = library.head
        assert head is not None
        owners = _entry_of_upstream(entries)
        locate = head.entry_locator()
        found = guarded(
            lambda head=head, entries=entries: check_entries(
                head, entries, evidence.dockerfiles, parents, pins
            ),
            head.path,
            "dockerfiles",
        )
        for finding in found:
            if finding.rule == NOT_CHECKED.id:
                unchecked.append(f"`{library.name}`: {finding.message}")
                continue
            entry = locate(finding.line) if finding.path == head.path else None
            tags = ", ".join(entry.tags) if entry else owners.get(finding.path, "")
            placed.append(Placed(finding, library.name, tags))
    return ReviewPart(findings=tuple(placed), unchecked=tuple(unchecked))


class DockerfilePlanner:
    """What the App fetches for this part of the review (the `EvidencePlanner` of `bot.evidence`): the
    changed entries' Dockerfiles, then the library files of the images they build on."""

    def upstream_files(self, pr: PullRequest) -> set[UpstreamRef]:
        return upstream_refs_to_fetch(pr)

    def parent_libraries(self, pr: PullRequest, dockerfiles: Mapping[UpstreamRef, bytes | None]) -> set[str]:
        return parent_libraries_to_fetch(pr, dockerfiles)
