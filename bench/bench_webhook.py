"""Webhook acknowledgement while reviews run, for the App and for a bare aiohttp endpoint that reads the same
body and answers 202.

    .venv/bin/python bench/bench_webhook.py [--requests 2000] [--concurrency 200] [--rate 1000]

Two runs per server, each in a fresh process (the App with the fake GitHub at 50 ms per call behind it, in
its own process as GitHub would be; this process only sends signed deliveries for 50 pull requests):
- paced: 200 concurrent connections sending 1,000 deliveries a second while the 50 reviews run;
  `paced_p99_ms` is the acknowledgement time without the client's own queueing;
- burst: all deliveries as fast as 200 connections allow; `requests_per_second` for the throughput ratio
  (its p50/p99 are mostly time spent waiting behind the other 199 requests, for both servers).
The App's reviews are still running at the end (its writes are paced under GitHub's 80 a minute, so 50
reviews at once take minutes); `*_meanwhile` come from its /metrics."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp
from aiohttp import web

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

PULLS = 50


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def serve_bare(port: int) -> None:
    async def hook(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"status": "queued"}, status=202)

    app = web.Application(client_max_size=25 * 1024 * 1024)
    app.router.add_post("/webhook", hook)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


async def serve_fake(port: int) -> None:
    """The fake GitHub at 50 ms per call, in its own process as GitHub would be."""
    from fakegithub import FakeGitHub
    from fakegithub.fixtures import APP_ID
    from fakegithub.scenarios import BASE, OI, PYTHON_BASE, PYTHON_HEAD

    gh = FakeGitHub(app_id=APP_ID, public_key=Path(os.environ["BENCH_PUBLIC_KEY"]).read_text())
    gh.latency = 0.05
    repo = gh.add_repo(OI)
    for number in range(1, PULLS + 1):
        files = {f"library/img{number}": (PYTHON_BASE, PYTHON_HEAD)}
        repo.open_pull(number, f"img{number}: bump", base_sha=BASE, head_sha=f"{number:040x}", files=files)
    runner = web.AppRunner(gh.build_app(), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


async def serve_bot(port: int) -> None:
    from fakegithub.harness import SECRET

    from bot.config import BotConfig, Settings
    from bot.server import make_app

    logging.basicConfig(level=logging.WARNING, format="bot: %(levelname)s %(name)s: %(message)s")
    key = Path(os.environ["BENCH_PRIVATE_KEY"]).read_text()
    config = BotConfig(repositories={"x/y": "docs"}) if os.environ.get("BENCH_IDLE") else BotConfig()
    settings = Settings("4242", key, SECRET, os.environ["BENCH_GITHUB"], config)
    runner = web.AppRunner(make_app(settings, reconcile_every=None), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    print("ready", flush=True)
    await asyncio.Event().wait()


def deliveries(count: int) -> list[tuple[dict[str, str], bytes]]:
    from fakegithub import FakeGitHub
    from fakegithub.events import pull_request_event, signed
    from fakegithub.fixtures import APP_ID
    from fakegithub.harness import SECRET
    from fakegithub.scenarios import BASE, OI, PYTHON_BASE, PYTHON_HEAD

    gh = FakeGitHub(app_id=APP_ID, public_key="")
    repo = gh.add_repo(OI)
    events = []
    for number in range(1, PULLS + 1):
        files = {f"library/img{number}": (PYTHON_BASE, PYTHON_HEAD)}
        repo.open_pull(number, f"img{number}: bump", base_sha=BASE, head_sha=f"{number:040x}", files=files)
        events.append(pull_request_event(gh, repo, number, "synchronize"))
    return [signed("pull_request", events[i % PULLS], SECRET, delivery=f"bench-{i}") for i in range(count)]


async def paced(
    port: int, payloads: list[tuple[dict[str, str], bytes]], senders: int, per_second: float
) -> list[float]:
    """`senders` connections, each sending one delivery every `senders / per_second` seconds: latency
    without the client's own queueing."""
    latencies: list[float] = []
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=senders)) as session:
        url = f"http://127.0.0.1:{port}/webhook"
        interval = senders / per_second
        items = iter(payloads)

        async def sender(offset: float) -> None:
            await asyncio.sleep(offset)
            for headers, body in items:
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                latencies.append(time.perf_counter() - started)
                await asyncio.sleep(max(0.0, interval - (time.perf_counter() - started)))

        await asyncio.gather(*(sender(i * interval / senders) for i in range(senders)))
    return latencies


async def load(
    port: int, payloads: list[tuple[dict[str, str], bytes]], concurrency: int
) -> tuple[list[float], float]:
    latencies: list[float] = []
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        url = f"http://127.0.0.1:{port}/webhook"
        # warm up the connections
        await asyncio.gather(*(session.get(f"http://127.0.0.1:{port}/") for _ in range(concurrency)))
        queue: asyncio.Queue[tuple[dict[str, str], bytes]] = asyncio.Queue()
        for item in payloads:
            queue.put_nowait(item)

        async def sender() -> None:
            while not queue.empty():
                headers, body = queue.get_nowait()
                started = time.perf_counter()
                async with session.post(url, data=body, headers=headers) as response:
                    await response.read()
                    assert response.status in (200, 202), response.status
                latencies.append(time.perf_counter() - started)

        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return latencies, len(payloads) / elapsed


def start(mode: str, port: int, env: dict[str, str]) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", mode, "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "tests")])},
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def bot_figures(port: int) -> dict[str, float]:
    """Reviews completed and GitHub requests made, from the App's own /metrics."""
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/metrics") as answer:
        text = await answer.text()
    figures = {"reviews_completed_meanwhile": 0.0, "github_requests_meanwhile": 0.0}
    for line in text.splitlines():
        if line.startswith("doi_bot_review_seconds_count"):
            figures["reviews_completed_meanwhile"] += float(line.split()[-1])
        elif line.startswith("doi_bot_github_requests_total{"):
            figures["github_requests_meanwhile"] += float(line.split()[-1])
    return figures


def fresh(payloads: list[tuple[dict[str, str], bytes]], tag: str) -> list[tuple[dict[str, str], bytes]]:
    """The same deliveries under new delivery ids, so the paced run is not answered as duplicates."""
    return [
        ({**headers, "X-GitHub-Delivery": f"{headers['X-GitHub-Delivery']}-{tag}"}, body)
        for headers, body in payloads
    ]


def summary(latencies: list[float], rate: float) -> dict[str, float]:
    return {
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "requests_per_second": round(rate),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", choices=("bot", "bare", "fake"))
    parser.add_argument("--port", type=int)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=200)
    parser.add_argument("--rate", type=float, default=1000.0, help="deliveries a second in the paced run")
    args = parser.parse_args()
    if args.serve:
        servers = {"bot": serve_bot, "bare": serve_bare, "fake": serve_fake}
        asyncio.run(servers[args.serve](args.port))
        return
    from fakegithub.fixtures import make_app_key

    payloads = deliveries(args.requests)
    key = make_app_key()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        env = {
            "BENCH_PRIVATE_KEY": str(Path(folder) / "key.pem"),
            "BENCH_PUBLIC_KEY": str(Path(folder) / "pub.pem"),
        }
        Path(env["BENCH_PRIVATE_KEY"]).write_text(key.private_pem)
        Path(env["BENCH_PUBLIC_KEY"]).write_text(key.public_pem)
        fake_port = free_port()
        fake = start("fake", fake_port, env)
        env["BENCH_GITHUB"] = f"http://127.0.0.1:{fake_port}"
        try:
            for mode in ("bare", "bot"):
                port = free_port()
                process = start(mode, port, env)
                try:
                    # paced first, in a fresh process: the reviews of the 50 pull requests run meanwhile
                    steady = asyncio.run(paced(port, fresh(payloads, mode), args.concurrency, args.rate))
                    latencies, rate = asyncio.run(load(port, payloads, args.concurrency))
                    results[mode] = summary(latencies, rate)
                    results[mode]["paced_p99_ms"] = round(percentile(steady, 0.99) * 1000, 2)
                    if mode == "bot":
                        results[mode].update(asyncio.run(bot_figures(port)))
                finally:
                    process.terminate()
                    process.wait(timeout=15)
        finally:
            fake.terminate()
            fake.wait(timeout=15)
    ratio = results["bot"]["requests_per_second"] / results["bare"]["requests_per_second"]
    print(
        json.dumps(
            {
                "requests": args.requests,
                "concurrency": args.concurrency,
                **results,
                "throughput_ratio_bot_vs_bare": round(ratio, 2),
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
