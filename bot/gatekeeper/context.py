"""What every gatekeeping handler needs besides the GitHub client: the settings, who the bot is, the
membership cache, the clock, and a way to ask the review pipeline for a fresh review."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.gatekeeper.membership import MembershipCache
from bot.gatekeeper.settings import GatekeeperSettings, Team

Rereview = Callable[[str, int], Awaitable[None]]  # (owner/repo, pull request number)


def _utc_now() -> datetime:
    return datetime.now(UTC)


async def _no_rereview(repository: str, number: int) -> None:
    return None


@dataclass
class Gatekeeper:
    settings: GatekeeperSettings
    bot: str  # the App's own login, "<slug>[bot]": its label changes are never reverted
    members: MembershipCache = field(default_factory=MembershipCache)
    now: Callable[[], datetime] = _utc_now
    rereview: Rereview = _no_rereview

    @property
    def gatekeepers(self) -> Team:
        return self.settings.gatekeepers

    @property
    def maintainers(self) -> Team:
        return self.settings.maintainers
