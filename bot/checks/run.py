"""Dispatch each PATH to the checks of its kind and print the findings in the chosen format."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from bot.checks import CheckOptions, UsageError, path_kind
from bot.checks.dockerfile import check_dockerfile_path
from bot.checks.docs import check_docs_checkout, check_docs_folder
from bot.checks.library import LIBRARY_KINDS, check_libraries
from bot.output import render
from rules.findings import Finding, has_errors, sorted_findings


def findings_for(paths: Sequence[Path], options: CheckOptions) -> list[Finding]:
    """Every PATH by its kind; the library files and checkouts together, so what they could not read is
    said once."""
    kinds = [(path, path_kind(path)) for path in paths]  # every path is checked before any is read
    findings = check_libraries([(path, kind) for path, kind in kinds if kind in LIBRARY_KINDS], options)
    for path, kind in kinds:
        if kind == "dockerfile":
            findings += check_dockerfile_path(path, options)
        elif kind == "docs":
            findings += check_docs_checkout(path, options)
        elif kind == "docs-folder":
            findings += check_docs_folder(path, options)
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
