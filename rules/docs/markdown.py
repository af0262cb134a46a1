"""Markdown as the docs rules read it: fenced code blocks and the prose lines around them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})[ \t]*([^`\s]*)")


@dataclass(frozen=True, slots=True)
class CodeBlock:
    language: str  # the info string's first word, lowercased ("" when none)
    fence: str  # the opening fence characters (``` or ~~~...)
    line: int  # 1-based line of the opening fence
    lines: tuple[str, ...]  # the block's content lines


@dataclass(frozen=True, slots=True)
class MarkdownDoc:
    blocks: tuple[CodeBlock, ...]
    prose: tuple[tuple[int, str], ...]  # (1-based line, text) outside every fence, fences excluded


def parse_markdown(text: str) -> MarkdownDoc:
    """Split a Markdown text into fenced code blocks and prose; an unclosed fence runs to the end."""
    blocks: list[CodeBlock] = []
    prose: list[tuple[int, str]] = []
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        opening = _FENCE.match(line)
        if opening is None:
            prose.append((index + 1, line))
            index += 1
            continue
        fence, language = opening.group(1), opening.group(2).lower()
        end = index + 1
        while end < len(lines) and not _closes(lines[end], fence):
            end += 1
        blocks.append(CodeBlock(language, fence, index + 1, tuple(lines[index + 1 : end])))
        index = end + 1
    return MarkdownDoc(tuple(blocks), tuple(prose))


def _closes(line: str, fence: str) -> bool:
    stripped = line.strip()
    return stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}


def block_lines(block: CodeBlock) -> Iterator[tuple[int, str]]:
    """A block's content lines with their 1-based line numbers in the file."""
    for offset, line in enumerate(block.lines, start=1):
        yield block.line + offset, line


def commands(block: CodeBlock) -> Iterator[tuple[int, str]]:
    """Shell commands of a code block, backslash continuations joined, each with its first line.

    In a `console` block with prompts only `$ ` lines are commands; elsewhere every line is.
    """
    prompted = block.language == "console" and any(line.strip().startswith("$ ") for line in block.lines)
    pending: tuple[int, str] | None = None
    for number, raw in block_lines(block):
        line = raw.strip()
        if pending is not None:
            start, joined = pending
            joined += " " + line.removesuffix("\\")
            pending = (start, joined) if line.endswith("\\") else None
            if pending is None:
                yield start, joined
            continue
        if prompted and not line.startswith("$ "):
            continue
        line = line.removeprefix("$ ")
        if line.endswith("\\"):
            pending = (number, line.removesuffix("\\"))
        else:
            yield number, line
    if pending is not None:
        yield pending
