"""DOI-M014: github-repo holds one `https://github.com/OWNER/REPO` URL."""

from __future__ import annotations

import re

from rules.docs.model import DocsFolder
from rules.findings import Finding, Severity
from rules.registry import rule

GITHUB_REPO = rule(
    "DOI-M014",
    Severity.WARNING,
    "github-repo that is not a https://github.com/OWNER/REPO URL",
    "github-repo fills %%GITHUB-REPO%% and the default issues link (`%%GITHUB-REPO%%/issues`), which"
    " work only for a plain GitHub repository URL on one line.",
)

_REPO_URL = re.compile(r"https://github\.com/[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+")


def github_repo(folder: DocsFolder) -> list[Finding]:
    text = folder.texts.get("github-repo")
    if not text:
        return []  # missing or empty: DOI-M001
    path = folder.path_of("github-repo")
    url = text.removesuffix("\n")
    if "\n" in url or url != url.strip():
        message = "Write github-repo as the URL alone on one line, with no blank lines or spaces around it."
        words = url.split()
        end_line = text.count("\n") + (not text.endswith("\n"))
        return [
            GITHUB_REPO.finding(
                path,
                1,
                message,
                end_line=end_line if end_line > 1 else None,
                suggestion=words[0] if words else None,
            )
        ]
    if not _REPO_URL.fullmatch(url) or url.endswith(".git"):
        message = (
            f"Write github-repo as https://github.com/OWNER/REPO (not {url}): it builds the GitHub and issue"
            " links."
        )
        return [GITHUB_REPO.finding(path, 1, message)]
    return []
