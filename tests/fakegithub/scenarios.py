"""Ready-made pull requests and a stand-in review, for tests of the App that do not need the real rules."""

from __future__ import annotations

from bot.config import BotConfig
from bot.publish import SUMMARY_MARKER
from bot.review.model import Evidence, InlineComment, PullRequest, Review
from rules.findings import Finding, Severity

from .core import FakeGitHub
from .state import Repo

OI = "docker-library/official-images"
BASE, HEAD, HEAD2 = "b" * 40, "c" * 40, "d" * 40
PYTHON_BASE = """Maintainers: Tianon Gravi <admwiggin@gmail.com> (@tianon)
GitRepo: https://github.com/docker-library/python.git

Tags: 3.13.0, 3.13
Architectures: amd64, arm64v8
GitCommit: 1111111111111111111111111111111111111111
Directory: 3.13/bookworm
"""
PYTHON_HEAD = PYTHON_BASE.replace("3.13.0, 3.13", "3.13.1, 3.13, latest").replace("1" * 40, "2" * 40)


def tag_reviewer(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
    """A stand-in for the real review: one warning on the Tags line of each changed library file."""
    findings, comments = [], []
    for changed in pr.files:
        text = (changed.head or b"").decode()
        line = next((n for n, ln in enumerate(text.splitlines(), 1) if ln.startswith("Tags:")), None)
        if line is None:
            continue
        findings.append(Finding("DOI-L099", Severity.WARNING, changed.path, line, "Say why the tag changed."))
        comments.append(InlineComment(changed.path, line, "**DOI-L099** warning: Say why the tag changed."))
    summary = f"{SUMMARY_MARKER}\n## doi-bot review of {pr.head_sha[:7]}\n\n{len(findings)} warning(s).\n"
    labels = tuple(f"library/{f.path.removeprefix('library/')}" for f in pr.files)
    return Review(summary, tuple(findings), tuple(comments), labels, "neutral" if findings else "success")


def official_images(gh: FakeGitHub) -> Repo:
    repo = gh.add_repo(OI)
    repo.open_pull(
        7,
        "python: 3.13.1",
        base_sha=BASE,
        head_sha=HEAD,
        files={"library/python": (PYTHON_BASE, PYTHON_HEAD)},
    )
    return repo


def many_pulls(gh: FakeGitHub, count: int) -> Repo:
    """Official-images with pull requests 1..count, each bumping its own image `img<n>`."""
    repo = gh.add_repo(OI)
    for number in range(1, count + 1):
        files = {f"library/img{number}": (PYTHON_BASE, PYTHON_HEAD)}
        repo.open_pull(number, f"img{number}: bump", base_sha=BASE, head_sha=f"{number:040d}", files=files)
    return repo
