""" "What happens next" for a new image: who has the proposal, for every state of the decision."""

from __future__ import annotations

from bot.gatekeeper.decision import PENDING, DecisionState
from bot.gatekeeper.next_step import GateStanding, gatekeeper_step
from bot.review.build import ReviewSettings

NAMES = ReviewSettings()


def test_pending_goes_to_the_gatekeepers():
    step = gatekeeper_step("foo", GateStanding(PENDING), NAMES)
    assert step.startswith(
        "**A gatekeeper** (`@docker-library/maintainers`) decides whether `foo` is generally"
    )
    assert "`approved` lets it go ahead, `gate` means not as proposed" in step


def test_gated_goes_back_to_the_author_naming_the_gatekeeper():
    step = gatekeeper_step("foo", GateStanding(DecisionState("gated", "yosifkit")), NAMES)
    assert step.startswith("**The author**: @yosifkit gated `foo`; their latest comment says why.")


def test_approved_goes_to_the_maintainers_until_enough_approvals_then_to_merge():
    approved = DecisionState("approved", "tianon")
    step = gatekeeper_step("foo", GateStanding(approved, counted_approvals=1), NAMES)
    assert step.startswith("**Maintainers** (`@docker-library/maintainers`) review the Dockerfiles")
    assert "has 1 of 2 maintainer approvals" in step
    done = gatekeeper_step("foo", GateStanding(approved, counted_approvals=2), NAMES)
    assert done.startswith(
        "**A maintainer** (`@docker-library/maintainers`) merges: `foo` was approved by @tianon"
    )


def test_a_docs_pull_request_says_where_it_was_decided_and_names_are_configurable():
    names = ReviewSettings(gatekeepers="acme/deciders", approve="lgtm", gate="nope", approvals_needed=3)
    step = gatekeeper_step("foo", GateStanding(follows="docker-library/official-images#10"), names)
    assert "(decided on docker-library/official-images#10)" in step
    assert (
        "`@acme/deciders`" in step and "`lgtm`" in step and "`nope`" in step and "needs 3 maintainer" in step
    )
