"""The entries' upstream Dockerfiles for `doi-bot check`: read through `--source`/`--fetch`, then the
Dockerfile rules and the image policy. Without either option nothing is read and the network is not used.

`bot.checks.library` calls `check_upstream` once per run, with every library file it parsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bot.checks import CheckOptions
from bot.checks.dockerfile import official_images_root, read_external_pins
from bot.review.dockerfiles import parent_libraries_to_fetch, upstream_refs_to_fetch
from bot.review.model import Evidence, PullRequest
from bot.sources import FileSource, FirstOf, read_all
from bot.sources.fetch import FetchedSources
from bot.sources.local import LocalSources
from rules.findings import Finding
from rules.library.checks import read_library
from rules.library.model import LibraryFile
from rules.policy.check import check_entries, parent_images_needed, unread_finding
from rules.policy.upstream import upstream_refs_needed

NO_SOURCE_HINT = " (give --source URL=DIR or --fetch to read them)"


def file_source(options: CheckOptions) -> FileSource | None:
    """Local folders first, then the fetch cache; None when the user allowed neither."""
    sources: list[FileSource] = []
    if options.sources:
        sources.append(LocalSources(options.sources))
    if options.fetch:
        sources.append(FetchedSources())
    return FirstOf(*sources) if sources else None


def library_folder(options: CheckOptions, checkout: Path | None) -> Path | None:
    """Where the base images' library files are: `--library-dir`, else the checkout being checked."""
    if options.library_dir is not None:
        return official_images_root(options.library_dir) / "library"
    return checkout / "library" if checkout is not None else None


def read_parents(names: set[str], folder: Path | None) -> dict[str, LibraryFile | None]:
    """Each base image's library file; None for a name the folder does not have (no such image)."""
    if folder is None or not folder.is_dir():
        return {}
    parents: dict[str, LibraryFile | None] = {}
    for name in sorted(names):
        path = folder / name
        parsed = read_library(path.read_bytes(), name, str(path))[0] if path.is_file() else None
        parents[name] = parsed
    return parents


def check_upstream(
    libraries: Sequence[LibraryFile], options: CheckOptions, checkout: Path | None
) -> list[Finding]:
    """Dockerfile and policy findings for every entry of `libraries` (the files that parsed).

    Without `--source` or `--fetch`: one note naming the entries not checked, and no network.
    """
    usable = [lib for lib in libraries if lib.ok and lib.entries]
    if not usable:
        return []
    source = file_source(options)
    if source is None:
        images = [f"{lib.name}:{e.tags[0]}" for lib in usable for e in lib.entries if e.tags]
        where = str(checkout) if checkout is not None else usable[0].path
        return [unread_finding(where, images, NO_SOURCE_HINT)]
    refs_of = {lib.name: upstream_refs_needed(lib) for lib in usable}
    texts, problems = read_all(source, set().union(*refs_of.values()))
    hint = f" ({'; '.join(problems)})" if problems else ""
    folder = library_folder(options, checkout)
    root = folder.parent if folder is not None else None
    pins = read_external_pins(root) if root is not None and root.is_dir() else None
    others: dict[str, LibraryFile | None] = {lib.name: lib for lib in usable}
    wanted: set[str] = set()
    for lib in usable:
        wanted |= parent_images_needed(lib, {ref: texts[ref] for ref in refs_of[lib.name] if ref in texts})
    parents = {**read_parents(wanted - others.keys(), folder), **others}
    findings: list[Finding] = []
    for lib in usable:
        findings += check_entries(lib, lib.entries, texts, parents, pins, unread_hint=hint)
    return findings


def dockerfile_evidence(
    evidence: Evidence, pr: PullRequest, options: CheckOptions, checkout: Path | None
) -> Evidence:
    """`check --base`: `evidence` with the changed entries' Dockerfiles (through --source/--fetch), their
    base images' library files from the checkout, and the checkout's pins; without a source, one sentence
    in `unchecked` and no network."""
    pins = read_external_pins(checkout) if checkout is not None else frozenset()
    source = file_source(options)
    refs = upstream_refs_to_fetch(pr)
    if source is None:
        return replace(evidence, external_pins=evidence.external_pins or pins)
    texts, problems = read_all(source, refs)
    folder = library_folder(options, checkout)
    parents = read_parents(parent_libraries_to_fetch(pr, texts), folder)
    libraries = dict(evidence.libraries)
    absent = set(evidence.absent_libraries)
    for name, parsed in parents.items():
        path = folder / name if folder is not None else None
        if parsed is not None and path is not None:
            libraries.setdefault(name, path.read_bytes())
        elif parsed is None:
            absent.add(name)
    return replace(
        evidence,
        dockerfiles={**evidence.dockerfiles, **texts},
        libraries=libraries,
        absent_libraries=frozenset(absent),
        external_pins=evidence.external_pins or pins,
        unchecked=evidence.unchecked + tuple(f"Upstream Dockerfiles: {p}." for p in problems),
    )
