"""DOI-D005, D016, D018, D019, D023, D031: instructions docker build can read, in the form the guidelines
ask for, or not at all."""

from __future__ import annotations

from collections.abc import Iterator

from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import Dockerfile, Instruction
from rules.findings import Finding, Severity
from rules.registry import rule

UNREADABLE_INSTRUCTION = rule(
    "DOI-D005",
    Severity.ERROR,
    "Instruction docker build rejects",
    "docker build stops at an unknown instruction or a FROM that does not name one image (optionally"
    " `AS name`), so the entry cannot be built.",
)
SHELL_FORM_COMMAND = rule(
    "DOI-D016",
    Severity.WARNING,
    "Shell-form CMD or ENTRYPOINT",
    "The shell form wraps the command in `sh -c`, so signals never reach it and `docker run image bash`"
    " cannot replace it; the guidelines use the JSON form.",
)
HEALTHCHECK = rule(
    "DOI-D018",
    Severity.WARNING,
    "HEALTHCHECK in an official image",
    "The official-images FAQ explains why images ship no HEALTHCHECK: what is healthy depends on how each"
    " user runs the image.",
)
MAINTAINER = rule(
    "DOI-D019",
    Severity.WARNING,
    "MAINTAINER instruction",
    "MAINTAINER is deprecated; the library file's Maintainers field says who maintains the image.",
)
REPEATED_COMMAND = rule(
    "DOI-D023",
    Severity.WARNING,
    "Several CMD or ENTRYPOINT in one stage",
    "Only the last CMD or ENTRYPOINT of a stage takes effect; an earlier one is dead text that misleads"
    " the reader.",
)
BROAD_COPY = rule(
    "DOI-D031",
    Severity.INFO,
    "COPY . or ADD . of the whole context",
    "Copying the whole build context breaks the layer cache on any change and can pull in unintended"
    " files; the guidelines ask for the files the image needs.",
)

_BROAD_SOURCES = frozenset({".", "./", "*", "./*"})
KEYWORDS = frozenset(
    [
        "ADD",
        "ARG",
        "CMD",
        "COPY",
        "ENTRYPOINT",
        "ENV",
        "EXPOSE",
        "FROM",
        "HEALTHCHECK",
        "LABEL",
        "MAINTAINER",
        "ONBUILD",
        "RUN",
        "SHELL",
        "STOPSIGNAL",
        "USER",
        "VOLUME",
        "WORKDIR",
    ]
)


def _unreadable(instruction: Instruction) -> str | None:
    """What docker build's parser says is wrong with the instruction, as the fix; None when it reads it."""
    if instruction.keyword not in KEYWORDS:
        return f"Fix `{instruction.keyword}`: docker build knows no such instruction."
    words = instruction.arguments.text.split()
    if instruction.keyword == "FROM" and not (
        len(words) == 1 or (len(words) == 3 and words[1].lower() == "as")
    ):
        return "Write this FROM as `FROM image[:tag]` or `FROM image[:tag] AS name`."
    return None


def check(dockerfile: Dockerfile, context: DockerfileContext) -> Iterator[Finding]:
    for instruction in dockerfile.instructions:
        keyword = instruction.keyword
        problem = _unreadable(instruction)
        if problem is not None:
            yield UNREADABLE_INSTRUCTION.finding(context.path, instruction.start, problem)
        elif keyword in ("CMD", "ENTRYPOINT") and instruction.exec_form is None:
            yield SHELL_FORM_COMMAND.finding(
                context.path,
                instruction.start,
                f'Write this {keyword} in JSON form (`{keyword} ["executable", "arg"]`).',
            )
        elif keyword == "HEALTHCHECK" and instruction.arguments.text.split()[:1] != ["NONE"]:
            yield HEALTHCHECK.finding(
                context.path, instruction.start, "Remove the HEALTHCHECK; official images do not ship one."
            )
        elif keyword == "MAINTAINER":
            yield MAINTAINER.finding(
                context.path,
                instruction.start,
                "Remove MAINTAINER; the library file's Maintainers field says who maintains the image.",
            )
        elif (
            keyword in ("COPY", "ADD")
            and instruction.flag("from") is None
            and _copies_everything(instruction)
        ):
            yield BROAD_COPY.finding(
                context.path,
                instruction.start,
                f"Name the files this {keyword} needs instead of the whole build context.",
            )
    for stage in dockerfile.stages:
        for keyword in ("CMD", "ENTRYPOINT"):
            found = [i for i in stage.instructions if i.keyword == keyword]
            for earlier in found[:-1]:
                yield REPEATED_COMMAND.finding(
                    context.path,
                    earlier.start,
                    f"This {keyword} is overridden by the one on line {found[-1].start}; remove it.",
                )


def _copies_everything(instruction: Instruction) -> bool:
    words = instruction.exec_form or tuple(instruction.arguments.text.split())
    return len(words) >= 2 and any(w in _BROAD_SOURCES for w in words[:-1])
