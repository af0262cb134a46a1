"""The decision state machine: pending, approved or gated, from the labels and who applied them."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.gatekeeper.decision import PENDING, DecisionState, LabelEvent, current_decision, judge_label_change
from bot.gatekeeper.settings import DecisionLabels

NAMES = DecisionLabels()
BOT = "doi-bot[bot]"


def decide(labels: list[str], *history: LabelEvent) -> DecisionState:
    return current_decision(labels, list(history), NAMES, bot=BOT)


def test_no_decision_label_is_pending_whatever_the_history():
    assert decide(["new-image", "needs-gatekeeper"]) == PENDING
    undone = [LabelEvent("approved", True, "tianon"), LabelEvent("approved", False, "tianon")]
    assert decide(["new-image"], *undone) == PENDING


def test_approve_label_applied_by_a_gatekeeper_approves_and_names_them():
    state = decide(["new-image", "approved"], LabelEvent("approved", True, "tianon"))
    assert state == DecisionState("approved", "tianon")
    assert state.decided


def test_gate_label_gates():
    assert decide(["gate"], LabelEvent("gate", True, "yosifkit")) == DecisionState("gated", "yosifkit")


def test_when_both_labels_are_on_the_one_applied_last_wins():
    history = [LabelEvent("gate", True, "yosifkit"), LabelEvent("approved", True, "tianon")]
    assert decide(["gate", "approved"], *history) == DecisionState("approved", "tianon")
    assert decide(["gate", "approved"], *reversed(history)) == DecisionState("gated", "yosifkit")


def test_a_label_the_bot_restored_is_still_credited_to_the_gatekeeper_who_applied_it():
    history = [
        LabelEvent("approved", True, "tianon"),
        LabelEvent("approved", False, "someone"),  # a non-member removed it
        LabelEvent("approved", True, BOT),  # the bot put it back
    ]
    assert decide(["approved"], *history) == DecisionState("approved", "tianon")


def test_decision_survives_a_push_because_it_reads_only_the_pull_requests_labels():
    # a push changes the head, not the labels or their history: the same inputs give the same decision
    history = [LabelEvent("needs-gatekeeper", True, BOT), LabelEvent("approved", True, "tianon")]
    assert decide(["approved"], *history) == DecisionState("approved", "tianon")


def test_label_history_missing_still_gives_a_decision_without_a_name():
    assert decide(["gate"]) == DecisionState("gated", None)


def test_judge_label_change():
    def judge(label: str, added: bool, actor: str, member: bool) -> str:
        return judge_label_change(LabelEvent(label, added, actor), NAMES, bot=BOT, is_gatekeeper=member)

    assert judge("approved", True, "tianon", True) == "accept"
    assert judge("gate", False, "eve", False) == "revert"
    assert judge("approved", True, "renovate[bot]", False) == "revert"
    assert judge("approved", True, BOT, False) == "ignore"
    assert judge("library/foo", True, "eve", False) == "ignore"


def test_configured_label_names_are_used():
    names = DecisionLabels(pending="waiting", approve="lgtm", gate="no")
    assert current_decision(["lgtm"], [LabelEvent("lgtm", True, "a")], names, bot=BOT) == DecisionState(
        "approved", "a"
    )
    assert current_decision(["approved"], [], names, bot=BOT) == PENDING


LABELS = ["approved", "gate", "needs-gatekeeper", "other"]
ACTORS = ["tianon", "yosifkit", BOT]


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.sampled_from(LABELS), st.booleans(), st.sampled_from(ACTORS)), max_size=12),
    st.sets(st.sampled_from(LABELS)),
)
def test_any_history_gives_one_decision_that_matches_the_labels(events, labels):
    state = decide(sorted(labels), *(LabelEvent(*e) for e in events))
    if not labels & {"approved", "gate"}:
        assert state == PENDING
    else:
        assert state.gate in ("approved", "gated")
        winner = "approved" if state.gate == "approved" else "gate"
        assert winner in labels  # the decision stands for a label that is on the pull request
        assert state.by != BOT
