"""Gatekeeping end to end against a stateful GitHub: what ends up on the pull request after each event."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from gatekeeper_github import FakeGitHub, Pull

from bot.gatekeeper.checklist import MARKER
from bot.gatekeeper.checkrun import GATE_CHECK
from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.conversation import on_comment
from bot.gatekeeper.decision import LabelEvent
from bot.gatekeeper.enforcement import on_label_change
from bot.gatekeeper.membership import MembershipCache
from bot.gatekeeper.proposal import Proposal, on_closed, refresh_waiting_runs, run_proposal
from bot.gatekeeper.settings import GatekeeperSettings, Team
from bot.gatekeeper.waivers import waivers_from_comments
from bot.review.model import PullRequest
from rules.findings import Finding, Severity, has_errors
from rules.gatekeeping import apply_waivers

OI = "docker-library/official-images"
DOCS = "docker-library/docs"
TEAM = "docker-library/maintainers"
BOT = "doi-bot[bot]"
HEAD = "1" * 40
NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.seconds = 0.0

    def __call__(self) -> float:
        return self.seconds


@pytest.fixture
def github() -> FakeGitHub:
    gh = FakeGitHub(BOT)
    gh.set_member(TEAM, "tianon")
    gh.set_member(TEAM, "yosifkit")
    gh.set_member(TEAM, "invited", state="pending")
    gh.licenses["foo-project/foo"] = {"spdx_id": "Apache-2.0", "name": "Apache License 2.0"}
    return gh


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def rereviews() -> list[tuple[str, int]]:
    return []


@pytest.fixture
def gk(clock: Clock, rereviews: list[tuple[str, int]]) -> Gatekeeper:
    async def rereview(repository: str, number: int) -> None:
        rereviews.append((repository, number))

    return Gatekeeper(
        GatekeeperSettings(),
        BOT,
        MembershipCache(ttl=120, clock=clock),
        now=lambda: NOW,
        rereview=rereview,
    )


def new_image(gh: FakeGitHub, head: str = HEAD, body: str = "") -> Pull:
    body = body or "Adds foo, the Foo database. Upstream: https://github.com/foo-project/foo"
    return gh.pulls.get((OI, 10)) or gh.open_pull(OI, 10, "alice", head, body)


def proposal(pull: Pull, kind: str = "official-images", image: str = "foo") -> Proposal:
    pr = PullRequest(
        pull.repository,
        kind,
        pull.number,
        "Add foo",
        pull.head_sha,
        "0" * 40,
        author=pull.author,
        body=pull.body,
    )
    return Proposal(
        pr,
        image,
        git_repos=("https://github.com/foo-project/foo-docker.git",) if kind == "official-images" else (),
        base_images=("debian:bookworm-slim",),
        check="success",
    )


def gate(gh: FakeGitHub, pull: Pull) -> dict:
    [latest, *_] = sorted(gh.runs(pull.head_sha, GATE_CHECK), key=lambda r: -r["id"])
    return latest


def checklist(pull: Pull) -> str:
    [comment] = [c for c in pull.comments if MARKER in c["body"]]
    return comment["body"]


async def label(gk: Gatekeeper, gh: FakeGitHub, pull: Pull, name: str, actor: str, added: bool = True) -> str:
    gh.label(pull, name, actor, added)
    return await on_label_change(gk, gh, pull.repository, pull.number, LabelEvent(name, added, actor))


async def test_new_image_from_open_to_approval(gk: Gatekeeper, github: FakeGitHub, rereviews):
    pull = new_image(github)
    outcome = await run_proposal(gk, github, proposal(pull))
    assert outcome.decision.gate == "pending" and not outcome.notes
    assert sorted(pull.labels) == ["needs-gatekeeper", "new-image"]
    assert pull.requested_teams == ["maintainers"]
    body = checklist(pull)
    assert "waiting for a gatekeeper (@docker-library/maintainers)" in body
    assert "`Apache-2.0` (Apache License 2.0) in `foo-project/foo`: OSI-approved." in body
    assert "GitRepo `https://github.com/foo-project/foo-docker.git` belongs to `foo-project`" in body
    assert "Missing: open a pull request to docker-library/docs adding `foo/`" in body
    assert (gate(github, pull)["status"], gate(github, pull)["conclusion"]) == ("in_progress", None)

    # the same review again (a redelivery, a recheck) writes nothing
    writes = len(github.writes())
    await run_proposal(gk, github, proposal(pull))
    assert len(github.writes()) == writes and len(pull.requested_teams) == 1

    pull.reviews.append({"user": {"login": "tianon"}, "state": "APPROVED"})
    pull.reviews.append({"user": {"login": "fan"}, "state": "APPROVED"})
    assert await label(gk, github, pull, "approved", "tianon") == "accept"
    assert gate(github, pull)["conclusion"] == "success"
    assert gate(github, pull)["output"]["title"] == "Approved by @tianon"
    assert sorted(pull.labels) == ["approved", "new-image"]
    assert "**Decision:** approved by @tianon." in checklist(pull)
    assert rereviews == [(OI, 10)]  # the summary's "What happens next" is brought up to date
    outcome = await run_proposal(gk, github, proposal(pull))
    assert outcome.standing.counted_approvals == 1
    assert "1 of 2 maintainer approvals (@tianon). Also approved, not counted" in checklist(pull)
    assert len([c for c in pull.comments if MARKER in c["body"]]) == 1


async def test_non_member_applying_approve_is_reverted_and_explained_once(gk, github):
    pull = new_image(github)
    await run_proposal(gk, github, proposal(pull))
    assert await label(gk, github, pull, "approved", "eve") == "revert"
    assert "approved" not in pull.labels
    assert gate(github, pull)["status"] == "in_progress"
    assert "needs-gatekeeper" in pull.labels
    assert await label(gk, github, pull, "approved", "eve") == "revert"
    explanations = [c for c in pull.comments if "doi-bot:label-guard eve" in c["body"]]
    assert len(explanations) == 1 and explanations[0]["body"].startswith("@eve, thank you for helping.")
    # a bot is not a gatekeeper either; a pending invitation does not count
    assert await label(gk, github, pull, "gate", "renovate[bot]") == "revert"
    assert await label(gk, github, pull, "gate", "invited") == "revert"
    assert not {"gate", "approved"} & set(pull.labels)
    assert gate(github, pull)["status"] == "in_progress"


async def test_non_member_removing_a_decision_label_gets_it_back(gk, github):
    pull = new_image(github)
    await run_proposal(gk, github, proposal(pull))
    await label(gk, github, pull, "approved", "tianon")
    assert await label(gk, github, pull, "approved", "eve", added=False) == "revert"
    assert "approved" in pull.labels
    assert gate(github, pull)["output"]["title"] == "Approved by @tianon"
    assert "put it back" in pull.comments[-1]["body"]


async def test_gatekeeper_applying_gate_fails_the_run_quoting_their_latest_comment(gk, github):
    pull = new_image(github)
    await run_proposal(gk, github, proposal(pull))
    github.comment(pull, "yosifkit", "Thanks! A first thought.")
    github.comment(pull, "alice", "Any news?")
    github.comment(pull, "yosifkit", "We don't think this is generally useful enough for an official image.")
    assert await label(gk, github, pull, "gate", "yosifkit") == "accept"
    run = gate(github, pull)
    assert (run["status"], run["conclusion"]) == ("completed", "failure")
    assert run["output"]["summary"].endswith(
        "Their latest comment:\n\n> We don't think this is generally useful enough for an official image."
    )
    assert "needs-gatekeeper" not in pull.labels
    assert "**Decision:** gated by @yosifkit: see their comment." in checklist(pull)
    # lifting the gate makes it pending again
    await label(gk, github, pull, "gate", "yosifkit", added=False)
    assert gate(github, pull)["status"] == "in_progress" and "needs-gatekeeper" in pull.labels


async def test_the_decision_survives_a_later_push(gk, github):
    pull = new_image(github)
    await run_proposal(gk, github, proposal(pull))
    await label(gk, github, pull, "approved", "tianon")
    pull.head_sha = "2" * 40  # synchronize
    outcome = await run_proposal(gk, github, proposal(pull))
    assert outcome.decision.gate == "approved"
    [run] = github.runs(pull.head_sha, GATE_CHECK)
    assert (run["status"], run["conclusion"]) == ("completed", "success")
    assert "needs-gatekeeper" not in pull.labels


async def test_a_new_docs_folder_follows_its_official_images_pull_request(gk, github, rereviews):
    oi = new_image(github)
    docs = github.open_pull(
        DOCS, 20, "alice", "d" * 40, "Docs for https://github.com/docker-library/official-images/pull/10"
    )
    await run_proposal(gk, github, proposal(oi))
    assert "Found: docker-library/docs#20." in checklist(oi)  # found by search, confirmed by the link
    outcome = await run_proposal(gk, github, proposal(docs, kind="docs"))
    assert outcome.standing.follows == "docker-library/official-images#10"
    assert docs.requested_teams == []  # gatekeepers decide once, on official-images
    assert "follows the decision on docker-library/official-images#10" in checklist(docs)
    assert gate(github, docs)["status"] == "in_progress"

    await label(gk, github, oi, "approved", "tianon")
    assert gate(github, docs)["conclusion"] == "success"
    assert "needs-gatekeeper" not in docs.labels
    assert "**Decision:** approved by @tianon. This pull request follows" in checklist(docs)
    assert (DOCS, 20) in rereviews


async def test_a_maintainer_waives_a_rule_and_its_findings_no_longer_fail(gk, github, rereviews):
    pull = new_image(github)
    comment = github.comment(pull, "tianon", "/doi-bot ignore DOI-X002 the crash is a known parser bug")
    await on_comment(gk, github, OI, pull.json(), comment)
    assert github.reactions == [(comment["id"], "+1")]
    assert "`DOI-X002` is waived on this pull request by @tianon" in pull.comments[-1]["body"]
    assert rereviews == [(OI, 10)]
    waivers = waivers_from_comments(pull.comments, BOT)
    finding = Finding("DOI-X002", Severity.ERROR, "library/foo", 3, "A check crashed.")
    [waived] = apply_waivers([finding], waivers)
    assert (
        not has_errors([waived]) and "waived by @tianon: the crash is a known parser bug." in waived.message
    )


async def test_waivers_are_refused_to_non_maintainers_and_for_unknown_rules(gk, github, rereviews):
    pull = new_image(github)
    first = github.comment(pull, "alice", "/doi-bot ignore DOI-X002 please")
    await on_comment(gk, github, OI, pull.json(), first)
    second = github.comment(pull, "tianon", "/doi-bot ignore DOI-Q999 typo")
    await on_comment(gk, github, OI, pull.json(), second)
    assert github.reactions == [(first["id"], "confused"), (second["id"], "confused")]
    assert "only members of @docker-library/maintainers can waive" in pull.comments[-3]["body"]
    assert "there is no rule `DOI-Q999`" in pull.comments[-1]["body"]
    assert waivers_from_comments(pull.comments, BOT) == [] and rereviews == []


async def test_recheck_by_the_author_or_a_maintainer_only(gk, github, rereviews):
    pull = new_image(github)
    for login in ("alice", "tianon", "mallory"):
        await on_comment(gk, github, OI, pull.json(), github.comment(pull, login, "/doi-bot recheck"))
    assert [content for _, content in github.reactions] == ["+1", "+1", "confused"]
    assert rereviews == [(OI, 10), (OI, 10)]
    assert "only the author or a member of" in pull.comments[-1]["body"]


async def test_status_says_where_the_proposal_stands(gk, github):
    pull = new_image(github)
    await run_proposal(gk, github, proposal(pull))
    github.check_runs.append(
        {"id": 1, "name": "doi-bot", "head_sha": HEAD, "status": "completed", "conclusion": "failure"}
    )
    await on_comment(gk, github, OI, pull.json(), github.comment(pull, "alice", "/doi-bot status"))
    reply = pull.comments[-1]["body"]
    assert "- `doi-bot` check: failure." in reply
    assert "- New image, gatekeepers: Waiting for a gatekeeper." in reply
    assert "- Maintainer approvals: 0 of 2." in reply
    assert "- **The author**: fix the errors the summary lists, and push." in reply
    assert "- What happens next: **A gatekeeper** (`@docker-library/maintainers`) decides" in reply
    assert github.reactions[-1][1] == "+1"


async def test_unknown_command_gets_a_short_help_and_bots_and_plain_comments_are_ignored(gk, github):
    pull = new_image(github)
    await on_comment(gk, github, OI, pull.json(), github.comment(pull, "alice", "/doi-bot merge please"))
    assert github.reactions[-1][1] == "confused"
    assert pull.comments[-1]["body"].startswith("`merge` is not a doi-bot command.")
    assert "/doi-bot ignore DOI-X000 <reason>" in pull.comments[-1]["body"]
    count = len(pull.comments)
    await on_comment(gk, github, OI, pull.json(), github.comment(pull, "ci[bot]", "/doi-bot recheck", "Bot"))
    await on_comment(gk, github, OI, pull.json(), github.comment(pull, "alice", "LGTM"))
    assert len(pull.comments) == count + 2 and len(github.reactions) == 1


async def test_a_removed_member_loses_the_power_once_the_cached_answer_expires(gk, github, clock):
    pull = new_image(github)
    await run_proposal(gk, github, proposal(pull))
    assert await label(gk, github, pull, "approved", "tianon") == "accept"
    github.set_member(TEAM, "tianon", None)  # removed from the team
    clock.seconds = 119
    assert await label(gk, github, pull, "approved", "tianon", added=False) == "accept"  # still cached
    clock.seconds = 121
    assert await label(gk, github, pull, "gate", "tianon") == "revert"
    assert "gate" not in pull.labels and gate(github, pull)["status"] == "in_progress"


async def test_closing_completes_an_undecided_run_as_neutral_and_leaves_a_decided_one(gk, github):
    pull = new_image(github)
    await run_proposal(gk, github, proposal(pull))
    pull.state = "closed"
    await on_closed(gk, github, OI, 10, HEAD, set(pull.labels))
    assert (gate(github, pull)["status"], gate(github, pull)["conclusion"]) == ("completed", "neutral")

    other = github.open_pull(OI, 11, "bob", "3" * 40)
    await run_proposal(gk, github, proposal(other, image="bar"))
    await label(gk, github, other, "approved", "tianon")
    await on_closed(gk, github, OI, 11, other.head_sha, set(other.labels))
    assert gate(github, other)["conclusion"] == "success"


async def test_a_refused_team_review_is_said_and_the_team_mentioned(gk, github):
    github.refuse_team_review = True
    pull = new_image(github)
    outcome = await run_proposal(gk, github, proposal(pull))
    [note] = outcome.notes
    assert "GitHub refused to request a review from @docker-library/maintainers" in note
    assert note in checklist(pull)
    again = await run_proposal(gk, github, proposal(pull))
    assert again.notes == outcome.notes
    assert [c for c in github.calls if c[1].endswith("/requested_reviewers")] == [
        ("POST", "/repos/docker-library/official-images/pulls/10/requested_reviewers")
    ]


async def test_waiting_runs_are_recreated_before_githubs_fourteen_day_limit(gk, github):
    pull = new_image(github)
    await run_proposal(gk, github, proposal(pull))
    assert await refresh_waiting_runs(gk, github, OI) == 0
    gate(github, pull)["started_at"] = (NOW - timedelta(days=13, hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert await refresh_waiting_runs(gk, github, OI) == 1
    assert len(github.runs(HEAD, GATE_CHECK)) == 2 and gate(github, pull)["status"] == "in_progress"


async def test_a_docs_folder_that_exists_and_no_license_are_reported(gk, github):
    github.contents.add((DOCS, "foo"))
    pull = github.open_pull(OI, 10, "alice", HEAD, "No links here.")
    await run_proposal(gk, github, proposal(pull))
    body = checklist(pull)
    assert "Found: the `foo/` folder in docker-library/docs." in body
    assert "could not tell which repository is upstream" in body
    assert "GitHub detects no license file in `foo-project/foo-docker`." in body


def test_team_parse():
    assert Team.parse("docker-library/maintainers") == Team("docker-library", "maintainers")
    with pytest.raises(ValueError):
        Team.parse("maintainers")
