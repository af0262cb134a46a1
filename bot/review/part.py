"""What one area of the review (library files, Dockerfiles, docs) contributes to a pull request's review."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.review.model import Evidence, PullRequest
from rules.findings import Finding

if TYPE_CHECKING:
    from bot.review.build import ReviewSettings


@dataclass(frozen=True, slots=True)
class Placed:
    """A finding with where the summary lists it: under its image, then its entry."""

    finding: Finding
    image: str
    entry: str = ""  # the entry's tags; "" for the file as a whole


@dataclass(frozen=True)
class ReviewPart:
    findings: tuple[Placed, ...] = ()
    labels: tuple[str, ...] = ()
    change_markdown: str = ""  # the change at a glance, Markdown
    new_images: tuple[str, ...] = ()
    next_steps: tuple[str, ...] = ()  # Markdown list items (without "- ") for "What happens next"
    unchecked: tuple[str, ...] = ()  # sentences: what this part could not check


# One area's review of a pull request: pure, from the pull request and the fetched evidence.
Reviewer = Callable[[PullRequest, Evidence, "ReviewSettings"], ReviewPart]
