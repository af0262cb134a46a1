"""`doi-bot serve` as a process: it answers, and SIGTERM stops it within 10 seconds."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from fakegithub.fixtures import AppKey

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_healthz_and_stops_on_sigterm(tmp_path: Path, app_key: AppKey) -> None:
    key = tmp_path / "key.pem"
    key.write_text(app_key.private_pem)
    env_file = tmp_path / "bot.env"
    # Nothing listens at this GitHub: the server must still start, answer and stop.
    env_file.write_text(
        f"GITHUB_APP_ID=1\nGITHUB_PRIVATE_KEY_FILE={key}\nGITHUB_WEBHOOK_SECRET=s\n"
        f"GITHUB_API_URL=http://127.0.0.1:{free_port()}\n"
    )
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "DOI_BOT_"))}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--env-file",
            str(env_file),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                assert process.poll() is None, process.stderr.read() if process.stderr else ""
                time.sleep(0.1)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
        assert time.monotonic() - started < 10
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
