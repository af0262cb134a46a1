"""The entries' upstream Dockerfiles on the command line: read through `--source`/`--fetch`, then the
Dockerfile rules and the image policy. Without either option nothing is read and the network is not used.

`bot.checks.library` runs `check_library_dockerfiles` on each parsed library file (an AREA_CHECKS hook) and
adds `unread_note` once per run; `bot.checks.pull_request` passes its evidence through `dockerfile_evidence`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from functools import lru_cache

from bot.checks import CheckOptions
from bot.review.dockerfiles import parent_libraries_to_fetch, upstream_refs_to_fetch
from bot.review.model import Evidence, PullRequest
from bot.sources import FileSource, FirstOf, read_all
from bot.sources.fetch import FetchedSources
from bot.sources.local import LocalSources
from rules.findings import Finding
from rules.library.checks import read_library
from rules.library.model import LibraryFile
from rules.policy.check import check_entries, parent_images_needed, unread_finding
from rules.policy.upstream import UpstreamRef, upstream_refs_needed

NO_SOURCE_HINT = " (give --source URL=DIR or --fetch to read them)"


def file_source(options: CheckOptions) -> FileSource | None:
    """Local folders first, then the fetch cache; None when the user allowed neither."""
    sources: list[FileSource] = []
    if options.sources:
        sources.append(LocalSources(options.sources))
    if options.fetch:
        sources.append(FetchedSources())
    return FirstOf(*sources) if sources else None


@lru_cache(maxsize=256)
def _parsed(name: str, data: bytes) -> LibraryFile | None:
    return read_library(data, name, f"library/{name}")[0]


def parent_libraries(names: set[str], evidence: Evidence) -> dict[str, LibraryFile | None]:
    """The base images' library files from the evidence. When it holds a whole checkout, a name it lacks
    is an image that does not exist (None); without one, such a name is simply not known (left out)."""
    parents: dict[str, LibraryFile | None] = {name: None for name in evidence.absent_libraries}
    for name in sorted(names):
        if name in evidence.libraries:
            parents[name] = _parsed(name, evidence.libraries[name])
        elif evidence.libraries:
            parents[name] = None
    return parents


def check_library_dockerfiles(
    library: LibraryFile, evidence: Evidence, options: CheckOptions
) -> list[Finding]:
    """Every entry's Dockerfile (all architectures) and the image policy; nothing without a source."""
    source = file_source(options)
    if source is None or not library.ok or not library.entries:
        return []
    texts, problems = read_all(source, upstream_refs_needed(library))
    parents = parent_libraries(parent_images_needed(library, texts), evidence)
    hint = f" ({'; '.join(problems)})" if problems else ""
    return check_entries(
        library, library.entries, texts, parents, evidence.external_pins or None, unread_hint=hint
    )


def unread_note(where: str, libraries: Sequence[LibraryFile | None], options: CheckOptions) -> list[Finding]:
    """Without `--source` or `--fetch`: the one note naming the entries whose Dockerfiles were not read."""
    if file_source(options) is not None:
        return []
    images = [f"{lib.name}:{e.tags[0]}" for lib in libraries if lib and lib.ok for e in lib.entries if e.tags]
    named = list(dict.fromkeys(images))  # a file given twice (alone and in its checkout) is named once
    return [unread_finding(where, named, NO_SOURCE_HINT)] if named else []


def dockerfile_evidence(evidence: Evidence, pr: PullRequest, options: CheckOptions) -> Evidence:
    """`check --base`: the evidence plus the changed entries' Dockerfiles read through --source/--fetch
    (the base images' library files and pins come with the checkout's evidence); without a source, the
    evidence as it is, and the review says what was not checked."""
    source = file_source(options)
    if source is None:
        return evidence
    texts, problems = read_all(source, upstream_refs_to_fetch(pr))
    dockerfiles: Mapping[UpstreamRef, bytes | None] = {**evidence.dockerfiles, **texts}
    absent = parent_libraries_to_fetch(pr, texts) - evidence.libraries.keys() if evidence.libraries else set()
    return replace(
        evidence,
        dockerfiles=dockerfiles,
        absent_libraries=evidence.absent_libraries | absent,
        unchecked=evidence.unchecked + tuple(f"Upstream Dockerfiles: {p}." for p in problems),
    )
