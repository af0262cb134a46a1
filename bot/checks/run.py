"""Dispatch each PATH to the checks of its kind and print the findings in the chosen format."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from bot.checks import CheckOptions, UsageError, path_kind
from bot.output import render
from rules.findings import Finding, has_errors, sorted_findings


def findings_for(path: Path, options: CheckOptions) -> list[Finding]:
    kind = path_kind(path)
    if kind == "official-images":
        from bot.checks.library import check_official_images

        return check_official_images(path, options)
    if kind == "library-file":
        from bot.checks.library import check_library_path

        return check_library_path(path, options)
    if kind == "dockerfile":
        from bot.checks.dockerfile import check_dockerfile_path

        return check_dockerfile_path(path, options)
    from bot.checks.docs import check_docs_checkout, check_docs_folder

    if kind == "docs":
        return check_docs_checkout(path, options)
    return check_docs_folder(path, options)


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
    for path in paths:  # every path must exist before any is checked
        path_kind(path)
    findings: list[Finding] = []
    for path in paths:
        findings += findings_for(path, options)
    ordered = sorted_findings(findings)
    sys.stdout.write(render(ordered, fmt))
    return 1 if has_errors(ordered) else 0
