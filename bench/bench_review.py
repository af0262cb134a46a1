"""The benchmark pull request, end to end against the fake GitHub at 50 ms per call.

    .venv/bin/python bench/bench_review.py

One library file with 10 changed entries of one GitHub upstream repository (5 distinct GitCommits, 10
Dockerfiles), whose parents are library files of the same repository. Prints the time from delivery to the
completed `doi-bot` check run, the API calls it took (without the one-time token and label set-up), and the
writes made by a redelivery and by a re-run of the same head.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fakegithub import FakeGitHub  # noqa: E402
from fakegithub.events import check_run_event, pull_request_event  # noqa: E402
from fakegithub.fixtures import APP_ID, make_app_key  # noqa: E402
from fakegithub.harness import running_bot  # noqa: E402

from bot.github.client import ClientPolicy  # noqa: E402
from bot.services import default_reviewer  # noqa: E402

OI = "docker-library/official-images"
UPSTREAM = "https://github.com/docker-library/bench.git"
BASE, HEAD = "a" * 40, "b" * 40
PARENTS = ("alpine:3.20", "debian:bookworm")
_FROM = re.compile(r"^FROM\s+(?:--platform=\S+\s+)?([a-z0-9._-]+)(?::[^\s@]+)?(?:@\S+)?(?:\s|$)", re.I | re.M)


def library(commits: list[str]) -> str:
    paragraphs = [f"Maintainers: Bench <bench@example.org> (@bench)\nGitRepo: {UPSTREAM}\n"]
    for n, commit in enumerate(commits):
        paragraphs.append(
            f"Tags: {n}.0.1, {n}.0\nArchitectures: amd64, arm64v8\n"
            f"GitCommit: {commit}\nDirectory: {n}.0/bookworm\n"
        )
    return "\n".join(paragraphs)


def parent_library(git_repo: str, tag: str, commit: str) -> str:
    return (
        f"Maintainers: Parent <parent@example.org> (@parent)\nGitRepo: {git_repo}\n\n"
        f"Tags: {tag}\nArchitectures: amd64, arm64v8\nGitCommit: {commit}\nDirectory: {tag}\n"
    )


def scenario(gh: FakeGitHub) -> None:
    old = [f"{n:040x}" for n in range(10)]
    new = [f"{0xC0FFEE + n // 2:040x}" for n in range(10)]  # 5 distinct GitCommits
    repo = gh.add_repo(OI)
    parents = {
        "debian": parent_library(
            "https://github.com/debuerreotype/docker-debian-artifacts.git", "bookworm", "d" * 40
        ),
        "alpine": parent_library("https://github.com/alpinelinux/docker-alpine.git", "3.20", "e" * 40),
    }
    for side in (BASE, HEAD):
        repo.add_files(side, {f"library/{name}": text for name, text in parents.items()})
    repo.open_pull(
        1,
        "bench: 10 entries",
        base_sha=BASE,
        head_sha=HEAD,
        files={"library/bench": (library(old), library(new))},
    )
    upstream = gh.add_repo("docker-library/bench", installation_id=2)
    previous: tuple[str, ...] = ()
    for commit in dict.fromkeys(new):  # a history on master: each commit adds two entries' Dockerfiles
        dockerfiles = {
            f"{n}.0/bookworm/Dockerfile": f"FROM {PARENTS[n % 2]}\nRUN echo {n}\n"
            for n, c in enumerate(new)
            if c == commit
        }
        upstream.commit(commit, dockerfiles, parents=previous, branch="master")
        previous = (commit,)


def counted(gh: FakeGitHub, start: int) -> list[str]:
    setup = ("/access_tokens", "/app")
    return [
        f"{c.method} {c.path} {c.status}"
        for c in gh.calls[start:]
        if not c.path.endswith(setup) and not (c.path.endswith("/labels") and "/issues/" not in c.path)
    ]


async def main() -> None:
    key = make_app_key()
    gh = FakeGitHub(app_id=APP_ID, public_key=key.public_pem)
    async with gh.serve():
        scenario(gh)
        gh.latency = 0.05
        repo = gh.repos[OI]
        policy = ClientPolicy()  # production settings
        async with running_bot(gh, key.private_pem, default_reviewer, policy=policy) as bot:
            for _ in range(200):  # the App learns its login first, as it does at start
                if bot.queue.services.own_login:
                    break
                await asyncio.sleep(0.01)
            start = len(gh.calls)
            event = pull_request_event(gh, repo, 1, "opened")
            started = time.perf_counter()
            await bot.deliver("pull_request", event, delivery="bench-1")
            while not any(r["status"] == "completed" for r in repo.check_runs):
                await asyncio.sleep(0.005)
            elapsed = time.perf_counter() - started
            await bot.settle()
            calls = counted(gh, start)
            writes = len(gh.writes())
            await bot.deliver("pull_request", event, delivery="bench-1")
            await bot.settle()
            redelivery_writes = len(gh.writes()) - writes
            await bot.deliver("check_run", check_run_event(gh, repo, 1), delivery="bench-rerun")
            await bot.settle()
            rerun_writes = len(gh.writes()) - writes - redelivery_writes
    run = repo.check_runs[0]
    print(
        json.dumps(
            {
                "seconds_to_completed_check_run": round(elapsed, 3),
                "api_calls": len(calls),
                "conclusion": run["conclusion"],
                "upstream_dockerfiles_read": sum(1 for c in calls if "/docker-library/bench/contents/" in c),
                # commit checks: at most one compare per distinct GitCommit; no history without FROM scratch
                "commit_check_calls": {
                    kind: sum(1 for c in calls if f"/docker-library/bench/{kind}" in c)
                    for kind in ("git/ref/", "compare/", "commits")
                },
                "writes_on_redelivery": redelivery_writes,
                "writes_on_rerun": rerun_writes,
                "calls": calls,
            },
            indent=2,
        )
    )


# Short timeouts so the fake's timeouts cost little; the write pace loosened so ten reviews at once take
# seconds (at the production pace, one write a second after a burst of 15, this run takes about 80 s).
FAULTY_GITHUB_POLICY = ClientPolicy(request_timeout=0.5, base_delay=0.05, writes_per_second=100.0)


async def under_faults(rate: float, pulls: int = 10) -> dict[str, object]:
    """`pulls` copies of the benchmark pull request delivered at once while `rate` of GitHub calls fail
    (5xx before or after the write, timeouts, secondary rate limits): what lands, and how often."""
    key = make_app_key()
    gh = FakeGitHub(app_id=APP_ID, public_key=key.public_pem)
    async with gh.serve():
        scenario(gh)
        repo = gh.repos[OI]
        first = repo.pulls[1]
        texts = {
            f.filename: (repo.files[(BASE, f.filename)].decode(), repo.files[(HEAD, f.filename)].decode())
            for f in first.files
        }
        for number in range(2, pulls + 1):
            head = f"{0xFACE0000 + number:040x}"
            repo.add_files(
                head,
                {f"library/{name}": repo.files[(HEAD, f"library/{name}")] for name in ("debian", "alpine")},
            )
            repo.open_pull(number, f"bench {number}", base_sha=BASE, head_sha=head, files=texts)
        gh.latency = 0.05
        gh.faults.timeout_seconds = 1.0
        gh.faults.retry_after = 1
        async with running_bot(
            gh,
            key.private_pem,
            default_reviewer,
            policy=FAULTY_GITHUB_POLICY,
            retry_delays=(0.5, 1.0, 2.0),
        ) as bot:
            gh.faults.chaos(rate, seed=2026)
            started = time.perf_counter()
            events = [pull_request_event(gh, repo, n, "opened") for n in range(1, pulls + 1)]
            await asyncio.gather(
                *(bot.deliver("pull_request", e, delivery=f"f{n}") for n, e in enumerate(events))
            )
            await bot.settle()
            elapsed = time.perf_counter() - started
            states = [bot.queue.deliveries.state(f"f{n}") for n in range(pulls)]
    failed = sum(1 for c in gh.calls if c.status in (403, 502, 504))
    per_pull = [
        (
            sum(
                1
                for c in repo.issue_comments
                if c["issue_number"] == n and c["body"].startswith("<!-- doi-bot:summary")
            ),
            sum(1 for r in repo.check_runs if r["head_sha"] == repo.pulls[n].head_sha),
        )
        for n in range(1, pulls + 1)
    ]
    return {
        "fault_rate": rate,
        "pull_requests": pulls,
        "github_calls": len(gh.calls),
        "failed_calls": failed,
        "seconds_for_all": round(elapsed, 2),
        "every_pull_has_exactly_one_summary_and_one_check_run": all(p == (1, 1) for p in per_pull),
        "deliveries_done": states.count("done"),
    }


if __name__ == "__main__":
    asyncio.run(main())
    print(json.dumps(asyncio.run(under_faults(0.2)), indent=2))
