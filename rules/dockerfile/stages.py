"""DOI-D004, D021, D022, D033: a stage to build at all, stage names that resolve as the author meant,
and multi-stage used sparingly."""

from __future__ import annotations

from collections.abc import Iterator

from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import Dockerfile, Instruction
from rules.findings import Finding, Severity
from rules.registry import rule

NO_STAGE = rule(
    "DOI-D004",
    Severity.ERROR,
    "Dockerfile with no FROM",
    "A Dockerfile without a FROM instruction (an empty one included) builds nothing: docker build rejects"
    " it, so the entry cannot be built.",
)
DUPLICATE_STAGE = rule(
    "DOI-D021",
    Severity.WARNING,
    "Two stages with the same name",
    "A later `--from` or FROM of a repeated name picks one of the stages silently; give each stage its own"
    " name.",
)
LATER_STAGE = rule(
    "DOI-D022",
    Severity.WARNING,
    "--from names a later, the same or an unknown stage",
    "A stage can only copy from stages built before it; a later name or an index past the current stage"
    " is a mistake the build reports late or resolves as an image.",
)
MANY_STAGES = rule(
    "DOI-D033",
    Severity.INFO,
    "More than two stages",
    "The official-images FAQ asks for multi-stage builds to be used sparingly: reviewers read each stage.",
)


def check(dockerfile: Dockerfile, context: DockerfileContext) -> Iterator[Finding]:
    if not dockerfile.stages:
        first = dockerfile.instructions[0].start if dockerfile.instructions else None
        message = "Start this Dockerfile with a FROM line naming its base image."
        yield NO_STAGE.finding(context.path, first, message)
    seen: dict[str, int] = {}
    for stage in dockerfile.stages:
        if stage.name is None:
            continue
        if stage.name in seen:
            yield DUPLICATE_STAGE.finding(
                context.path,
                stage.line,
                f"The stage name {stage.name} is already used on line {seen[stage.name]}; rename this stage.",
            )
        else:
            seen[stage.name] = stage.line
    for instruction in dockerfile.instructions:
        for reference in _from_references(instruction):
            yield from _reference(dockerfile, instruction, reference, context)
    if len(dockerfile.stages) > 2:
        third = dockerfile.stages[2]
        yield MANY_STAGES.finding(
            context.path,
            third.line,
            f"This file has {len(dockerfile.stages)} stages; merge stages where you can, reviewers read each"
            " one.",
        )


def _from_references(instruction: Instruction) -> list[str]:
    if instruction.keyword == "COPY":
        return instruction.flag_values("from")
    if instruction.keyword == "RUN":
        options = [
            dict(p.partition("=")[::2] for p in m.split(",")) for m in instruction.flag_values("mount")
        ]
        return [o["from"] for o in options if o.get("from")]
    return []


def _reference(
    dockerfile: Dockerfile, instruction: Instruction, reference: str, context: DockerfileContext
) -> Iterator[Finding]:
    target = dockerfile.stage_named(reference)
    if reference.isdigit() and target is None:
        yield LATER_STAGE.finding(
            context.path,
            instruction.start,
            f"--from={reference} names no stage (this file has {len(dockerfile.stages)}); use a stage name.",
        )
    elif target is not None and target.index >= instruction.stage >= 0:
        where = (
            "this stage itself"
            if target.index == instruction.stage
            else f"a later stage (line {target.line})"
        )
        yield LATER_STAGE.finding(
            context.path,
            instruction.start,
            f"--from={reference} is {where}; copy from a stage defined before this one.",
        )
