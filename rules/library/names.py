"""DOI-L013: the file's name is the image's name on Docker Hub."""

from __future__ import annotations

import re

from rules.findings import Finding, Severity
from rules.library.model import LibraryFile
from rules.registry import rule

# A repository path component of the distribution spec; Docker Hub also wants 2 to 255 characters.
_REPOSITORY = re.compile(r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*")

FILE_NAME = rule(
    "DOI-L013",
    Severity.ERROR,
    "The file name is not a valid repository name",
    "A library file's name becomes the image's repository name on Docker Hub, which allows only lowercase"
    " letters, digits and single separators (`.`, `_`, `-`) between them.",
)


def valid_repository_name(name: str) -> bool:
    return 2 <= len(name) <= 255 and _REPOSITORY.fullmatch(name) is not None


def name_findings(library: LibraryFile) -> list[Finding]:
    if valid_repository_name(library.name):
        return []
    return [
        FILE_NAME.finding(
            library.path,
            None,
            f"Rename the file `{library.name}` to a Docker Hub repository name: 2 to 255 lowercase letters"
            " and digits, with single `.`, `_` or `-` between them.",
        )
    ]
