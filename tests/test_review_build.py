"""build_review on plain pull-request data: what the contributor ends up seeing."""

from __future__ import annotations

import difflib

from hypothesis import given, settings
from hypothesis import strategies as st
from library_examples import GOOD, SHA, SHA2, mutated_real_file

from bot.review.build import ReviewSettings, build_review
from bot.review.diff import commentable_lines
from bot.review.model import ChangedFile, Evidence, PullRequest

BASE = GOOD


def patch_of(base: str, head: str) -> str:
    diff = difflib.unified_diff(base.splitlines(), head.splitlines(), lineterm="", n=3)
    return "\n".join(line for line in diff if not line.startswith(("---", "+++")))


def pull_request(files: list[ChangedFile], title: str = "Update app") -> PullRequest:
    return PullRequest(
        repository="docker-library/official-images",
        kind="official-images",
        number=1,
        title=title,
        head_sha="h" * 40,
        base_sha="b" * 40,
        files=tuple(files),
    )


def modified(base: str, head: str, path: str = "library/app") -> ChangedFile:
    return ChangedFile(path, "modified", base.encode(), head.encode(), patch_of(base, head))


def test_commentable_lines_are_added_and_context_lines_of_the_new_side():
    patch = (
        "@@ -1,4 +1,5 @@\n a\n-b\n+B\n+C\n c\n d\n@@ -10 +11,2 @@\n-x\n+y\n+z\n\\ No newline at end of file"
    )
    assert commentable_lines(patch) == {1, 2, 3, 4, 5, 11, 12}
    assert commentable_lines("") == set()


def test_a_version_bump_succeeds_with_the_change_and_a_compare_link():
    head = BASE.replace(f"GitCommit: {SHA}\nDirectory: 1", f"GitCommit: {SHA2}\nDirectory: 1").replace(
        "1.2.3", "1.2.4"
    )
    # the changed entry's Dockerfile was fetched: nothing is left unchecked
    dockerfiles = {
        ("https://github.com/example/app.git", SHA2, "1/Dockerfile"): b'FROM scratch\nCMD ["/app"]\n'
    }
    review = build_review(pull_request([modified(BASE, head)]), Evidence(dockerfiles=dockerfiles))
    assert review.conclusion == "success"
    assert review.labels == ("library/app",)
    assert review.summary.startswith("<!-- doi-bot:summary -->\n")
    assert f"https://github.com/example/app/compare/{SHA}...{SHA2}" in review.summary
    assert "`1.2.4`" in review.summary
    assert review.summary.rstrip().split("\n### ")[-1].startswith("What happens next")
    assert review.comments == ()


def test_a_duplicate_tag_fails_with_an_inline_comment_on_the_added_line():
    head = BASE.replace("Tags: 0.9.1, 0.9, 0", "Tags: 0.9.1, 0.9, 0, latest")
    review = build_review(pull_request([modified(BASE, head)]), Evidence())
    assert review.conclusion == "failure"
    errors = [f for f in review.findings if f.severity == "error"]
    assert [(f.rule, f.path, f.line) for f in errors] == [("DOI-L010", "library/app", 11)]
    assert [(c.path, c.line) for c in review.comments] == [("library/app", 11)]
    assert "DOI-L010" in review.comments[0].body
    assert "**Entry `0.9.1, 0.9, 0, latest`**" in review.summary


def test_a_new_image_is_labelled_and_waits_for_a_gatekeeper():
    added = ChangedFile("library/newapp", "added", None, BASE.encode(), patch_of("", BASE))
    settings = ReviewSettings(pending="gatekeeper-please")
    review = build_review(pull_request([added]), Evidence(), settings)
    assert review.labels == ("gatekeeper-please", "library/newapp", "new-image")
    assert review.gate == "pending"
    assert review.new_images == ("newapp",)
    assert "gatekeeper" in review.summary.split("### What happens next")[1]


def test_a_deleted_image_is_labelled_too():
    removed = ChangedFile("library/app", "removed", BASE.encode(), None, None)
    review = build_review(pull_request([removed]), Evidence())
    assert review.labels == ("library/app",)
    assert "image deleted" in review.summary


def test_a_security_title_adds_the_label_and_says_so_first():
    head = BASE.replace(SHA, SHA2)
    review = build_review(pull_request([modified(BASE, head)], title="[security] app 1.2.3"), Evidence())
    assert "security" in review.labels
    assert review.summary.split("\n")[2].startswith("> **Security update**")


def test_unchecked_evidence_makes_the_conclusion_neutral():
    head = BASE.replace(SHA, SHA2)
    evidence = Evidence(unchecked=("The Dockerfiles of 2 entries were not fetched.",))
    review = build_review(pull_request([modified(BASE, head)]), evidence)
    assert review.conclusion == "neutral"
    assert "The Dockerfiles of 2 entries were not fetched." in review.summary


def test_findings_only_on_changed_library_files():
    other = ChangedFile("test/config.sh", "modified", b"a\n", b"b\n", "@@ -1 +1 @@\n-a\n+b")
    review = build_review(pull_request([other]), Evidence())
    assert review.findings == () and review.labels == () and review.conclusion == "success"


def test_a_huge_change_keeps_the_summary_within_the_limit():
    entries = "".join(
        f"\nTags: {i}.0.0, {i}.0, {i}\nGitCommit: {SHA}\nDirectory: {'d' * 200}/{i}\n" for i in range(3000)
    )
    head = BASE.split("\nTags:")[0] + "\n" + entries
    review = build_review(pull_request([modified(BASE, head)]), Evidence())
    assert len(review.summary) <= 65_535
    assert "What happens next" in review.summary


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=12),
    st.lists(st.sampled_from(["a", "b", "x"]), max_size=12),
)
def test_commentable_lines_are_exactly_the_new_lines_of_each_hunk(old: list[str], new: list[str]):
    diff = list(difflib.unified_diff(old, new, lineterm="", n=2))[2:]
    expected: set[int] = set()
    number = 0
    for line in diff:
        if line.startswith("@@"):
            number = int(line.split("+")[1].split(",")[0].split(" ")[0])
            number = number if number else 1
        elif not line.startswith("-"):
            expected.add(number)
            number += 1
    assert commentable_lines("\n".join(diff)) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_patch_text_gives_a_set_of_lines(text: str):
    assert all(isinstance(n, int) for n in commentable_lines(text))


@settings(max_examples=60, deadline=None)
@given(mutated_real_file(), mutated_real_file())
def test_any_change_of_a_library_file_gives_a_review_never_an_exception(base: str, head: str):
    review = build_review(pull_request([modified(base, head)]), Evidence())
    assert len(review.summary) <= 65_535 and review.summary.startswith("<!-- doi-bot:summary -->")
    assert review.conclusion in ("success", "neutral", "failure")
    assert all(f.rule != "DOI-X002" for f in review.findings)


def test_every_part_of_the_summary_is_bounded():
    head = BASE.replace(SHA, SHA2)
    evidence = Evidence(
        unchecked=tuple(f"Entry {i} was not checked because of reasons." * 5 for i in range(5000))
    )
    review = build_review(pull_request([modified(BASE, head)]), evidence)
    assert len(review.summary) <= 65_535
    assert review.summary.rstrip().split("\n### ")[-1].startswith("What happens next")


def test_line_numbers_in_the_summary_link_to_the_head_on_github():
    head = BASE.replace("Tags: 0.9.1, 0.9, 0", "Tags: 0.9.1, 0.9, 0, latest")
    review = build_review(pull_request([modified(BASE, head)]), Evidence())
    link = f"https://github.com/docker-library/official-images/blob/{'h' * 40}/library/app#L11"
    assert f"- [line 11]({link}): **error** `DOI-L010`" in review.summary
