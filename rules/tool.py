"""DOI-X: the tool itself. Input it could not read, and a check that crashed."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from rules.findings import Finding, Severity
from rules.registry import rule

log = logging.getLogger(__name__)

# Real library files are at most 40 KB and docs pages at most about 60 KB: 4 MiB is never a real file.
MAX_INPUT_BYTES = 4 * 1024 * 1024

UNREADABLE = rule(
    "DOI-X001",
    Severity.ERROR,
    "Input that is not a readable text file",
    "A library file, Dockerfile or docs file must be UTF-8 text of a sane size; binary, non-UTF-8 or"
    " huge content cannot be what the author meant and no tool downstream would read it.",
)
CRASHED = rule(
    "DOI-X002",
    Severity.WARNING,
    "A check crashed on this input",
    "One check failing on strange input must not sink the whole review: the other checks still run, and"
    " the crash is reported so the bot can be fixed.",
)


def decode_text(data: bytes, path: str, *, limit: int = MAX_INPUT_BYTES) -> tuple[str | None, Finding | None]:
    """UTF-8 text, or the one finding that says why the bytes are not readable text.

    A byte-order mark is kept: bashbrew and Docker each treat it in their own way, so the parsers decide.
    """
    if len(data) > limit:
        size = f"{len(data) / (1024 * 1024):.1f} MiB"
        return None, UNREADABLE.finding(
            path,
            None,
            f"This file is {size}, far larger than any real one; commit the text file it should be.",
        )
    if b"\0" in data:
        return None, UNREADABLE.finding(
            path, None, "This file is binary (it contains NUL bytes); commit the text file it should be."
        )
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return None, UNREADABLE.finding(
            path, line, f"This file is not valid UTF-8 (byte {exc.start}); save it as UTF-8 text."
        )


def guarded(check: Callable[[], Iterable[Finding]], path: str, name: str) -> list[Finding]:
    """Run one check; a crash becomes one finding and a log line, never a lost review."""
    try:
        return list(check())
    except Exception as exc:
        log.exception("check %s crashed on %s", name, path)
        return [
            CRASHED.finding(
                path,
                None,
                f"The check {name} crashed on this file ({type(exc).__name__}); the other checks still ran,"
                " and this is a bug in doi-bot to report.",
            )
        ]
