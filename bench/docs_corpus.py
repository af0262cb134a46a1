"""Times `doi-bot check` on the whole docs corpus (145 folders) in one process and prints the figures."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from bot.checks import CheckOptions
from bot.checks.docs import check_docs_checkout

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


def main() -> int:
    docs = Path(sys.argv[1]) if len(sys.argv) > 1 else SHARED / "corpus" / "docs"
    library = SHARED / "corpus" / "official-images"
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        findings = check_docs_checkout(docs, CheckOptions(library_dir=library))
        runs.append(time.perf_counter() - start)
    severities = Counter(str(f.severity) for f in findings)
    print(f"docs corpus: {len(findings)} findings {dict(severities)}")
    print(f"check_docs_checkout: best {min(runs) * 1000:.0f} ms, worst {max(runs) * 1000:.0f} ms (5 runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
