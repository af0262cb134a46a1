"""The finding value, the rule registry, input decoding and the crash guard."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from bot.output import render_json, render_sarif, render_text
from rules.findings import Finding, Severity, sorted_findings
from rules.registry import RULES, all_rules, rule
from rules.tool import decode_text, guarded


def test_findings_sort_by_path_then_null_line_first_then_rule():
    a = Finding("DOI-L002", Severity.ERROR, "library/a", 3, "m")
    b = Finding("DOI-L001", Severity.ERROR, "library/a", 3, "m")
    c = Finding("DOI-L009", Severity.INFO, "library/a", None, "m")
    d = Finding("DOI-L001", Severity.ERROR, "library/0", 9, "m")
    assert sorted_findings([a, b, c, d, a]) == [d, c, b, a]


def test_text_and_json_renderings_follow_the_contract():
    f = Finding("DOI-X001", Severity.ERROR, "library/x", None, "Fix it.")
    g = Finding("DOI-X001", Severity.ERROR, "library/x", 2, "Fix it.", end_line=3, suggestion="s")
    assert render_text([f, g]) == "library/x: error DOI-X001: Fix it.\nlibrary/x:2: error DOI-X001: Fix it.\n"
    doc = json.loads(render_json([f]))
    assert doc == {
        "findings": [
            {
                "rule": "DOI-X001",
                "severity": "error",
                "path": "library/x",
                "line": None,
                "end_line": None,
                "message": "Fix it.",
                "suggestion": None,
            }
        ]
    }


def test_sarif_names_every_rule_and_points_at_lines():
    f = Finding("DOI-X001", Severity.WARNING, "library/x", 4, "Fix it.", end_line=5)
    log = json.loads(render_sarif([f]))
    assert log["version"] == "2.1.0"
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == sorted(RULES)
    result = run["results"][0]
    assert result["level"] == "warning"
    assert ids[result["ruleIndex"]] == "DOI-X001"
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "endLine": 5}


def test_rule_ids_are_validated_and_unique():
    with pytest.raises(ValueError):
        rule("DOI-Q001", Severity.INFO, "t", "w")
    with pytest.raises(ValueError):
        rule("DOI-X001", Severity.INFO, "t", "w")


def test_every_rule_has_a_title_and_a_why():
    for r in all_rules():
        assert r.title and r.why, r.id


@pytest.mark.parametrize(
    ("data", "needle", "line"),
    [
        (b"x" * 5000, "larger than any real one", None),
        (b"Maintainers: a\0b", "binary", None),
        (b"ok\nok\n\xff\xfe", "not valid UTF-8", 3),
    ],
)
def test_unreadable_bytes_give_one_clear_finding(data, needle, line):
    text, finding = decode_text(data, "library/x", limit=4096)
    assert text is None
    assert finding is not None and needle in finding.message and finding.line == line
    assert finding.rule == "DOI-X001"


def test_decoding_keeps_a_byte_order_mark():
    assert decode_text("\ufeffMaintainers: x".encode(), "p") == ("\ufeffMaintainers: x", None)


def test_a_crashing_check_becomes_one_finding():
    def broken():
        raise KeyError("boom")

    [finding] = guarded(broken, "library/x", "DOI-L999")
    assert finding.rule == "DOI-X002" and "KeyError" in finding.message


def test_rules_command_lists_the_registry(capsys):
    assert main(["rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in listed] == [r.id for r in all_rules()]


def test_missing_path_is_exit_2_with_one_line(capsys, tmp_path):
    assert main(["check", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err


def test_directory_of_no_known_kind_is_exit_2(capsys, tmp_path):
    assert main(["check", str(tmp_path)]) == 2
    assert "no known kind" in capsys.readouterr().err


def test_bad_option_is_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["check", "--format", "xml", "x"])
    assert exc.value.code == 2
