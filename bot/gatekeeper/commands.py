"""`/doi-bot` commands in pull-request comments: parsed from the comment text, nothing else."""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "/doi-bot"
RULE_ID = re.compile(r"^DOI-[A-Z]\d{3}$")
# A command is a line of its own, so quoting a command in a reply (`> /doi-bot …`) does not run it again.
_COMMAND_LINE = re.compile(r"^/doi-bot(?:\s+(?P<rest>.*))?$")

HELP = (
    "I know these commands, each on a line of its own:\n\n"
    "- `/doi-bot recheck`: review this pull request again (the author or a maintainer).\n"
    "- `/doi-bot status`: where this proposal stands and who has the next step.\n"
    "- `/doi-bot ignore DOI-X000 <reason>`: waive one rule on this pull request (a maintainer; the reason"
    " is required and shown next to the waived findings)."
)


@dataclass(frozen=True, slots=True)
class Recheck:
    pass


@dataclass(frozen=True, slots=True)
class Status:
    pass


@dataclass(frozen=True, slots=True)
class Ignore:
    rule: str
    reason: str


@dataclass(frozen=True, slots=True)
class Unknown:
    text: str
    problem: str  # one sentence for the help reply


Command = Recheck | Status | Ignore | Unknown


def parse_commands(body: str) -> list[Command]:
    """Every `/doi-bot` line of a comment, in order; fenced code blocks hold examples, not commands."""
    commands: list[Command] = []
    fenced = False
    for raw in body.splitlines():
        line = raw.strip()
        if line.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        match = None if fenced else _COMMAND_LINE.match(line)
        if match:
            commands.append(_parse(match.group("rest") or ""))
    return commands


def _parse(rest: str) -> Command:
    words = rest.split(maxsplit=2)
    if not words:
        return Unknown(PREFIX, "A command name is missing after `/doi-bot`.")
    name = words[0].lower()
    text = f"{PREFIX} {rest}".strip()
    if name in ("recheck", "status"):
        if len(words) > 1:
            return Unknown(text, f"`{name}` takes no arguments.")
        return Recheck() if name == "recheck" else Status()
    if name == "ignore":
        if len(words) < 2 or not RULE_ID.match(words[1].upper()):
            return Unknown(text, "`ignore` needs a rule id such as `DOI-D012`, then the reason.")
        if len(words) < 3 or not words[2].strip():
            return Unknown(text, f"`ignore {words[1].upper()}` needs a reason after the rule id.")
        return Ignore(words[1].upper(), words[2].strip())
    return Unknown(text, f"`{words[0]}` is not a doi-bot command.")
