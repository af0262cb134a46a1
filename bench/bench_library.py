"""Parse and check every library file of the corpus in one process; prints the time per run in ms.

Target: under 150 ms for the 144 files (521 KB, 11,596 lines) on a 2-core machine.
Run: .venv/bin/python bench/bench_library.py [LIBRARY_DIR]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from rules.library.checks import read_library

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "official-images" / "library"


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    files = [(p.name, p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()]
    runs = []
    for _ in range(7):
        start = time.perf_counter()
        findings = sum(len(read_library(data, name, f"library/{name}")[1]) for name, data in files)
        runs.append((time.perf_counter() - start) * 1000)
    print(f"{len(files)} files, {sum(len(d) for _, d in files)} bytes, {findings} findings")
    median = statistics.median(runs)
    print(f"parse + check: first {runs[0]:.1f} ms, median {median:.1f} ms, best {min(runs):.1f} ms")


if __name__ == "__main__":
    main()
