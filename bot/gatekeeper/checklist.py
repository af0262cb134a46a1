"""The new-image checklist comment: official-images' NEW-IMAGE-CHECKLIST.md, the objective items filled
in with evidence, the subjective ones left for the gatekeepers. The bot never ticks a box: ticking is the
gatekeepers' job, and the checklist asks contributors not to tick them either."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.gatekeeper.decision import DecisionState
from bot.gatekeeper.license import UpstreamLicense
from bot.gatekeeper.settings import Team
from bot.publish import fit
from rules.github_repo import github_repository

MARKER = "<!-- doi-bot:checklist -->"
# Long lists (base images, approvals) are cut here: the comment stays readable and far below GitHub's limit.
MAX_LISTED = 20
CHECKLIST_URL = "https://github.com/docker-library/official-images/blob/master/NEW-IMAGE-CHECKLIST.md"

_DECISION_LINE = re.compile(r"^\*\*Decision:\*\* .*$", re.MULTILINE)
# a GitHub repository linked somewhere in prose (GitRepo values are read by rules.github_repo instead)
_GITHUB_LINK = re.compile(
    r"(?:https?://|git@|ssh://git@)github\.com[/:]([\w.-]+)/([\w.-]+?)(?:\.git)?(?=[/#?\s)]|$)"
)


def find_upstream(texts: Iterable[str], git_repos: Iterable[str] = ()) -> str | None:
    """The first GitHub repository linked in `texts` (a docs folder's license.md and content.md, the pull
    request's description) that is neither official-images' own (docker-library) nor one of the GitRepos."""
    own = {(github_repository(r) or "").lower() for r in git_repos}
    for text in texts:
        for match in _GITHUB_LINK.finditer(text):
            found = f"{match.group(1)}/{match.group(2)}"
            if match.group(1).lower() != "docker-library" and found.lower() not in own:
                return found
    return None


@dataclass(frozen=True, slots=True)
class Approval:
    login: str
    counted: bool  # a member of the maintainers team


@dataclass(frozen=True, slots=True)
class ChecklistFacts:
    image: str
    decision: DecisionState
    gatekeepers: Team
    maintainers: Team
    approvals_needed: int
    approvals: tuple[Approval, ...] = ()
    git_repos: tuple[str, ...] = ()  # every GitRepo of the library file
    upstream: str | None = None  # owner/name of the upstream project on GitHub, when known
    license: UpstreamLicense | None = None
    docs: str | None = None  # where the documentation was found (a pull request or folder), Markdown
    docs_checked: bool = True  # False: the docs repository could not be searched
    base_images: tuple[str, ...] | None = None  # None: the Dockerfiles were not read
    check: str | None = None  # the `doi-bot` check's conclusion; None while it runs
    follows: str | None = None  # a docs pull request: the official-images pull request it follows

    @property
    def counted_approvals(self) -> int:
        return sum(a.counted for a in self.approvals)


def render_checklist(facts: ChecklistFacts) -> str:
    """The comment body, found again by its marker and edited in place."""
    lines = [
        MARKER,
        f"## New image checklist: `{facts.image}`",
        "",
        f"This is official-images' [new image checklist]({CHECKLIST_URL}). doi-bot filled in what it can"
        f" check; the boxes are for the gatekeepers ({facts.gatekeepers.mention}) to tick, so please"
        " leave them as they are.",
        "",
        f"**Decision:** {decision_line(facts.decision, facts.gatekeepers, facts.follows)}",
        "",
    ]
    for question, evidence in _items(facts):
        lines.append(f"- [ ] {question}")
        lines.append(f"  - {evidence}")
    return fit("\n".join(lines) + "\n", where="the pull request")


def decision_line(d: DecisionState, gatekeepers: Team, follows: str | None) -> str:
    if d.gate == "approved":
        text = f"approved by @{d.by}." if d.by else "approved."
    elif d.gate == "gated":
        text = f"gated by @{d.by}: see their comment." if d.by else "gated: see the gatekeepers' comment."
    else:
        text = f"waiting for a gatekeeper ({gatekeepers.mention})."
    if follows:
        text += f" This pull request follows the decision on {follows}."
    return text


def with_decision(body: str, d: DecisionState, gatekeepers: Team, follows: str | None) -> str:
    """The checklist comment with only its decision line brought up to date (the evidence stays as found)."""
    line = f"**Decision:** {decision_line(d, gatekeepers, follows)}"
    return _DECISION_LINE.sub(lambda _: line, body, count=1)


def _items(facts: ChecklistFacts) -> list[tuple[str, str]]:
    gatekeepers = "Left to the gatekeepers."
    return [
        ("Associated with or contacted upstream?", _upstream(facts)),
        ("Available under an OSI-approved license?", _license(facts.license)),
        (
            "Does it fit into one of the common categories?"
            ' ("service", "language stack", "base distribution")',
            gatekeepers,
        ),
        ("Is it reasonably popular, or does it solve a particular use case well?", gatekeepers),
        (
            "Does a documentation PR exist? (to be reviewed and merged at roughly the same time, so the Hub"
            " page is not empty for long)",
            _docs(facts),
        ),
        (
            'Official Image maintainer "dockerization" review for best practices and cache gotchas or'
            " improvements",
            "doi-bot's objective findings are in its summary comment; the review itself is the maintainers'.",
        ),
        ("2+ official-images maintainer dockerization reviews?", _approvals(facts)),
        (
            "Existing official images have been considered as a base? (for example `FROM node` instead of"
            " downloading Node.js)",
            _bases(facts.base_images),
        ),
        (
            "If `FROM scratch`, tarballs only exist in a single commit within the associated history?",
            _scratch(facts),
        ),
        ("Passes current tests? Any simple new tests that might be appropriate to add?", _check(facts.check)),
    ]


def _upstream(facts: ChecklistFacts) -> str:
    repos = _listed(f"`{r}`" for r in facts.git_repos)
    if not facts.git_repos:
        return "No GitRepo to compare with the upstream project; left to the gatekeepers."
    if facts.upstream is None:
        return (
            f"GitRepo: {repos}. doi-bot could not tell which repository is upstream; left to the gatekeepers."
        )
    owner = facts.upstream.split("/")[0].lower()
    owners = {(github_repository(r) or "").split("/")[0].lower() for r in facts.git_repos}
    if owners == {owner}:
        return f"GitRepo {repos} belongs to `{owner}`, the owner of the upstream `{facts.upstream}`."
    return (
        f"GitRepo {repos} does not belong to `{owner}`, the owner of the upstream `{facts.upstream}`:"
        " gatekeepers, please check the association."
    )


def _license(found: UpstreamLicense | None) -> str:
    if found is None:
        return "doi-bot could not find the upstream repository on GitHub; left to the gatekeepers."
    if found.spdx_id is None:
        return f"GitHub detects no license file in `{found.repository}`."
    if found.spdx_id == "NOASSERTION":
        return f"`{found.repository}` has a license file GitHub cannot identify: gatekeepers, please read it."
    name = f" ({found.name})" if found.name and found.name != found.spdx_id else ""
    verdict = "OSI-approved." if found.osi_approved else "not OSI-approved."
    return f"GitHub detects `{found.spdx_id}`{name} in `{found.repository}`: {verdict}"


def _docs(facts: ChecklistFacts) -> str:
    if facts.docs:
        return f"Found: {facts.docs}."
    if not facts.docs_checked:
        return "doi-bot could not search docker-library/docs this time; it will try again on the next push."
    return (
        f"Missing: open a pull request to docker-library/docs adding `{facts.image}/` and link it in this"
        " pull request's description."
    )


def _approvals(facts: ChecklistFacts) -> str:
    counted = [f"@{a.login}" for a in facts.approvals if a.counted]
    others = [f"@{a.login}" for a in facts.approvals if not a.counted]
    text = f"{facts.counted_approvals} of {facts.approvals_needed} maintainer approvals"
    text += f" ({_listed(counted)})." if counted else "."
    if others:
        text += f" Also approved, not counted (not in {facts.maintainers.mention}): {_listed(others)}."
    return text


def _bases(bases: Sequence[str] | None) -> str:
    if bases is None:
        return "doi-bot could not read the Dockerfiles; left to the gatekeepers."
    if not bases:
        return "No FROM line found."
    return f"FROM {_listed(f'`{b}`' for b in bases)}."


def _scratch(facts: ChecklistFacts) -> str:
    if facts.base_images is None:
        return "doi-bot could not read the Dockerfiles; left to the gatekeepers."
    if "scratch" not in facts.base_images:
        return "No Dockerfile builds `FROM scratch`."
    return "A Dockerfile builds `FROM scratch`: doi-bot's commit checks (DOI-C) cover the tarballs."


def _check(conclusion: str | None) -> str:
    if conclusion is None:
        return "The `doi-bot` check is still running."
    return f"The `doi-bot` check concluded `{conclusion}`; the build tests are official-images' CI."


def _listed(items: Iterable[str]) -> str:
    shown = list(items)
    if len(shown) > MAX_LISTED:
        return ", ".join(shown[:MAX_LISTED]) + f" and {len(shown) - MAX_LISTED} more"
    return ", ".join(shown)
