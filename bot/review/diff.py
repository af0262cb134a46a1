"""Which lines of a file's unified-diff patch a review comment may point at."""

from __future__ import annotations

import re

_HUNK = re.compile(r"@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")


def commentable_lines(patch: str) -> set[int]:
    """The right-side (new file) line numbers the patch adds or shows as context.

    GitHub accepts a review comment only on those lines. The hunk headers' counts are followed exactly, so
    a context line whose leading space was lost still counts, and text after the last hunk does not.
    """
    lines: set[int] = set()
    old_left = new_left = 0
    number = 0
    for line in patch.split("\n"):
        if old_left <= 0 and new_left <= 0:
            header = _HUNK.match(line)
            if header:
                old_left = int(header.group(1) or "1")
                number = int(header.group(2))
                new_left = int(header.group(3) or "1")
            continue
        if line.startswith("\\"):  # "\ No newline at end of file"
            continue
        if line.startswith("-"):
            old_left -= 1
        elif line.startswith("+"):
            lines.add(number)
            number += 1
            new_left -= 1
        else:
            lines.add(number)
            number += 1
            old_left -= 1
            new_left -= 1
    return lines
