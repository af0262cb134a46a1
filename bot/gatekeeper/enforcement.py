"""Only gatekeepers decide: a decision label applied or removed by anyone else, a bot included, is put back as
it was, and the person is told why, once per pull request."""

from __future__ import annotations

from gidgethub.abc import GitHubAPI

from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.decision import LabelEvent, judge_label_change
from bot.gatekeeper.gaterun import add_labels, remove_label
from bot.gatekeeper.proposal import on_decision_change
from bot.gatekeeper.record import comments_of, find_own_comment, split_repository


def explained_marker(login: str) -> str:
    return f"<!-- doi-bot:label-guard {login.lower()} -->"


def explanation(gk: Gatekeeper, event: LabelEvent) -> str:
    names = gk.settings.labels
    done = "removed it again" if event.added else "put it back"
    return (
        f"@{event.actor}, thank you for helping. The `{names.approve}` and `{names.gate}` labels record the"
        f" gatekeepers' decision on a new image, so only members of {gk.gatekeepers.mention} apply or remove"
        f" them; doi-bot has {done}. If you think this proposal is ready, or not, say so in a comment: the"
        f" gatekeepers read them.\n{explained_marker(event.actor)}\n"
    )


async def on_label_change(
    gk: Gatekeeper, gh: GitHubAPI, repository: str, number: int, event: LabelEvent
) -> str:
    """Handles one `labeled`/`unlabeled` event; returns what was done ("ignore", "accept" or "revert")."""
    if event.label not in gk.settings.labels.decisions or event.actor == gk.bot:
        return "ignore"
    member = await gk.members.is_active_member(gh, gk.gatekeepers, event.actor)
    verdict = judge_label_change(event, gk.settings.labels, bot=gk.bot, is_gatekeeper=member)
    if verdict == "revert":
        if event.added:
            await remove_label(gh, repository, number, event.label)
        else:
            await add_labels(gh, repository, number, [event.label])
        comments = await comments_of(gh, repository, number)
        if find_own_comment(comments, gk.bot, explained_marker(event.actor)) is None:
            await gh.post(
                "/repos/{owner}/{repo}/issues/{issue_number}/comments",
                split_repository(repository) | {"issue_number": number},
                data={"body": explanation(gk, event)},
            )
    # after a revert too: a review that ran in between may have seen the label; make the gate true again
    await on_decision_change(gk, gh, repository, number)
    return verdict
