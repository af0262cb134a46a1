"""Finding commands in a RUN's text without a full shell parser: where a word stands as a command."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from rules.dockerfile.parse import Instruction
from rules.dockerfile.script import Script

# Words after which the next word is still a command: control keywords and command wrappers.
_LEAD = r"(?:(?:then|do|else|elif|if|while|until|!|exec|time|nohup|command|env|sudo)\s+)*"
# `VAR=value cmd` assignments before a command.
_ASSIGNMENTS = r"(?:[A-Za-z_][A-Za-z0-9_]*=(?:\"[^\"]*\"|'[^']*'|\S*)\s+)*"
_PREFIX = re.compile(rf"\s*{_LEAD}{_ASSIGNMENTS}")
_SEPARATORS = ";&|(){`\n"  # `)` ends a case pattern: `amd64) wget ...`
_SEGMENT_END = re.compile(r"[;|&\n)`]")


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    start: int  # offset of the command word in the script
    end: int  # offset where its simple command ends (the next `;`, `|`, `&`, newline or `)`)
    text: str  # from the command word to `end`
    line: int  # the physical line of the command word


@cache
def _pattern(names: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w./$-])(?:{names})(?=[\s;&|)]|$)")


def commands(script: Script, names: str) -> Iterator[Command]:
    """Each place a command matching the regex alternation `names` is run in `script`: the word stands
    after a separator (`;`, `&&`, `|`, `(`, `$(`, a newline...), maybe behind `if`, `!`, `env`, `VAR=x`."""
    text = script.text
    for match in _pattern(names).finditer(text):
        start = match.start()
        boundary = max(text.rfind(separator, 0, start) for separator in _SEPARATORS)
        if not _PREFIX.fullmatch(text, boundary + 1, start):
            continue
        stop = _SEGMENT_END.search(text, match.end())
        end = stop.start() if stop else len(text)
        yield Command(match.group(), start, end, text[start:end], script.line_at(start))


def runs(instruction: Instruction) -> bool:
    """A RUN whose text a shell reads (ONBUILD and other instructions are not run here)."""
    return instruction.keyword == "RUN"


def sh_runs(instruction: Instruction) -> bool:
    """A RUN in a POSIX shell: PowerShell and cmd stages get no sh-based rules."""
    return instruction.keyword == "RUN" and instruction.shell == "sh"
