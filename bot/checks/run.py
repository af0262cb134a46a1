"""Dispatch each PATH to the checks of its kind and print the findings in the chosen format."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from bot.checks import CheckOptions, UsageError, path_kind
from bot.output import render
from rules.findings import Finding, has_errors, sorted_findings

LIBRARY_KINDS = ("official-images", "library-file")


def findings_for(paths: Sequence[Path], options: CheckOptions) -> list[Finding]:
    """Every PATH by its kind; the library files and checkouts together, so what they could not read is
    said once."""
    kinds = [(path, path_kind(path)) for path in paths]  # every path is checked before any is read
    from bot.checks.library import check_libraries

    findings = check_libraries([path for path, kind in kinds if kind in LIBRARY_KINDS], options)
    for path, kind in kinds:
        if kind == "dockerfile":
            from bot.checks.dockerfile import check_dockerfile_path

            findings += check_dockerfile_path(path, options)
        elif kind in ("docs", "docs-folder"):
            from bot.checks.docs import check_docs_checkout, check_docs_folder

            findings += (check_docs_checkout if kind == "docs" else check_docs_folder)(path, options)
    return findings


def run_check(
    paths: Sequence[Path], options: CheckOptions, *, fmt: str, base: str | None, head: str | None
) -> int:
    if base is None and head is not None:
        raise UsageError("--head needs --base")
    if base is not None:
        if len(paths) != 1:
            raise UsageError("--base reviews exactly one checkout: give one REPO_DIR")
        from bot.checks.pull_request import render_review, review_local_change

        review = review_local_change(paths[0], base, head or "HEAD", options)
        sys.stdout.write(render_review(review, fmt))
        return 1 if has_errors(review.findings) else 0
    ordered = sorted_findings(findings_for(paths, options))
    sys.stdout.write(render(ordered, fmt))
    return 1 if has_errors(ordered) else 0
