"""`doi-bot check` on docs checkouts and folders: files read, links followed, bad input reported."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.checks import CheckOptions
from bot.checks.docs import check_docs_checkout, check_docs_folder
from bot.cli import main
from rules.findings import Severity
from tests.docs_folders import FILES, write_checkout

PNG = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + (2400).to_bytes(4, "big") + (300).to_bytes(4, "big") + b"\x08\x06"


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A docs checkout: root metadata.json, shared templates, and a redis folder whose maintainer.md links."""
    root = write_checkout(tmp_path / "docs")
    folder = root / "redis"
    (folder / "logo.png").write_bytes(PNG)
    return root


def rules_at(findings) -> list[tuple[str, str]]:
    return sorted((f.rule, f.path) for f in findings)


def test_a_clean_checkout_with_a_symlinked_maintainer(checkout: Path) -> None:
    findings = check_docs_checkout(checkout, CheckOptions())
    # the only note: the 2400 px logo
    assert rules_at(findings) == [("DOI-M011", f"{checkout}/redis/logo.png")]


def test_git_link_text_is_followed_like_a_symlink(checkout: Path) -> None:
    # A checkout without symlink support (and the corpus copy) holds the link's target as the file's text.
    link = checkout / "redis" / "maintainer.md"
    link.unlink()
    link.write_text("../.common-templates/maintainer-community.md")
    assert [f.rule for f in check_docs_checkout(checkout, CheckOptions())] == ["DOI-M011"]


def test_unknown_category_is_checked_against_the_root_list(checkout: Path) -> None:
    (checkout / "redis" / "metadata.json").write_text(
        json.dumps({"hub": {"categories": ["security"]}}, indent=2) + "\n"
    )
    findings = check_docs_checkout(checkout, CheckOptions())
    assert ("DOI-M004", f"{checkout}/redis/metadata.json") in rules_at(findings)


def test_finding_paths_open_from_the_current_directory(checkout: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(checkout.parent)
    (checkout / "redis" / "README-short.txt").write_text("x" * 120 + "\n")
    assert main(["check", "--format", "json", "docs"]) == 1
    paths = {f["path"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert "docs/redis/README-short.txt" in paths
    assert all(Path(p).exists() for p in paths)
    assert main(["check", "docs/redis"]) == 1
    assert "docs/redis/README-short.txt:1: error DOI-M002" in capsys.readouterr().out


def test_library_dir_gives_the_cross_check(checkout: Path, tmp_path: Path) -> None:
    library = tmp_path / "official-images" / "library"
    library.mkdir(parents=True)
    (library / "postgres").write_text("Maintainers: x\n")
    for given in (library.parent, library):
        findings = check_docs_checkout(checkout, CheckOptions(library_dir=given))
        assert ("DOI-M018", f"{checkout}/redis") in rules_at(findings)
    # and the reverse: postgres has a library file but no docs folder
    assert ("DOI-M018", f"{library}/postgres") in rules_at(findings)
    (library / "redis").write_text("Maintainers: x\n")
    (checkout / "postgres").mkdir()
    for name, text in FILES.items():
        (checkout / "postgres" / name).write_text(text.replace("redis", "postgres"))
    findings = check_docs_checkout(checkout, CheckOptions(library_dir=library))
    assert "DOI-M018" not in {f.rule for f in findings}


def test_logos_table_stands_in_for_missing_logo_files(checkout: Path) -> None:
    (checkout / "redis" / "logo.png").unlink()
    with_logo_variable = FILES["content.md"]
    assert "%%LOGO%%" in with_logo_variable
    assert "DOI-M010" in {f.rule for f in check_docs_checkout(checkout, CheckOptions())}
    (checkout / "logos.tsv").write_text(
        "image\tfile\tbytes\twidth\theight\tsvg_viewBox\tnote\nredis\tlogo.svg\t2000\t192px\t192px\t\tsvg\n"
    )
    assert check_docs_checkout(checkout, CheckOptions()) == []


# --- bad input: a clear finding, never a traceback --------------------------------------------------------


def test_binary_content(checkout: Path) -> None:
    (checkout / "redis" / "content.md").write_bytes(b"\x89PNG\r\n\x1a\n\0\0binary")
    findings = check_docs_checkout(checkout, CheckOptions())
    assert ("DOI-X001", f"{checkout}/redis/content.md") in rules_at(findings)
    assert "DOI-M001" not in {f.rule for f in findings}  # present, so not "missing" as well


def test_invalid_json(checkout: Path) -> None:
    (checkout / "redis" / "metadata.json").write_text('{"hub": {"categories": [}\n')
    findings = [f for f in check_docs_checkout(checkout, CheckOptions()) if f.rule == "DOI-M003"]
    assert len(findings) == 1 and findings[0].line == 1 and "JSON syntax" in findings[0].message


def test_huge_file(checkout: Path) -> None:
    (checkout / "redis" / "content.md").write_bytes(b"# Redis\n" + b"a" * (30 * 1024 * 1024))
    findings = [f for f in check_docs_checkout(checkout, CheckOptions()) if f.rule == "DOI-X001"]
    assert len(findings) == 1 and "30.0 MiB" in findings[0].message


def test_a_folder_that_is_a_file_and_a_file_that_is_a_folder(checkout: Path) -> None:
    findings = check_docs_folder(checkout / "redis" / "github-repo", CheckOptions())
    assert [(f.rule, f.severity) for f in findings] == [("DOI-X001", Severity.ERROR)]
    (checkout / "redis" / "license.md").unlink()
    (checkout / "redis" / "license.md").mkdir()
    findings = check_docs_folder(checkout / "redis", CheckOptions())
    assert ("DOI-X001", f"{checkout}/redis/license.md") in rules_at(findings)


def test_broken_symlink(checkout: Path) -> None:
    (checkout / "redis" / "maintainer.md").unlink()
    os.symlink("../.common-templates/maintainer-gone.md", checkout / "redis" / "maintainer.md")
    findings = check_docs_checkout(checkout, CheckOptions())
    broken = [f for f in findings if f.rule == "DOI-X001"]
    assert len(broken) == 1 and "maintainer-gone.md" in broken[0].message


def test_template_markdown_is_checked_too(checkout: Path) -> None:
    (checkout / ".common-templates" / "maintainer-community.md").write_text("* [the Docker Community](x)\n")
    findings = check_docs_checkout(checkout, CheckOptions())
    assert ("DOI-M005", f"{checkout}/.common-templates/maintainer-community.md") in rules_at(findings)


def test_a_lone_folder_with_link_text_it_cannot_follow(tmp_path: Path) -> None:
    folder = tmp_path / "redis"
    folder.mkdir()
    for name, text in FILES.items():
        (folder / name).write_text(text)
    (folder / "maintainer.md").write_text("../.common-templates/maintainer-community.md")
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120"/>\n')
    # the link is present (so not "missing"), and its text is not Markdown to format
    assert check_docs_folder(folder, CheckOptions()) == []
