"""The real docs repository (../shared/corpus/docs): nothing flagged as an error, formats reproduced."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from bot.checks import CheckOptions
from bot.checks.docs import check_docs_checkout, library_images_of
from rules.docs.compose import ymlfmt_text
from rules.docs.metadata import canonical_json, check_metadata_text
from rules.docs.model import DEFAULT_CATEGORIES
from rules.findings import Severity


def test_no_error_on_the_real_folders(shared: Path) -> None:
    docs = shared / "corpus" / "docs"
    folders = [p for p in docs.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(folders) == 145
    options = CheckOptions(library_dir=shared / "corpus" / "official-images")
    findings = check_docs_checkout(docs, options)
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    by_rule = Counter(f.rule for f in findings)
    # What the research counted: mongo's %%LOGO%% without logo, three compose.yaml never shown,
    # bonita's non-official image, ubuntu's Launchpad URL, nextcloud's page over the Hub limit.
    assert by_rule["DOI-M010"] == 1 and by_rule["DOI-M007"] == 3 and by_rule["DOI-M008"] == 1
    assert by_rule["DOI-M014"] == 1 and by_rule["DOI-M012"] == 1
    assert by_rule["DOI-M018"] == 0  # every folder but scratch has its library file
    assert not any(f.rule.startswith("DOI-X") for f in findings)


def test_metadata_format_reproduces_every_real_file(shared: Path) -> None:
    docs = shared / "corpus" / "docs"
    files = [*sorted(docs.glob("*/metadata.json")), docs / "metadata.json"]
    assert len(files) == 146
    for path in files:
        text = path.read_text(encoding="utf-8")
        value = json.loads(text)
        value["hub"]["categories"] = sorted(set(value["hub"]["categories"]))
        assert canonical_json(value) == text, path
        allowed = None if path.parent == docs else DEFAULT_CATEGORIES
        assert check_metadata_text(str(path), text, allowed) == [], path


def test_ymlfmt_reproduces_every_real_compose_file(shared: Path) -> None:
    files = sorted((shared / "corpus" / "docs").glob("*/compose.yaml"))
    assert len(files) == 26
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert ymlfmt_text(text) == text, path


def test_library_images_from_a_checkout_or_its_library_folder(shared: Path) -> None:
    root = shared / "corpus" / "official-images"
    assert library_images_of(root) == library_images_of(root / "library")
    assert len(library_images_of(root)) == 144
