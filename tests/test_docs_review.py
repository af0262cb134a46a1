"""The docs part of a pull-request review: changed folders only, labels, and the summary section."""

from __future__ import annotations

import json

from bot.review.docs import review_docs
from bot.review.model import ChangedFile, Evidence, PullRequest
from rules.findings import Severity
from tests.docs_folders import FILES

KNOWN = Evidence(known_images=frozenset({"redis", "postgres", "espocrm"}))


def pull(*files: ChangedFile) -> PullRequest:
    return PullRequest("docker-library/docs", "docs", 2701, "Update docs", "h" * 40, "b" * 40, files)


def added(path: str, text: str | bytes) -> ChangedFile:
    return ChangedFile(path, "added", None, text.encode() if isinstance(text, str) else text)


def modified(path: str, before: str, after: str) -> ChangedFile:
    return ChangedFile(path, "modified", before.encode(), after.encode())


def new_folder(name: str, **replace: str) -> list[ChangedFile]:
    files = {**FILES, **replace}
    return [added(f"{name}/{file_name}", text) for file_name, text in files.items()]


def test_a_clean_new_image_is_labelled_and_summarised() -> None:
    review = review_docs(pull(*new_folder("espocrm"), added("espocrm/logo.png", b"\x89PNG\r\n\x1a\n")), KNOWN)
    assert review.findings == ()
    assert review.labels == ("docs/espocrm", "new-image") and review.new_images == ("espocrm",)
    assert "| `espocrm/` | new image | 0 | 0 | 0 |" in review.summary


def test_new_image_without_library_file_and_with_missing_files() -> None:
    files = [f for f in new_folder("newdb") if not f.path.endswith("license.md")]
    review = review_docs(pull(*files), KNOWN)
    assert {(f.rule, f.path) for f in review.findings} >= {
        ("DOI-M001", "newdb/license.md"),
        ("DOI-M018", "newdb"),
        ("DOI-M010", "newdb/content.md"),  # %%LOGO%% and no logo in the new folder
    }


def test_an_edited_folder_is_checked_file_by_file() -> None:
    before = FILES["content.md"]
    after = before.replace("-\t`--save 60 1`", "- `--save 60 1`")
    review = review_docs(pull(modified("redis/content.md", before, after)), KNOWN)
    assert [(f.rule, f.path, f.line) for f in review.findings] == [("DOI-M005", "redis/content.md", 16)]
    assert review.labels == ("docs/redis",) and review.new_images == ()
    # the folder's other files are not in the change: no "missing license.md", no "no logo"
    assert "whole-folder checks" in review.summary


def test_changed_readme_is_an_error_and_the_root_readme_is_not() -> None:
    review = review_docs(
        pull(modified("redis/README.md", "old\n", "new\n"), modified("README.md", "a\n", "b\n")), KNOWN
    )
    assert [(f.rule, f.severity, f.path) for f in review.findings] == [
        ("DOI-M017", Severity.ERROR, "redis/README.md")
    ]


def test_metadata_and_shared_templates_outside_folders() -> None:
    bad = json.dumps({"hub": {"categories": ["web-servers", "networking"]}})
    review = review_docs(
        pull(
            modified("redis/metadata.json", FILES["metadata.json"], bad + "\n"),
            modified(".common-templates/maintainer-community.md", "x\n", "* [the Docker Community](x)\n"),
        ),
        KNOWN,
    )
    assert sorted((f.rule, f.path) for f in review.findings) == [
        ("DOI-M003", "redis/metadata.json"),
        ("DOI-M005", ".common-templates/maintainer-community.md"),
    ]
    assert review.labels == ("docs/redis",)


def test_symlink_text_in_a_change_is_followed_when_its_target_changed_too() -> None:
    files = [f for f in new_folder("espocrm") if not f.path.endswith("maintainer.md")]
    files.append(added("espocrm/logo.svg", '<svg width="100" height="100"></svg>\n'))
    link = added("espocrm/maintainer.md", "../redis/maintainer.md")
    target = modified("redis/maintainer.md", "[Redis](%%GITHUB-REPO%%)\n", "* [Redis](%%GITHUB-REPO%%)\n")
    review = review_docs(pull(*files, link, target), KNOWN)
    assert sorted((f.rule, f.path) for f in review.findings if f.rule == "DOI-M005") == [
        ("DOI-M005", "espocrm/maintainer.md"),
        ("DOI-M005", "redis/maintainer.md"),
    ]
    unresolved = review_docs(pull(*files, link), KNOWN)
    assert [f for f in unresolved.findings if f.severity is not Severity.INFO] == []


def test_binary_content_in_a_change() -> None:
    review = review_docs(pull(ChangedFile("redis/content.md", "modified", b"x\n", b"\0\x01\x02")), KNOWN)
    assert [(f.rule, f.path) for f in review.findings] == [("DOI-X001", "redis/content.md")]


def test_a_removed_folder_is_labelled_but_not_checked() -> None:
    removed = [ChangedFile(f"redis/{n}", "removed", t.encode(), None) for n, t in FILES.items()]
    review = review_docs(pull(*removed), KNOWN)
    assert review.findings == () and review.labels == ("docs/redis",)


def test_unknown_library_images_are_said_once() -> None:
    review = review_docs(pull(*new_folder("espocrm")), Evidence())
    assert "DOI-M018" not in {f.rule for f in review.findings}
    assert "was not checked" in review.summary
