"""Which GitRepo values are GitHub repositories: one reading for links, permalinks and API calls."""

from __future__ import annotations

import re

# https, http, git and ssh URLs (a user part allowed) and scp-like `git@github.com:o/r`; `.git`, `/` dropped
_GITHUB = re.compile(
    r"^(?:(?:https?|git|ssh)://(?:[^@/]+@)?|git@)(?:www\.)?github\.com[:/]([^/\s]+)/([^/\s]+?)(?:\.git)?/*$",
    re.I,
)


def github_location(git_repo: str) -> tuple[str, str] | None:
    """(owner, name) of a GitRepo hosted on github.com, else None (other hosts need git)."""
    match = _GITHUB.match(git_repo.strip())
    return (match.group(1), match.group(2)) if match else None


def github_repository(git_repo: str) -> str | None:
    """`owner/name` of a GitRepo hosted on github.com, else None."""
    location = github_location(git_repo)
    return "/".join(location) if location else None
