"""Any text through the docs parsers and rules gives findings, never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.review.build import build_review
from bot.review.model import ChangedFile, Evidence, PullRequest
from rules.docs.compose import ymlfmt_findings
from rules.docs.folder import build_folder, check_folder
from rules.docs.logo import logo_facts
from rules.docs.markdownfmt import markdownfmt_findings
from rules.docs.metadata import check_metadata_text
from rules.docs.model import DEFAULT_CATEGORIES, DocsContext
from rules.findings import Finding

# Text made of the characters these formats care about, so the examples reach the parsers' corners.
MARKDOWN = st.text(alphabet=st.sampled_from(list("-*+_~`#=|$%[]()<>!\\ \t\n1.aZ:é")), max_size=300)
YAML = st.text(alphabet=st.sampled_from(list("-:?&*!|>'\"{}[],#% \t\nabc01yes")), max_size=200)
JSON = st.text(alphabet=st.sampled_from(list('{}[]":, \n\thubcategoriesx0-')), max_size=200)
REAL_FOLDERS = ("docker", "nginx", "postgres", "mariadb", "wordpress", "ghost", "mongo")


@pytest.fixture(scope="module")
def shared_docs(shared: Path) -> dict[str, dict[str, bytes]]:
    """A few real folders with compose files, variants and long pages, as bytes."""
    docs = shared / "corpus" / "docs"
    return {
        name: {p.name: p.read_bytes() for p in (docs / name).iterdir() if p.is_file()}
        for name in REAL_FOLDERS
    }


FILE_NAMES = st.sampled_from(
    [
        "content.md",
        "README-short.txt",
        "metadata.json",
        "compose.yaml",
        "github-repo",
        "license.md",
        "logo.png",
    ]
)


@settings(max_examples=200, deadline=None)
@given(MARKDOWN)
def test_markdown_never_raises(text: str) -> None:
    assert all(isinstance(f, Finding) for f in markdownfmt_findings("x/content.md", text))


@settings(max_examples=200, deadline=None)
@given(YAML)
def test_yaml_never_raises(text: str) -> None:
    findings = ymlfmt_findings("x/compose.yaml", text)
    assert all(f.rule == "DOI-M006" for f in findings)


@settings(max_examples=200, deadline=None)
@given(JSON)
def test_json_never_raises(text: str) -> None:
    for finding in check_metadata_text("x/metadata.json", text, DEFAULT_CATEGORIES):
        assert finding.rule in ("DOI-M003", "DOI-M004")


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(FILE_NAMES, st.one_of(st.binary(max_size=120), MARKDOWN.map(str.encode)), max_size=6))
def test_any_folder_never_crashes_a_rule(files: dict[str, bytes]) -> None:
    folder, _ = build_folder("x", "x", dict(files))
    context = DocsContext(official_images=frozenset({"x"}), library_images=frozenset())
    assert not [f for f in check_folder(folder, context) if f.rule == "DOI-X002"]
    assert logo_facts("logo.svg", files.get("logo.png", b"")).size >= 0


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["x/", "y/", ".common-templates/", ""]), FILE_NAMES, MARKDOWN), max_size=5
    )
)
def test_any_docs_pull_request_reviews(changes: list[tuple[str, str, str]]) -> None:
    files = tuple(ChangedFile(folder + name, "added", None, text.encode()) for folder, name, text in changes)
    pull = PullRequest("docker-library/docs", "docs", 1, "t", "h", "b", files)
    review = build_review(pull, Evidence(known_images=frozenset({"x"})))
    assert not [f for f in review.findings if f.rule == "DOI-X002"]
    # the same texts as the head's other files: every folder is then judged as a whole
    head = {f"{folder}other-{name}": text.encode() for folder, name, text in changes}
    whole = build_review(pull, Evidence(known_images=frozenset({"x"}), docs_files=head))
    assert not [f for f in whole.findings if f.rule == "DOI-X002"]


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_mutated_real_folders_never_crash_a_rule(shared_docs: dict[str, dict[str, bytes]], data) -> None:
    name = data.draw(st.sampled_from(sorted(shared_docs)))
    files = dict(shared_docs[name])
    target = data.draw(st.sampled_from(sorted(files)))
    lines = files[target].split(b"\n")
    cut = data.draw(st.integers(0, len(lines)))
    inserted = data.draw(st.lists(MARKDOWN.map(str.encode), max_size=3))
    files[target] = b"\n".join(lines[:cut] + inserted + lines[cut + data.draw(st.integers(0, 3)) :])
    folder, _ = build_folder(name, name, files)
    context = DocsContext(official_images=frozenset(shared_docs), library_images=frozenset(shared_docs))
    assert not [f for f in check_folder(folder, context) if f.rule == "DOI-X002"]
