"""Differential test against BuildKit's own parser (the `dockerfile` package, when installed): the same
instructions with the same line ranges on generated Dockerfiles full of the edges dockerfile-parse misses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.dockerfile.parse import parse_dockerfile

buildkit = pytest.importorskip("dockerfile")

_LINES = st.sampled_from(
    [
        "FROM debian:bookworm",
        "FROM --platform=$BUILDPLATFORM golang:1.24 AS build",
        "RUN set -eux; \\",
        "\tapt-get update; \\",
        "# a comment",
        "    # an indented comment",
        "",
        "  ",
        "\techo done",
        "COPY --from=build C:\\\\a\\\\",
        "COPY a b",
        "ENV A=1 \\",
        'CMD ["a", "b"]',
        "RUN <<EOF",
        "EOF",
        "echo in a heredoc",
        "RUN echo a \\  ",
        "LABEL x=y",
        "RUN <<-'EOT' bash",
        "\tEOT",
        "COPY <<A <<B /dst/",
        "A",
        "B",
        'RUN cat <<<"here-string" \\',
        "run lower case",
        "# escape=`",
        "RUN a `",
        "EXPOSE",
    ]
)


def ours(text: str) -> list[tuple[str, int, int]]:
    return [(i.keyword, i.start, i.end) for i in parse_dockerfile(text).instructions]


def theirs(text: str) -> list[tuple[str, int, int]] | None:
    try:
        commands = buildkit.parse_string(text)
    except buildkit.GoParseError:
        return None
    return [(c.cmd.upper(), c.start_line, c.end_line) for c in commands]


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=14))
def test_same_instructions_and_lines_as_buildkit(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    expected = theirs(text)
    if expected is None or parse_dockerfile(text).notes:
        return  # BuildKit refuses it, or we said we could not read it: nothing to compare
    assert ours(text) == expected


def _words(text: str) -> list[str]:
    return text.split()


@settings(max_examples=300, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=14))
def test_same_flags_and_text_as_buildkit(lines: list[str]) -> None:
    text = "\n".join(lines) + "\n"
    try:
        commands = buildkit.parse_string(text)
    except buildkit.GoParseError:
        return
    parsed = parse_dockerfile(text)
    if parsed.notes or len(commands) != len(parsed.instructions):
        return
    for command, instruction in zip(commands, parsed.instructions, strict=True):
        if command.cmd is None or command.cmd.upper() not in ("RUN", "COPY", "FROM") or command.heredocs:
            continue
        assert [
            f"--{f.name}" + (f"={f.value}" if f.value is not None else "") for f in instruction.flags
        ] == [flag.lower() if "=" not in flag else flag for flag in command.flags]
        if not command.json:
            assert _words(instruction.arguments.text) == _words(" ".join(command.value))
