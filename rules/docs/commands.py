"""DOI-M013, DOI-M015, DOI-M016: what the docs' example commands show."""

from __future__ import annotations

import re
import shlex

from rules.docs.markdown import CodeBlock, block_lines, commands, parse_markdown
from rules.docs.model import DocsFolder
from rules.findings import Finding, Severity
from rules.registry import rule

PRIVILEGED = rule(
    "DOI-M013",
    Severity.WARNING,
    "`--privileged` in the docs",
    "A privileged container has every capability and device of the host: readers copy examples as they"
    " are, so one that needs it must say why, and most do not need it.",
)
PROMPT = rule(
    "DOI-M015",
    Severity.INFO,
    "`console` code block without `$ ` prompts",
    "The docs write commands in ```console blocks as `$ command`, so readers can tell commands from their"
    " output; the maintainers fix missing prompts by hand.",
)
HARDCODED = rule(
    "DOI-M016",
    Severity.INFO,
    "Hard-coded image name where %%IMAGE%% belongs",
    "%%IMAGE%% renders as `python` on the main page and `amd64/python` on each architecture's page, so"
    " examples that pull or run the image should use it.",
)

_SHELL_LANGUAGES = frozenset({"console", "bash", "sh", "shell", "shell-session", "powershell", ""})
_PROMPTS = ("$ ", "# ", "> ", "PS ", "C:\\")
# `docker run` options that take a value as the next word (the rest are flags).
_VALUE_OPTIONS = frozenset(
    {
        *("-a", "-c", "-e", "-h", "-l", "-m", "-p", "-u", "-v", "-w"),
        *("--add-host", "--attach", "--cap-add", "--cap-drop", "--cgroup-parent", "--cidfile"),
        *("--cpu-shares",),
        *("--cpus", "--device", "--dns", "--dns-search", "--entrypoint", "--env", "--env-file", "--expose"),
        *("--gpus", "--health-cmd", "--hostname", "--ip", "--ipc", "--label", "--link", "--log-driver"),
        *("--log-opt", "--memory", "--mount", "--name", "--net", "--network", "--network-alias", "--pid"),
        *("--platform", "--publish", "--pull", "--restart", "--runtime", "--security-opt", "--shm-size"),
        *("--stop-signal", "--stop-timeout", "--storage-opt", "--sysctl", "--tmpfs", "--ulimit", "--user"),
        *("--userns", "--uts", "--volume", "--volumes-from", "--workdir"),
    }
)
_DOCKER_IMAGE_COMMAND = re.compile(r"(?:^|[;&|(]\s*|\bsudo\s+)docker\s+(?:container\s+)?(run|create|pull)\s")
_FROM = re.compile(r"^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)", re.IGNORECASE)


def privileged(folder: DocsFolder) -> list[Finding]:
    message = (
        "Drop `--privileged` from this example, or say next to it why the image needs it and which narrower"
        " options (--cap-add, --device) do not suffice."
    )
    findings = []
    for name in folder.markdown_names():
        doc = parse_markdown(folder.texts[name])
        examples = [(n, line) for block in doc.blocks for n, line in block_lines(block)]
        # in prose, an inline example (`docker run --privileged ...`), not a sentence about the flag
        examples += [(n, line) for n, line in doc.prose if "docker run" in line]
        for number, line in examples:
            if "--privileged" in line:
                findings.append(PRIVILEGED.finding(folder.path_of(name), number, message))
    return sorted(findings, key=lambda f: f.line or 0)


def console_prompts(folder: DocsFolder) -> list[Finding]:
    findings = []
    for name in folder.markdown_names():
        for block in parse_markdown(folder.texts[name]).blocks:
            if block.language == "console" and _lacks_prompt(block):
                message = (
                    "Start each command in this console block with `$ ` to set it apart from its output."
                )
                end = block.line + len(block.lines) + 1
                first = next(n for n, line in block_lines(block) if line.strip())
                findings.append(PROMPT.finding(folder.path_of(name), first, message, end_line=end))
    return findings


def _lacks_prompt(block: CodeBlock) -> bool:
    lines = [line.strip() for line in block.lines if line.strip()]
    return bool(lines) and not any(line.startswith(_PROMPTS) or line == "$" for line in lines)


def hardcoded_image(folder: DocsFolder) -> list[Finding]:
    content = folder.texts.get("content.md")
    if content is None:
        return []
    findings = []
    for block in parse_markdown(content).blocks:
        references: list[tuple[int, str]] = []
        if block.language in _SHELL_LANGUAGES:
            references += [(n, ref) for n, command in commands(block) if (ref := _docker_image(command))]
        if block.language == "dockerfile":
            references += [(n, m.group(1)) for n, line in block_lines(block) if (m := _FROM.match(line))]
        for number, reference in references:
            if _names_image(reference, folder.name):
                message = f"Write %%IMAGE%% instead of the image name in `{reference}`."
                findings.append(HARDCODED.finding(folder.path_of("content.md"), number, message))
    return findings


def _docker_image(command: str) -> str | None:
    """The image a `docker run|create|pull` command names, or None."""
    found = _DOCKER_IMAGE_COMMAND.search(command)
    if found is None:
        return None
    try:
        words = shlex.split(command[found.end() :], comments=False)
    except ValueError:
        return None
    expects_value = False
    for word in words:
        if expects_value:
            expects_value = False
        elif word.startswith("-"):
            expects_value = "=" not in word and word in _VALUE_OPTIONS
        else:
            return word
    return None


def _names_image(reference: str, image: str) -> bool:
    for prefix in ("docker.io/library/", "library/"):
        reference = reference.removeprefix(prefix)
    return re.split(r"[@:]", reference, maxsplit=1)[0] == image
