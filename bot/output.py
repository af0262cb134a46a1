"""Renderings of findings for the command line: text, JSON and SARIF 2.1.0."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from bot import __version__
from rules.findings import Finding, Severity
from rules.registry import all_rules

FORMATS = ("text", "json", "sarif")

_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_text(findings: Sequence[Finding]) -> str:
    """Compiler-style lines: `path:line: severity DOI-X000: message`."""
    lines = []
    for f in findings:
        where = f"{f.path}:{f.line}" if f.line is not None else f.path
        lines.append(f"{where}: {f.severity} {f.rule}: {f.message}")
    return "".join(line + "\n" for line in lines)


def render_json(findings: Sequence[Finding]) -> str:
    return json.dumps({"findings": [f.to_json() for f in findings]}, indent=2, ensure_ascii=False) + "\n"


def sarif_uri(path: str) -> str:
    """A finding's path as a URI reference: an upstream permalink as it is, a file path percent-encoded."""
    return path if "://" in path else quote(path, safe="/")


def render_sarif(findings: Sequence[Finding]) -> str:
    """SARIF 2.1.0 as GitHub code scanning accepts it: one run, rules from the registry."""
    rules = all_rules()
    index = {r.id: i for i, r in enumerate(rules)}
    results: list[dict[str, Any]] = []
    for f in findings:
        # code scanning needs a region on every result: a finding about the whole file sits on its line 1
        region: dict[str, Any] = {"startLine": f.line or 1}
        if f.line is not None and f.end_line is not None and f.end_line >= f.line:
            region["endLine"] = f.end_line
        location = {"artifactLocation": {"uri": sarif_uri(f.path)}, "region": region}
        result: dict[str, Any] = {
            "ruleId": f.rule,
            "level": _SARIF_LEVEL[f.severity],
            "message": {"text": f.message},
            "locations": [{"physicalLocation": location}],
        }
        if f.rule in index:
            result["ruleIndex"] = index[f.rule]
        results.append(result)
    log = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "doi-bot",
                        "version": __version__,
                        "informationUri": "https://github.com/docker-library/official-images",
                        "rules": [
                            {
                                "id": r.id,
                                "shortDescription": {"text": r.title},
                                "fullDescription": {"text": r.why},
                                "defaultConfiguration": {"level": _SARIF_LEVEL[r.severity]},
                            }
                            for r in rules
                        ],
                    }
                },
                "results": results,
            }
        ],
    }
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def render(findings: Sequence[Finding], fmt: str) -> str:
    return {"text": render_text, "json": render_json, "sarif": render_sarif}[fmt](findings)
