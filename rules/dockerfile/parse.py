"""Read a Dockerfile once into plain immutable values: instructions with exact line ranges, stages, shells.

dockerfile-parse gives the instruction boundaries (its `.structure`, read once). It goes wrong on a few
constructs (a byte-order mark, a blank line inside a continuation, an escaped escape at the end of a line,
heredocs), so a first pass over the physical lines neutralises those in the copy it is given, and every
text a rule reads is rebuilt here from the original lines, with each character's line remembered.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from dockerfile_parse import DockerfileParser

from rules.dockerfile.script import Script

ShellKind = Literal["sh", "powershell", "cmd"]
BaseVia = Literal["FROM", "COPY --from", "RUN --mount"]

_DIRECTIVE = re.compile(r"^\s*#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$")
# A heredoc marker is a whole word as BuildKit's lexer splits the line (`<<EOF`, `<<-EOF`, `<<"EOF"`,
# `3<<EOF`): never part of `$((x<<y))` or `'s/<<a>>//'`, and never a bash here-string `<<<`.
_HEREDOC = re.compile(r"\d*<<(-?)([\"']?)([A-Za-z_][A-Za-z0-9_.-]*)\2")
_HEREDOC_KEYWORDS = frozenset({"RUN", "COPY", "ADD"})
# A heredoc whose body is the shell script itself: `RUN <<EOF`, `RUN bash <<EOF`, `RUN sh -eux <<EOF`.
_SH = r"(?:/usr)?(?:/bin/)?(?:ba|da|a)?sh(?:\s+(?:[-+]o\s+\w+|-\S+))*"
_SHELL_HEREDOC = re.compile(rf"^\s*(?:{_SH}\s*)?<<-?\s*[\"']?\w[\w.-]*[\"']?\s*(?:{_SH})?\s*$")
_SHELL_CONTINUATION = re.compile(r"\\\n")
_SHELL_COMMENT = re.compile(r"^[ \t]*#.*$", re.M)
_FLAG = re.compile(r"\s*--([A-Za-z][A-Za-z0-9-]*)(?:=(\S*))?(?=\s|$)")
_ARG_DEFINITION = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:=(\"[^\"]*\"|'[^']*'|\S*))?")
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}$]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")
_WINDOWS_IMAGE = re.compile(r"mcr\.microsoft\.com/windows|microsoft/(?:windowsservercore|nanoserver)")
_WINDOWS_TAG = re.compile(r":.*(?:windowsservercore|nanoserver|servercore)")


@dataclass(frozen=True, slots=True)
class Flag:
    name: str
    value: str | None


@dataclass(frozen=True, slots=True)
class Heredoc:
    name: str
    start: int  # the first body line (the line after the instruction, or after the previous heredoc)
    end: int  # the terminator line
    body: Script  # body lines joined with newlines


@dataclass(frozen=True, slots=True)
class Instruction:
    keyword: str  # upper-case
    start: int  # 1-based first line
    end: int  # 1-based last line (a heredoc's terminator included)
    body: Script  # everything after the keyword, continuation lines joined as Docker joins them
    flags: tuple[Flag, ...]
    arguments: Script  # the body after its leading flags
    exec_form: tuple[str, ...] | None  # the JSON array form, when the arguments are one
    heredocs: tuple[Heredoc, ...]
    script: Script  # what a RUN's shell runs: the arguments, and a heredoc body fed to the shell
    stage: int  # index of the stage it belongs to; -1 before the first FROM
    shell: ShellKind  # the shell a RUN of this stage runs in at this point

    def flag(self, name: str) -> str | None:
        """The value of the last `--name=value` flag, "" for a bare `--name`, None when absent."""
        found = None
        for flag in self.flags:
            if flag.name == name:
                found = flag.value if flag.value is not None else ""
        return found

    def flag_values(self, name: str) -> list[str]:
        return [f.value or "" for f in self.flags if f.name == name]


@dataclass(frozen=True, slots=True)
class Stage:
    index: int
    line: int  # the FROM line
    source_image: str  # the FROM image as written
    image: str | None  # after global ARG substitution; None when it cannot be resolved
    name: str | None  # `AS name`, lower-cased as BuildKit compares it
    parent_stage: int | None  # FROM an earlier stage of this file
    platform: str | None
    windows: bool
    instructions: tuple[Instruction, ...]


@dataclass(frozen=True, slots=True)
class BaseImage:
    """An image the build pulls: FROM, `COPY --from=<image>`, `RUN --mount=...,from=<image>`."""

    image: str
    line: int
    stage: int
    via: BaseVia


@dataclass(frozen=True, slots=True)
class Note:
    """A construct that could not be read reliably: rules stay silent on it, and the reader is told once."""

    line: int | None
    message: str


@dataclass(frozen=True, slots=True)
class Dockerfile:
    lines: tuple[str, ...]  # physical lines, without a byte-order mark or line endings
    instructions: tuple[Instruction, ...]
    stages: tuple[Stage, ...]
    bases: tuple[BaseImage, ...]
    global_args: Mapping[str, str | None] = field(default_factory=dict)
    notes: tuple[Note, ...] = ()
    template: bool = False  # a template (`{{ ... }}` blocks) that generates Dockerfiles, not one itself

    def line(self, number: int) -> str:
        return self.lines[number - 1]

    def final_stages(self) -> frozenset[int]:
        """The last stage and the earlier stages it builds FROM: their layers end up in the image."""
        if not self.stages:
            return frozenset()
        chain: set[int] = set()
        current: int | None = len(self.stages) - 1
        while current is not None and current not in chain:
            chain.add(current)
            current = self.stages[current].parent_stage
        return frozenset(chain)

    def stage_named(self, reference: str) -> Stage | None:
        """The stage a `--from` value names (a stage name, or a stage index), else None (an image)."""
        if reference.isdigit():
            index = int(reference)
            return self.stages[index] if index < len(self.stages) else None
        lowered = reference.lower()
        return next((s for s in self.stages if s.name == lowered), None)


@dataclass
class _Pending:
    """A heredoc waiting for its terminator."""

    name: str
    strip_tabs: bool
    start: int
    body: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class _Scan:
    """The first pass: what dockerfile-parse should be given, and what only this pass can see."""

    sanitised: list[str]
    heredocs: dict[int, list[Heredoc]]  # instruction start line -> its heredocs
    notes: list[Note]
    # line number -> its text as part of an instruction (a continuation's escape removed); comment, blank
    # and heredoc lines are not in it
    content: dict[int, str]


def parse_dockerfile(text: str) -> Dockerfile:
    """Parse Dockerfile text. Never raises: what cannot be read becomes a `Note`."""
    raw = [line.removesuffix("\r") for line in text.removeprefix("\ufeff").split("\n")]
    if raw and raw[-1] == "":
        raw.pop()
    escape = _escape_character(raw)
    scan = _scan(raw, escape)
    parser = DockerfileParser(fileobj=io.BytesIO("".join(f"{s}\n" for s in scan.sanitised).encode()))
    structure = parser.structure  # re-parses on every read: read once
    instructions: list[Instruction] = []
    for item in structure:
        if item["instruction"] == "COMMENT":
            continue
        start, end = item["startline"] + 1, min(item["endline"] + 1, len(raw))
        heredocs = tuple(scan.heredocs.get(start, ()))
        instructions.append(_instruction(item["instruction"], start, end, scan.content, heredocs))
    dockerfile = _with_stages(tuple(raw), instructions, list(scan.notes), escape == "`")
    template = next((n for n, line in enumerate(raw, 1) if line.lstrip().startswith("{{")), None)
    if template is None:
        return dockerfile
    note = Note(
        template,
        "This is a template that generates Dockerfiles (a line starts with `{{`), so it was not checked.",
    )
    return replace(dockerfile, template=True, notes=(note,))


def _escape_character(raw: list[str]) -> str:
    """The `# escape=` parser directive, read only from the leading directive lines as BuildKit does."""
    for line in raw:
        match = _DIRECTIVE.match(line)
        if not match:
            break
        if match.group(1).lower() == "escape" and match.group(2) in ("\\", "`"):
            return match.group(2)
    return "\\"


def _continues(line: str, escape: str) -> bool:
    """BuildKit's rule: an escape at the end of a line (spaces after it allowed) continues the line, unless
    another escape comes right before it (an escaped escape is a literal character)."""
    stripped = line.rstrip(" \t")
    if not stripped.endswith(escape):
        return False
    return len(stripped) == 1 or stripped[-2] != escape


def _scan(raw: list[str], escape: str) -> _Scan:
    scan = _Scan(sanitised=[], heredocs={}, notes=[], content={})
    continuing = False
    start = 0
    keyword = ""
    logical: list[str] = []
    queue: list[_Pending] = []
    for number, line in enumerate(raw, 1):
        if queue:
            pending = queue[0]
            candidate = line.lstrip("\t") if pending.strip_tabs else line
            scan.sanitised.append("#")
            if candidate == pending.name:
                queue.pop(0)
                body = Script.join(pending.body, "\n")
                scan.heredocs.setdefault(start, []).append(Heredoc(pending.name, pending.start, number, body))
                if queue:
                    queue[0].start = number + 1
            else:
                pending.body.append((number, candidate))
            continue
        stripped = line.lstrip()
        if stripped.startswith("#"):
            scan.sanitised.append(line)
            continue
        if not stripped:
            # Docker skips a blank line inside a continuation; dockerfile-parse would end the instruction.
            scan.sanitised.append("#" if continuing else line)
            continue
        if not continuing:
            start = number
            keyword = line.split(None, 1)[0].upper()
            logical = []
        logical.append(line)
        continuing = _continues(line, escape)
        scan.content[number] = line.rstrip(" \t")[:-1] if continuing else line
        scan.sanitised.append(_without_false_continuation(line, continuing, escape))
        if not continuing and keyword in _HEREDOC_KEYWORDS and any("<<" in part for part in logical):
            for strip_tabs, name in _heredoc_markers(" ".join(logical)):
                queue.append(_Pending(name, strip_tabs, number + 1))
    if continuing:
        # BuildKit ends an instruction continued into the end of the file on the file's last line;
        # dockerfile-parse would drop the instruction.
        scan.sanitised.append("")
    for pending in queue:
        scan.notes.append(
            Note(
                pending.start - 1, f"The heredoc <<{pending.name} is never closed, so this file was not read."
            )
        )
        if pending.body:
            body = Script.join(pending.body, "\n")
            last = pending.body[-1][0]
            scan.heredocs.setdefault(start, []).append(Heredoc(pending.name, pending.start, last, body))
    return scan


def _heredoc_markers(line: str) -> list[tuple[bool, str]]:
    """(strip tabs, name) of each heredoc a logical line opens."""
    markers = []
    for word in _words(line) if "<<" in line else ():
        match = _HEREDOC.match(word)
        # `<<EOF>/etc/x` and `<<EOF;` still open a heredoc named EOF
        if match and word[match.end() : match.end() + 1] in ("", ">", "|", ";", "&", ")"):
            markers.append((match.group(1) == "-", match.group(3)))
    return markers


def _words(line: str) -> list[str]:
    """The line split on blanks outside quotes, quotes kept, as BuildKit's lexer splits it before it looks
    for heredoc markers."""
    words: list[str] = []
    current: list[str] = []
    quote = ""
    escaped = False
    for char in line:
        if escaped:
            escaped = False
        elif char == "\\" and quote != "'":
            escaped = True
        elif quote:
            quote = "" if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char.isspace():
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(char)
    if current:
        words.append("".join(current))
    return words


def _without_false_continuation(line: str, continuing: bool, escape: str) -> str:
    """dockerfile-parse continues any line ending in the escape; end an escaped escape's line for it."""
    if continuing or not line.rstrip().endswith(escape):
        return line
    return line + " #"


def _instruction(
    keyword: str, start: int, end: int, content: dict[int, str], heredocs: tuple[Heredoc, ...]
) -> Instruction:
    first = content.get(start, "").lstrip()
    first = first[len(first.split(None, 1)[0]) :].lstrip() if first else ""
    pieces = [(start, first)]
    pieces += [(n, content[n]) for n in range(start + 1, end + 1) if n in content]
    body = Script.join(pieces)
    flags, offset = _leading_flags(body.text)
    arguments = body.tail(offset)
    exec_form = _exec_form(arguments.text)
    script = arguments
    if exec_form is not None:
        script = Script(_exec_script(exec_form), (0,), (start,))
    elif heredocs and keyword == "RUN" and _SHELL_HEREDOC.match(arguments.text):
        for heredoc in heredocs:
            script = script + Script("\n", (0,), (heredoc.start,)) + _as_shell_reads(heredoc.body)
    return Instruction(
        keyword=keyword,
        start=start,
        end=heredocs[-1].end if heredocs else end,
        body=body,
        flags=flags,
        arguments=arguments,
        exec_form=exec_form,
        heredocs=heredocs,
        script=script,
        stage=-1,
        shell="sh",
    )


def _as_shell_reads(body: Script) -> Script:
    """A heredoc script as the shell reads it: a backslash-newline joins lines and `#` lines are comments.
    Both are blanked to spaces of the same length, so every offset keeps its line."""
    text = _SHELL_CONTINUATION.sub("  ", body.text)
    text = _SHELL_COMMENT.sub(lambda m: " " * len(m.group()), text)
    return replace(body, text=text)


def _exec_script(words: tuple[str, ...]) -> str:
    """What a JSON-form RUN runs: the script of `["sh", "-c", "..."]`, else the words themselves."""
    program = words[0].rsplit("/", 1)[-1] if words else ""
    if (
        program in ("sh", "bash", "ash", "dash")
        and len(words) >= 3
        and words[1].startswith("-")
        and "c" in words[1]
    ):
        return words[2]
    return " ".join(words)


def _leading_flags(text: str) -> tuple[tuple[Flag, ...], int]:
    flags: list[Flag] = []
    offset = 0
    while match := _FLAG.match(text, offset):
        flags.append(Flag(match.group(1).lower(), match.group(2)))
        offset = match.end()
    while offset < len(text) and text[offset].isspace():
        offset += 1
    return tuple(flags), offset


def _exec_form(text: str) -> tuple[str, ...] | None:
    stripped = text.strip()
    if not stripped.startswith("["):
        return None
    try:
        value = json.loads(stripped)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _global_args(instructions: list[Instruction]) -> dict[str, str | None]:
    args: dict[str, str | None] = {}
    for instruction in instructions:
        if instruction.keyword == "FROM":
            break
        if instruction.keyword == "ARG":
            for match in _ARG_DEFINITION.finditer(instruction.arguments.text):
                value = match.group(2)
                if value is not None and value[:1] in "\"'" and len(value) >= 2:
                    value = value[1:-1]
                if value is not None and "$" in value:  # `ARG BASE=debian:${SUITE}-slim`: earlier ARGs apply
                    value = substitute(value, args) or value
                args[match.group(1)] = value
    return args


def substitute(text: str, args: Mapping[str, str | None]) -> str | None:
    """`$V`, `${V}`, `${V:-w}`, `${V-w}`, `${V:+w}`, `${V+w}` with the global ARGs; None if unresolvable."""
    unresolved = False

    def resolve(match: re.Match[str]) -> str:
        nonlocal unresolved
        name = match.group(1) or match.group(4)
        operator, word = match.group(2), match.group(3) or ""
        declared = name in args and args[name] is not None
        value = args.get(name) or ""
        if operator in (":-", "-"):
            return value if (value if operator == ":-" else declared) else word
        if operator in (":+", "+"):
            return word if (value if operator == ":+" else declared) else ""
        if not declared:
            unresolved = True
        return value

    result = _VARIABLE.sub(resolve, text)
    if unresolved or "$" in result:
        return None
    return result


def _shell_of(instruction: Instruction, current: ShellKind) -> ShellKind:
    if not instruction.exec_form:
        return current
    program = instruction.exec_form[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    if program.startswith(("powershell", "pwsh")):
        return "powershell"
    if program.startswith("cmd"):
        return "cmd"
    return "sh"


def _is_windows(image: str | None, escape_is_backtick: bool) -> bool:
    if image is None:
        return escape_is_backtick
    lowered = image.lower()
    return bool(_WINDOWS_IMAGE.search(lowered) or _WINDOWS_TAG.search(lowered))


def _with_stages(
    raw: tuple[str, ...], parsed: list[Instruction], notes: list[Note], backtick: bool
) -> Dockerfile:
    args = _global_args(parsed)
    instructions: list[Instruction] = []
    stages: list[Stage] = []
    members: list[list[Instruction]] = []
    final_shells: list[ShellKind] = []
    bases: list[BaseImage] = []
    shell: ShellKind = "sh"
    for instruction in parsed:
        if instruction.keyword == "FROM":
            stage = _stage(instruction, len(stages), stages, args, backtick, notes)
            if stage.parent_stage is not None:
                shell = final_shells[stage.parent_stage]
            else:
                shell = "cmd" if stage.windows else "sh"
                if stage.image is not None:
                    bases.append(BaseImage(stage.image, instruction.start, stage.index, "FROM"))
            stages.append(stage)
            members.append([])
            final_shells.append(shell)
        elif instruction.keyword == "SHELL":
            shell = _shell_of(instruction, shell)
            if final_shells:
                final_shells[-1] = shell
        placed = replace(instruction, stage=len(stages) - 1, shell=shell)
        instructions.append(placed)
        if members:
            members[-1].append(placed)
    stages = [replace(s, instructions=tuple(m)) for s, m in zip(stages, members, strict=True)]
    dockerfile = Dockerfile(raw, tuple(instructions), tuple(stages), (), args)
    bases += _copied_bases(dockerfile, notes)
    return replace(dockerfile, bases=tuple(bases), notes=tuple(notes))


def _stage(
    instruction: Instruction,
    index: int,
    earlier: list[Stage],
    args: Mapping[str, str | None],
    backtick: bool,
    notes: list[Note],
) -> Stage:
    words = instruction.arguments.text.split()
    source = words[0] if words else ""
    name = words[2].lower() if len(words) >= 3 and words[1].lower() == "as" else None
    parent = next((s.index for s in earlier if s.name is not None and s.name == source.lower()), None)
    image = None if parent is not None or not source else substitute(source, args)
    if parent is None and image is None and source:  # a FROM without an image is DOI-D005
        notes.append(
            Note(
                instruction.start,
                f"The image of `FROM {source}` depends on a build argument with no default, so its base"
                " image was not checked.",
            )
        )
    windows = earlier[parent].windows if parent is not None else _is_windows(image, backtick)
    return Stage(
        index, instruction.start, source, image, name, parent, instruction.flag("platform"), windows, ()
    )


def _copied_bases(dockerfile: Dockerfile, notes: list[Note]) -> list[BaseImage]:
    """Images pulled by `COPY --from=<image>` and `RUN --mount=...,from=<image>` (not stage names)."""
    found: list[BaseImage] = []
    for instruction in dockerfile.instructions:
        references: list[tuple[str, BaseVia]] = []
        if instruction.keyword == "COPY":
            references += [(value, "COPY --from") for value in instruction.flag_values("from")]
        if instruction.keyword == "RUN":
            for mount in instruction.flag_values("mount"):
                options = dict(part.partition("=")[::2] for part in mount.split(","))
                if options.get("from"):
                    references.append((options["from"], "RUN --mount"))
        for reference, via in references:
            if not reference or dockerfile.stage_named(reference) is not None or reference.isdigit():
                continue
            image = substitute(reference, dockerfile.global_args)
            if image is None:
                notes.append(
                    Note(
                        instruction.start,
                        f"The image `{reference}` depends on a build argument, so it was not checked.",
                    )
                )
                continue
            found.append(BaseImage(image, instruction.start, instruction.stage, via))
    return found
