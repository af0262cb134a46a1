"""The summary comment: the change at a glance, the findings by image and entry, what happens next."""

from __future__ import annotations

from collections.abc import Sequence

from bot.review.inline import finding_markdown
from bot.review.part import Placed
from rules.findings import Finding, Severity
from rules.library.change import fit_lines

MARKER = "<!-- doi-bot:summary -->"
MAX_SUMMARY = 65_535
_PART_LIMIT = 8_000  # for "Not checked" and "What happens next", so the findings always have room


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def result_line(findings: Sequence[Finding]) -> str:
    counts = {severity: 0 for severity in Severity}
    for finding in findings:
        counts[finding.severity] += 1
    if not findings:
        return "**No findings.**"
    words = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
    parts = [_plural(counts[s], words[s]) for s in Severity if counts[s]]
    return "**" + ", ".join(parts) + ".**"


def _where(finding: Finding, blob_url: str | None) -> str:
    """`line N: ` in the pull request's own files (linked to the head's blob when `blob_url` is given); an
    upstream file (a permalink) is named, and linked to the line on GitHub."""
    line = f"line {finding.line}" if finding.line is not None else ""
    if finding.path.startswith("https://github.com/"):
        anchor = f"#L{finding.line}" if finding.line is not None else ""
        name = finding.path.rsplit("/", 1)[-1]
        return f"[{name}{' ' + line if line else ''}]({finding.path}{anchor}): "
    if "://" in finding.path or "@" in finding.path:
        return f"`{finding.path}`{' ' + line if line else ''}: "
    if line and blob_url:
        return f"[{line}]({blob_url}/{finding.path}#L{finding.line}): "
    return f"{line}: " if line else ""


def findings_lines(placed: Sequence[Placed], blob_url: str | None = None) -> list[str]:
    """Findings grouped by image, then by entry (the file as a whole first), errors first in each; with
    `blob_url` (`https://github.com/OWNER/REPO/blob/SHA`) each line number links to the file there."""
    lines: list[str] = []
    images: dict[str, dict[str, list[Finding]]] = {}
    for item in placed:
        images.setdefault(item.image, {}).setdefault(item.entry, []).append(item.finding)
    for image in sorted(images):
        lines.append(f"#### `{image}`")
        entries = images[image]
        for entry in sorted(entries, key=lambda e: (e != "", e)):
            if entry:
                lines.append(f"**Entry `{entry}`**")
            elif len(entries) > 1:  # beside entries only: a docs file or a file with no entry needs no header
                lines.append("**The file as a whole**")
            for finding in sorted(entries[entry], key=lambda f: (f.severity.rank, f.line or 0, f.rule)):
                lines.append(f"- {_where(finding, blob_url)}{finding_markdown(finding)}")
    return lines


def summary_markdown(
    *,
    security: str | None,
    findings: Sequence[Placed],
    change: str,
    unchecked: Sequence[str],
    next_steps: Sequence[str],
    blob_url: str | None = None,
) -> str:
    """The whole summary, at most 65,535 characters: the change and the findings are shortened (whole
    lines, never cut) to fit, the head and "What happens next" never are."""
    head = [MARKER, "## doi-bot review"]
    if security:
        head.append(
            f"> **Security update**: the title starts with `[security]`, so this pull request is labelled"
            f" `{security}` and is reviewed first."
        )
    head.append(result_line([p.finding for p in findings]))
    steps = [f"- {step}" for step in next_steps] or ["- Nothing for doi-bot to ask: a maintainer decides."]
    tail = ["### What happens next", fit_lines(steps, _PART_LIMIT, "- and {} more steps")]
    unchecked_lines = []
    if unchecked:
        listed = [f"- {sentence}" for sentence in unchecked]
        unchecked_lines = ["### Not checked", fit_lines(listed, _PART_LIMIT, "- and {} more")]
    fixed = "\n\n".join(["\n".join(head), "\n".join(unchecked_lines), "\n".join(tail)])
    budget = MAX_SUMMARY - len(fixed) - 200
    sections = []
    found = findings_lines(findings, blob_url)
    if change:
        # the findings keep at least half of the room when they need it
        change_budget = budget - min(len("\n".join(found)), budget // 2)
        change_text = fit_lines(change.split("\n"), change_budget, "- and {} more lines of changes")
        sections.append("### The change at a glance\n" + change_text)
        budget -= len(sections[-1])
    if found:
        sections.append("### Findings\n" + fit_lines(found, budget, "- and {} more lines of findings"))
    blocks = ["\n".join(head), *sections]
    if unchecked_lines:
        blocks.append("\n".join(unchecked_lines))
    blocks.append("\n".join(tail))
    return "\n\n".join(blocks) + "\n"
