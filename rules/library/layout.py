"""DOI-L025: a line of only spaces or tabs, which bashbrew does not read as a paragraph break."""

from __future__ import annotations

from rules.findings import Finding, Severity
from rules.library.model import LibraryFile
from rules.registry import rule

BLANK_LOOKALIKE = rule(
    "DOI-L025",
    Severity.WARNING,
    "A line of only whitespace",
    "Only an exactly empty line separates paragraphs; a line of spaces or tabs continues the value above, so"
    " two entries merge (the first one's tags vanish) or a value gains empty lines.",
)


def layout_findings(library: LibraryFile) -> list[Finding]:
    findings = []
    for paragraph in library.paragraphs:
        for number in paragraph.blank_lookalikes:
            merges = any(field.line > number for field in paragraph.fields)
            effect = (
                "bashbrew merges the paragraphs before and after it into one"
                if merges
                else "bashbrew adds it to the value above"
            )
            findings.append(
                BLANK_LOOKALIKE.finding(
                    library.path,
                    number,
                    f"Make this line exactly empty (it holds only spaces or tabs): {effect}.",
                    suggestion="",
                )
            )
    return findings
