"""DOI-M005: Markdown that tianon/markdownfmt would rewrite, in the cases where its output is certain."""

from __future__ import annotations

import re

from rules.docs.markdown import parse_markdown
from rules.docs.model import DocsFolder
from rules.findings import Finding, Severity
from rules.registry import rule

MARKDOWNFMT = rule(
    "DOI-M005",
    Severity.ERROR,
    "Markdown that markdownfmt would reformat",
    "The docs CI (markdownfmt) fails on any .md file the formatter would change; these are the changes"
    " that are certain: list markers, emphasis style, fences, setext headings and the final newline.",
)

_BULLET = re.compile(r"^(\s*)([-*+])( +|\t)(?=\S)")
_NUMBERED = re.compile(r"^(\s*)(\d+)\.( +)(?=\S)")
_RULE_LINE = re.compile(r"^\s*([-*_])(\s*\1){2,}\s*$")  # a thematic break, not a list item
_SETEXT_H1 = re.compile(r"^={3,}\s*$")
# What is not emphasis: code spans, link targets, autolinks and HTML tags, bare URLs.
_NOT_PROSE = re.compile(r"`+[^`]*`+|\]\([^)]*\)|<[^>\n]*>|https?://\S+")
_UNDERSCORE_EMPHASIS = re.compile(r"(?<![\w\\_])(__?)(?=[^\s_])([^_\n]*?[^\s_\\])\1(?![\w_])")
_HINT = "; `./markdownfmt.sh -d IMAGE` shows the whole diff"


def _is_list_item(line: str) -> bool:
    return bool(_BULLET.match(line) or _NUMBERED.match(line)) and not _RULE_LINE.match(line)


def markdownfmt_findings(path: str, text: str) -> list[Finding]:
    """One Markdown text; empty files are skipped, as the CI does (they switch a variant section off)."""
    if text == "":
        return []
    findings = []
    doc = parse_markdown(text)
    previous = ""
    for number, line in doc.prose:
        findings += _line_findings(path, number, line, previous)
        previous = line
    for block in doc.blocks:
        if block.fence.startswith("~"):
            message = f"Write this code fence with backticks (```) instead of tildes{_HINT}."
            findings.append(MARKDOWNFMT.finding(path, block.line, message))
    if not text.endswith("\n"):
        message = "End the file with a newline."
        findings.append(MARKDOWNFMT.finding(path, text.count("\n") + 1, message))
    elif text.endswith("\n\n"):
        last = len(text.rstrip("\n").split("\n")) + 1
        message = "Remove the blank lines at the end: a Markdown file ends with exactly one newline."
        findings.append(MARKDOWNFMT.finding(path, last, message))
    return findings


def _line_findings(path: str, number: int, line: str, previous: str) -> list[Finding]:
    findings = []
    # A list starts after a blank line or continues one; elsewhere a marker may be paragraph text. Indented
    # four columns after a blank line, it may be an indented code block instead: only a list continues it.
    deep = line.startswith(("\t", "    "))
    starts_list = _is_list_item(previous) or (previous.strip() == "" and not deep)
    bullet = _BULLET.match(line)
    if starts_list and bullet and not _RULE_LINE.match(line):
        indent, marker, gap = bullet.groups()
        if marker != "-" or gap != "\t":
            fixed = f"{indent}-\t{line[bullet.end() :]}"
            message = f"Write list items as `-` followed by a TAB{_HINT}."
            findings.append(MARKDOWNFMT.finding(path, number, message, suggestion=fixed))
    numbered = _NUMBERED.match(line)
    if starts_list and numbered:
        indent, digits, _ = numbered.groups()
        fixed = f"{indent}{digits}.\t{line[numbered.end() :]}"
        message = f"Write numbered list items as `{digits}.` followed by a TAB{_HINT}."
        findings.append(MARKDOWNFMT.finding(path, number, message, suggestion=fixed))
    if _SETEXT_H1.match(line) and previous.strip() and not _is_list_item(previous):
        message = f"Write this heading as `# {previous.strip()}` (an ATX heading) instead of underlining it."
        findings.append(MARKDOWNFMT.finding(path, number - 1, message, end_line=number))
    prose = _NOT_PROSE.sub(" ", line)
    emphasis = _UNDERSCORE_EMPHASIS.search(prose)
    if emphasis:
        stars = "*" * len(emphasis.group(1))
        message = (
            f"Write `{emphasis.group(0)}` as `{stars}{emphasis.group(2)}{stars}`: markdownfmt emphasises"
            f" with asterisks{_HINT}."
        )
        findings.append(MARKDOWNFMT.finding(path, number, message))
    return findings


def markdownfmt(folder: DocsFolder) -> list[Finding]:
    findings = []
    for name in folder.markdown_names():
        findings += markdownfmt_findings(folder.path_of(name), folder.texts[name])
    return findings
