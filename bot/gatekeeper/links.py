"""Pull requests linked from a description: `owner/repo#123` or `https://github.com/owner/repo/pull/123`."""

from __future__ import annotations

import re


def linked_pulls(text: str, repository: str) -> list[int]:
    """Numbers of `repository`'s pull requests that `text` links to, in order, each once."""
    name = re.escape(repository)
    pattern = re.compile(
        rf"(?:(?<![\w./-]){name}#(\d+)|https?://github\.com/{name}/(?:pull|issues)/(\d+))(?!\w)",
        re.IGNORECASE,
    )
    return list(dict.fromkeys(int(a or b) for a, b in pattern.findall(text)))
