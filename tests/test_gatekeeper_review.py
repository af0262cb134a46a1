"""The review itself, given what gatekeeping read: waivers and the decision on a new image."""

from __future__ import annotations

from bot.gatekeeper.decision import DecisionState
from bot.gatekeeper.next_step import GateStanding
from bot.gatekeeper.proposal import proposals_of
from bot.review.build import build_review
from bot.review.model import ChangedFile, Evidence, PullRequest
from rules.gatekeeping import Waiver
from tests.docs_folders import FILES

SHA = "0123456789abcdef0123456789abcdef01234567"
LIBRARY = f"""Maintainers: Jane Doe <jane@example.com> (@jane)
GitRepo: https://github.com/example/app.git

Tags: 1.2.3, 1.2, 1, latest
GitCommit: {SHA}
Directory: 1

Tags: 1.2.3
GitCommit: {SHA}
Directory: 0
"""


def new_image(text: str = LIBRARY) -> PullRequest:
    patch = f"@@ -0,0 +1,{len(text.splitlines())} @@\n" + "".join(f"+{line}\n" for line in text.splitlines())
    added = ChangedFile("library/newapp", "added", None, text.encode(), patch)
    return PullRequest(
        "docker-library/official-images", "official-images", 1, "Add newapp", "h" * 40, "b" * 40, (added,)
    )


def next_steps(summary: str) -> str:
    return summary.split("### What happens next")[1]


def test_a_waived_rule_no_longer_fails_and_is_shown_with_reason_and_name():
    failing = build_review(new_image(), Evidence())
    assert failing.conclusion == "failure"
    [error] = [f for f in failing.findings if f.severity == "error"]
    waiver = Waiver(error.rule, "the duplicate is removed in the next pull request", "tianon")
    review = build_review(new_image(), Evidence(waivers=(waiver,)))
    assert review.conclusion != "failure"
    [g001] = [f for f in review.findings if f.rule == "DOI-G001"]
    assert (g001.path, g001.line) == (error.path, error.line)
    assert f"{error.rule} (error) waived by @tianon: the duplicate is removed in the next pull request." in (
        g001.message
    )
    assert "waived by @tianon" in review.summary
    assert "**The author**" not in next_steps(review.summary)
    assert review.comments == ()  # an info finding gets no inline comment


def test_the_decision_sets_the_gate_the_pending_label_and_the_next_step():
    pending = build_review(new_image(), Evidence())
    assert pending.gate == "pending" and "needs-gatekeeper" in pending.labels
    assert "**A gatekeeper** (`@docker-library/maintainers`) decides whether `newapp`" in next_steps(
        pending.summary
    )

    approved = GateStanding(DecisionState("approved", "tianon"), counted_approvals=1)
    review = build_review(new_image(), Evidence(gatekeeping=approved))
    assert (
        review.gate == "approved" and "needs-gatekeeper" not in review.labels and "new-image" in review.labels
    )
    assert "`newapp` was approved by @tianon and has 1 of 2 maintainer approvals" in next_steps(
        review.summary
    )

    gated = build_review(new_image(), Evidence(gatekeeping=GateStanding(DecisionState("gated", "yosifkit"))))
    assert gated.gate == "gated" and "needs-gatekeeper" not in gated.labels
    assert "**The author**: @yosifkit gated `newapp`" in next_steps(gated.summary)
    assert gated.to_json()["gate"] == "gated"


def test_proposals_carry_the_gitrepos_of_a_new_library_file_and_the_texts_of_a_new_docs_folder():
    [proposal] = proposals_of(new_image(), ["newapp"], "failure")
    assert (proposal.image, proposal.git_repos, proposal.check) == (
        "newapp",
        ("https://github.com/example/app.git",),
        "failure",
    )
    license_md = b"View [license information](https://github.com/newapp-org/newapp/blob/main/LICENSE)."
    docs = PullRequest(
        "docker-library/docs",
        "docs",
        2,
        "Add newapp docs",
        "d" * 40,
        "b" * 40,
        (
            ChangedFile("newapp/license.md", "added", None, license_md),
            ChangedFile("newapp/logo.png", "added", None, b"\x89PNG"),
        ),
    )
    [docs_proposal] = proposals_of(docs, ["newapp"], None)
    assert docs_proposal.git_repos == () and docs_proposal.upstream_texts == (license_md.decode(),)


def test_proposals_name_the_base_images_once_every_dockerfile_was_read():
    repo = "https://github.com/example/app.git"
    dockerfiles = {
        (
            repo,
            SHA,
            "1/Dockerfile",
        ): b"FROM golang:1.22 AS build\nFROM debian:bookworm-slim\nCOPY --from=build /a /a\n",
        (repo, SHA, "0/Dockerfile"): b"FROM debian:bookworm-slim\n",
    }
    [proposal] = proposals_of(new_image(), ["newapp"], None, Evidence(dockerfiles=dockerfiles))
    assert proposal.base_images == ("golang:1.22", "debian:bookworm-slim")
    missing = {k: v for k, v in dockerfiles.items() if k[2] == "1/Dockerfile"}
    [unread] = proposals_of(new_image(), ["newapp"], None, Evidence(dockerfiles=missing))
    assert unread.base_images is None


def test_a_new_docs_folder_takes_the_decision_of_the_official_images_pull_request_it_links():
    files = tuple(
        ChangedFile(f"espocrm/{name}", "added", None, text.encode()) for name, text in FILES.items()
    )
    docs = PullRequest("docker-library/docs", "docs", 2, "Add espocrm", "d" * 40, "b" * 40, files)
    known = frozenset({"espocrm"})
    alone = build_review(docs, Evidence(known_images=known))
    assert alone.gate == "pending" and "link the official-images pull request" in next_steps(alone.summary)

    follows = GateStanding(DecisionState("approved", "tianon"), follows="docker-library/official-images#10")
    review = build_review(docs, Evidence(known_images=known, gatekeeping=follows))
    assert review.gate == "approved" and "needs-gatekeeper" not in review.labels
    steps = next_steps(review.summary)
    assert "`espocrm` was approved by @tianon (decided on docker-library/official-images#10)" in steps
    assert "link the official-images pull request" not in steps
