"""The parser's edges (research §3.2): each with the lines Docker itself would give."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.dockerfile.check import check_dockerfile_text
from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import parse_dockerfile, substitute


def spans(text: str) -> list[tuple[str, int, int]]:
    return [(i.keyword, i.start, i.end) for i in parse_dockerfile(text).instructions]


def test_byte_order_mark_is_not_part_of_the_first_instruction() -> None:
    parsed = parse_dockerfile("\ufeffFROM debian:bookworm\nRUN true\n")
    assert spans("\ufeffFROM debian:bookworm\nRUN true\n") == [("FROM", 1, 1), ("RUN", 2, 2)]
    assert parsed.stages[0].image == "debian:bookworm"


def test_blank_line_inside_a_continuation_does_not_end_the_instruction() -> None:
    text = 'FROM debian:bookworm\nRUN echo a \\\n\n  && echo b\nCMD ["x"]\n'
    assert spans(text) == [("FROM", 1, 1), ("RUN", 2, 4), ("CMD", 5, 5)]
    run = parse_dockerfile(text).instructions[1]
    assert run.script.text == "echo a   && echo b"
    assert run.script.line_at(run.script.text.index("echo b")) == 4


def test_escaped_escape_at_end_of_line_is_not_a_continuation() -> None:
    text = "FROM x:1\nCOPY --from=y C:\\\\a\\\\\n\nRUN echo b\n"
    assert spans(text) == [("FROM", 1, 1), ("COPY", 2, 2), ("RUN", 4, 4)]


def test_comment_lines_inside_a_continuation_are_dropped_but_lines_kept() -> None:
    text = "FROM x:1\nRUN set -eux; \\\n# why\n\tcurl -fo a https://a; \\\n\ttrue\n"
    run = parse_dockerfile(text).instructions[1]
    assert "why" not in run.script.text
    assert run.script.line_at(run.script.text.index("curl")) == 4
    assert (run.start, run.end) == (2, 5)


def test_heredoc_is_one_instruction_and_its_body_keeps_its_lines() -> None:
    text = 'FROM x:1\nRUN <<EOF\nset -eux\ncurl -fo a https://a\nEOF\nCMD ["x"]\n'
    parsed = parse_dockerfile(text)
    assert spans(text) == [("FROM", 1, 1), ("RUN", 2, 5), ("CMD", 6, 6)]
    run = parsed.instructions[1]
    assert run.script.line_at(run.script.text.index("curl")) == 4
    assert parsed.notes == ()


def test_heredoc_with_tab_stripping_and_an_interpreter_that_is_not_a_shell() -> None:
    text = 'FROM x:1\nRUN <<-EOT bash\n\techo "$A"\n\tEOT\nRUN python3 <<PY\nimport os\nPY\n'
    parsed = parse_dockerfile(text)
    assert spans(text) == [("FROM", 1, 1), ("RUN", 2, 4), ("RUN", 5, 7)]
    assert "echo" in parsed.instructions[1].script.text
    assert "import" not in parsed.instructions[2].script.text
    options = parse_dockerfile("FROM x:1\nRUN /bin/bash -o pipefail -eux <<EOF\ncurl -fo a https://a\nEOF\n")
    assert "curl" in options.instructions[1].script.text


def test_only_a_whole_word_opens_a_heredoc() -> None:
    text = (
        "FROM x:1\nRUN echo $((1<<bits)); sed -i 's/<<END>>//' f; echo \"<<EOF\"\n"
        "RUN cat 3<<'A' <<-B > f\na\nA\n\tb\n\tB\nCMD [\"x\"]\n"
    )
    parsed = parse_dockerfile(text)
    assert parsed.notes == ()
    assert spans(text) == [("FROM", 1, 1), ("RUN", 2, 2), ("RUN", 3, 7), ("CMD", 8, 8)]
    assert [h.name for h in parsed.instructions[2].heredocs] == ["A", "B"]
    redirected = parse_dockerfile("FROM x:1\nRUN cat <<EOF>/etc/x\ncurl https://a\nEOF\n")
    assert [h.name for h in redirected.instructions[1].heredocs] == ["EOF"]


def test_unclosed_heredoc_is_one_note() -> None:
    parsed = parse_dockerfile("FROM x:1\nRUN <<EOF\necho a\n")
    assert [n.line for n in parsed.notes] == [2]


def test_a_global_arg_default_uses_the_args_before_it() -> None:
    text = "ARG SUITE=bookworm\nARG BASE=debian:${SUITE}-slim\nARG LATER=$UNSET\nFROM ${BASE}\nFROM $LATER\n"
    parsed = parse_dockerfile(text)
    assert [s.image for s in parsed.stages] == ["debian:bookworm-slim", None]
    assert [n.line for n in parsed.notes] == [5]


def test_global_args_with_defaults_resolve_in_from() -> None:
    text = (
        "ARG REG\nARG BASE=debian\nARG TAG\n"
        "FROM ${REG:-docker.io}/${BASE}:${TAG:-bookworm}${TAG:+x} AS build\n"
    )
    stage = parse_dockerfile(text).stages[0]
    assert stage.image == "docker.io/debian:bookworm"
    assert stage.name == "build"


def test_from_with_an_argument_without_default_is_a_note_not_a_guess() -> None:
    parsed = parse_dockerfile("ARG BASE\nFROM ${BASE}\nRUN true\n")
    assert parsed.stages[0].image is None
    assert parsed.bases == ()
    assert [n.line for n in parsed.notes] == [2]


def test_substitute_forms() -> None:
    args = {"A": "1", "E": "", "U": None}
    assert substitute("$A-${A}", args) == "1-1"
    assert substitute("${E:-w}|${E-w}|${E:+w}|${E+w}", args) == "w|||w"
    assert substitute("${U:-w}${U:+x}", args) == "w"
    assert substitute("$NOPE", args) is None


def test_flags_on_from_copy_and_run_mount() -> None:
    text = (
        "FROM --platform=$BUILDPLATFORM golang:1.24 AS build\n"
        "FROM debian:bookworm\n"
        "COPY --from=build --chmod=755 /out /usr/local/bin/\n"
        "COPY --from=composer:2 /usr/bin/composer /usr/bin/\n"
        "RUN --mount=type=bind,from=tianon/buildkit:0.16,target=/b true\n"
    )
    parsed = parse_dockerfile(text)
    assert parsed.stages[0].platform == "$BUILDPLATFORM"
    assert parsed.stages[0].image == "golang:1.24"
    copy = parsed.instructions[2]
    assert copy.flag("from") == "build" and copy.flag("chmod") == "755"
    assert copy.arguments.text == "/out /usr/local/bin/"
    assert [(b.image, b.via, b.line) for b in parsed.bases] == [
        ("golang:1.24", "FROM", 1),
        ("debian:bookworm", "FROM", 2),
        ("composer:2", "COPY --from", 4),
        ("tianon/buildkit:0.16", "RUN --mount", 5),
    ]


def test_json_and_shell_forms() -> None:
    parsed = parse_dockerfile('FROM x:1\nCMD ["a", "b"]\nENTRYPOINT a b\nCMD ["a", 1]\n')
    assert [i.exec_form for i in parsed.instructions[1:]] == [("a", "b"), None, None]


def test_stage_names_and_final_chain() -> None:
    text = "FROM a:1 AS base\nFROM b:1 AS other\nFROM base AS final\nRUN true\n"
    parsed = parse_dockerfile(text)
    assert [s.name for s in parsed.stages] == ["base", "other", "final"]
    assert parsed.stages[2].parent_stage == 0
    assert parsed.final_stages() == {0, 2}


def test_active_shell_per_stage() -> None:
    text = (
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS win\n"
        'SHELL ["powershell", "-Command"]\n'
        "ENV X 1\n"
        "RUN Write-Host $env:X\n"
        "FROM win\n"
        "RUN Write-Host again\n"
        "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n"
        "RUN echo cmd\n"
        "FROM debian:bookworm\n"
        "RUN echo sh\n"
    )
    parsed = parse_dockerfile(text)
    runs = [i for i in parsed.instructions if i.keyword == "RUN"]
    assert [r.shell for r in runs] == ["powershell", "powershell", "cmd", "sh"]
    assert [s.windows for s in parsed.stages] == [True, True, True, False]


def test_backtick_escape_directive() -> None:
    text = (
        "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        "RUN echo a `\n  b\nCOPY C:\\src\\ C:\\dst\\\n"
    )
    assert spans(text) == [("FROM", 2, 2), ("RUN", 3, 4), ("COPY", 5, 5)]


def test_continuation_into_the_end_of_the_file_ends_the_instruction() -> None:
    assert spans("FROM x:1\nRUN a \\\n  b \\\n") == [("FROM", 1, 1), ("RUN", 2, 3)]
    assert spans("FROM x:1\nRUN a \\\n# c\n") == [("FROM", 1, 1), ("RUN", 2, 3)]  # as BuildKit says


def test_crlf_line_endings() -> None:
    assert spans("FROM x:1\r\nRUN a \\\r\n  b\r\n") == [("FROM", 1, 1), ("RUN", 2, 3)]


_DOCKERFILE_CHARACTERS = list("FROMRUN COPY<>EOF-$:{}\\`#\n\t\"'[]=,abx\ufeff\r")


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_DOCKERFILE_CHARACTERS), max_size=200))
def test_any_text_gives_findings_never_an_exception(text: str) -> None:
    findings = check_dockerfile_text(text, DockerfileContext("Dockerfile", frozenset()))
    assert all(f.rule != "DOI-X002" for f in findings)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_unicode_text_parses(text: str) -> None:
    parsed = parse_dockerfile(text)
    for instruction in parsed.instructions:
        assert 1 <= instruction.start <= instruction.end <= len(parsed.lines)
