"""DOI-D002, D011, D012: PGP keys by full fingerprint, gpg in batch mode, an accepted keyserver."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import Dockerfile, Instruction
from rules.dockerfile.script import Script
from rules.dockerfile.shell import commands, runs
from rules.findings import Finding, Severity
from rules.registry import rule

SHORT_KEY_ID = rule(
    "DOI-D002",
    Severity.ERROR,
    "PGP key given by a short id",
    "The guidelines require importing keys by their full 40-hex fingerprint: 8- and 16-hex ids collide, and"
    " an attacker can make a key with the same short id.",
)
GPG_WITHOUT_BATCH = rule(
    "DOI-D011",
    Severity.WARNING,
    "gpg without --batch",
    "Without `--batch` gpg may stop to ask a question during the build; every gpg call in the official"
    " images' examples uses it.",
)
KEYSERVER = rule(
    "DOI-D012",
    Severity.WARNING,
    "Keyserver other than keys.openpgp.org or keyserver.ubuntu.com",
    "The official-images FAQ recommends keys.openpgp.org, else keyserver.ubuntu.com: other pools are"
    " unreliable or gone.",
)

ACCEPTED_KEYSERVERS = frozenset({"keys.openpgp.org", "keyserver.ubuntu.com"})
# a key id stands alone: not part of a word, a path or a file name (`/etc/apt/keyrings/abcd1234.gpg`)
_HEX_TOKEN = re.compile(r"(?<![\w./:-])(?:0x)?([0-9A-Fa-f]+)(?![\w./:-])")
_RECV = re.compile(r"--recv-keys?\b|--recv\b")
_KEY_LOOP = re.compile(r"\bfor\s+\w+\s+in\s+(?P<list>[^;\n]*?)\s*;?\s*do\b")
_KEY_NAME = re.compile(r"gpg|pgp", re.I)
_SHELL_KEY_ASSIGNMENT = re.compile(r"\b(\w*(?:key|gpg|pgp)\w*)=(\"[^\"]*\"|'[^']*'|[^\s;&|]*)", re.I)
_KEYSERVER_VALUE = re.compile(r"--keyserver(?:=|\s+)[\"']?([^\s\"';&|]+)")
_ASSIGNMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:=|\s+)(\"[^\"]*\"|'[^']*'|\S+(?:\s+[0-9A-Fa-fx]+)*)")


def _short_ids(script: Script, start: int, end: int, *, keys_only: bool = False) -> Iterator[tuple[int, str]]:
    """Hex tokens of a short id's length. Outside a `--recv-keys` list (`keys_only`) a value may be a date or
    a number (`GPG_KEYS_UPDATED=20240101`): there only a token with a hex letter or `0x` counts as a key."""
    for match in _HEX_TOKEN.finditer(script.text, start, end):
        token = match.group(0)
        if len(match.group(1)) in (8, 16) and (keys_only or not token.isdigit()):
            yield script.line_at(match.start()), token


def check(dockerfile: Dockerfile, context: DockerfileContext) -> Iterator[Finding]:
    for instruction in dockerfile.instructions:
        if instruction.keyword in ("ENV", "ARG"):
            yield from _key_variables(instruction, context)
        if runs(instruction):
            yield from _run(instruction, context)


def _short(line: int, key: str, context: DockerfileContext) -> Finding:
    return SHORT_KEY_ID.finding(
        context.path,
        line,
        f"The key {key} is a short id; import it by its full 40-hex fingerprint.",
    )


def _run(instruction: Instruction, context: DockerfileContext) -> Iterator[Finding]:
    script = instruction.script
    text = script.text
    if "gpg" not in text and "apt-key" not in text:
        return
    for command in commands(script, r"gpg[12]?|apt-key"):
        words = command.text.split()
        if command.name != "apt-key" and "--batch" not in words and "--version" not in words:
            yield GPG_WITHOUT_BATCH.finding(
                context.path,
                command.line,
                "Run gpg with --batch so it never waits for input during the build.",
            )
        recv = _RECV.search(command.text)
        if recv:
            for line, key in _short_ids(script, command.start + recv.end(), command.end, keys_only=True):
                yield _short(line, key, context)
        for server in _KEYSERVER_VALUE.finditer(command.text):
            yield from _keyserver(server.group(1), script.line_at(command.start + server.start()), context)
    if "--recv" not in text:
        return
    # `key='...'; gpg --recv-keys "$key"`: keys kept in shell variables of a RUN that imports keys
    for assignment in _SHELL_KEY_ASSIGNMENT.finditer(text):
        for line, key in _short_ids(script, assignment.start(2), assignment.end(2)):
            yield _short(line, key, context)
    for loop in _KEY_LOOP.finditer(text):
        done = text.find("done", loop.end())
        if (
            text.find("--recv", loop.end(), done if done >= 0 else len(text)) >= 0
        ):  # a loop over keys it imports
            for line, key in _short_ids(script, loop.start("list"), loop.end("list")):
                yield _short(line, key, context)


def _keyserver(value: str, line: int, context: DockerfileContext) -> Iterator[Finding]:
    if "$" in value:
        return
    host = re.sub(r"^[a-z0-9+]+://", "", value.lower()).split("/", 1)[0].split(":", 1)[0]
    if host and host not in ACCEPTED_KEYSERVERS:
        yield KEYSERVER.finding(
            context.path,
            line,
            f"Use keys.openpgp.org or keyserver.ubuntu.com instead of the keyserver {host}.",
        )


def _key_variables(instruction: Instruction, context: DockerfileContext) -> Iterator[Finding]:
    """`ENV GPG_KEYS ...` and `ENV PGP_KEYSERVER ...`: keys and servers kept in variables."""
    script = instruction.arguments
    for match in _ASSIGNMENT.finditer(script.text):
        name = match.group(1)
        if not _KEY_NAME.search(name):
            continue
        if "SERVER" in name.upper():
            value = match.group(2).strip("\"'")
            yield from _keyserver(value, script.line_at(match.start(2)), context)
            continue
        for line, key in _short_ids(script, match.start(2), match.end(2)):
            yield _short(line, key, context)
