"""DOI-M003, DOI-M004: metadata.json in the exact form `metadata.sh` writes, with valid Hub categories."""

from __future__ import annotations

import json
from typing import Any

from rules.docs.model import DocsContext, DocsFolder
from rules.docs.rewrite import rewrite_finding
from rules.findings import Finding, Severity
from rules.registry import rule

FORMAT = rule(
    "DOI-M003",
    Severity.ERROR,
    "metadata.json missing, invalid or not in canonical form",
    "The docs CI (metadata) requires metadata.json byte for byte as `jq --sort-keys` prints it (2-space"
    " indent, sorted keys, one final newline), with a `hub.categories` list.",
)
CATEGORIES = rule(
    "DOI-M004",
    Severity.ERROR,
    "metadata.json categories not sorted, unique, at most 3 and allowed",
    "The docs CI (metadata) fails on unsorted or repeated categories, more than 3, or a slug that is not in"
    " the root metadata.json (Docker Hub's category list).",
)

METADATA_NAME = "metadata.json"
MAX_CATEGORIES = 3
_EMPTY = '{"hub": {"categories": []}}'


def canonical_json(value: Any) -> str:
    """jq's `--sort-keys` pretty print: 2-space indent, non-ASCII kept, one final newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def allowed_categories(root_text: str) -> frozenset[str] | None:
    """The category slugs the root metadata.json lists, or None when it lists none readably."""
    try:
        listed = json.loads(root_text)["hub"]["categories"]
    except (ValueError, TypeError, KeyError):
        return None
    return frozenset(c for c in listed if isinstance(c, str)) if isinstance(listed, list) else None


def metadata(folder: DocsFolder, context: DocsContext) -> list[Finding]:
    path = folder.path_of(METADATA_NAME)
    text = folder.texts.get(METADATA_NAME)
    if text is None:
        if METADATA_NAME in folder.files or not folder.complete:
            return []  # unreadable (reported as such) or not part of this change
        return [FORMAT.finding(path, None, f"Add metadata.json with the image's Hub categories: {_EMPTY}.")]
    if text == "":
        return [
            FORMAT.finding(path, None, f"Write metadata.json: it is empty; the least it holds is {_EMPTY}.")
        ]
    return check_metadata_text(path, text, context.categories)


def check_metadata_text(path: str, text: str, allowed: frozenset[str] | None) -> list[Finding]:
    """One metadata.json text; `allowed` None is the root file, whose list defines the categories."""
    try:
        value = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        return [FORMAT.finding(path, line, f"Fix the JSON syntax of metadata.json ({exc}).")]
    hub = value.get("hub") if isinstance(value, dict) else None
    categories = hub.get("categories") if isinstance(hub, dict) else None
    if not isinstance(categories, list):
        return [FORMAT.finding(path, 1, 'Give metadata.json the shape {"hub": {"categories": [...]}}.')]
    findings = []
    try:
        cleaned = sorted(set(categories))
    except TypeError:
        return [FORMAT.finding(path, 1, "Write each category in metadata.json as a string slug.")]
    wanted = canonical_json({**value, "hub": {**value["hub"], "categories": cleaned}})
    if text != wanted:
        if text == canonical_json(value):
            message = "Sort the categories in metadata.json and list each one once."
            findings.append(rewrite_finding(CATEGORIES, path, text, wanted, message))
        else:
            message = "Format metadata.json as `./metadata.sh -w` does (jq --sort-keys, 2-space indent)."
            findings.append(rewrite_finding(FORMAT, path, text, wanted, message))
    if allowed is None:
        return findings
    if len(cleaned) > MAX_CATEGORIES:
        findings.append(
            CATEGORIES.finding(
                path,
                _line_of(text, cleaned[MAX_CATEGORIES]),
                f"Keep at most {MAX_CATEGORIES} categories in metadata.json (it has {len(cleaned)}).",
            )
        )
    unknown = [c for c in cleaned if not isinstance(c, str) or c not in allowed]
    if unknown:
        names = ", ".join(json.dumps(c, ensure_ascii=False) for c in unknown)
        findings.append(
            CATEGORIES.finding(
                path,
                _line_of(text, unknown[0]),
                f"Replace the unknown categories {names}: use slugs from the root metadata.json.",
            )
        )
    return findings


def _line_of(text: str, category: object) -> int | None:
    """The first line that lists this category (its JSON string), or None in a file that does not."""
    written = json.dumps(category, ensure_ascii=False)
    return next((n for n, line in enumerate(text.split("\n"), start=1) if written in line), None)
