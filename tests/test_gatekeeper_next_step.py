""" "What happens next": one sentence naming the next step and who has it, for every state."""

from __future__ import annotations

from bot.gatekeeper.decision import PENDING, DecisionState
from bot.gatekeeper.next_step import Standing, next_step, render_next_step
from bot.gatekeeper.settings import Team

TEAM = Team("docker-library", "maintainers")


def standing(**changes) -> Standing:
    return Standing(**({"author": "alice", "has_errors": False, "gatekeepers": TEAM} | changes))


def test_an_update_goes_to_the_maintainers_or_back_to_the_author():
    assert next_step(standing()).startswith("An official-images maintainer reviews and merges")
    assert next_step(standing(has_errors=True)).startswith("@alice fixes the errors above")


def test_a_pending_new_image_waits_for_the_gatekeepers():
    text = next_step(standing(decision=PENDING))
    assert text.startswith("The gatekeepers (@docker-library/maintainers) decide whether the image is")
    assert "meanwhile @alice fixes" in next_step(standing(decision=PENDING, has_errors=True))


def test_gated_names_the_gatekeeper_and_what_the_author_can_do():
    text = next_step(standing(decision=DecisionState("gated", "yosifkit")))
    assert text.startswith("@yosifkit gated this proposal") and "@alice may answer there" in text


def test_approved_counts_maintainer_approvals_then_goes_to_merge():
    approved = DecisionState("approved", "tianon")
    one = standing(decision=approved, counted_approvals=1, approvals_needed=2)
    assert "(1 of 2 approvals so far)" in next_step(one)
    assert next_step(standing(decision=approved, counted_approvals=2, approvals_needed=2)).endswith(
        "a maintainer merges."
    )
    assert "next, @alice fixes the errors" in next_step(standing(decision=approved, has_errors=True))


def test_a_docs_pull_request_points_at_the_decision_it_follows():
    text = next_step(standing(decision=PENDING, follows="docker-library/official-images#42"))
    assert "decide on docker-library/official-images#42 whether" in text


def test_closed_and_rendered():
    assert next_step(standing(closed=True, decision=PENDING)) == "Nothing: this pull request is closed."
    assert render_next_step(standing()).startswith("### What happens next\n\n")
