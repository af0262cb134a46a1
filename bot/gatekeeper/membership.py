"""Team membership, asked of GitHub and remembered briefly: a member removed from the team loses the power
to decide as soon as the remembered answer expires."""

from __future__ import annotations

import time
from collections.abc import Callable

import gidgethub
from cachetools import TTLCache
from gidgethub.abc import GitHubAPI

from bot.gatekeeper.settings import Team

# Short enough that a removal takes effect within minutes; long enough that a busy pull request asks once.
MEMBERSHIP_TTL_SECONDS = 120.0
MEMBERSHIP_CACHE_SIZE = 4096


class MembershipCache:
    def __init__(
        self,
        ttl: float = MEMBERSHIP_TTL_SECONDS,
        maxsize: int = MEMBERSHIP_CACHE_SIZE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._answers: TTLCache[tuple[Team, str], bool] = TTLCache(maxsize=maxsize, ttl=ttl, timer=clock)

    def get(self, team: Team, login: str) -> bool | None:
        return self._answers.get((team, login.lower()))

    def put(self, team: Team, login: str, active: bool) -> None:
        self._answers[(team, login.lower())] = active

    async def is_active_member(self, gh: GitHubAPI, team: Team, login: str) -> bool:
        """`GET /orgs/{org}/teams/{slug}/memberships/{user}` with `state == active`; 404 means not a member.

        A pending invitation does not count: the person has not joined the team yet.
        """
        known = self.get(team, login)
        if known is not None:
            return known
        try:
            membership = await gh.getitem(
                "/orgs/{org}/teams/{team_slug}/memberships/{username}",
                {"org": team.org, "team_slug": team.slug, "username": login},
            )
        except gidgethub.BadRequest as exc:
            if exc.status_code.value != 404:
                raise
            active = False
        else:
            active = membership.get("state") == "active"
        self.put(team, login, active)
        return active
