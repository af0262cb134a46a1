"""Library entries' Dockerfiles on the command line, end to end: --source clones, parents and pins from the
checkout, one note without a source, and check --base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.checks import CheckOptions
from bot.checks.upstream import dockerfile_evidence
from bot.cli import main
from bot.review.build import build_review
from bot.review.model import ChangedFile, Evidence, PullRequest
from tests.test_sources import git

UPSTREAM = "https://github.com/example/docker-app.git"
DEBIAN = (
    "Maintainers: Deb <deb@example.org> (@deb)\nGitRepo: https://github.com/example/debian.git\n\n"
    "Tags: bookworm\nArchitectures: amd64, arm64v8\nGitCommit: " + "d" * 40 + "\nDirectory: bookworm\n"
)


def make_checkout(tmp_path: Path, app: str | None = None) -> Path:
    checkout = tmp_path / "official-images"
    (checkout / "library").mkdir(parents=True)
    (checkout / "library" / "debian").write_text(DEBIAN)
    if app is not None:
        (checkout / "library" / "app").write_text(app)
    pins = checkout / ".external-pins" / "mcr.microsoft.com" / "windows"
    pins.mkdir(parents=True)
    (pins / "servercore___ltsc2022").write_text("sha256:" + "0" * 64 + "\n")
    return checkout


def make_upstream(tmp_path: Path, dockerfile: str) -> tuple[Path, str]:
    repo = tmp_path / "upstream"
    (repo / "1.0").mkdir(parents=True)
    git(repo, "init", "--quiet")
    (repo / "1.0" / "Dockerfile").write_text(dockerfile)
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "one")
    return repo, git(repo, "rev-parse", "HEAD").strip()


def app_library(commit: str, arches: str = "amd64, arm64v8, s390x") -> str:
    return (
        f"Maintainers: A <a@example.org> (@a)\nGitRepo: {UPSTREAM}\n\n"
        f"Tags: 1.0, 1\nArchitectures: {arches}\nGitCommit: {commit}\nDirectory: 1.0\n"
    )


def check_json(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    code = main(["check", "--format", "json", *args])
    return code, json.loads(capsys.readouterr().out)["findings"]


def test_a_checkout_is_checked_through_a_local_clone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, commit = make_upstream(
        tmp_path, 'FROM debian:bookworm\nRUN set -eux; \\\n\tcurl -fo a "$URL"\nCMD ["a"]\n'
    )
    checkout = make_checkout(tmp_path, app_library(commit))
    code, found = check_json(
        ["--source", f"http://github.com/example/docker-app/={repo}", str(checkout)], capsys
    )
    assert code == 1
    assert sorted((f["rule"], f["path"], f["line"]) for f in found) == [
        ("DOI-D001", f"https://github.com/example/docker-app/blob/{commit}/1.0/Dockerfile", 3),
        ("DOI-P001", str(checkout / "library" / "app"), 5),
        ("DOI-P005", str(checkout / "library" / "debian"), None),  # no --source for debian's repository
    ]
    assert next(f for f in found if f["rule"] == "DOI-P001")["message"].startswith(
        "app:1.0 (FROM debian:bookworm) [s390x]"
    )


def test_without_source_or_fetch_one_note_and_nothing_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    checkout = make_checkout(tmp_path, app_library("a" * 40))
    code, found = check_json([str(checkout)], capsys)
    assert code == 0
    assert [(f["rule"], f["severity"], f["path"], f["line"]) for f in found] == [
        ("DOI-P005", "info", str(checkout), None)
    ]
    assert "app:1.0, debian:bookworm were not read" in found[0]["message"]
    assert "--source URL=DIR or --fetch" in found[0]["message"]


def test_one_library_file_with_its_checkout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo, commit = make_upstream(tmp_path, 'FROM debian:bookworm\nFROM nosuch:1\nCMD ["a"]\n')
    checkout = make_checkout(tmp_path)
    library = tmp_path / "app"
    library.write_text(app_library(commit, "amd64"))
    args = ["--source", f"{UPSTREAM}={repo}", "--library-dir", str(checkout / "library"), str(library)]
    code, found = check_json(args, capsys)
    assert code == 1 and [(f["rule"], f["path"]) for f in found] == [("DOI-P001", str(library))]
    assert "nosuch:1" in found[0]["message"]


def test_a_clone_without_the_commit_is_said_in_the_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo, _ = make_upstream(tmp_path, 'FROM debian:bookworm\nCMD ["a"]\n')
    library = tmp_path / "app"
    library.write_text(app_library("b" * 40, "amd64"))
    code, found = check_json(["--source", f"{UPSTREAM}={repo}", str(library)], capsys)
    assert code == 0 and [f["rule"] for f in found] == ["DOI-P005"]
    assert "does not have commit" in found[0]["message"]


def test_base_mode_evidence_reads_the_changed_entries_through_the_source(tmp_path: Path) -> None:
    repo, commit = make_upstream(tmp_path, 'FROM debian:bookworm\nFROM nosuch:1\nCMD ["a"]\n')
    head = app_library(commit, "amd64").encode()
    pr = PullRequest(
        "docker-library/official-images",
        "official-images",
        None,
        "Add app",
        "h",
        "b",
        (ChangedFile("library/app", "added", None, head),),
    )
    checkout = Evidence(
        libraries={"debian": DEBIAN.encode(), "app": head}, external_pins=frozenset({"x/y:1"})
    )
    assert dockerfile_evidence(checkout, pr, CheckOptions()) is checkout
    evidence = dockerfile_evidence(checkout, pr, CheckOptions(sources={UPSTREAM: repo}))
    assert evidence.dockerfiles == {
        (UPSTREAM, commit, "1.0/Dockerfile"): b'FROM debian:bookworm\nFROM nosuch:1\nCMD ["a"]\n'
    }
    assert evidence.absent_libraries == {"nosuch"}
    review = build_review(pr, evidence)
    assert [f.rule for f in review.findings] == ["DOI-P001"]
    assert "nosuch:1" in review.findings[0].message


def test_fetch_reads_into_the_cache_and_needs_no_source(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    repo, commit = make_upstream(tmp_path, 'FROM debian:bookworm\nMAINTAINER someone\nCMD ["a"]\n')
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    library = tmp_path / "app"
    library.write_text(app_library(commit, "amd64").replace(UPSTREAM, f"file://{repo}"))
    code, found = check_json(["--fetch", "--library-dir", str(make_checkout(tmp_path)), str(library)], capsys)
    assert code == 0 and [(f["rule"], f["path"], f["line"]) for f in found] == [
        ("DOI-D019", f"file://{repo}@{commit}:1.0/Dockerfile", 2)
    ]
    assert list((tmp_path / "cache" / "doi-bot" / "files").rglob("Dockerfile"))
