"""Where waivers are kept: in the bot's own reply to each `ignore` command, as a hidden marker.

Only comments written by the bot are read back, so nobody can forge a waiver by pasting the marker, and a
waiver keeps standing after the maintainer who gave it leaves the team (it was valid when given).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from rules.gatekeeping import Waiver

_MARKER = re.compile(r"<!-- doi-bot:waiver (\{.*?\}) -->")


def waiver_marker(waiver: Waiver) -> str:
    # `>` escaped so a reason containing `-->` cannot end the HTML comment early.
    data = json.dumps({"rule": waiver.rule, "reason": waiver.reason, "by": waiver.by}, ensure_ascii=False)
    return "<!-- doi-bot:waiver " + data.replace(">", "\\u003e") + " -->"


def waivers_from_comments(comments: Iterable[Mapping[str, Any]], bot: str) -> list[Waiver]:
    """The waivers recorded in the bot's comments (issue comments as GitHub lists them), oldest first."""
    waivers = []
    for comment in comments:
        if (comment.get("user") or {}).get("login") != bot:
            continue
        for match in _MARKER.finditer(comment.get("body") or ""):
            try:
                data = json.loads(match.group(1))
                waivers.append(Waiver(str(data["rule"]), str(data["reason"]), str(data["by"])))
            except (ValueError, KeyError, TypeError):
                continue
    return waivers
