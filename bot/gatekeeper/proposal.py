"""A new image's proposal on GitHub: labels, the review request to the gatekeepers, the checklist comment and
the gatekeeper check run, all kept true to the decision. A docs pull request that links its official-images
pull request follows that decision, so gatekeepers decide once."""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import gidgethub
from gidgethub.abc import GitHubAPI

from bot.gatekeeper.checklist import (
    MARKER,
    Approval,
    ChecklistFacts,
    find_upstream,
    render_checklist,
    with_decision,
)
from bot.gatekeeper.context import Gatekeeper
from bot.gatekeeper.decision import PENDING, DecisionState
from bot.gatekeeper.gaterun import add_labels, gate_runs, remove_label, sync_gate_run
from bot.gatekeeper.license import UpstreamLicense, fetch_license
from bot.gatekeeper.links import linked_pulls
from bot.gatekeeper.next_step import GateStanding
from bot.gatekeeper.record import (
    PullHead,
    approvals_of,
    comments_of,
    decision_of,
    find_own_comment,
    followed_decision,
    labels_of,
    split_repository,
)
from bot.gatekeeper.waivers import waivers_from_comments
from bot.review.model import Evidence, PullRequest
from rules.dockerfile.check import read_dockerfile
from rules.gatekeeping import Waiver
from rules.github_repo import github_repository
from rules.library.checks import read_library
from rules.library.model import BuildSource

log = logging.getLogger(__name__)

REFUSED_MARKER = "<!-- doi-bot:team-review-refused -->"


@dataclass(frozen=True, slots=True)
class Proposal:
    """A new image, as the review found it (what was already read, so nothing is fetched twice)."""

    pr: PullRequest
    image: str
    git_repos: tuple[str, ...] = ()  # every GitRepo of the new library file
    base_images: tuple[str, ...] | None = None  # None: the Dockerfiles were not read
    check: str | None = None  # the `doi-bot` check's conclusion for this head
    # texts that may link the upstream project (a docs folder's license.md and content.md)
    upstream_texts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ProposalRecord:
    """What GitHub holds about a pull request's proposal, read before the review is built."""

    labels: frozenset[str]
    comments: tuple[Mapping[str, Any], ...]
    waivers: tuple[Waiver, ...]
    standing: GateStanding
    approvals: tuple[Approval, ...] = ()

    def notes(self, gk: Gatekeeper) -> tuple[str, ...]:
        """Sentences for the summary: a review request GitHub refused earlier (kept in the checklist)."""
        checklist = find_own_comment(list(self.comments), gk.bot, MARKER)
        return (_refusal_note(gk),) if checklist is not None and REFUSED_MARKER in checklist["body"] else ()


@dataclass(frozen=True, slots=True)
class ProposalOutcome:
    standing: GateStanding
    labels: frozenset[str]  # the gatekeeping labels the pull request should carry now
    notes: tuple[str, ...] = ()  # sentences for the summary

    @property
    def decision(self) -> DecisionState:
        return self.standing.decision


async def read_record(
    gk: Gatekeeper, gh: GitHubAPI, pr: PullRequest, labels: Collection[str] | None = None
) -> ProposalRecord:
    """The waivers, the decision (a docs pull request's is its official-images pull request's) and the
    maintainers' approvals; `labels` when the caller already read them."""
    assert pr.number is not None, "a proposal is a pull request"
    if labels is None:
        labels = await labels_of(gh, pr.repository, pr.number)
    comments = tuple(await comments_of(gh, pr.repository, pr.number))
    follows, decision = await followed_decision(gk, gh, pr.repository, pr.number, pr.body, labels)
    approvals: list[Approval] = []
    if gk.settings.new_image_label in labels or _adds_an_image(pr):
        approvals = await approvals_of(gk, gh, pr.repository, pr.number, pr.author)
    return ProposalRecord(
        frozenset(labels),
        comments,
        tuple(waivers_from_comments(comments, gk.bot)),
        GateStanding(decision, sum(a.counted for a in approvals), follows),
        tuple(approvals),
    )


async def publish_proposal(
    gk: Gatekeeper, gh: GitHubAPI, proposal: Proposal, record: ProposalRecord, *, write_labels: bool = True
) -> ProposalOutcome:
    """The review request (once), the checklist comment and the gatekeeper check run; the labels too unless
    the caller keeps them (the App's review publishes its labels itself). Writes only what changed."""
    pr = proposal.pr
    assert pr.number is not None, "a proposal is a pull request"
    standing = record.standing
    existing = find_own_comment(list(record.comments), gk.bot, MARKER)
    refusal = None
    if existing is None and standing.follows is None:
        refusal = await request_team_review(gk, gh, pr)
    elif existing is not None and REFUSED_MARKER in existing["body"]:
        refusal = _refusal_note(gk)
    docs, docs_checked = await _docs_counterpart(gk, gh, pr, proposal.image)
    upstream = find_upstream((*proposal.upstream_texts, pr.body), proposal.git_repos)
    facts = ChecklistFacts(
        image=proposal.image,
        decision=standing.decision,
        gatekeepers=gk.gatekeepers,
        maintainers=gk.maintainers,
        approvals_needed=gk.settings.approvals_needed,
        approvals=record.approvals,
        git_repos=proposal.git_repos,
        upstream=upstream,
        license=await _license(gh, upstream, proposal.git_repos),
        docs=docs,
        docs_checked=docs_checked,
        base_images=proposal.base_images,
        check=proposal.check,
        follows=standing.follows,
    )
    body = render_checklist(facts)
    if refusal:
        body += f"\n{refusal}\n{REFUSED_MARKER}\n"
    await _upsert_comment(gh, pr.repository, pr.number, existing, body)
    wanted = _wanted_labels(gk, standing.decision)
    if write_labels:
        await _sync_labels(gk, gh, pr.repository, pr.number, standing.decision, record.labels)
    await sync_gate_run(gk, gh, PullHead(pr.repository, pr.number, pr.head_sha), standing.decision)
    return ProposalOutcome(standing, wanted, (refusal,) if refusal else ())


def _adds_an_image(pr: PullRequest) -> bool:
    """A file added at `library/<name>` (official-images) or a new top-level folder's README-short.txt or
    content.md (docs): the pull request may propose a new image, so its approvals are worth reading."""
    for file in pr.files:
        parts = file.path.split("/")
        if file.status != "added" or len(parts) != 2:
            continue
        if (
            parts[0] == "library"
            if pr.kind == "official-images"
            else parts[1] in ("README-short.txt", "content.md")
        ):
            return True
    return False


async def on_decision_change(gk: Gatekeeper, gh: GitHubAPI, repository: str, number: int) -> None:
    """After a gatekeeper's label change: the check run, the pending label, the checklist's decision line,
    the docs pull requests that follow this one, and a fresh summary."""
    data = await gh.getitem(
        "/repos/{owner}/{repo}/pulls/{pull_number}", split_repository(repository) | {"pull_number": number}
    )
    labels = {label["name"] for label in data.get("labels", [])}
    if gk.settings.new_image_label in labels:
        decision = await decision_of(gk, gh, repository, number, labels)
        await _follow(gk, gh, PullHead(repository, number, data["head"]["sha"]), decision, None, labels)
        if repository.lower() == gk.settings.official_images.lower():
            for follower in await _followers(gk, gh, repository, number, data.get("body") or ""):
                await _sync_follower(gk, gh, follower, decision, f"{repository}#{number}")
    await gk.rereview(repository, number)


async def on_closed(
    gk: Gatekeeper, gh: GitHubAPI, repository: str, number: int, head_sha: str, labels: set[str]
) -> None:
    """Closing completes a run still waiting for a decision as neutral; a decided run stays as it was."""
    if gk.settings.new_image_label in labels:
        decision = await decision_of(gk, gh, repository, number, labels)
        if not decision.decided:
            await sync_gate_run(gk, gh, PullHead(repository, number, head_sha), decision, closed=True)


async def refresh_waiting_runs(gk: Gatekeeper, gh: GitHubAPI, repository: str) -> int:
    """For the periodic reconcile: re-create undecided gatekeeper runs before GitHub's 14-day limit."""
    names = gk.settings.labels
    refreshed = 0
    async for pr in gh.getiter("/repos/{owner}/{repo}/pulls?state=open", split_repository(repository)):
        labels = {label["name"] for label in pr.get("labels", [])}
        if gk.settings.new_image_label not in labels or labels & names.decisions:
            continue
        runs = await gate_runs(gh, repository, pr["head"]["sha"])
        if runs and runs[0].get("status") != "completed":
            head = PullHead(repository, pr["number"], pr["head"]["sha"])
            done = await sync_gate_run(gk, gh, head, PENDING)
            refreshed += done == "created"
    return refreshed


async def request_team_review(gk: Gatekeeper, gh: GitHubAPI, pr: PullRequest) -> str | None:
    """Asks the gatekeeper team to review; if GitHub refuses, the sentence that mentions the team instead."""
    try:
        await gh.post(
            "/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers",
            split_repository(pr.repository) | {"pull_number": pr.number},
            data={"team_reviewers": [gk.gatekeepers.slug]},
        )
    except gidgethub.BadRequest as exc:
        log.info("team review request refused on %s#%s: %s", pr.repository, pr.number, exc)
        return _refusal_note(gk)
    return None


def _refusal_note(gk: Gatekeeper) -> str:
    team = gk.gatekeepers.mention
    return (
        f"GitHub refused to request a review from {team}, so doi-bot mentions the team instead: {team},"
        " this new image needs your decision."
    )


async def _followers(gk: Gatekeeper, gh: GitHubAPI, repository: str, number: int, body: str) -> list[int]:
    """Open docs pull requests that follow this official-images pull request: linked from its description, or
    linking it from theirs (found with the search API, confirmed by reading the link)."""
    docs = gk.settings.docs
    found = linked_pulls(body, docs)
    query = f'repo:{docs} is:pr is:open in:body "{number}"'
    try:
        async for item in gh.getiter("/search/issues?q={q}", {"q": query}):
            if number in linked_pulls(item.get("body") or "", repository):
                found.append(item["number"])
    except gidgethub.BadRequest as exc:  # search has its own, lower rate limit
        log.info("docs search failed for %s#%s: %s", repository, number, exc)
    return list(dict.fromkeys(found))


async def _sync_follower(
    gk: Gatekeeper, gh: GitHubAPI, number: int, decision: DecisionState, follows: str
) -> None:
    docs = gk.settings.docs
    data = await gh.getitem(
        "/repos/{owner}/{repo}/pulls/{pull_number}", split_repository(docs) | {"pull_number": number}
    )
    labels = {label["name"] for label in data.get("labels", [])}
    if data.get("state") == "open" and gk.settings.new_image_label in labels:
        await _follow(gk, gh, PullHead(docs, number, data["head"]["sha"]), decision, follows, labels)
        await gk.rereview(docs, number)


async def _follow(
    gk: Gatekeeper,
    gh: GitHubAPI,
    head: PullHead,
    decision: DecisionState,
    follows: str | None,
    labels: Collection[str],
) -> None:
    await _sync_labels(gk, gh, head.repository, head.number, decision, labels)
    await sync_gate_run(gk, gh, head, decision)
    comments = await comments_of(gh, head.repository, head.number)
    existing = find_own_comment(comments, gk.bot, MARKER)
    if existing is not None:
        body = with_decision(existing["body"], decision, gk.gatekeepers, follows)
        await _upsert_comment(gh, head.repository, head.number, existing, body)


def _wanted_labels(gk: Gatekeeper, decision: DecisionState) -> frozenset[str]:
    """`new-image` always, the pending label only while undecided."""
    pending = () if decision.decided else (gk.settings.labels.pending,)
    return frozenset({gk.settings.new_image_label, *pending})


async def _sync_labels(
    gk: Gatekeeper,
    gh: GitHubAPI,
    repository: str,
    number: int,
    decision: DecisionState,
    labels: Collection[str],
) -> None:
    """Writes only what differs from `labels`, the labels the pull request has now."""
    wanted = _wanted_labels(gk, decision)
    present = set(labels)
    await add_labels(gh, repository, number, sorted(wanted - present))
    pending = gk.settings.labels.pending
    if decision.decided and pending in present:
        await remove_label(gh, repository, number, pending)


async def _docs_counterpart(
    gk: Gatekeeper, gh: GitHubAPI, pr: PullRequest, image: str
) -> tuple[str | None, bool]:
    """Where the image's documentation is: a linked or linking docs pull request, or its folder in docs."""
    assert pr.number is not None
    docs = gk.settings.docs
    if pr.repository.lower() == docs.lower():
        return "this pull request", True
    followers = await _followers(gk, gh, pr.repository, pr.number, pr.body)
    if followers:
        return f"{docs}#{followers[0]}", True
    try:
        await gh.getitem("/repos/{owner}/{repo}/contents/{path}", split_repository(docs) | {"path": image})
    except gidgethub.BadRequest as exc:
        return None, exc.status_code.value == 404
    return f"the `{image}/` folder in {docs}", True


async def _license(gh: GitHubAPI, upstream: str | None, git_repos: tuple[str, ...]) -> UpstreamLicense | None:
    """The upstream project's license, or else the license of the repository the Dockerfiles come from."""
    repository = upstream or next(filter(None, map(github_repository, git_repos)), None)
    if repository is None:
        return None
    try:
        return await fetch_license(gh, repository)
    except gidgethub.BadRequest as exc:
        log.info("license of %s unavailable: %s", repository, exc)
        return None


async def _upsert_comment(
    gh: GitHubAPI, repository: str, number: int, existing: Mapping[str, Any] | None, body: str
) -> None:
    names = split_repository(repository)
    if existing is None:
        await gh.post(
            "/repos/{owner}/{repo}/issues/{issue_number}/comments",
            names | {"issue_number": number},
            data={"body": body},
        )
    elif existing.get("body") != body:
        await gh.patch(
            "/repos/{owner}/{repo}/issues/comments/{comment_id}",
            names | {"comment_id": existing["id"]},
            data={"body": body},
        )


def proposals_of(
    pr: PullRequest, images: Iterable[str], check: str | None, evidence: Evidence | None = None
) -> list[Proposal]:
    """The review's new images as proposals, with what the review already holds: the GitRepos of a new library
    file and its Dockerfiles' base images, or the license and content texts of a new docs folder (they may
    link upstream)."""
    heads = {f.path: f.head for f in pr.files if f.head is not None}
    proposals = []
    for image in images:
        proposal = Proposal(pr, image, check=check)
        if pr.kind == "official-images" and (data := heads.get(f"library/{image}")) is not None:
            parsed, _ = read_library(data, image, f"library/{image}")
            sources = [s for e in (parsed.entries if parsed else ()) for s in e.arches.values()]
            git_repos = tuple(dict.fromkeys(s.git_repo for s in sources))
            bases = _base_images(sources, evidence) if evidence is not None else None
            proposal = replace(proposal, git_repos=git_repos, base_images=bases)
        else:
            names = (f"{image}/license.md", f"{image}/content.md")
            texts = tuple(heads[n].decode("utf-8", "replace") for n in names if n in heads)
            proposal = replace(proposal, upstream_texts=texts)
        proposals.append(proposal)
    return proposals


def _base_images(sources: list[BuildSource], evidence: Evidence) -> tuple[str, ...] | None:
    """Every image the entries' Dockerfiles build FROM (stages of the same file left out), or None when one
    of the Dockerfiles was not read."""
    bases: dict[str, None] = {}
    for source in sources:
        data = evidence.dockerfiles.get((source.git_repo, source.git_commit, source.dockerfile_path))
        text = data.decode("utf-8", "replace") if data is not None else None
        dockerfile = read_dockerfile(text, source.dockerfile_path)[0] if text is not None else None
        if dockerfile is None:
            return None
        bases.update((b.image, None) for b in dockerfile.bases if b.via == "FROM")
    return tuple(bases)
