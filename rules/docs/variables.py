"""DOI-M009: `%%VARIABLES%%` that update.sh does not replace in an image folder's Markdown."""

from __future__ import annotations

import re

from rules.docs.model import DocsFolder
from rules.findings import Finding, Severity
from rules.registry import rule

VARIABLE = rule(
    "DOI-M009",
    Severity.WARNING,
    "Unknown, obsolete or literal %%VARIABLE%%",
    "update.sh replaces a fixed set of variables, in a fixed order: any other name, an obsolete one or one"
    " replaced before the folder's text is inserted shows up literally on Docker Hub.",
)

# Replaced after an image folder's files are inserted (update.sh's sed order), so they work there.
KNOWN = frozenset(
    {
        "VARIANT",
        "LOGO",
        "COMPOSE",
        "COMPOSE-YAML",
        "LICENSE",
        "ISSUES",
        "GET-HELP",
        "MAINTAINER",
        "IMAGE",
        "REPO",
        "GITHUB-REPO",
    }
)
OBSOLETE = frozenset({"STACK", "STACK-YML", "STACK-URL", "COMPOSE-YML"})  # removed 2025-05-05
# Replaced before the folder's text is inserted, or only inside .template-helpers: they stay literal.
LITERAL = frozenset({"TAGS", "ARCHES", "CONTENT", "DEB-SUITES"})

_VARIABLE = re.compile(r"%%([A-Z][A-Z0-9_-]+)%%")


def _message(name: str) -> str:
    if name in OBSOLETE:
        replacement = "%%COMPOSE%% with a compose.yaml" if name.startswith("COMPOSE") else "nothing"
        return f"Replace %%{name}%%, which update.sh no longer knows, with {replacement}."
    if name in LITERAL:
        return f"Remove %%{name}%%: it is filled in before this file is inserted, so it would stay literal."
    return f"Replace %%{name}%%: update.sh knows no such variable (use %%IMAGE%% for the image's name)."


def variables(folder: DocsFolder) -> list[Finding]:
    findings = []
    for name in folder.markdown_names():
        for number, line in enumerate(folder.texts[name].split("\n"), start=1):
            for match in _VARIABLE.finditer(line):
                if match.group(1) not in KNOWN:
                    findings.append(VARIABLE.finding(folder.path_of(name), number, _message(match.group(1))))
    return findings
