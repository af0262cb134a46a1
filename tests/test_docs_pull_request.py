"""`doi-bot check --base REV REPO_DIR` on a docs checkout: the review the bot would leave, from local git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.cli import main
from tests.docs_folders import FILES, write_checkout

SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96"/>\n'


def git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def docs_repo(tmp_path: Path) -> Path:
    """A docs repository with one image folder (maintainer.md a symlink, as upstream), committed."""
    repo = write_checkout(tmp_path / "docs")
    (repo / "redis" / "logo.svg").write_text(SVG)
    git(repo, "init", "-q", "-b", "master")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Initial docs")
    return repo


def test_a_branch_that_edits_readme_and_adds_a_folder(docs_repo: Path, tmp_path: Path, capsys) -> None:
    git(docs_repo, "checkout", "-q", "-b", "add-espocrm")
    (docs_repo / "redis" / "README.md").write_text("# generated, edited by hand\n")
    (docs_repo / "espocrm").mkdir()
    for name, text in FILES.items():
        (docs_repo / "espocrm" / name).write_text(text.replace("Redis", "EspoCRM"))
    (docs_repo / "espocrm" / "maintainer.md").unlink()
    (docs_repo / "espocrm" / "maintainer.md").symlink_to("../.common-templates/maintainer-community.md")
    (docs_repo / "espocrm" / "logo.svg").write_text(SVG)
    git(docs_repo, "add", "-A")
    git(docs_repo, "commit", "-q", "-m", "Add EspoCRM docs")
    library = tmp_path / "official-images" / "library"
    library.mkdir(parents=True)
    (library / "redis").write_text("Maintainers: x\n")

    status = main(
        ["check", "--format", "json", "--base", "master", "--library-dir", str(library), str(docs_repo)]
    )
    review = json.loads(capsys.readouterr().out)
    assert status == 1 and review["conclusion"] == "failure"
    assert sorted(review["labels"]) == ["docs/espocrm", "docs/redis", "new-image"]
    assert {(f["rule"], f["path"]) for f in review["findings"]} == {
        ("DOI-M017", f"{docs_repo}/redis/README.md"),  # paths open from the current directory
        ("DOI-M018", f"{docs_repo}/espocrm"),  # no library/espocrm in official-images
    }
    assert review["gate"] is None


def test_a_clean_docs_edit_succeeds(docs_repo: Path, capsys) -> None:
    git(docs_repo, "checkout", "-q", "-b", "typo")
    content = docs_repo / "redis" / "content.md"
    content.write_text(content.read_text().replace("message broker", "message broker and streaming engine"))
    git(docs_repo, "commit", "-q", "-am", "redis: mention streams")
    assert main(["check", "--base", "master", str(docs_repo)]) == 0
    out = capsys.readouterr().out
    assert "labels: docs/redis" in out and "conclusion: success" in out
