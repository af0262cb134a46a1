"""Every check of one library file: its bytes in, the parsed file and its findings out."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from rules.findings import Finding, Severity
from rules.library.bashbrew import bashbrew_findings, legacy_format
from rules.library.keys import key_findings
from rules.library.layout import layout_findings
from rules.library.model import LibraryFile
from rules.library.names import name_findings
from rules.library.parser import parse_library
from rules.library.sharedtags import sharedtags_findings
from rules.library.tags import alias_findings, latest_findings, unstable_findings
from rules.library.values import value_findings
from rules.tool import decode_text, guarded

LibraryCheck = Callable[[LibraryFile], Iterable[Finding]]

# (name, check): each rule module contributes one check over the parsed file.
CHECKS: tuple[tuple[str, LibraryCheck], ...] = (
    ("bashbrew", bashbrew_findings),
    ("names", name_findings),
    ("latest", latest_findings),
    ("sharedtags", sharedtags_findings),
    ("keys", key_findings),
    ("values", value_findings),
    ("layout", layout_findings),
    ("unstable-tags", unstable_findings),
    ("aliases", alias_findings),
)


def _without_repeats(findings: list[Finding]) -> list[Finding]:
    """Drop a warning or note whose fix an error already suggests for the same line: it is the same
    mistake (a trailing comma in Tags, an inline comment after GitCommit, a mis-cased key)."""
    fixed = {
        (f.line, f.suggestion) for f in findings if f.severity is Severity.ERROR and f.suggestion is not None
    }
    return [f for f in findings if f.severity is Severity.ERROR or (f.line, f.suggestion) not in fixed]


def check_library(library: LibraryFile) -> list[Finding]:
    """Every library-file rule on a parsed file; a crashing rule becomes one finding, the rest still run.
    A file in the old line-based format gets only the finding that says so."""
    checks = CHECKS[:1] if legacy_format(library) else CHECKS
    findings: list[Finding] = []
    for name, check in checks:
        findings += guarded(lambda check=check: check(library), library.path, name)
    return _without_repeats(findings)


def read_library(data: bytes, name: str, path: str) -> tuple[LibraryFile | None, list[Finding]]:
    """The parsed file (None when the bytes are not readable text, or the parser crashed) and the
    findings of every check."""
    text, unreadable = decode_text(data, path)
    if text is None:
        return None, [unreadable] if unreadable else []
    parsed: list[LibraryFile] = []
    crashed = guarded(lambda: parsed.append(parse_library(text, name, path)) or (), path, "parser")
    if not parsed:
        return None, crashed
    return parsed[0], check_library(parsed[0])
