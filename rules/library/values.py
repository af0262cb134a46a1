"""DOI-L023, L024, L026, L027, L028: values bashbrew accepts at parse time that go wrong later."""

from __future__ import annotations

import re

from rules.findings import Finding, Severity
from rules.library.model import Field, LibraryFile, brief
from rules.library.parser import valid_git_commit, valid_git_fetch
from rules.registry import rule

BUILDERS = ("", "classic", "buildkit", "oci-import")
_LISTS = frozenset({"Maintainers", "Tags", "SharedTags", "Architectures", "Constraints"})
_INLINE_COMMENT = re.compile(r"\s#")
_SHA_PREFIX = re.compile(r"([0-9a-fA-F]{40}|[0-9a-fA-F]{64})\b")

ARCH_GIT_FORM = rule(
    "DOI-L023",
    Severity.WARNING,
    "An arch-prefixed GitCommit or GitFetch of the wrong form",
    "bashbrew checks the form of GitCommit and GitFetch but not of their arch-prefixed versions, so a short"
    " SHA or a branch name there fails only when that architecture is fetched.",
)
BUILDER = rule(
    "DOI-L024",
    Severity.WARNING,
    "An unknown Builder",
    "`bashbrew build` knows only the classic builder, buildkit and oci-import; any other value fails the"
    " build with `unknown builder`.",
)
INLINE_COMMENT = rule(
    "DOI-L026",
    Severity.WARNING,
    "A `#` comment after a value",
    "Only whole lines starting with `#` are comments; after a value, the `#` and everything after it are"
    " part of the value.",
)
TRAILING_COMMA = rule(
    "DOI-L027",
    Severity.WARNING,
    "A trailing comma in a list",
    "bashbrew reads a trailing comma as one more, empty, item: an invalid tag, maintainer or architecture.",
)
GIT_PROTOCOL = rule(
    "DOI-L028",
    Severity.WARNING,
    "A `git://` repository URL",
    "The git protocol is unauthenticated and unencrypted; bashbrew warns about it and GitHub no longer"
    " serves it.",
)


def _line(library: LibraryFile, number: int) -> str:
    return library.lines[number - 1] if 0 < number <= len(library.lines) else ""


def _arch_field(key: str, name: str) -> bool:
    return key.endswith(f"-{name}")


def _git_form(library: LibraryFile, field: Field) -> Finding | None:
    value = field.value
    if not value:
        return None
    if _arch_field(field.key, "GitCommit") and not valid_git_commit(value):
        sha = _SHA_PREFIX.match(value)
        line = _line(library, field.line)
        suggestion = line.replace(value, sha.group(1).lower(), 1) if sha and value in line else None
        return ARCH_GIT_FORM.finding(
            library.path,
            field.line,
            f"Set `{field.key}` to a full 40-character lowercase commit SHA, not `{brief(value)}`.",
            suggestion=suggestion,
        )
    if _arch_field(field.key, "GitFetch") and not valid_git_fetch(value):
        return ARCH_GIT_FORM.finding(
            library.path,
            field.line,
            f"Set `{field.key}` to `refs/heads/<branch>` or `refs/tags/<tag>`, not `{brief(value)}`.",
        )
    return None


def _builder(library: LibraryFile, field: Field) -> Finding | None:
    if (field.key != "Builder" and not _arch_field(field.key, "Builder")) or field.value in BUILDERS:
        return None
    lower = field.value.strip().lower()
    line = _line(library, field.line)
    suggestion = line.replace(field.value, lower, 1) if lower in BUILDERS and field.value in line else None
    return BUILDER.finding(
        library.path,
        field.line,
        f"Set {field.key} to `buildkit`, `classic` or `oci-import` (or leave it out): `bashbrew build`"
        f" fails on `{brief(field.value)}`.",
        suggestion=suggestion,
    )


def inline_comments(library: LibraryFile, field: Field) -> list[tuple[int, str, str]]:
    """(line, the line without the comment, the comment) for each `#` comment after a value in `field`."""
    found = []
    for number, text in library.field_lines(field):
        value_part = text.partition(":")[2] if number == field.line else text
        match = _INLINE_COMMENT.search(value_part)
        if match is not None:
            start = len(text) - len(value_part) + match.start()
            found.append((number, text[:start].rstrip(), text[start:]))
    return found


def _inline_comments(library: LibraryFile, field: Field) -> list[Finding]:
    return [
        INLINE_COMMENT.finding(
            library.path,
            number,
            f"Move the comment to a line of its own starting with `#`: bashbrew reads"
            f" `{brief(comment)}` as part of the {field.key} value.",
            suggestion=fixed,
        )
        for number, fixed, comment in inline_comments(library, field)
    ]


def trailing_comma(library: LibraryFile, field: Field) -> tuple[int, str] | None:
    """(line, the line without the comma) when the list `field` ends with a comma."""
    if field.key not in _LISTS or not field.value.strip("\n\r\t ").endswith(","):
        return None
    for number, text in reversed(library.field_lines(field)):
        stripped = text.rstrip()
        if stripped.endswith(","):
            return number, stripped[:-1].rstrip()
    return None


def _trailing_comma(library: LibraryFile, field: Field) -> Finding | None:
    found = trailing_comma(library, field)
    if found is None:
        return None
    return TRAILING_COMMA.finding(
        library.path,
        found[0],
        f"Remove the comma at the end of {field.key}: bashbrew reads an empty item after it.",
        suggestion=found[1],
    )


def _git_protocol(library: LibraryFile, field: Field) -> Finding | None:
    if field.key != "GitRepo" and not _arch_field(field.key, "GitRepo"):
        return None
    if not field.value.startswith("git://"):
        return None
    line = _line(library, field.line)
    return GIT_PROTOCOL.finding(
        library.path,
        field.line,
        f"Use `https://` instead of `git://` for {field.key}.",
        suggestion=line.replace("git://", "https://", 1) if "git://" in line else None,
    )


def value_findings(library: LibraryFile) -> list[Finding]:
    findings: list[Finding] = []
    for paragraph in library.paragraphs:
        for field in paragraph.fields:
            for check in (_git_form, _builder, _trailing_comma, _git_protocol):
                found = check(library, field)
                if found is not None:
                    findings.append(found)
            findings += _inline_comments(library, field)
    return findings
