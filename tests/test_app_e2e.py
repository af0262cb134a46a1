"""The App end to end against the fake GitHub: what a pull request ends up showing."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest
from fakegithub import FakeGitHub
from fakegithub.events import check_run_event, example, pull_request_event
from fakegithub.fixtures import AppKey
from fakegithub.harness import running_bot
from fakegithub.scenarios import (
    BASE,
    HEAD,
    HEAD2,
    OI,
    PYTHON_BASE,
    PYTHON_HEAD,
    many_pulls,
    official_images,
    tag_reviewer,
)
from fakegithub.state import Repo

from bot.config import BotConfig
from bot.pipeline import review_job
from bot.publish import SUMMARY_MARKER
from bot.review.model import Evidence, InlineComment, PullRequest, Review
from bot.services import default_reviewer
from rules.findings import Finding, Severity


def summaries(repo: Repo) -> list[dict]:
    return [c for c in repo.issue_comments if c["body"].startswith(SUMMARY_MARKER)]


async def test_opened_leaves_one_summary_one_review_one_check_run_and_labels(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        response = await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        assert response.status == 202
        await bot.settle()
    assert len(summaries(repo)) == 1
    assert [r["commit_id"] for r in repo.reviews] == [HEAD]
    [comment] = repo.review_comments
    assert (comment["path"], comment["line"], comment["side"]) == ("library/python", 4, "RIGHT")
    [run] = repo.check_runs
    assert (run["name"], run["head_sha"], run["status"], run["conclusion"]) == (
        "doi-bot",
        HEAD,
        "completed",
        "neutral",
    )
    assert repo.annotations[run["id"]][0]["annotation_level"] == "warning"
    assert repo.pulls[7].labels == ["library/python"]
    assert repo.labels["library/python"]["color"] != "ededed"  # created with its colour, not GitHub's default
    assert {"new-image", "security", "needs-gatekeeper"} <= set(repo.labels)
    assert fake_github.invalid_requests == []


async def test_synchronize_edits_the_summary_and_does_not_repeat_an_inline_comment(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
        # A second push that changes another line: the Tags line, and its finding, stay as they were.
        head2 = PYTHON_HEAD.replace("3.13/bookworm", "3.13/trixie")
        repo.push(7, HEAD2, {"library/python": (PYTHON_BASE, head2)})
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "synchronize"))
        await bot.settle()
    [summary] = summaries(repo)
    assert HEAD2[:7] in summary["body"]
    assert len(repo.review_comments) == 1
    assert {run["head_sha"] for run in repo.check_runs} == {HEAD, HEAD2}


async def test_the_same_delivery_twice_changes_nothing(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = official_images(fake_github)
    payload = pull_request_event(fake_github, repo, 7, "opened")
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        first = await bot.deliver("pull_request", payload, delivery="guid-1")
        await bot.settle()
        writes = len(fake_github.writes())
        again = await bot.deliver("pull_request", payload, delivery="guid-1")
        await bot.settle()
    assert (first.status, again.status) == (202, 200)
    assert len(fake_github.writes()) == writes


async def test_a_rerun_for_the_same_head_makes_no_write(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = official_images(fake_github)
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
        writes, reads = len(fake_github.writes()), len(fake_github.calls)
        assert (await bot.deliver("check_run", check_run_event(fake_github, repo, 7))).status == 202
        await bot.settle()
        assert len(fake_github.calls) > reads  # reviewed again from scratch
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "reopened"))
        await bot.settle()
    assert len(fake_github.writes()) == writes


async def test_an_edited_title_updates_the_review(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = official_images(fake_github)
    async with running_bot(fake_github, app_key.private_pem, default_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
        repo.pulls[7].title = "[security] python: 3.13.1"
        edited = pull_request_event(
            fake_github, repo, 7, "edited", changes={"title": {"from": "python: 3.13.1"}}
        )
        assert (await bot.deliver("pull_request", edited)).status == 202
        await bot.settle()
    assert "security" in repo.pulls[7].labels
    assert "Security" in summaries(repo)[0]["body"]


async def test_a_stale_head_posts_nothing(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = official_images(fake_github)
    stale = pull_request_event(fake_github, repo, 7, "opened")
    repo.push(7, HEAD2, {"library/python": (PYTHON_BASE, PYTHON_HEAD)})
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        assert (await bot.deliver("pull_request", stale)).status == 202
        await bot.settle()
    assert fake_github.writes() == []


async def test_a_push_during_the_review_posts_nothing_for_the_old_head(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)

    def pushing_reviewer(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
        repo.push(7, HEAD2, {"library/python": (PYTHON_BASE, PYTHON_HEAD)})
        return tag_reviewer(pr, found, config)

    async with running_bot(fake_github, app_key.private_pem, pushing_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    assert fake_github.writes() == []


async def test_a_closed_pull_request_gets_nothing(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = official_images(fake_github)
    opened = pull_request_event(fake_github, repo, 7, "opened")
    repo.pulls[7].state = "closed"
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        await bot.deliver("pull_request", opened)
        await bot.settle()
        closed = await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "closed"))
    assert closed.status == 200
    assert fake_github.writes() == []


@pytest.mark.parametrize(
    "kind, when",
    [("5xx", "after"), ("5xx", "before"), ("timeout", "after"), ("secondary-rate-limit", "before")],
)
async def test_a_failing_create_still_lands_once(
    fake_github: FakeGitHub, app_key: AppKey, kind: str, when: str
) -> None:
    repo = official_images(fake_github)
    fake_github.faults.retry_after = 0
    fake_github.faults.timeout_seconds = 0.5
    for path in (r"/reviews$", r"/issues/\d+/comments$", r"/check-runs$"):
        fake_github.faults.add(kind, when=when, method="POST", path=path)  # type: ignore[arg-type]
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    assert len(summaries(repo)) == 1
    assert len(repo.reviews) == 1
    assert len(repo.check_runs) == 1


async def test_an_anchor_outside_the_diff_still_gives_one_review(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)

    def outside(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
        review = tag_reviewer(pr, found, config)
        return Review(
            review.summary,
            review.findings,
            (InlineComment("library/python", 99, "far away"),),
            review.labels,
            review.conclusion,
        )

    async with running_bot(fake_github, app_key.private_pem, outside) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    [review] = repo.reviews
    assert "far away" in review["body"]
    assert repo.review_comments == []


async def test_twenty_percent_of_calls_failing_still_lands_every_review_once(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = many_pulls(fake_github, 8)
    fake_github.faults.retry_after = 0
    fake_github.faults.timeout_seconds = 0.5
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        fake_github.faults.chaos(0.2, seed=7)
        events = [pull_request_event(fake_github, repo, n, "opened") for n in range(1, 9)]
        await asyncio.gather(
            *(bot.deliver("pull_request", e, delivery=f"g{i}") for i, e in enumerate(events))
        )
        await bot.settle()
        # no event is lost: each delivery's job ran to the end, after retries where it failed
        assert {bot.queue.deliveries.state(f"g{i}") for i in range(len(events))} == {"done"}
    assert sum(1 for call in fake_github.calls if call.status in (403, 502, 504)) > 10  # the faults happened
    for number in range(1, 9):
        assert len([c for c in summaries(repo) if c["issue_number"] == number]) == 1
        assert len([r for r in repo.reviews if r["pull_number"] == number]) == 1
        assert len([r for r in repo.check_runs if r["head_sha"] == f"{number:040d}"]) == 1


async def test_the_real_review_of_a_library_change(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = fake_github.add_repo(OI)
    broken = PYTHON_HEAD.replace(
        "Architectures: amd64, arm64v8", "Architectures: amd64, arm64v8\nBogus: field"
    )
    repo.open_pull(
        8,
        "[security] python: 3.13.1",
        base_sha=BASE,
        head_sha=HEAD,
        files={"library/python": (PYTHON_BASE, broken)},
    )
    async with running_bot(fake_github, app_key.private_pem, default_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 8, "opened"))
        await bot.settle()
    [summary] = summaries(repo)
    assert "security" in summary["body"].lower()
    assert {"library/python", "security"} <= set(repo.pulls[8].labels)
    [run] = repo.check_runs
    assert run["status"] == "completed" and run["conclusion"] in ("failure", "neutral", "success")
    assert fake_github.invalid_requests == []


async def test_deliveries_coalesced_out_of_order_review_the_current_head(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    repo.push(7, HEAD2, {"library/python": (PYTHON_BASE, PYTHON_HEAD)})
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        installation = fake_github.installation_of(repo).id
        # the newer head's job was replaced by the older head's, which arrived late
        job = review_job(OI, installation, 7, HEAD, "late", 0.0)
        job.replaced_heads.add(HEAD2)
        bot.queue.submit(job)
        await bot.settle()
    assert [run["head_sha"] for run in repo.check_runs] == [HEAD2]


async def test_re_run_all_checks_reviews_again(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = official_images(fake_github)
    suite = example("check_suite", "rerequested")
    suite["check_suite"]["pull_requests"] = [{"number": 7}]
    suite.update(repository=repo.to_json(), installation={"id": fake_github.installation_of(repo).id})
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        assert (await bot.deliver("check_suite", suite)).status == 202
        await bot.settle()
    assert len(repo.check_runs) == 1


async def test_huge_reviews_fit_githubs_limits(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = official_images(fake_github)

    def huge(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
        findings = tuple(
            Finding("DOI-L099", Severity.WARNING, "library/python", 4, f"Problem number {n}: " + "x" * 600)
            for n in range(120)
        )
        summary = SUMMARY_MARKER + "\n" + "\n".join(f"- {f.message}" for f in findings)
        return Review(summary, findings, (), ("library/python",), "neutral")

    async with running_bot(fake_github, app_key.private_pem, huge) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    [summary] = summaries(repo)
    assert len(summary["body"]) <= 65535 and "more lines are not shown here" in summary["body"]
    [run] = repo.check_runs
    assert len(repo.annotations[run["id"]]) == 120
    assert fake_github.invalid_requests == []


async def test_other_areas_add_evidence_through_steps(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = official_images(fake_github)
    seen: list[Evidence] = []

    async def pins(gh: Any, pr: PullRequest, found: Evidence, fresh: bool) -> dict[str, Any]:
        return {"external_pins": frozenset({"tianon/buildkit:0.16"})}

    def remembering(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
        seen.append(found)
        return tag_reviewer(pr, found, config)

    async with running_bot(fake_github, app_key.private_pem, remembering, evidence_steps=(pins,)) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    assert seen[0].external_pins == {"tianon/buildkit:0.16"}


class OneDockerfile:
    """A planner asking for one upstream Dockerfile, as the Dockerfile checks' planner does."""

    def upstream_files(self, pr: PullRequest) -> list[tuple[str, str, str]]:
        return [("https://github.com/docker-library/python.git", "2" * 40, "3.13/bookworm/Dockerfile")]

    def parent_libraries(self, pr: PullRequest, dockerfiles: Any) -> list[str]:
        return ["debian"]


async def test_upstream_files_parents_and_external_pins_reach_the_review(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    pins = {
        ".external-pins/mcr.microsoft.com/windows/servercore___ltsc2022": "sha256:1",
        ".external-pins/tianon/buildkit___0.16": "sha256:2",
        ".external-pins/list.sh": "#!/bin/sh",
    }
    repo.add_files(HEAD, {**pins, "library/debian": "Maintainers: x <x@example.org> (@x)\n"})
    upstream = fake_github.add_repo("docker-library/python", installation_id=2)
    upstream.add_files("2" * 40, {"3.13/bookworm/Dockerfile": "FROM debian:bookworm\n"})
    seen: list[Evidence] = []

    def remembering(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
        seen.append(found)
        return tag_reviewer(pr, found, config)

    async with running_bot(fake_github, app_key.private_pem, remembering, planner=OneDockerfile()) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
        repo.add_files(HEAD2, pins)
        repo.push(7, HEAD2, {"library/python": (PYTHON_BASE, PYTHON_HEAD + "\n")})
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "synchronize"))
        await bot.settle()
    first = seen[0]
    assert first.dockerfiles == {OneDockerfile().upstream_files(None)[0]: b"FROM debian:bookworm\n"}  # type: ignore[arg-type]
    assert set(first.libraries) == {"debian"}
    assert first.external_pins == {"mcr.microsoft.com/windows/servercore:ltsc2022", "tianon/buildkit:0.16"}
    assert seen[1].external_pins == first.external_pins
    # the upstream file and each pins subfolder were read once: contents at a commit and trees never change
    assert sum(1 for c in fake_github.calls if "/git/trees/" in c.path) == 2
    assert sum(1 for c in fake_github.calls if c.path.endswith("/Dockerfile")) == 1


async def test_a_docs_review_reads_the_changed_folder_and_the_root_files(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    official = fake_github.add_repo(OI)
    official.default_branch = "master"
    official.add_files("master", {"library/python": PYTHON_BASE, "library/debian": "x"})
    docs = fake_github.add_repo("docker-library/docs")
    root = {
        "metadata.json": '{"categories": ["Languages & Frameworks"]}',
        ".template-helpers/template.md": "# {{ .Repo }}",
        "python/README-short.txt": "Python is a programming language.",
        "python/metadata.json": '{"hub": {"categories": ["Languages & Frameworks"]}}',
        "python/maintainer.md": "the Docker Community",
        "python/github-repo": "https://github.com/docker-library/python",
        "rust/README-short.txt": "Rust.",
    }
    docs.add_files(BASE, root)
    docs.add_files(HEAD, root)
    docs.open_pull(
        3,
        "python: better words",
        base_sha=BASE,
        head_sha=HEAD,
        files={"python/content.md": ("# Python\n", "# Python\n\nBetter words.\n")},
    )
    seen: list[Evidence] = []

    def remembering(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
        seen.append(found)
        return default_reviewer(pr, found, config)

    async with running_bot(fake_github, app_key.private_pem, remembering) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, docs, 3, "opened"))
        await bot.settle()
    files = seen[0].docs_files
    assert (
        "python/maintainer.md" in files
        and "metadata.json" in files
        and ".template-helpers/template.md" in files
    )
    assert "rust/README-short.txt" not in files
    assert seen[0].known_images == {"python", "debian"}
    assert len(summaries(docs)) == 1 and len(docs.check_runs) == 1
    assert fake_github.invalid_requests == []


async def test_a_revoked_token_is_replaced_and_the_review_still_lands(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
        fake_github.tokens.clear()  # GitHub forgot every token (revoked, or expired early)
        repo.push(7, HEAD2, {"library/python": (PYTHON_BASE, PYTHON_HEAD + "\n")})
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "synchronize"))
        await bot.settle()
    assert {run["head_sha"] for run in repo.check_runs} == {HEAD, HEAD2}
    assert sum(1 for c in fake_github.calls if c.path.endswith("/access_tokens")) == 2


async def test_a_github_without_app_or_label_listing_still_gets_one_summary(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    fake_github.missing = [
        r"^/app$",
        r"^/repos/[^/]+/[^/]+/labels$",
    ]  # no GET /app, no repository labels (GitHub creates them)
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
        repo.push(
            7, HEAD2, {"library/python": (PYTHON_BASE, PYTHON_HEAD.replace("3.13/bookworm", "3.13/trixie"))}
        )
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "synchronize"))
        await bot.settle()
    [summary] = summaries(repo)
    assert HEAD2[:7] in summary["body"]
    assert len(repo.reviews) == 1 and len(repo.review_comments) == 1
    assert len(repo.check_runs) == 2


async def test_evidence_github_refuses_is_left_out_and_the_review_still_lands(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    fake_github.missing = [r"/git/trees/", r"/contents/\.external-pins"]

    async def refused(gh: Any, pr: PullRequest, found: Evidence, fresh: bool) -> dict[str, Any]:
        await gh.getitem(f"/repos/{pr.repository}/git/trees/{pr.head_sha}")
        return {"external_pins": frozenset({"never:set"})}

    async with running_bot(fake_github, app_key.private_pem, tag_reviewer, evidence_steps=(refused,)) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    assert len(repo.check_runs) == 1 and len(summaries(repo)) == 1


async def test_a_delivery_without_an_installation_is_reviewed_through_the_repositorys_installation(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    event = pull_request_event(fake_github, repo, 7, "opened")
    del event["installation"]  # as GitHub's own examples, and repository webhooks, send it
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        assert (await bot.deliver("pull_request", event)).status == 202
        await bot.settle()
    assert len(repo.check_runs) == 1 and len(summaries(repo)) == 1


async def test_reviews_starting_together_create_the_labels_once(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = many_pulls(fake_github, 5)
    async with running_bot(fake_github, app_key.private_pem, tag_reviewer) as bot:
        events = [pull_request_event(fake_github, repo, n, "opened") for n in range(1, 6)]
        await asyncio.gather(*(bot.deliver("pull_request", e) for e in events))
        await bot.settle()
    creations = [c for c in fake_github.calls if c.method == "POST" and c.path == f"/repos/{OI}/labels"]
    assert len(creations) == 5 + 5  # the five fixed labels, and one library/<name> label per image
    assert all(c.status == 201 for c in creations)


async def test_a_crashing_review_says_so_instead_of_failing_silently(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    repo = official_images(fake_github)
    repo.pulls[7].labels.append("library/python")

    def crashing(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
        raise RecursionError("a bug")

    async with running_bot(fake_github, app_key.private_pem, crashing) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    [summary] = summaries(repo)
    assert "RecursionError" in summary["body"]
    [run] = repo.check_runs
    assert run["conclusion"] == "neutral"
    assert repo.pulls[7].labels == ["library/python"]


def many_warnings(count: int) -> Any:
    def review(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
        findings = tuple(
            Finding("DOI-L099", Severity.WARNING, "library/python", 4, f"Problem number {n}.")
            for n in range(count)
        )
        return Review(SUMMARY_MARKER + "\nMany warnings.\n", findings, (), ("library/python",), "neutral")

    return review


@pytest.mark.parametrize(("kind", "when"), [("5xx", "after"), ("5xx", "before"), ("timeout", "after")])
async def test_an_annotation_batch_that_fails_is_neither_lost_nor_repeated(
    fake_github: FakeGitHub, app_key: AppKey, kind: str, when: str
) -> None:
    repo = official_images(fake_github)
    fake_github.faults.timeout_seconds = 0.5
    fake_github.faults.add(kind, when=when, method="PATCH", path=r"/check-runs/\d+$")  # type: ignore[arg-type]
    async with running_bot(fake_github, app_key.private_pem, many_warnings(120)) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    [run] = repo.check_runs
    messages = [a["message"] for a in repo.annotations[run["id"]]]
    assert sorted(messages) == sorted(f"Problem number {n}." for n in range(120))


async def test_no_review_without_inline_comments(fake_github: FakeGitHub, app_key: AppKey) -> None:
    repo = official_images(fake_github)

    def informed(pr: PullRequest, found: Evidence, config: BotConfig) -> Review:
        note = Finding("DOI-L098", Severity.INFO, "library/python", 4, "Tags changed.")
        return Review(SUMMARY_MARKER + "\nOne note.\n", (note,), (), ("library/python",), "success")

    async with running_bot(fake_github, app_key.private_pem, informed) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    assert repo.reviews == [] and repo.review_comments == []
    [run] = repo.check_runs
    assert run["conclusion"] == "success"
    assert [a["annotation_level"] for a in repo.annotations[run["id"]]] == ["notice"]
    assert len(summaries(repo)) == 1


class NothingUpstream:
    def upstream_files(self, pr: PullRequest) -> list[tuple[str, str, str]]:
        return []

    def parent_libraries(self, pr: PullRequest, dockerfiles: Any) -> list[str]:
        return []


async def test_checks_github_refused_to_feed_make_the_run_neutral_and_say_which(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    from http import HTTPStatus

    import gidgethub

    repo = official_images(fake_github)

    class Refused:
        what = "the changed entries' commits"

        async def __call__(self, gh: Any, pr: PullRequest, found: Evidence, fresh: bool) -> dict[str, Any]:
            raise gidgethub.BadRequest(HTTPStatus.FORBIDDEN)

    async with running_bot(
        fake_github,
        app_key.private_pem,
        default_reviewer,
        planner=NothingUpstream(),
        evidence_steps=(Refused(),),
    ) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    [run] = repo.check_runs
    assert run["conclusion"] == "neutral"
    said = "The checks of the changed entries' commits did not run: GitHub refused to show it (403)."
    assert said in run["output"]["summary"] and said in summaries(repo)[0]["body"]


async def test_a_github_that_leaves_out_optional_fields_still_gets_one_of_everything(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    fake_github.omitted_fields = {"app", "performed_via_github_app", "expires_at", "annotations_count"}
    repo = official_images(fake_github)
    async with running_bot(fake_github, app_key.private_pem, many_warnings(60)) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
        writes = len(fake_github.writes())
        await bot.deliver("check_run", check_run_event(fake_github, repo, 7))
        await bot.settle()
        assert len(fake_github.writes()) == writes
    assert len(summaries(repo)) == 1
    [run] = repo.check_runs
    assert len(repo.annotations[run["id"]]) == 60


@pytest.mark.parametrize(("docs_folder", "warned"), [(None, True), ("python", False)])
async def test_a_new_image_is_told_whether_its_docs_folder_exists(
    fake_github: FakeGitHub, app_key: AppKey, docs_folder: str | None, warned: bool
) -> None:
    docs = fake_github.add_repo("docker-library/docs")
    docs.add_files("master", {"rust/README-short.txt": "Rust."})
    if docs_folder:
        docs.add_files("master", {f"{docs_folder}/README-short.txt": "Python is a programming language."})
    repo = fake_github.add_repo(OI)
    repo.open_pull(
        8, "Add python", base_sha=BASE, head_sha=HEAD, files={"library/python": (None, PYTHON_HEAD)}
    )
    async with running_bot(fake_github, app_key.private_pem, default_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 8, "opened"))
        await bot.settle()
    [summary] = [c["body"] for c in summaries(repo)]
    assert ("DOI-M018" in summary) is warned
    assert ("adds the python/ folder" in summary) is warned
    assert fake_github.invalid_requests == []


async def test_a_version_bump_does_not_ask_the_docs_repository(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    fake_github.add_repo("docker-library/docs").add_files("master", {"rust/README-short.txt": "Rust."})
    repo = official_images(fake_github)
    async with running_bot(fake_github, app_key.private_pem, default_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    assert not [c for c in fake_github.calls if c.path.startswith("/repos/docker-library/docs/")]


async def test_an_upstream_repository_github_does_not_show_is_not_checked_rather_than_failed(
    fake_github: FakeGitHub, app_key: AppKey
) -> None:
    # docker-library/python is not on this GitHub: its Dockerfiles and commits are unknown, not missing
    repo = official_images(fake_github)
    async with running_bot(fake_github, app_key.private_pem, default_reviewer) as bot:
        await bot.deliver("pull_request", pull_request_event(fake_github, repo, 7, "opened"))
        await bot.settle()
    [run] = repo.check_runs
    assert run["conclusion"] == "neutral"
    [summary] = [c["body"] for c in summaries(repo)]
    assert "GitHub shows no repository docker-library/python" in summary
    assert not {"DOI-P004", "DOI-C002", "DOI-C003"} & set(re.findall(r"DOI-[A-Z]\d{3}", summary))
