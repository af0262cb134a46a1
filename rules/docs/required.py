"""DOI-M001, DOI-M002: the files every image folder must have, and the Hub's short description."""

from __future__ import annotations

from collections.abc import Iterable

from rules.docs.metadata import FORMAT as METADATA_FORMAT
from rules.docs.metadata import METADATA_NAME
from rules.docs.model import NO_CONTENT_IMAGE, REQUIRED_FILES, DocsFolder
from rules.docs.rewrite import rewrite_finding
from rules.findings import Finding, Severity
from rules.registry import rule

REQUIRED = rule(
    "DOI-M001",
    Severity.ERROR,
    "Required docs file missing or empty",
    "The docs CI (required-files) fails unless every image folder but scratch has a non-empty content.md,"
    " github-repo, license.md and maintainer.md.",
)
SHORT = rule(
    "DOI-M002",
    Severity.ERROR,
    "README-short.txt missing, longer than 100 characters or more than one line",
    "README-short.txt is the Docker Hub short description: the Hub rejects more than 100 characters and the"
    " docs CI (short) fails on a longer or multi-line one; a new image without it has no description.",
)

SHORT_LIMIT = 100
SHORT_NAME = "README-short.txt"


def required_files(folder: DocsFolder) -> list[Finding]:
    if not folder.complete or folder.name == NO_CONTENT_IMAGE:
        return []
    findings = []
    for name in REQUIRED_FILES:
        if name not in folder.files:
            message = f"Add {name}: every image folder needs it."
        elif (text := folder.texts.get(name)) is not None and not text.strip():
            message = f"Write the content of {name}: it is empty or blank, and every image folder needs it."
        else:
            continue
        findings.append(REQUIRED.finding(folder.path_of(name), None, message))
    return findings


def short_description(folder: DocsFolder) -> list[Finding]:
    path = folder.path_of(SHORT_NAME)
    text = folder.texts.get(SHORT_NAME)
    if text is None:
        if folder.complete and SHORT_NAME not in folder.files:
            return [SHORT.finding(path, None, "Add README-short.txt: one line of at most 100 characters.")]
        return []
    # The CI counts as the shell does: `$(cat file)` drops every trailing newline, `wc -l` counts newlines.
    short = text.rstrip("\n")
    if not short.strip():
        # the CI passes it, but the Hub then shows no description at all, as with a missing file
        return [SHORT.finding(path, 1, "Write the short description: one line of at most 100 characters.")]
    findings = []
    if len(short) > SHORT_LIMIT:
        findings.append(
            SHORT.finding(
                path,
                1,
                f"Shorten this description to at most {SHORT_LIMIT} characters (it has {len(short)}).",
            )
        )
    if "\n" in short or text.count("\n") > 1:
        message = "Keep README-short.txt to a single line (with at most one trailing newline)."
        finding = rewrite_finding(SHORT, path, text, " ".join(short.split()) + "\n", message)
        if finding.line == 1:
            # the extra lines hold text: point at them, and leave how to merge it into one line to the author
            end = len(text.removesuffix("\n").split("\n"))
            finding = SHORT.finding(path, 2, message, end_line=end if end > 2 else None)
        findings.append(finding)
    return findings


def removed_files(folder_name: str, removed: Iterable[str]) -> list[Finding]:
    """Files a change deletes from an image folder it keeps: each one the folder needs is an error.

    Every folder has README-short.txt and metadata.json, so a change deleting both deletes the folder.
    """
    names = set(removed)
    if {SHORT_NAME, METADATA_NAME} <= names:
        return []
    needed = {SHORT_NAME: SHORT, METADATA_NAME: METADATA_FORMAT}
    if folder_name != NO_CONTENT_IMAGE:
        needed.update(dict.fromkeys(REQUIRED_FILES, REQUIRED))
    return [
        needed[name].finding(f"{folder_name}/{name}", None, f"Keep {name}: every image folder needs it.")
        for name in sorted(names)
        if name in needed
    ]
