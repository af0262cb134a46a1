"""The configuration keys gatekeeping reads (CONTRACT.md, `DOI_BOT_CONFIG`), as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.review.build import ReviewSettings


@dataclass(frozen=True, slots=True)
class Team:
    """A GitHub team, written `org/team-slug` in the configuration."""

    org: str
    slug: str

    @classmethod
    def parse(cls, text: str) -> Team:
        org, sep, slug = text.partition("/")
        if not sep or not org or not slug or "/" in slug:
            raise ValueError(f"{text!r} is not org/team-slug")
        return cls(org, slug)

    @property
    def mention(self) -> str:
        return f"@{self.org}/{self.slug}"

    def __str__(self) -> str:
        return f"{self.org}/{self.slug}"


@dataclass(frozen=True, slots=True)
class DecisionLabels:
    pending: str = "needs-gatekeeper"
    approve: str = "approved"
    gate: str = "gate"

    @property
    def decisions(self) -> frozenset[str]:
        """The labels only gatekeepers may apply or remove."""
        return frozenset({self.approve, self.gate})


@dataclass(frozen=True, slots=True)
class GatekeeperSettings:
    gatekeepers: Team = Team("docker-library", "maintainers")
    maintainers: Team = Team("docker-library", "maintainers")
    labels: DecisionLabels = DecisionLabels()
    approvals_needed: int = 2
    new_image_label: str = "new-image"
    official_images: str = "docker-library/official-images"  # the repository whose decisions docs follow
    docs: str = "docker-library/docs"

    def review_settings(self) -> ReviewSettings:
        """The names the review (and its "What happens next") uses."""
        from bot.review.build import ReviewSettings  # the review imports gatekeeping's next step

        return ReviewSettings(
            pending=self.labels.pending,
            approve=self.labels.approve,
            gate=self.labels.gate,
            gatekeepers=str(self.gatekeepers),
            maintainers=str(self.maintainers),
            approvals_needed=self.approvals_needed,
        )
