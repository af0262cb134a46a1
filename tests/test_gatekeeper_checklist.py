"""The new-image checklist comment, rendered from plain facts."""

from __future__ import annotations

from bot.gatekeeper.checklist import (
    MARKER,
    Approval,
    ChecklistFacts,
    find_upstream,
    render_checklist,
)
from bot.gatekeeper.decision import PENDING, DecisionState
from bot.gatekeeper.license import UpstreamLicense
from bot.gatekeeper.settings import Team
from rules.github_repo import github_repository

TEAM = Team("docker-library", "maintainers")


def facts(**changes) -> ChecklistFacts:
    base = {
        "image": "foo",
        "decision": PENDING,
        "gatekeepers": TEAM,
        "maintainers": TEAM,
        "approvals_needed": 2,
        "git_repos": ("https://github.com/foo-project/foo-docker.git",),
        "upstream": "foo-project/foo",
        "license": UpstreamLicense("foo-project/foo", "Apache-2.0", "Apache License 2.0"),
        "docs": "docker-library/docs#2500",
        "base_images": ("debian:bookworm-slim",),
        "check": "success",
        "approvals": (Approval("tianon", True), Approval("fan", False)),
    }
    return ChecklistFacts(**(base | changes))


def item(body: str, question_start: str) -> str:
    """The evidence line under the checklist item that starts with `question_start`."""
    lines = body.splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith(f"- [ ] {question_start}"))
    return lines[i + 1].strip()


def test_objective_items_carry_evidence_and_no_box_is_ticked():
    body = render_checklist(facts())
    assert body.startswith(MARKER + "\n")
    assert "[x]" not in body.lower() and body.count("- [ ] ") == 10
    assert "waiting for a gatekeeper (@docker-library/maintainers)" in body
    assert item(body, "Associated") == (
        "- GitRepo `https://github.com/foo-project/foo-docker.git` belongs to `foo-project`, the owner of the"
        " upstream `foo-project/foo`."
    )
    assert item(body, "Available") == (
        "- GitHub detects `Apache-2.0` (Apache License 2.0) in `foo-project/foo`: OSI-approved."
    )
    assert item(body, "Does it fit") == "- Left to the gatekeepers."
    assert item(body, "Is it reasonably popular") == "- Left to the gatekeepers."
    assert item(body, "Does a documentation PR") == "- Found: docker-library/docs#2500."
    assert item(body, "2+") == (
        "- 1 of 2 maintainer approvals (@tianon). Also approved, not counted (not in"
        " @docker-library/maintainers): @fan."
    )
    assert item(body, "Existing official images") == "- FROM `debian:bookworm-slim`."
    assert item(body, "If `FROM scratch`") == "- No Dockerfile builds `FROM scratch`."
    assert "concluded `success`" in item(body, "Passes current tests")


def test_missing_and_unknown_evidence_is_said_plainly():
    body = render_checklist(
        facts(
            upstream="someone-else/foo",
            license=UpstreamLicense("someone-else/foo", "NOASSERTION"),
            docs=None,
            base_images=None,
            check=None,
            approvals=(),
        )
    )
    assert "does not belong to `someone-else`" in item(body, "Associated")
    assert "cannot identify" in item(body, "Available")
    busl = render_checklist(facts(license=UpstreamLicense("foo-project/foo", "BUSL-1.1", "Business Source")))
    assert item(busl, "Available").endswith("(Business Source) in `foo-project/foo`: not OSI-approved.")
    assert "Missing: open a pull request to docker-library/docs adding `foo/`" in item(body, "Does a doc")
    assert "could not read the Dockerfiles" in item(body, "Existing official images")
    assert item(body, "2+") == "- 0 of 2 maintainer approvals."
    assert "still running" in item(body, "Passes")
    no_license = render_checklist(facts(license=UpstreamLicense("foo-project/foo", None), upstream=None))
    assert "no license file" in item(no_license, "Available")
    assert "could not tell which repository is upstream" in item(no_license, "Associated")
    assert "could not search" in item(render_checklist(facts(docs=None, docs_checked=False)), "Does a doc")
    assert "DOI-C" in item(render_checklist(facts(base_images=("scratch",))), "If `FROM scratch`")


def test_decision_line_follows_the_state():
    approved = render_checklist(facts(decision=DecisionState("approved", "tianon")))
    assert "**Decision:** approved by @tianon." in approved
    gated = render_checklist(facts(decision=DecisionState("gated", "yosifkit")))
    assert "**Decision:** gated by @yosifkit: see their comment." in gated
    follows = render_checklist(facts(follows="docker-library/official-images#123"))
    assert "follows the decision on docker-library/official-images#123" in follows


def test_huge_inputs_stay_within_githubs_limit_and_lists_are_shortened():
    many = tuple(f"base{i}:latest" for i in range(10_000))
    body = render_checklist(facts(base_images=many, image="x" * 70_000))
    assert len(body) <= 65_535
    assert "and 9980 more" in render_checklist(facts(base_images=many))


def test_github_repository_and_upstream():
    assert github_repository("https://github.com/docker-library/python.git") == "docker-library/python"
    assert github_repository("git@github.com:foo/bar.git") == "foo/bar"
    assert github_repository("git://github.com/foo/bar.git") == "foo/bar"  # as the library file may say
    assert github_repository("https://gitlab.com/foo/bar.git") is None
    texts = [
        "See https://github.com/docker-library/docs for more.",
        "[license](https://github.com/foo/bar/blob/m/L)",
    ]
    assert find_upstream(texts) == "foo/bar"
    assert find_upstream(["nothing here"]) is None
    # the GitRepo's owner is read as every other area reads GitRepo, git:// included
    body = render_checklist(facts(git_repos=("git://github.com/foo-project/foo-docker.git",)))
    assert "belongs to `foo-project`" in body
