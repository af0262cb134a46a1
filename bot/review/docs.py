"""The docs part of a pull-request review, pure: changed image folders in; findings, labels, change out."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from bot.review.model import ChangedFile, Evidence, PullRequest
from bot.review.official_images import NEW_IMAGE
from bot.review.part import Placed, ReviewPart
from rules.docs.cross import readme_changes
from rules.docs.folder import build_folder, check_folder
from rules.docs.markdownfmt import markdownfmt_findings
from rules.docs.metadata import check_metadata_text
from rules.docs.model import DocsContext, join_link, link_target
from rules.docs.required import removed_files
from rules.findings import Finding, Severity, has_errors, sorted_findings
from rules.tool import decode_text

if TYPE_CHECKING:
    from bot.review.build import ReviewSettings

TEMPLATE_FOLDERS = (".template-helpers", ".common-templates")
# Every existing folder has both (scratch has no content.md): adding either one means a new folder.
_NEW_FOLDER_FILES = ("content.md", "README-short.txt")


def review(pull: PullRequest, evidence: Evidence, settings: ReviewSettings) -> ReviewPart:
    """The docs part: findings on the changed folders, `docs/<image>` labels, the change and next steps.

    New docs folders are not new images to gate: the gatekeepers decide on the official-images pull
    request, so this part labels them `new-image` but leaves the gatekeeping to that one.
    """
    by_folder = changed_folders(pull.files)
    heads = {f.path: f.head for f in pull.files if f.head is not None}
    findings = readme_changes(_touched_paths(pull.files))
    new_folders = [name for name, files in sorted(by_folder.items()) if _is_new(files)]
    for name, files in sorted(by_folder.items()):
        findings += _folder_findings(name, files, heads, evidence, is_new=name in new_folders)
    findings += _repository_file_findings(pull.files)
    ordered = sorted_findings(findings)
    labels = [f"docs/{name}" for name in sorted(by_folder)] + ([NEW_IMAGE] if new_folders else [])
    unchecked = []
    if new_folders and evidence.known_images is None:
        unchecked.append("Whether official-images has a library file for each new docs folder.")
    return ReviewPart(
        # grouped by file: a docs finding is about one file, and the summary names the group, not the path
        findings=tuple(Placed(f, f.path) for f in ordered),
        labels=tuple(labels),
        change_markdown=change_markdown(sorted(by_folder), new_folders, ordered),
        next_steps=tuple(next_steps(new_folders, has_errors(ordered), settings)),
        unchecked=tuple(unchecked),
    )


def changed_folders(files: tuple[ChangedFile, ...]) -> dict[str, list[ChangedFile]]:
    """Changed files by image folder (a top-level folder not starting with a dot), renames by both ends."""
    folders: dict[str, list[ChangedFile]] = defaultdict(list)
    for changed in files:
        for path in {changed.path, changed.previous_path or changed.path}:
            parts = path.split("/")
            if len(parts) >= 2 and not parts[0].startswith("."):
                folders[parts[0]].append(changed)
    return dict(folders)


def _touched_paths(files: tuple[ChangedFile, ...]) -> list[str]:
    return [p for f in files for p in (f.path, f.previous_path) if p is not None]


def _is_new(files: list[ChangedFile]) -> bool:
    added = {f.path.split("/", 1)[1] for f in files if f.status == "added"}
    return all(f.status == "added" for f in files) and any(name in added for name in _NEW_FOLDER_FILES)


def _folder_findings(
    name: str, files: list[ChangedFile], heads: dict[str, bytes], evidence: Evidence, *, is_new: bool
) -> list[Finding]:
    contents: dict[str, bytes | None] = {}
    removed = []
    for changed in files:
        parts = changed.path.split("/")
        if len(parts) != 2 or parts[0] != name:
            continue  # moved away, or deeper than the folder's own files
        if changed.head is None:
            removed.append(parts[1])
            continue
        data: bytes | None = changed.head
        target = link_target(changed.head)
        if target is not None:
            data = heads.get(join_link(name, target))  # None: the target is not in this change
        contents[parts[1]] = data
    findings = removed_files(name, removed)
    if not contents:
        return findings
    context = DocsContext(
        official_images=evidence.known_images, library_images=evidence.known_images if is_new else None
    )
    folder, read_findings = build_folder(name, name, contents, complete=is_new)
    return findings + read_findings + check_folder(folder, context)


def _repository_file_findings(files: tuple[ChangedFile, ...]) -> list[Finding]:
    """Files outside the image folders that the CI checks too: shared templates and the category list."""
    findings: list[Finding] = []
    for changed in files:
        is_template = changed.path.startswith(TEMPLATE_FOLDERS) and changed.path.endswith(".md")
        if changed.head is None or not (is_template or changed.path == "metadata.json"):
            continue
        text, problem = decode_text(changed.head, changed.path)
        if problem is not None:
            findings.append(problem)
        elif is_template:
            findings += markdownfmt_findings(changed.path, text or "")
        else:
            findings += check_metadata_text(changed.path, text or "", None)
    return findings


def change_markdown(folders: list[str], new_folders: list[str], findings: list[Finding]) -> str:
    """Each changed folder and what was found there."""
    if not folders:
        return ""
    lines = ["| docs folder | change | errors | warnings | notes |", "|---|---|---|---|---|"]
    for name in folders:
        inside = [f for f in findings if f.path.split("/", 1)[0] == name]
        counts = [
            sum(f.severity is s for f in inside) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        ]
        change = "new image" if name in new_folders else "changed"
        lines.append(f"| `{name}/` | {change} | {counts[0]} | {counts[1]} | {counts[2]} |")
    if any(name not in new_folders for name in folders):
        lines += [
            "",
            "Existing folders are checked file by file; the whole-folder checks (required files, logo,"
            " compose.yaml shown, page size) run on new folders.",
        ]
    return "\n".join(lines)


def next_steps(new_folders: list[str], failing: bool, settings: ReviewSettings) -> list[str]:
    steps = []
    if failing:
        steps.append("**The author**: fix the errors listed above and push; doi-bot reviews each new commit.")
    for name in new_folders:
        steps.append(
            f"**The author**: link the official-images pull request that adds `library/{name}`; the docs"
            " render only once it is merged, so both are merged at about the same time."
        )
    steps.append(
        f"**A maintainer** (`@{settings.maintainers}`) reviews and merges; README.md is then regenerated"
        " by update.sh and pushed to Docker Hub."
    )
    return steps
