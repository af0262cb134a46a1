"""Every DOI-L rule: a file in the official images' style that trips it, and the same file fixed."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from library_examples import GOOD, SHA, SHA2, mutated_real_file

from rules.library.checks import read_library
from rules.registry import all_rules


def findings_of(text: str, name: str = "app"):
    _, findings = read_library(text.encode(), name, f"library/{name}")
    return findings


def test_the_good_file_has_no_finding_at_all():
    assert findings_of(GOOD) == []


# rule -> (the good file with one mistake, the line it is reported on, the suggestion or None)
MISTAKES: dict[str, tuple[str, int | None, str | None]] = {
    "DOI-L001": (GOOD + "see the README for details\n", 14, None),
    "DOI-L002": (GOOD.replace("Jane Doe <jane@example.com> (@jane)", "Jane Doe <jane@example.com>"), 3, None),
    "DOI-L003": (GOOD.replace("GitRepo:", "Tags: nope\nGitRepo:"), 4, None),
    "DOI-L004": (
        GOOD.replace(f"GitCommit: {SHA}\nDirectory: 0", "GitCommit: 0123456\nDirectory: 0"),
        12,
        None,
    ),
    "DOI-L005": (GOOD.replace("Directory: 0", "Directory: 0\nGitFetch: main"), 14, None),
    "DOI-L006": (
        GOOD.replace("GitRepo: https://github.com/example/app.git\n", f"GitCommit: {SHA}\n\nDirectory: x\n"),
        6,
        None,
    ),
    "DOI-L007": (GOOD.replace("Directory: 0", "Directory: 0\nGitRepo:"), 14, None),
    "DOI-L008": (GOOD.replace("0.9.1, 0.9, 0", "0.9.1+build, 0.9, 0"), 11, None),
    "DOI-L009": (GOOD.replace("amd64, arm64v8", "amd64, arm64"), 7, "Architectures: amd64, arm64v8"),
    "DOI-L010": (GOOD.replace("0.9.1, 0.9, 0", "0.9.1, 0.9, 0, latest"), 11, None),
    "DOI-L011": (GOOD.replace("0.9.1, 0.9, 0", "0.9.1, 0.9, 0, 0-latest"), 11, None),
    "DOI-L012": (
        GOOD.replace("Directory: 1\n", "Directory: 1\nSharedTags: stable\n").replace(
            "Directory: 0\n", "Directory: 0\nSharedTags: stable\n"
        ),
        15,
        None,
    ),
    "DOI-L020": (GOOD.replace("Directory: 0", "directory: 0"), 13, "Directory: 0"),
    "DOI-L021": (
        GOOD.replace("Architectures: amd64, arm64v8", "Architecture: amd64, arm64v8"),
        7,
        "Architectures: amd64, arm64v8",
    ),
    "DOI-L022": (
        GOOD.replace("Directory: 1\n", "Directory: 1\narm64-Directory: 1/arm\n"),
        10,
        "arm64v8-Directory: 1/arm",
    ),
    "DOI-L023": (
        GOOD.replace("Directory: 1\n", f"Directory: 1\narm64v8-GitCommit: {SHA2} # arm\n"),
        10,
        f"arm64v8-GitCommit: {SHA2}",
    ),
    "DOI-L024": (GOOD.replace("Directory: 0", "Directory: 0\nBuilder: BuildKit"), 14, "Builder: buildkit"),
    "DOI-L025": (GOOD.replace("Directory: 1\n\n", "Directory: 1\n \n"), 10, ""),
    "DOI-L026": (GOOD.replace("Directory: 0", "Directory: 0 # old series"), 13, "Directory: 0"),
    "DOI-L027": (GOOD.replace("Directory: 0", "Directory: 0\nConstraints: !aufs,"), 14, "Constraints: !aufs"),
    "DOI-L028": (
        GOOD.replace("https://github.com", "git://github.com"),
        4,
        "GitRepo: git://github.com/example/app.git".replace("git://", "https://"),
    ),
    "DOI-L030": (GOOD.replace("Directory: 0", "Directory: 0\ns390x-Directory: 0/s390x"), 14, None),
    "DOI-L031": (GOOD.replace("0.9.1, 0.9, 0", "0.9.1, 0.9, 0, nightly"), 11, None),
    "DOI-L032": (GOOD.replace("1.2.3, 1.2, 1, latest", "1.2.3, 1, latest"), 6, None),
}


@pytest.mark.parametrize("rule_id", sorted(MISTAKES))
def test_each_rule_reports_its_mistake_on_the_exact_line(rule_id: str):
    text, line, suggestion = MISTAKES[rule_id]
    found = [f for f in findings_of(text) if f.rule == rule_id]
    assert [(f.line, f.suggestion) for f in found] == [(line, suggestion)]
    assert found[0].message.endswith(".") and "\n" not in found[0].message


def test_the_file_name_must_be_a_hub_repository_name():
    assert [f.rule for f in findings_of(GOOD, name="My_App")] == ["DOI-L013"]
    assert [f.rule for f in findings_of(GOOD, name="rocket.chat")] == []


def test_every_library_rule_has_a_mistake_here():
    library_rules = {r.id for r in all_rules() if r.id.startswith("DOI-L")}
    assert library_rules == set(MISTAKES) | {"DOI-L013"}


def test_shared_tags_may_overlap_on_windows_only():
    windows = GOOD.replace("Architectures: amd64, arm64v8", "Architectures: windows-amd64")
    windows = windows.replace("Directory: 1\n", "Directory: 1\nSharedTags: stable\n")
    windows = windows.replace(
        "Directory: 0\n", "Directory: 0\nSharedTags: stable\nArchitectures: windows-amd64\n"
    )
    assert findings_of(windows) == []


def test_the_shared_tags_message_has_the_ci_shape():
    text, _, _ = MISTAKES["DOI-L012"]
    (finding,) = [f for f in findings_of(text) if f.rule == "DOI-L012"]
    assert "(duplicate architectures in SharedTags; app:1.2.3, app:0.9.1) - amd64" in finding.message


def test_arch_fields_of_the_global_paragraph_are_not_reported():
    text = GOOD.replace("GitRepo:", "s390x-Directory: s390x\nGitRepo:")
    assert findings_of(text) == []


def test_bad_input_gives_one_clear_finding():
    for data in (b"\x00\x01binary", b"Maintainers: \xff\xfe\n", b"x" * (20 * 1024 * 1024)):
        _, findings = read_library(data, "app", "library/app")
        assert [f.rule for f in findings] == ["DOI-X001"]
    assert [f.rule for f in findings_of("")] == ["DOI-L001"]


# --- never an exception, on anything ---------------------------------------------------------------


@settings(max_examples=150, deadline=None)
@given(mutated_real_file())
def test_mutated_real_files_give_findings_never_an_exception(text: str):
    for finding in findings_of(text):
        assert finding.rule != "DOI-X002", finding.message


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=200))
def test_arbitrary_bytes_give_findings_never_an_exception(data: bytes):
    _, findings = read_library(data, "app", "library/app")
    assert all(f.rule != "DOI-X002" for f in findings)


def test_the_most_common_mistakes_get_a_mechanical_fix():
    two_lines = GOOD.replace(
        "Maintainers: Jane Doe <jane@example.com> (@jane)",
        "Maintainers: Jane Doe <jane@example.com> (@jane)\n             Bo Example (@bo)",
    )
    (missing_comma,) = findings_of(two_lines)
    assert (missing_comma.rule, missing_comma.line) == ("DOI-L002", 3)
    assert missing_comma.suggestion == "Maintainers: Jane Doe <jane@example.com> (@jane),"
    upper = GOOD.replace(f"GitCommit: {SHA}\nDirectory: 0", f"GitCommit: {SHA.upper()}\nDirectory: 0")
    (commit,) = findings_of(upper)
    assert (commit.rule, commit.line, commit.suggestion) == ("DOI-L004", 12, f"GitCommit: {SHA}")


def test_an_architecture_typo_and_the_old_format_are_explained():
    typo = GOOD.replace("amd64, arm64v8", "amd64, aarch64")
    (finding,) = findings_of(typo)
    assert (finding.rule, finding.suggestion) == ("DOI-L009", "Architectures: amd64, arm64v8")
    old = "# maintainer: Jane Doe <jane@example.com> (@jane)\n\n"
    old += f"latest: git://github.com/example/app@{SHA} 1.0\n"
    (only,) = findings_of(old)  # one finding, not one per `tag:` line
    assert only.rule == "DOI-L001" and "no longer supports the line-based" in only.message


def test_an_error_on_a_field_of_several_lines_covers_them_all():
    text = GOOD.replace("(@jane)", "(@jane),\n             Bo Example")
    (finding,) = findings_of(text)
    assert (finding.rule, finding.line, finding.end_line) == ("DOI-L002", 3, 4)


def test_comment_lines_inside_a_value_are_not_inline_comments():
    text = GOOD.replace(
        "Maintainers: Jane Doe <jane@example.com> (@jane)",
        "Maintainers: Jane Doe <jane@example.com> (@jane),\n  # Old Maintainer (@old),\n  Bo Example (@bo)",
    )
    assert findings_of(text) == []
