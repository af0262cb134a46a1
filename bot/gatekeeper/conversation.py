"""Answers `/doi-bot` commands in pull-request comments: a reaction on the command and, where there is
something to say, one reply for the whole comment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gidgethub.abc import GitHubAPI

from bot.gatekeeper.checkrun import GATE_CHECK
from bot.gatekeeper.commands import HELP, Command, Ignore, Recheck, Status, Unknown, parse_commands
from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.next_step import GateStanding, gatekeeper_step
from bot.gatekeeper.record import (
    approvals_of,
    comments_of,
    find_own_comment,
    followed_decision,
    split_repository,
)
from bot.gatekeeper.waivers import waiver_marker
from bot.publish import fit
from rules.gatekeeping import Waiver
from rules.registry import RULES, all_rules

MAIN_CHECK = "doi-bot"


async def on_comment(
    gk: Gatekeeper, gh: GitHubAPI, repository: str, pull: Mapping[str, Any], comment: Mapping[str, Any]
) -> list[Command]:
    """Runs the commands of a new comment on a pull request (`pull` as GitHub returns it)."""
    user = comment.get("user") or {}
    if user.get("type") == "Bot" or user.get("login") == gk.bot:
        return []
    commands = parse_commands(comment.get("body") or "")
    if not commands:
        return []
    replies: list[str] = []
    accepted = True
    rereview = False
    for command in commands:
        reply, ok, again = await _answer(gk, gh, repository, pull, user.get("login", ""), command)
        accepted &= ok
        rereview |= again
        if reply:
            replies.append(reply)
    names = split_repository(repository)
    await gh.post(
        "/repos/{owner}/{repo}/issues/comments/{comment_id}/reactions",
        names | {"comment_id": comment["id"]},
        data={"content": "+1" if accepted else "confused"},
        accept="application/vnd.github+json",
    )
    if replies:
        await reply_once(gk, gh, repository, pull["number"], comment["id"], "\n\n".join(replies) + "\n")
    if rereview:
        await gk.rereview(repository, pull["number"])
    return commands


def reply_marker(comment_id: Any) -> str:
    return f"<!-- doi-bot:reply-to {comment_id} -->"


async def reply_once(
    gk: Gatekeeper, gh: GitHubAPI, repository: str, number: int, comment_id: Any, text: str
) -> None:
    """The one reply to a command comment, within GitHub's size limit. A job tried again (GitHub may have
    took the first reply and then failed to answer) finds the reply it made instead of repeating it."""
    marker = reply_marker(comment_id)
    if find_own_comment(await comments_of(gh, repository, number), gk.bot, marker) is not None:
        return
    await gh.post(
        "/repos/{owner}/{repo}/issues/{issue_number}/comments",
        split_repository(repository) | {"issue_number": number},
        data={"body": fit(f"{marker}\n{text}", where="the pull request")},
    )


async def _answer(
    gk: Gatekeeper, gh: GitHubAPI, repository: str, pull: Mapping[str, Any], login: str, command: Command
) -> tuple[str | None, bool, bool]:
    """(the reply, whether the command was accepted, whether a fresh review is needed)"""
    author = (pull.get("user") or {}).get("login", "")
    if isinstance(command, Recheck):
        if login == author or await gk.members.is_active_member(gh, gk.maintainers, login):
            return None, True, True
        return (
            f"@{login}, only the author or a member of {gk.maintainers.mention} can ask for a recheck.",
            False,
            False,
        )
    if isinstance(command, Status):
        return await status_reply(gk, gh, repository, pull), True, False
    if isinstance(command, Ignore):
        if not await gk.members.is_active_member(gh, gk.maintainers, login):
            return f"@{login}, only members of {gk.maintainers.mention} can waive a rule.", False, False
        all_rules()  # loads every rule module, so the id check sees the whole catalogue
        if command.rule not in RULES:
            return (
                f"@{login}, there is no rule `{command.rule}`; `doi-bot rules` lists them all.",
                False,
                False,
            )
        waiver = Waiver(command.rule, command.reason, login)
        text = (
            f"`{command.rule}` is waived on this pull request by @{login}: {command.reason}\n"
            f"Its findings stay in the summary, marked as waived, and no longer fail the check.\n"
            f"{waiver_marker(waiver)}"
        )
        return text, True, True
    assert isinstance(command, Unknown)
    return f"{command.problem}\n\n{HELP}", False, False


async def status_reply(gk: Gatekeeper, gh: GitHubAPI, repository: str, pull: Mapping[str, Any]) -> str:
    """Where the pull request stands: the doi-bot check, the gatekeepers' decision, approvals, next step."""
    number = pull["number"]
    author = (pull.get("user") or {}).get("login", "")
    labels = {label["name"] for label in pull.get("labels", [])}
    names = split_repository(repository)
    runs: dict[str, Mapping[str, Any]] = {}
    async for run in gh.getiter(
        "/repos/{owner}/{repo}/commits/{ref}/check-runs",
        names | {"ref": pull["head"]["sha"]},
        iterable_key="check_runs",
    ):
        previous = runs.get(run["name"])
        if previous is None or run.get("id", 0) > previous.get("id", 0):
            runs[run["name"]] = run
    main = runs.get(MAIN_CHECK)
    check = (main or {}).get("conclusion") or ("running" if main else "not run yet")
    lines = [
        f"**Status of this pull request** (head `{pull['head']['sha'][:12]}`)",
        "",
        f"- `doi-bot` check: {check}.",
    ]
    if check == "failure":
        lines.append("- **The author**: fix the errors the summary lists, and push.")
    if gk.settings.new_image_label not in labels:
        lines.append("- Not a new image: the summary comment says what happens next.")
        return "\n".join(lines)
    follows, decision = await followed_decision(gk, gh, repository, number, pull.get("body") or "", labels)
    approvals = await approvals_of(gk, gh, repository, number, author)
    counted = sum(a.counted for a in approvals)
    gate = (runs.get(GATE_CHECK) or {}).get("output", {}).get("title") or decision.gate
    lines.append(f"- New image, gatekeepers: {gate}.")
    lines.append(f"- Maintainer approvals: {counted} of {gk.settings.approvals_needed}.")
    step = gatekeeper_step(
        "this image", GateStanding(decision, counted, follows), gk.settings.review_settings()
    )
    lines.append(f"- What happens next: {step}")
    return "\n".join(lines)
