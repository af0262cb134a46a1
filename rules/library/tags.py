"""DOI-L011, L031, L032: what the tags say (beyond bashbrew's own checks)."""

from __future__ import annotations

import re

from rules.findings import Finding, Severity
from rules.library.model import Entry, LibraryFile, brief
from rules.library.parser import valid_tag
from rules.registry import rule

LATEST = rule(
    "DOI-L011",
    Severity.ERROR,
    "A tag containing `latest` that is not `latest`",
    "official-images CI (naughty.sh) rejects any tag that contains `latest` without being exactly `latest`;"
    " `latest` means the default version and is not combined with variants.",
)
UNSTABLE = rule(
    "DOI-L031",
    Severity.INFO,
    "A tag that looks like a CI or nightly build",
    "The review guidelines accept release candidates but not nightly or CI builds; a maintainer will ask"
    " what such a tag points at.",
)
ALIAS = rule(
    "DOI-L032",
    Severity.INFO,
    "An X.Y.Z tag without its X.Y alias",
    "Official images tag the newest release of each series with its aliases (`2.3.7, 2.3, 2`), so users"
    " can follow a series.",
)

_UNSTABLE = re.compile(r"(?:^|[-._])(nightly|snapshot|edge|dev)(?:[-._]|$)")
_VERSION = re.compile(r"(\d+)\.(\d+)\.\d+")


def _tag_line(entry: Entry, tag: str) -> int:
    return entry.line_of("Tags" if tag in entry.tags else "SharedTags")


def latest_findings(library: LibraryFile) -> list[Finding]:
    findings = []
    for entry in library.entries:
        for tag in dict.fromkeys(entry.all_tags):
            if "latest" in tag and tag != "latest" and valid_tag(tag):  # bashbrew rejects invalid ones
                findings.append(
                    LATEST.finding(
                        library.path,
                        _tag_line(entry, tag),
                        f'Rename the tag `{brief(tag)}`: only `latest` itself may contain "latest"'
                        " (official-images CI rejects it).",
                    )
                )
    return findings


def unstable_findings(library: LibraryFile) -> list[Finding]:
    """One finding per entry, on the first such tag."""
    findings = []
    for entry in library.entries:
        for tag in entry.all_tags:
            match = _UNSTABLE.search(tag)
            if match:
                findings.append(
                    UNSTABLE.finding(
                        library.path,
                        _tag_line(entry, tag),
                        f"Make sure `{brief(tag)}` is a release users can rely on: tags of nightly or CI"
                        f" builds (`{match.group(1)}`) are not accepted.",
                    )
                )
                break
    return findings


def alias_findings(library: LibraryFile) -> list[Finding]:
    """Each missing alias once, on the first entry of its series."""
    tags = set(library.tags())
    reported: set[str] = set()
    findings = []
    for entry in library.entries:
        missing = []
        for tag in entry.tags:
            version = _VERSION.fullmatch(tag)
            if version:
                alias = f"{version.group(1)}.{version.group(2)}"
                if alias not in tags and alias not in reported:
                    missing.append(alias)
                    reported.add(alias)
        if missing:
            names = ", ".join(f"`{m}`" for m in missing)
            findings.append(
                ALIAS.finding(
                    library.path,
                    entry.line_of("Tags"),
                    f"Add the alias {names} to the newest release of its series, so users can follow it.",
                )
            )
    return findings
