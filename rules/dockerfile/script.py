"""Instruction text joined from its physical lines, remembering which line each character came from."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Script:
    """Text joined the way Docker joins a continued instruction, with a map from offsets back to lines.

    `starts[i]` is the offset where the piece from physical line `lines[i]` begins in `text`.
    """

    text: str
    starts: tuple[int, ...]
    lines: tuple[int, ...]

    @classmethod
    def join(cls, pieces: list[tuple[int, str]], separator: str = "") -> Script:
        """Concatenate (line number, text) pieces; `separator` goes between pieces (a heredoc keeps its
        newlines, a continuation joins with nothing, as Docker does)."""
        text_parts: list[str] = []
        starts: list[int] = []
        lines: list[int] = []
        offset = 0
        for index, (line, piece) in enumerate(pieces):
            if index and separator:
                text_parts.append(separator)
                offset += len(separator)
            starts.append(offset)
            lines.append(line)
            text_parts.append(piece)
            offset += len(piece)
        return cls("".join(text_parts), tuple(starts), tuple(lines))

    def line_at(self, offset: int) -> int:
        """The physical line that holds the character at `offset` (the first line for an empty text)."""
        if not self.lines:
            return 0
        index = bisect_right(self.starts, offset) - 1
        return self.lines[max(index, 0)]

    def tail(self, offset: int) -> Script:
        """The text from `offset` on, still mapped to its lines."""
        if offset <= 0:
            return self
        first = max(bisect_right(self.starts, offset) - 1, 0)
        starts = (0, *(s - offset for s in self.starts[first + 1 :]))
        return Script(self.text[offset:], starts, self.lines[first:] or self.lines[-1:])

    def __add__(self, other: Script) -> Script:
        shift = len(self.text)
        return Script(
            self.text + other.text,
            self.starts + tuple(s + shift for s in other.starts),
            self.lines + other.lines,
        )
