"""The docs part of a pull-request review, pure: changed image folders in; findings, labels, change out."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from typing import TYPE_CHECKING

from bot.review.model import ChangedFile, Evidence, PullRequest
from bot.review.official_images import NEW_IMAGE
from bot.review.part import Placed, ReviewPart
from rules.docs.cross import readme_changes
from rules.docs.folder import build_folder, check_folder
from rules.docs.logo import LOGOS_TABLE, logos_table
from rules.docs.markdownfmt import markdownfmt_findings
from rules.docs.metadata import allowed_categories, check_metadata_text
from rules.docs.model import DEFAULT_CATEGORIES, LOGO_NAMES, DocsContext, Logo, join_link, link_target
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
    head = head_files(pull, evidence)
    context = head_context(head, evidence)
    logos = logos_table(_text(head, LOGOS_TABLE) or "")
    findings = readme_changes(_touched_paths(pull.files))
    new_folders = [name for name, files in sorted(by_folder.items()) if _is_new(files)]
    # a folder is judged as a whole when all of it is known: it is new, or the evidence holds its files
    whole = set(new_folders) | {p.split("/", 1)[0] for p in evidence.docs_files if "/" in p}
    for name, files in sorted(by_folder.items()):
        is_new, is_whole = name in new_folders, name in whole
        logo = logos.get(name) if is_whole else None
        findings += _folder_findings(name, files, head, context, is_new=is_new, whole=is_whole, logo=logo)
    findings += _repository_file_findings(pull.files)
    ordered = sorted_findings(findings)
    labels = [f"docs/{name}" for name in sorted(by_folder)] + ([NEW_IMAGE] if new_folders else [])
    unchecked = []
    if new_folders and evidence.known_images is None:
        unchecked.append("Whether official-images has a library file for each new docs folder.")
    kept = {p.split("/", 1)[0] for p in head if "/" in p}  # a removed folder is not "partly" checked
    partial = [name for name in sorted(by_folder) if name not in whole and name in kept]
    changes = {
        name: "new image" if name in new_folders else "changed" if name in kept else "removed"
        for name in by_folder
    }
    return ReviewPart(
        # grouped by file: a docs finding is about one file, and the summary names the group, not the path
        findings=tuple(Placed(f, f.path) for f in ordered),
        labels=tuple(labels),
        change_markdown=change_markdown(changes, partial, ordered),
        next_steps=tuple(next_steps(new_folders, has_errors(ordered), settings)),
        unchecked=tuple(unchecked),
    )


def head_files(pull: PullRequest, evidence: Evidence) -> dict[str, bytes]:
    """The repository's files at the head as far as known: the evidence, with the change's files over it."""
    head = dict(evidence.docs_files)
    for changed in pull.files:
        head.pop(changed.previous_path or changed.path, None)
        head.pop(changed.path, None)
        if changed.head is not None:
            head[changed.path] = changed.head
    return head


def head_context(head: dict[str, bytes], evidence: Evidence) -> DocsContext:
    """Allowed categories and templates from the head's root files, when known."""
    root_text = _text(head, "metadata.json")
    templates = {
        path.split("/", 1)[1]: text
        for path in head
        if path.startswith(".template-helpers/") and path.endswith(".md") and (text := _text(head, path))
    }
    return DocsContext(
        categories=(allowed_categories(root_text) if root_text else None) or DEFAULT_CATEGORIES,
        templates=templates,
        official_images=evidence.known_images,
        library_images=evidence.known_images,
    )


def _text(head: dict[str, bytes], path: str) -> str | None:
    return decode_text(head[path], path)[0] if path in head else None


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
    name: str,
    files: list[ChangedFile],
    head: dict[str, bytes],
    context: DocsContext,
    *,
    is_new: bool,
    whole: bool,
    logo: Logo | None = None,
) -> list[Finding]:
    """`logo` describes the folder's logo when the checkout holds a table of logos instead of the files."""
    removed = [f.path.split("/", 1)[1] for f in files if f.head is None and f.path.count("/") == 1]
    # a deleted file the folder needs: told here unless the whole folder is judged (then it is missing)
    findings = [] if whole else removed_files(name, removed)
    known = head if whole else {f.path for f in files if f.head is not None}
    # the folder's own files: deeper ones are not part of what update.sh reads
    names = [p.split("/", 1)[1] for p in known if p.startswith(f"{name}/") and p.count("/") == 1]
    contents: dict[str, bytes | None] = {}
    for file_name in names:
        data: bytes | None = head[f"{name}/{file_name}"]
        target = link_target(data or b"")
        if target is not None:
            data = head.get(join_link(name, target))  # None: a link whose target is not known
        contents[file_name] = data
    if not contents:
        return findings  # the folder was removed
    # the cross-repository rule is about new folders; an existing one was paired when it was added
    folder_context = context if is_new else dataclasses.replace(context, library_images=None)
    if logo is not None and not any(n in contents for n in LOGO_NAMES):
        contents[logo.name] = None  # described, not held
    else:
        logo = None
    folder, read_findings = build_folder(name, name, contents, logo_facts=logo, complete=whole)
    return findings + read_findings + check_folder(folder, folder_context)


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


def change_markdown(changes: dict[str, str], partial: list[str], findings: list[Finding]) -> str:
    """Each changed folder (name -> "new image", "changed" or "removed") and what was found there."""
    if not changes:
        return ""
    lines = ["| docs folder | change | errors | warnings | notes |", "|---|---|---|---|---|"]
    for name, change in sorted(changes.items()):
        inside = [f for f in findings if f.path.split("/", 1)[0] == name]
        counts = [sum(f.severity is severity for f in inside) for severity in Severity]
        lines.append(f"| `{name}/` | {change} | {counts[0]} | {counts[1]} | {counts[2]} |")
    if partial:
        names = ", ".join(f"`{name}/`" for name in partial)
        lines += [
            "",
            f"{names}: checked file by file, as the folder's other files were not fetched; the whole-folder"
            " checks (required files, logo, compose.yaml shown, page size) did not run.",
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
