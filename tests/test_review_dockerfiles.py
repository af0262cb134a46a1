"""The Dockerfile part of an official-images review: only changed entries, from the fetched evidence."""

from __future__ import annotations

from bot.review.build import build_review
from bot.review.dockerfiles import DockerfilePlanner, parent_libraries_to_fetch, upstream_refs_to_fetch
from bot.review.model import Evidence
from tests.test_review_build import BASE, SHA, SHA2, modified, pull_request

REPO = "https://github.com/example/app.git"
DEBIAN = (
    b"Maintainers: Deb <deb@example.org> (@deb)\nGitRepo: https://github.com/example/debian.git\n\n"
    b"Tags: bookworm\nArchitectures: amd64, arm64v8\nGitCommit: " + b"d" * 40 + b"\nDirectory: bookworm\n"
)
GOOD = b'FROM debian:bookworm\nCMD ["app"]\n'
UNVERIFIED = (
    b'FROM debian:bookworm\nRUN set -eux; \\\n\tcurl -fo app.tgz "$APP_URL"; \\\n\ttar -xzf app.tgz\n'
)

BUMP = BASE.replace(f"GitCommit: {SHA}\nDirectory: 1", f"GitCommit: {SHA2}\nDirectory: 1")


def test_the_fetch_plan_covers_only_the_changed_entries() -> None:
    pr = pull_request([modified(BASE, BUMP)])
    assert upstream_refs_to_fetch(pr) == {(REPO, SHA2, "1/Dockerfile")}
    assert parent_libraries_to_fetch(pr, {(REPO, SHA2, "1/Dockerfile"): GOOD}) == {"debian"}
    planner = DockerfilePlanner()
    assert planner.upstream_files(pr) == {(REPO, SHA2, "1/Dockerfile")}
    assert planner.parent_libraries(pr, {(REPO, SHA2, "1/Dockerfile"): GOOD}) == {"debian"}


def test_an_unverified_download_fails_the_review_at_the_upstream_line() -> None:
    evidence = Evidence(
        dockerfiles={(REPO, SHA2, "1/Dockerfile"): UNVERIFIED, (REPO, SHA, "0/Dockerfile"): UNVERIFIED},
        libraries={"debian": DEBIAN},
        external_pins=frozenset({"mcr.microsoft.com/windows/servercore:ltsc2022"}),
    )
    review = build_review(pull_request([modified(BASE, BUMP)]), evidence)
    assert review.conclusion == "failure"
    upstream = f"https://github.com/example/app/blob/{SHA2}/1/Dockerfile"
    assert [(f.rule, f.path, f.line) for f in review.findings] == [("DOI-D001", upstream, 3)]
    assert "**Entry `1.2.3, 1.2, 1, latest`**" in review.summary
    assert f"- [Dockerfile line 3]({upstream}#L3): **error** `DOI-D001`" in review.summary
    assert review.comments == ()  # the upstream file is not in the pull request's diff


def test_an_added_architecture_the_base_lacks_is_commented_on_the_line() -> None:
    head = BUMP.replace(
        "Architectures: amd64, arm64v8\nGitCommit", "Architectures: amd64, arm64v8, s390x\nGitCommit"
    )
    evidence = Evidence(
        dockerfiles={(REPO, SHA2, "1/Dockerfile"): GOOD},
        libraries={"debian": DEBIAN},
        external_pins=frozenset({"mcr.microsoft.com/windows/servercore:ltsc2022"}),
    )
    review = build_review(pull_request([modified(BASE, head)]), evidence)
    assert [(f.rule, f.line) for f in review.findings] == [("DOI-P001", 7)]
    assert [(c.path, c.line) for c in review.comments] == [("library/app", 7)]
    assert "app:1.2.3 (FROM debian:bookworm) [s390x]" in review.comments[0].body


def test_what_was_not_fetched_makes_the_review_neutral_and_is_said() -> None:
    review = build_review(pull_request([modified(BASE, BUMP)]), Evidence())
    assert review.conclusion == "neutral"
    assert "app:1.2.3" in review.summary and "were not read" in review.summary
    assert review.findings == ()


def test_a_base_image_that_does_not_exist_fails() -> None:
    evidence = Evidence(
        dockerfiles={(REPO, SHA2, "1/Dockerfile"): b'FROM nosuch:1\nCMD ["a"]\n'},
        absent_libraries=frozenset({"nosuch"}),
        external_pins=frozenset({"mcr.microsoft.com/windows/servercore:ltsc2022"}),
    )
    review = build_review(pull_request([modified(BASE, BUMP)]), evidence)
    assert [f.rule for f in review.findings] == ["DOI-P001"]
    assert "completely unsupported base" in review.findings[0].message
