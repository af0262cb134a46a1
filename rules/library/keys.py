"""DOI-L020, L021, L022, L030: keys bashbrew silently ignores, and arch fields it never uses."""

from __future__ import annotations

import difflib

from rules.findings import Finding, Severity
from rules.library.model import ARCH_FIELDS, KNOWN_ARCHES, Field, LibraryFile, Paragraph, brief
from rules.registry import rule

FIELDS = ("Maintainers", "Tags", "SharedTags", "Architectures", *ARCH_FIELDS, "Constraints")
# Keys that bashbrew rejects itself (DOI-L001): no second finding for them here.
_DECODER_KEYS = frozenset({"Values", "ArchValues", "Paragraph"})
_FIELD_BY_LOWER = {name.lower(): name for name in FIELDS}
_SUFFIX_BY_LOWER = {f"-{name.lower()}": f"-{name}" for name in ARCH_FIELDS}
_ARCH_ALIASES = {
    "arm64": "arm64v8",
    "aarch64": "arm64v8",
    "x86_64": "amd64",
    "x86-64": "amd64",
    "x64": "amd64",
    "armhf": "arm32v7",
    "armv7": "arm32v7",
    "arm": "arm32v7",
    "armel": "arm32v5",
    "armv6": "arm32v6",
    "386": "i386",
    "x86": "i386",
    "ppc64el": "ppc64le",
    "windows": "windows-amd64",
}

MISCASED = rule(
    "DOI-L020",
    Severity.WARNING,
    "A known key with the wrong letter case",
    "bashbrew matches keys byte for byte: `Gitcommit` is not `GitCommit`, so the value is silently ignored"
    " and the entry falls back to the global or default value.",
)
UNKNOWN = rule(
    "DOI-L021",
    Severity.WARNING,
    "An unknown key",
    "bashbrew silently ignores keys it does not know, so a typo such as `Architecture` leaves the entry on"
    " its default value.",
)
ARCH_PREFIX = rule(
    "DOI-L022",
    Severity.WARNING,
    "An arch-prefixed field for an unknown architecture",
    "bashbrew stores any `<prefix>-GitCommit` but only ever reads it for a known architecture, so a typo in"
    " the prefix silently builds that architecture from the plain field.",
)
UNUSED_ARCH_FIELD = rule(
    "DOI-L030",
    Severity.INFO,
    "An arch-prefixed field for an architecture the entry does not build",
    "bashbrew ignores it; either the architecture is missing from Architectures or the field is left over.",
)


def replace_key(library: LibraryFile, line: int, key: str, new: str) -> str | None:
    """The source line with its key `key` written as `new` (None when the line does not hold it)."""
    text = library.lines[line - 1] if 0 < line <= len(library.lines) else None
    return text.replace(key, new, 1) if text and key in text else None


def miscased(paragraph: Paragraph, key: str) -> Field | None:
    """The field that sets `key` with the wrong letter case (`Gitcommit` for GitCommit), if any."""
    for found in reversed(paragraph.fields):
        if found.key != key and found.key.lower() == key.lower():
            return found
    return None


def arch_suggestion(prefix: str) -> str | None:
    """The known architecture a mistyped one most likely means (`arm64` -> `arm64v8`), else None."""
    lower = prefix.lower()
    if lower in KNOWN_ARCHES:
        return lower
    if lower in _ARCH_ALIASES:
        return _ARCH_ALIASES[lower]
    close = difflib.get_close_matches(lower, KNOWN_ARCHES, n=1, cutoff=0.8)
    return close[0] if close else None


def _arch_split(key: str) -> tuple[str, str] | None:
    """(prefix, `-Field`) for a key ending in an arch field name, any letter case."""
    for lower_suffix, suffix in _SUFFIX_BY_LOWER.items():
        if key.lower().endswith(lower_suffix):
            return key[: -len(suffix)], suffix
    return None


def key_findings(library: LibraryFile) -> list[Finding]:
    findings = []
    starts = {entry.line: entry for entry in library.entries}
    for index, paragraph in enumerate(library.paragraphs):
        entry = starts.get(paragraph.line) if index else None
        for field in paragraph.fields:
            key = field.key
            if key in FIELDS or key in _DECODER_KEYS:
                continue
            if key.lower() in _FIELD_BY_LOWER:
                right = _FIELD_BY_LOWER[key.lower()]
                findings.append(
                    MISCASED.finding(
                        library.path,
                        field.line,
                        f"Write the key as `{right}`: bashbrew ignores `{brief(key)}` as an unknown key.",
                        suggestion=replace_key(library, field.line, key, right),
                    )
                )
                continue
            split = _arch_split(key)
            if split is None:
                close = difflib.get_close_matches(key, FIELDS, n=1, cutoff=0.75)
                advice = f"Write `{close[0]}`" if close else "Remove it or write it as a `#` comment"
                findings.append(
                    UNKNOWN.finding(
                        library.path,
                        field.line,
                        f"{advice}: bashbrew does not know the key `{brief(key)}` and ignores it.",
                        suggestion=replace_key(library, field.line, key, close[0]) if close else None,
                    )
                )
                continue
            prefix, suffix = split
            right_suffix = _SUFFIX_BY_LOWER[suffix.lower()]
            if prefix in KNOWN_ARCHES and suffix != right_suffix:
                findings.append(
                    MISCASED.finding(
                        library.path,
                        field.line,
                        f"Write the key as `{prefix}{right_suffix}`: bashbrew ignores `{key}`.",
                        suggestion=replace_key(library, field.line, key, prefix + right_suffix),
                    )
                )
            elif prefix not in KNOWN_ARCHES:
                arch = arch_suggestion(prefix)
                advice = f"Write `{arch}{right_suffix}`" if arch else "Use a known architecture as the prefix"
                fixed = replace_key(library, field.line, key, arch + right_suffix) if arch else None
                findings.append(
                    ARCH_PREFIX.finding(
                        library.path,
                        field.line,
                        f"{advice}: `{brief(prefix)}` is not an architecture, so bashbrew never reads it.",
                        suggestion=fixed,
                    )
                )
            elif entry is not None and prefix not in entry.architectures:
                findings.append(
                    UNUSED_ARCH_FIELD.finding(
                        library.path,
                        field.line,
                        f"Remove `{key}` or add {prefix} to this entry's Architectures: the entry does not"
                        f" build {prefix}, so bashbrew ignores it.",
                    )
                )
    return findings
