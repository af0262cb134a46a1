"""`doi-bot check`, `manifest` and `check --base` on library files: output and exit status."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bot.checks.dockerfile import read_external_pins
from bot.cli import main
from rules.dockerfile.images import pins_from_file_names
from rules.library.cat import cat_text, manifest_json
from rules.library.parser import parse_library

REPO = Path(__file__).resolve().parents[1]
SHA = "0123456789abcdef0123456789abcdef01234567"
SHA2 = "89abcdef0123456789abcdef0123456789abcdef"

LIBRARY = f"""Maintainers: Jane Doe <jane@example.com> (@jane)
GitRepo: https://github.com/example/app.git
GitFetch: refs/heads/main

Tags: 1.2.3, 1.2, 1, latest
Architectures: arm64v8, amd64
GitCommit: {SHA}
Directory: 1/
arm64v8-GitCommit: {SHA2}

Tags: 0.9.1, 0.9, 0
GitCommit: {SHA}
Directory: 0
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_readme_example_prints_its_one_error_and_exits_1(capsys, monkeypatch):
    monkeypatch.chdir(REPO)
    status, out, err = run(capsys, "check", "examples/official-images")
    assert status == 1 and err == ""
    (line,) = out.splitlines()
    assert line.startswith("examples/official-images/library/tinyweb:18: error DOI-L010: ")
    assert line in (REPO / "README.md").read_text()


def test_check_formats_and_exit_status(tmp_path: Path, capsys):
    good = tmp_path / "app"
    good.write_text(LIBRARY)
    status, out, err = run(capsys, "check", str(good))
    # without --source or --fetch, the only finding is the note that the entries' Dockerfiles were not read
    assert (status, err) == (0, "") and out.count("\n") == 1 and f"{good}: info DOI-P005: " in out
    bad = tmp_path / "bad"
    bad.write_text(LIBRARY.replace(f"GitCommit: {SHA}\nDirectory: 0", "GitCommit: 0123\nDirectory: 0"))
    status, out, _ = run(capsys, "check", "--format", "json", str(bad))
    assert status == 1
    (finding,) = [f for f in json.loads(out)["findings"] if f["rule"] != "DOI-P005"]
    assert (finding["rule"], finding["path"], finding["line"]) == ("DOI-L004", str(bad), 12)
    status, out, _ = run(capsys, "check", "--format", "sarif", str(bad))
    assert status == 1 and json.loads(out)["runs"][0]["results"][0]["ruleId"] == "DOI-L004"


@pytest.mark.parametrize(
    "content",
    [b"", b"\x00\x01\x02binary", b"Maintainers: Jane \xff (@jane)\n", b"a" * (20 * 1024 * 1024)],
    ids=["empty", "binary", "not-utf8", "20MB"],
)
def test_bad_input_is_one_clear_finding_and_exit_1(tmp_path: Path, capsys, content: bytes):
    path = tmp_path / "app"
    path.write_bytes(content)
    status, out, err = run(capsys, "check", str(path))
    assert status == 1 and err == ""
    assert len(out.splitlines()) == 1 and " error DOI-" in out


def test_a_missing_path_or_unknown_directory_is_exit_2(tmp_path: Path, capsys):
    status, out, err = run(capsys, "check", str(tmp_path / "nope"))
    assert (status, out) == (2, "") and "no such file" in err and len(err.splitlines()) == 1
    status, out, err = run(capsys, "check", str(tmp_path))
    assert (status, out) == (2, "") and "no known kind" in err


def test_manifest_prints_bashbrew_cat(tmp_path: Path, capsys):
    path = tmp_path / "app"
    path.write_text(LIBRARY)
    status, out, err = run(capsys, "manifest", str(path))
    assert (status, err) == (0, "")
    assert out == (
        "Maintainers: Jane Doe <jane@example.com> (@jane)\n"
        "GitRepo: https://github.com/example/app.git\n"
        "GitFetch: refs/heads/main\n\n"
        f"Tags: 1.2.3, 1.2, 1, latest\nArchitectures: amd64, arm64v8\nGitCommit: {SHA}\nDirectory: 1\n"
        f"arm64v8-GitCommit: {SHA2}\n\n"
        f"Tags: 0.9.1, 0.9, 0\nGitCommit: {SHA}\nDirectory: 0\n"
    )


def test_manifest_json_has_effective_values_and_arches(tmp_path: Path, capsys):
    path = tmp_path / "app"
    path.write_text(LIBRARY.replace("Directory: 0\n", "Directory: 0\nArchitectures: amd64, arm64v8\n"))
    status, out, _ = run(capsys, "manifest", "--json", str(path))
    doc = json.loads(out)
    assert status == 0 and doc["Maintainers"] == ["Jane Doe <jane@example.com> (@jane)"]
    first, second = doc["Entries"]
    assert first["Line"] == 5 and first["Directory"] == "1" and first["Architectures"] == ["amd64", "arm64v8"]
    assert first["Builder"] == "" and first["Constraints"] == [] and first["SharedTags"] == []
    assert first["Arches"]["arm64v8"]["GitCommit"] == SHA2
    assert second["Arches"]["arm64v8"]["GitCommit"] == SHA
    assert second["Arches"]["amd64"] == {
        "GitRepo": "https://github.com/example/app.git",
        "GitFetch": "refs/heads/main",
        "GitCommit": SHA,
        "Directory": "0",
        "File": "Dockerfile",
        "Builder": "",
    }


def test_manifest_of_a_rejected_file_is_bashbrews_first_error_on_stderr(tmp_path: Path, capsys):
    path = tmp_path / "app"
    path.write_text(LIBRARY + "\nTags: 1\nGitCommit: nope\n")
    status, out, err = run(capsys, "manifest", "--json", str(path))
    assert (status, out) == (1, "")
    assert err == 'Tags "1" has invalid GitCommit (must be a commit, not a tag or ref): "nope"\n'


def _without_lines(library) -> dict:
    doc = manifest_json(library)
    for entry in doc["Entries"]:
        del entry["Line"]
    return doc


def test_cat_of_every_corpus_file_parses_back_to_the_same_entries(shared: Path):
    for path in sorted((shared / "corpus" / "official-images" / "library").iterdir()):
        library = parse_library(path.read_text(), path.name)
        again = parse_library(cat_text(library), path.name)
        assert again.errors == () and _without_lines(again) == _without_lines(library), path.name


def test_external_pins_are_read_from_a_checkout(shared: Path):
    pins = read_external_pins(shared / "corpus" / "official-images")
    assert "mcr.microsoft.com/windows/servercore:ltsc2022" in pins and "tianon/buildkit:0.16" in pins
    assert pins_from_file_names(["list.sh", "file.sh", "a/b___c/d"]) == frozenset()


# --- check --base on a git repository built here ----------------------------------------------------


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def official_images(tmp_path: Path) -> Path:
    repo = tmp_path / "official-images"
    (repo / "library").mkdir(parents=True)
    (repo / "library" / "app").write_text(LIBRARY)
    git(repo, "init", "-q", "-b", "master")
    git(repo, "config", "user.email", "t@example.com")
    git(repo, "config", "user.name", "T")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "base")
    return repo


def test_base_reviews_the_change_like_the_bot(official_images: Path, capsys):
    repo = official_images
    (repo / "library" / "app").write_text(
        LIBRARY.replace("Tags: 0.9.1, 0.9, 0", "Tags: 0.9.1, 0.9, 0, latest")
    )
    (repo / "library" / "newapp").write_text(LIBRARY)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "[security] app: fix")
    status, out, err = run(capsys, "check", "--format", "json", "--base", "HEAD~1", str(repo))
    review = json.loads(out)
    assert (status, err) == (1, "")
    assert review["conclusion"] == "failure" and review["gate"] == "pending"
    assert review["labels"] == ["library/app", "library/newapp", "needs-gatekeeper", "new-image", "security"]
    errors = [f for f in review["findings"] if f["severity"] == "error"]
    assert [(f["rule"], f["path"], f["line"]) for f in errors] == [
        ("DOI-L010", str(repo / "library/app"), 11)
    ]
    assert review["comments"][0]["path"] == "library/app" and review["comments"][0]["line"] == 11
    assert review["summary"].startswith("<!-- doi-bot:summary -->")
    status, out, _ = run(capsys, "check", "--base", "HEAD~1", str(repo))
    assert status == 1 and "conclusion: failure" in out and "DOI-L010" in out


def test_base_with_a_clean_change_exits_0(official_images: Path, capsys):
    repo = official_images
    (repo / "library" / "app").write_text(LIBRARY.replace(SHA2, SHA))
    git(repo, "commit", "-q", "-am", "app: update arm64v8")
    status, out, _ = run(
        capsys, "check", "--format", "json", "--base", "master~1", "--head", "master", str(repo)
    )
    review = json.loads(out)
    # neutral, not success: the changed entry's Dockerfile was not read (no --source or --fetch)
    assert status == 0 and review["conclusion"] == "neutral" and review["labels"] == ["library/app"]
    assert "arm64v8-GitCommit" in review["summary"]


def test_base_errors_are_exit_2(official_images: Path, tmp_path: Path, capsys):
    status, _, err = run(capsys, "check", "--base", "no-such-rev", str(official_images))
    assert status == 2 and "no-such-rev" in err
    plain = tmp_path / "plain"
    (plain / "library").mkdir(parents=True)
    status, _, err = run(capsys, "check", "--base", "HEAD", str(plain))
    assert status == 2 and err.startswith("doi-bot: ")


def test_manifest_of_a_missing_file_or_a_directory_is_exit_2(tmp_path: Path, capsys):
    for target in (tmp_path / "nope", tmp_path):
        status, out, err = run(capsys, "manifest", str(target))
        assert (status, out) == (2, "") and err.startswith("doi-bot: ") and len(err.splitlines()) == 1


def test_manifest_of_an_empty_file_is_bashbrews_eof(tmp_path: Path, capsys):
    path = tmp_path / "app"
    path.write_text("# nothing here\n")
    assert run(capsys, "manifest", str(path)) == (1, "", "EOF\n")


def test_other_areas_plug_into_library_checks_and_a_crash_is_one_finding(monkeypatch, capsys):
    from bot.checks import library as checks

    seen = []

    def upstream(library, evidence, options):
        seen.append((library.name, "tinyweb" in evidence.libraries))
        raise RuntimeError("boom")

    monkeypatch.setattr(checks, "AREA_CHECKS", (upstream,))
    monkeypatch.chdir(REPO)
    status, out, _ = run(capsys, "check", "examples/official-images")
    assert seen == [("tinyweb", True)]
    assert status == 1 and "DOI-X002" in out and "DOI-L010" in out


def test_base_sees_a_rename_as_a_deletion_and_a_new_image(official_images: Path, capsys):
    repo = official_images
    git(repo, "mv", "library/app", "library/app2")
    git(repo, "commit", "-q", "-m", "rename")
    status, out, _ = run(capsys, "check", "--format", "json", "--base", "HEAD~1", str(repo))
    review = json.loads(out)
    assert status == 0
    assert review["labels"] == ["library/app", "library/app2", "needs-gatekeeper", "new-image"]
    assert "#### `app`: image deleted" in review["summary"] and "#### `app2`: new image" in review["summary"]
