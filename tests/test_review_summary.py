"""How the summary groups findings: by image, then entry, with a header only where it tells something."""

from __future__ import annotations

from bot.review.part import Placed
from bot.review.summary import findings_lines
from rules.findings import Finding, Severity


def finding(path: str, line: int | None, rule: str = "DOI-L021") -> Finding:
    return Finding(rule, Severity.WARNING, path, line, "Fix it.")


def test_findings_beside_entries_get_a_file_header_and_entries_theirs():
    lines = findings_lines(
        [
            Placed(finding("library/foo", 2), "foo"),
            Placed(finding("library/foo", 7), "foo", "1.2.3, 1.2"),
        ]
    )
    assert lines[:2] == ["#### `foo`", "**The file as a whole**"]
    assert "**Entry `1.2.3, 1.2`**" in lines


def test_a_file_with_no_entries_is_listed_under_its_name_alone():
    lines = findings_lines([Placed(finding("foo/content.md", 5, "DOI-M005"), "foo/content.md")])
    assert lines == ["#### `foo/content.md`", "- line 5: **warning** `DOI-M005`: Fix it."]
