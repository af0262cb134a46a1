"""A finding for a file a formatter would rewrite: from the first changed line to the end, with the fix."""

from __future__ import annotations

from rules.findings import Finding
from rules.registry import Rule


def rewrite_finding(rule: Rule, path: str, have: str, want: str, message: str) -> Finding:
    """Points at the first line that differs; the suggestion replaces it and every line after it.

    Lines are counted without the final newline, so a suggestion holds whole lines as GitHub applies them.
    """
    have_lines = have.removesuffix("\n").split("\n")
    want_lines = want.removesuffix("\n").split("\n")
    first = next(
        (n for n, (a, b) in enumerate(zip(have_lines, want_lines, strict=False)) if a != b),
        min(len(have_lines), len(want_lines)),
    )
    line = min(first, len(have_lines) - 1) + 1
    end_line = len(have_lines)
    suggestion = "\n".join(want_lines[line - 1 :])
    return rule.finding(
        path, line, message, end_line=end_line if end_line != line else None, suggestion=suggestion
    )
