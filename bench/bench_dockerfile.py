"""Parse + every Dockerfile rule over a folder of Dockerfiles, in one process: per-file median.

    python bench/bench_dockerfile.py [FOLDER] [--repeat N]

FOLDER defaults to tests/fixtures/dockerfiles. If `hadolint` is on PATH, it is run once in batch mode on the
same files and its mean per file and the ratio are printed too.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.checks import is_dockerfile_name
from rules.dockerfile.check import check_dockerfile_text
from rules.dockerfile.context import DockerfileContext

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "dockerfiles"
PINS = frozenset(
    {"mcr.microsoft.com/windows/servercore:ltsc2022", "mcr.microsoft.com/windows/nanoserver:ltsc2022"}
)


def per_file_times(files: list[Path], repeat: int) -> list[float]:
    texts = [(str(p), p.read_text(encoding="utf-8", errors="replace")) for p in files]
    best: list[float] = []
    for path, text in texts:
        runs = []
        for _ in range(repeat):
            start = time.perf_counter()
            check_dockerfile_text(text, DockerfileContext(path, PINS))
            runs.append(time.perf_counter() - start)
        best.append(statistics.median(runs))
    return best


def hadolint_mean(files: list[Path]) -> float | None:
    hadolint = shutil.which("hadolint")
    if hadolint is None:
        return None
    start = time.perf_counter()
    subprocess.run(
        [hadolint, "--no-fail", "--format", "json", *map(str, files)], capture_output=True, check=False
    )
    return (time.perf_counter() - start) / len(files)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    files = sorted(p for p in args.folder.rglob("*") if p.is_file() and is_dockerfile_name(p.name))
    if not files:
        print(f"no Dockerfiles under {args.folder}")
        return 1
    size = sum(p.stat().st_size for p in files)
    times = per_file_times(files, args.repeat)
    median = statistics.median(times)
    print(f"files: {len(files)}, {size / len(files) / 1024:.1f} KB each on average")
    print(
        f"doi-bot parse + all D rules: median {median * 1000:.3f} ms/file,"
        f" mean {statistics.mean(times) * 1000:.3f} ms, max {max(times) * 1000:.3f} ms"
    )
    mean = hadolint_mean(files)
    if mean is None:
        print("hadolint not on PATH: no comparison")
    else:
        print(
            f"hadolint (one batch run): mean {mean * 1000:.1f} ms/file; doi-bot: {mean / median:.0f}x as fast"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
