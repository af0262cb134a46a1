"""Team membership answers are cached briefly: a removed member loses the power right after expiry."""

from __future__ import annotations

from bot.gatekeeper.membership import MembershipCache
from bot.gatekeeper.settings import Team

TEAM = Team("docker-library", "maintainers")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_cached_answers_expire_after_the_ttl():
    clock = Clock()
    cache = MembershipCache(ttl=120, clock=clock)
    cache.put(TEAM, "Tianon", True)
    assert cache.get(TEAM, "tianon") is True
    clock.now = 119.9
    assert cache.get(TEAM, "tianon") is True
    clock.now = 120.0
    assert cache.get(TEAM, "tianon") is None
    assert cache.get(Team("docker-library", "other"), "tianon") is None


def test_the_cache_is_bounded():
    cache = MembershipCache(maxsize=3, clock=Clock())
    for i in range(10):
        cache.put(TEAM, f"user{i}", True)
    assert sum(cache.get(TEAM, f"user{i}") is not None for i in range(10)) == 3
