"""Which webhook events make which jobs. Each feature module keeps its own `Routes` and the server merges
them, so a feature adds handlers without touching the intake.

A handler is called in the request, after the signature check: it must be quick and do no I/O. It reads
the payload and returns the work to queue (a `Job`), queued work to forget (a `Drop`), several, or None.
A job about a pull request uses the key `(repository.lower(), number)`, so that pull request's jobs run
one at a time whatever their kind; its `run(job, services)` does the GitHub work."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bot.config import BotConfig
from bot.jobs import Drop, Job

Intent = Job | Drop


@dataclass(frozen=True)
class Delivery:
    event: str
    delivery_id: str
    data: dict[str, Any]
    received: float  # time.monotonic() when the request arrived

    @property
    def action(self) -> str | None:
        action = self.data.get("action")
        return action if isinstance(action, str) else None

    @property
    def repository(self) -> str | None:
        repo = self.data.get("repository")
        name = repo.get("full_name") if isinstance(repo, dict) else None
        return name if isinstance(name, str) else None

    @property
    def installation_id(self) -> int | None:
        installation = self.data.get("installation")
        value = installation.get("id") if isinstance(installation, dict) else None
        return value if isinstance(value, int) else None


Handler = Callable[[Delivery, BotConfig], Intent | Iterable[Intent] | None]


class Routes:
    def __init__(self, *others: Routes) -> None:
        self._handlers: dict[tuple[str, str | None], list[Handler]] = {}
        for other in others:
            for route, handlers in other._handlers.items():
                self._handlers.setdefault(route, []).extend(handlers)

    def register(self, event: str, *actions: str) -> Callable[[Handler], Handler]:
        """`@routes.register("pull_request", "opened", "synchronize")`; no action: every action."""

        def decorate(handler: Handler) -> Handler:
            for action in actions or (None,):
                self._handlers.setdefault((event, action), []).append(handler)
            return handler

        return decorate

    def handles(self, event: str) -> bool:
        return any(e == event for e, _ in self._handlers)

    def intents(self, delivery: Delivery, config: BotConfig) -> list[Intent]:
        """What every handler of the delivery's event and action asks for, in registration order."""
        handlers = self._handlers.get((delivery.event, delivery.action), []) + (
            self._handlers.get((delivery.event, None), []) if delivery.action is not None else []
        )
        out: list[Intent] = []
        for handler in handlers:
            result = handler(delivery, config)
            if result is None:
                continue
            out.extend([result] if isinstance(result, Job | Drop) else result)
        return out
