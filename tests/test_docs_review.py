"""The docs part of a pull-request review, through build_review: what the contributor ends up seeing."""

from __future__ import annotations

import difflib
import json

from bot.review.build import build_review
from bot.review.model import ChangedFile, Evidence, PullRequest
from rules.findings import Severity
from tests.docs_folders import FILES

KNOWN = Evidence(known_images=frozenset({"redis", "postgres", "espocrm"}))
LOGO = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + (200).to_bytes(4, "big") + (200).to_bytes(4, "big")


def pull(*files: ChangedFile) -> PullRequest:
    return PullRequest("docker-library/docs", "docs", 2701, "Update docs", "h" * 40, "b" * 40, files)


def patch_of(base: str, head: str) -> str:
    diff = difflib.unified_diff(base.splitlines(), head.splitlines(), lineterm="", n=3)
    return "\n".join(line for line in diff if not line.startswith(("---", "+++")))


def added(path: str, data: str | bytes) -> ChangedFile:
    raw = data.encode() if isinstance(data, str) else data
    patch = patch_of("", data) if isinstance(data, str) else None
    return ChangedFile(path, "added", None, raw, patch)


def modified(path: str, before: str, after: str) -> ChangedFile:
    return ChangedFile(path, "modified", before.encode(), after.encode(), patch_of(before, after))


def new_folder(name: str) -> list[ChangedFile]:
    return [added(f"{name}/{file_name}", text) for file_name, text in FILES.items()]


def test_a_clean_new_image_is_labelled_and_not_gated_here() -> None:
    review = build_review(pull(*new_folder("espocrm"), added("espocrm/logo.png", LOGO)), KNOWN)
    assert review.findings == () and review.conclusion == "success"
    assert review.labels == ("docs/espocrm", "new-image")
    # the gatekeepers decide on the official-images pull request, not on its docs
    assert review.gate is None and "needs-gatekeeper" not in review.labels
    assert "| `espocrm/` | new image | 0 | 0 | 0 |" in review.summary
    assert "adds `library/espocrm`" in review.summary


def test_new_image_without_library_file_and_with_missing_files() -> None:
    files = [f for f in new_folder("newdb") if not f.path.endswith("license.md")]
    review = build_review(pull(*files), KNOWN)
    assert {(f.rule, f.path) for f in review.findings} == {
        ("DOI-M001", "newdb/license.md"),
        ("DOI-M018", "newdb"),
        ("DOI-M010", "newdb/content.md"),  # %%LOGO%% and no logo in the new folder
    }
    assert review.conclusion == "failure"
    assert [(c.path, c.line) for c in review.comments] == [("newdb/content.md", 5)]


def test_an_edited_folder_is_checked_file_by_file_with_an_inline_suggestion() -> None:
    before = FILES["content.md"]
    after = before.replace("-\t`--save 60 1`", "- `--save 60 1`")
    review = build_review(pull(modified("redis/content.md", before, after)), KNOWN)
    assert [(f.rule, f.path, f.line) for f in review.findings] == [("DOI-M005", "redis/content.md", 16)]
    assert review.labels == ("docs/redis",)
    # the folder's other files are not in the change: no "missing license.md", no "no logo"
    assert "checked file by file" in review.summary
    (comment,) = review.comments
    assert (comment.path, comment.line) == ("redis/content.md", 16)
    assert "```suggestion\n-\t`--save 60 1` snapshots every minute.\n```" in comment.body


def test_changed_readme_is_an_error_and_the_root_readme_is_not() -> None:
    review = build_review(
        pull(modified("redis/README.md", "old\n", "new\n"), modified("README.md", "a\n", "b\n")), KNOWN
    )
    assert [(f.rule, f.severity, f.path) for f in review.findings] == [
        ("DOI-M017", Severity.ERROR, "redis/README.md")
    ]
    assert review.conclusion == "failure"


def test_metadata_and_shared_templates_outside_folders() -> None:
    bad = json.dumps({"hub": {"categories": ["web-servers", "networking"]}})
    review = build_review(
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
    review = build_review(pull(*files, link, target), KNOWN)
    assert sorted((f.rule, f.path) for f in review.findings) == [
        ("DOI-M005", "espocrm/maintainer.md"),
        ("DOI-M005", "redis/maintainer.md"),
    ]
    assert build_review(pull(*files, link), KNOWN).findings == ()


def test_binary_content_in_a_change() -> None:
    review = build_review(pull(ChangedFile("redis/content.md", "modified", b"x\n", b"\0\x01\x02")), KNOWN)
    assert [(f.rule, f.path) for f in review.findings] == [("DOI-X001", "redis/content.md")]


def test_a_removed_folder_is_labelled_but_not_checked() -> None:
    removed = [ChangedFile(f"redis/{n}", "removed", t.encode(), None) for n, t in FILES.items()]
    review = build_review(pull(*removed), KNOWN)
    assert review.findings == () and review.labels == ("docs/redis",)
    assert "| `redis/` | removed | 0 | 0 | 0 |" in review.summary


def test_unknown_library_images_are_said_once_and_make_the_run_neutral() -> None:
    review = build_review(pull(*new_folder("espocrm"), added("espocrm/logo.png", LOGO)), Evidence())
    assert "DOI-M018" not in {f.rule for f in review.findings}
    assert review.summary.count("library file for each new docs folder") == 1
    assert review.conclusion == "neutral"


def test_deleting_a_file_the_folder_needs() -> None:
    review = build_review(pull(ChangedFile("redis/license.md", "removed", b"License.\n", None)), KNOWN)
    assert [(f.rule, f.path) for f in review.findings] == [("DOI-M001", "redis/license.md")]
    review = build_review(pull(ChangedFile("redis/variant-alpine.md", "removed", b"x\n", None)), KNOWN)
    assert review.findings == ()


def redis_at_head(**extra: bytes) -> Evidence:
    files = {f"redis/{name}": text.encode() for name, text in FILES.items()}
    return Evidence(known_images=KNOWN.known_images, docs_files={**files, "redis/logo.png": LOGO, **extra})


def test_an_edited_folder_is_judged_whole_when_the_evidence_holds_it() -> None:
    before = FILES["content.md"]
    after = before + "\n## via docker compose\n\n%%COMPOSE%%\n"
    change = pull(modified("redis/content.md", before, after))
    review = build_review(change, redis_at_head())
    assert [(f.rule, f.path, f.line) for f in review.findings] == [("DOI-M007", "redis/content.md", 20)]
    assert "checked file by file" not in review.summary
    assert build_review(change, KNOWN).findings == ()  # without the folder, the pairing cannot be judged


def test_the_head_root_metadata_gives_the_allowed_categories() -> None:
    root = json.dumps({"hub": {"categories": ["databases-and-storage", "vector-stores"]}}, indent=2) + "\n"
    head = json.dumps({"hub": {"categories": ["vector-stores"]}}, indent=2) + "\n"
    change = pull(modified("redis/metadata.json", FILES["metadata.json"], head))
    assert build_review(change, redis_at_head(**{"metadata.json": root.encode()})).findings == ()
    assert [f.rule for f in build_review(change, redis_at_head()).findings] == ["DOI-M004"]


def test_a_deleted_required_file_is_told_once_when_the_folder_is_whole() -> None:
    evidence = redis_at_head()
    files = {p: d for p, d in evidence.docs_files.items() if p != "redis/license.md"}
    change = pull(ChangedFile("redis/license.md", "removed", b"License.\n", None))
    review = build_review(change, Evidence(known_images=evidence.known_images, docs_files=files))
    assert [(f.rule, f.path) for f in review.findings] == [("DOI-M001", "redis/license.md")]


def test_a_logos_table_at_the_head_stands_in_for_logo_files() -> None:
    evidence = redis_at_head()
    files = {p: d for p, d in evidence.docs_files.items() if p != "redis/logo.png"}
    before = FILES["content.md"]
    change = pull(modified("redis/content.md", before, before.replace("message broker", "streaming engine")))
    missing = build_review(change, Evidence(known_images=evidence.known_images, docs_files=files))
    assert [f.rule for f in missing.findings] == ["DOI-M010"]
    table = b"image\tfile\tbytes\twidth\theight\nredis\tlogo.png\t9045\t200\t200\n"
    with_table = Evidence(known_images=evidence.known_images, docs_files={**files, "logos.tsv": table})
    assert build_review(change, with_table).findings == ()
