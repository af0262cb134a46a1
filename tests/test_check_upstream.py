"""Library entries' Dockerfiles on the command line: --source clones, parents from the checkout, one note
without a source."""

from __future__ import annotations

from pathlib import Path

from bot.checks import CheckOptions
from bot.checks.upstream import check_upstream, dockerfile_evidence
from bot.review.build import build_review
from bot.review.model import ChangedFile, Evidence, PullRequest
from rules.library.parser import parse_library
from tests.test_sources import git

UPSTREAM = "https://github.com/example/docker-app.git"


def make_checkout(tmp_path: Path) -> Path:
    checkout = tmp_path / "official-images"
    (checkout / "library").mkdir(parents=True)
    (checkout / "library" / "debian").write_text(
        "Maintainers: Deb <deb@example.org> (@deb)\nGitRepo: https://github.com/example/debian.git\n\n"
        "Tags: bookworm\nArchitectures: amd64, arm64v8\nGitCommit: " + "d" * 40 + "\nDirectory: bookworm\n"
    )
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


def test_entries_are_checked_through_a_local_clone(tmp_path: Path) -> None:
    checkout = make_checkout(tmp_path)
    repo, commit = make_upstream(
        tmp_path, 'FROM debian:bookworm\nRUN set -eux; \\\n\tcurl -fo a "$URL"\nCMD ["a"]\n'
    )
    lib = parse_library(app_library(commit), "app", "library/app")
    options = CheckOptions(sources={"github.com/example/docker-app": repo})
    found = check_upstream([lib], options, checkout)
    assert sorted((f.rule, f.path, f.line) for f in found) == [
        ("DOI-D001", f"https://github.com/example/docker-app/blob/{commit}/1.0/Dockerfile", 3),
        ("DOI-P001", "library/app", lib.entries[0].line_of("Architectures")),
    ]
    assert "[s390x]" in next(f.message for f in found if f.rule == "DOI-P001")


def test_without_source_or_fetch_one_note_and_nothing_read(tmp_path: Path) -> None:
    lib = parse_library(app_library("a" * 40), "app", "library/app")
    found = check_upstream([lib, lib], CheckOptions(), tmp_path)
    assert [(f.rule, f.severity, f.path) for f in found] == [("DOI-P005", "info", str(tmp_path))]
    assert "app:1.0, app:1.0" in found[0].message and "--source URL=DIR or --fetch" in found[0].message


def test_a_clone_without_the_commit_is_said_in_the_note(tmp_path: Path) -> None:
    repo, _ = make_upstream(tmp_path, 'FROM debian:bookworm\nCMD ["a"]\n')
    lib = parse_library(app_library("b" * 40, "amd64"), "app", "library/app")
    found = check_upstream([lib], CheckOptions(sources={UPSTREAM: repo}), make_checkout(tmp_path))
    assert [f.rule for f in found] == ["DOI-P005"]
    assert "does not have commit" in found[0].message


def test_base_mode_evidence_reads_the_changed_entries_through_the_source(tmp_path: Path) -> None:
    checkout = make_checkout(tmp_path)
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
    bare = dockerfile_evidence(Evidence(), pr, CheckOptions(), checkout)
    assert bare.dockerfiles == {} and "mcr.microsoft.com/windows/servercore:ltsc2022" in bare.external_pins
    evidence = dockerfile_evidence(Evidence(), pr, CheckOptions(sources={UPSTREAM: repo}), checkout)
    assert evidence.dockerfiles == {
        (UPSTREAM, commit, "1.0/Dockerfile"): b'FROM debian:bookworm\nFROM nosuch:1\nCMD ["a"]\n'
    }
    assert set(evidence.libraries) == {"debian"} and evidence.absent_libraries == {"nosuch"}
    review = build_review(pr, evidence)
    assert [f.rule for f in review.findings] == ["DOI-P001"]
    assert "nosuch:1" in review.findings[0].message
