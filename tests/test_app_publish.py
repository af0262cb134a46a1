"""The payloads the bot sends to GitHub, built from plain review values."""

from __future__ import annotations

from bot.config import LabelNames
from bot.publish import (
    BODY_LIMIT,
    MAX_INLINE_COMMENTS,
    SUMMARY_MARKER,
    check_run_plan,
    fingerprint,
    fingerprints_in,
    fit,
    inline_comments,
    label_changes,
    review_payload,
    summary_body,
)
from bot.review.model import ChangedFile, InlineComment, PullRequest, Review
from rules.findings import Finding, Severity

NAMES = LabelNames()


def pr(head: str = "Tags: 1.0\nArchitectures: amd64\n", title: str = "img: bump") -> PullRequest:
    changed = ChangedFile("library/img", "modified", b"", head.encode(), "@@ -1 +1,2 @@\n+Tags: 1.0\n+Arch")
    return PullRequest(
        "docker-library/official-images", "official-images", 5, title, "h" * 40, "b" * 40, (changed,)
    )


def review(
    findings: tuple[Finding, ...] = (), comments: tuple[InlineComment, ...] = (), **kw: object
) -> Review:
    values: dict = {
        "summary": f"{SUMMARY_MARKER}\nAll good.\n",
        "findings": findings,
        "comments": comments,
        "labels": ("library/img",),
        "conclusion": "success",
    }
    values.update(kw)
    return Review(**values)


def test_fit_keeps_whole_lines_and_says_what_it_left_out() -> None:
    text = "\n".join(f"line {i} " + "x" * 80 for i in range(2000))
    fitted = fit(text)
    assert len(fitted) <= BODY_LIMIT
    kept = fitted.splitlines()
    assert all(line.startswith("line ") for line in kept[:-2])
    assert "more lines are not shown here" in kept[-1]
    assert fit("short") == "short"


def test_the_summary_starts_with_its_marker_once() -> None:
    body = summary_body(review())
    assert body.startswith(SUMMARY_MARKER) and body.count(SUMMARY_MARKER) == 1
    assert summary_body(review(summary="No marker here.")).startswith(SUMMARY_MARKER + "\nNo marker here.")


def test_inline_comments_go_most_severe_first_capped_and_never_twice() -> None:
    findings = tuple(
        Finding("DOI-L001", Severity.WARNING if i % 2 else Severity.ERROR, "library/img", 1 + i % 2, f"m{i}")
        for i in range(2)
    )
    comments = (InlineComment("library/img", 2, "a warning"), InlineComment("library/img", 1, "an error"))
    posted = inline_comments(review(findings, comments), pr(), set())
    assert [c["body"].splitlines()[0] for c in posted] == ["an error", "a warning"]
    assert all(c["side"] == "RIGHT" for c in posted)
    again = inline_comments(review(findings, comments), pr(), fingerprints_in(c["body"] for c in posted))
    assert again == []
    many = tuple(InlineComment("library/img", 1, f"c{i}") for i in range(25))
    assert len(inline_comments(review(comments=many), pr(), set())) == MAX_INLINE_COMMENTS


def test_a_finding_on_a_moved_line_keeps_its_print_and_a_changed_line_gets_a_new_one() -> None:
    comment = InlineComment("library/img", 1, "say why")
    moved = pr(head="# new first line\nTags: 1.0\n")
    assert fingerprint(pr(), comment) == fingerprint(moved, InlineComment("library/img", 2, "say why"))
    changed = pr(head="Tags: 2.0\n")
    assert fingerprint(pr(), comment) != fingerprint(changed, comment)


def test_the_review_is_a_comment_pinned_to_the_head() -> None:
    comments = inline_comments(review(comments=(InlineComment("library/img", 1, "x"),)), pr(), set())
    payload = review_payload(pr(), comments)
    assert (payload["event"], payload["commit_id"], len(payload["comments"])) == ("COMMENT", "h" * 40, 1)
    fallback = review_payload(pr(), comments, inline=False)
    assert "comments" not in fallback and "library/img" in fallback["body"]


def test_check_run_annotations_go_in_batches_of_50_and_only_for_files_of_the_pull_request() -> None:
    findings = tuple(Finding("DOI-L001", Severity.WARNING, "library/img", i, f"m{i}") for i in range(1, 121))
    upstream = Finding("DOI-D001", Severity.ERROR, "https://github.com/o/r/blob/c/Dockerfile", 3, "up")
    plan = check_run_plan(review((*findings, upstream), conclusion="failure"), pr())
    assert plan.create["conclusion"] == "failure" and plan.create["name"] == "doi-bot"
    assert [len(b) for b in [plan.create["output"]["annotations"], *plan.more_annotations]] == [50, 50, 20]
    assert "1 errors, 120 warnings" in plan.create["output"]["title"]
    assert not plan.create["output"]["summary"].startswith(SUMMARY_MARKER)


def test_labels_the_bot_owns_are_kept_true_and_others_are_left_alone() -> None:
    current = ["library/old", "library/img", "needs-gatekeeper", "approved", "help wanted"]
    add, remove = label_changes(review(labels=("library/img", "new-image")), current, NAMES)
    assert add == ["new-image"]
    assert remove == ["library/old"]  # pending belongs to gatekeeping when the review has no gate
    add, remove = label_changes(review(gate="approved"), current, NAMES)
    assert "needs-gatekeeper" in remove and "approved" not in remove
    add, _ = label_changes(review(gate="pending"), [], NAMES)
    assert NAMES.pending in add
