"""DOI-L012: entries that share a tag must not build the same architecture (naughty-sharedtags.sh)."""

from __future__ import annotations

from rules.findings import Finding, Severity
from rules.library.model import Entry, LibraryFile, brief
from rules.registry import rule

OVERLAP = rule(
    "DOI-L012",
    Severity.ERROR,
    "Entries sharing a tag build the same architecture",
    "A shared tag becomes one multi-architecture manifest list, so each architecture may come from only one"
    " of its entries; official-images CI rejects overlaps (windows-amd64 excepted: Windows versions share"
    " it on purpose).",
)


def _groups(library: LibraryFile) -> list[tuple[list[str], list[Entry]]]:
    """bashbrew's GetSharedTagGroups: shared tags grouped by the exact set of entries that carry them."""
    carriers: dict[str, list[Entry]] = {}
    for entry in library.entries:
        for tag in entry.shared_tags:
            carriers.setdefault(tag, []).append(entry)
    groups: dict[tuple[int, ...], tuple[list[str], list[Entry]]] = {}
    for tag, entries in carriers.items():
        key = tuple(id(e) for e in entries)
        groups.setdefault(key, ([], entries))[0].append(tag)
    return list(groups.values())


def sharedtags_findings(library: LibraryFile) -> list[Finding]:
    findings = []
    repo = library.name
    for shared, entries in _groups(library):
        seen: dict[str, Entry] = {}
        duplicated: list[str] = []
        culprit: Entry | None = None
        for entry in entries:
            for arch in entry.architectures:
                if arch == "windows-amd64":
                    continue
                if arch in seen and arch not in duplicated:
                    duplicated.append(arch)
                    culprit = culprit or entry
                seen.setdefault(arch, entry)
        if not duplicated or culprit is None:
            continue
        names = brief(", ".join(f"{repo}:{tag}" for tag in shared), 300)
        owners = brief(", ".join(f"{repo}:{e.tags[0]}" for e in entries if e.tags), 300)
        arches = ", ".join(sorted(duplicated))
        findings.append(
            OVERLAP.finding(
                library.path,
                culprit.line_of("SharedTags"),
                f"Give each architecture to only one of the entries sharing {names}: {arches} comes from more"
                f" than one (official-images CI: - {names}: (duplicate architectures in SharedTags; {owners})"
                f" - {arches}).",
            )
        )
    return findings
