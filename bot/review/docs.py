"""The docs part of a pull-request review, pure: changed image folders in, findings, labels, summary out."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bot.review.model import ChangedFile, Evidence, PullRequest
from rules.docs.cross import readme_changes
from rules.docs.folder import build_folder, check_folder
from rules.docs.markdownfmt import markdownfmt_findings
from rules.docs.metadata import check_metadata_text
from rules.docs.model import DocsContext, join_link, link_target
from rules.findings import Finding, Severity, sorted_findings
from rules.tool import decode_text

NEW_IMAGE_LABEL = "new-image"
TEMPLATE_FOLDERS = (".template-helpers", ".common-templates")
# Every existing folder has both (scratch has no content.md): adding either one means a new folder.
_NEW_FOLDER_FILES = ("content.md", "README-short.txt")


@dataclass(frozen=True)
class DocsReview:
    findings: tuple[Finding, ...]
    labels: tuple[str, ...]
    summary: str  # a Markdown section for the review's summary comment
    new_images: tuple[str, ...]


def review_docs(pull: PullRequest, evidence: Evidence) -> DocsReview:
    by_folder = changed_folders(pull.files)
    heads = {f.path: f.head for f in pull.files if f.head is not None}
    findings = readme_changes(_touched_paths(pull.files))
    new_images = tuple(name for name, files in sorted(by_folder.items()) if _is_new(files))
    for name, files in sorted(by_folder.items()):
        findings += _folder_findings(name, files, heads, evidence, is_new=name in new_images)
    findings += _repository_file_findings(pull.files)
    ordered = tuple(sorted_findings(findings))
    labels = tuple(f"docs/{name}" for name in sorted(by_folder)) + ((NEW_IMAGE_LABEL,) if new_images else ())
    summary = docs_summary(sorted(by_folder), new_images, ordered, evidence)
    return DocsReview(ordered, labels, summary, new_images)


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
    for changed in files:
        parts = changed.path.split("/")
        if len(parts) != 2 or parts[0] != name or changed.head is None:
            continue  # removed, moved away, or deeper than the folder's own files
        data: bytes | None = changed.head
        target = link_target(changed.head)
        if target is not None:
            data = heads.get(join_link(name, target))  # None: the target is not in this change
        contents[parts[1]] = data
    if not contents:
        return []  # the folder was removed
    context = DocsContext(
        official_images=evidence.known_images, library_images=evidence.known_images if is_new else None
    )
    folder, findings = build_folder(name, name, contents, complete=is_new)
    return findings + check_folder(folder, context)


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


def docs_summary(
    folders: list[str], new_images: tuple[str, ...], findings: tuple[Finding, ...], evidence: Evidence
) -> str:
    """The docs section of the summary comment: each changed folder and what was found there."""
    if not folders and not findings:
        return ""
    lines = ["### Docs", ""]
    if folders:
        lines += ["| folder | change | errors | warnings | notes |", "|---|---|---|---|---|"]
    for name in folders:
        inside = [f for f in findings if f.path.startswith(f"{name}/") or f.path == name]
        counts = [
            sum(f.severity is s for f in inside) for s in (Severity.ERROR, Severity.WARNING, Severity.INFO)
        ]
        change = "new image" if name in new_images else "changed"
        lines.append(f"| `{name}/` | {change} | {counts[0]} | {counts[1]} | {counts[2]} |")
    if any(name not in new_images for name in folders):
        lines += [
            "",
            "Folders that already existed were checked file by file; the whole-folder checks (required files,"
            " logo, compose.yaml shown, page size) ran on new folders only.",
        ]
    if new_images and evidence.known_images is None:
        lines += ["", "Whether official-images has a library file for the new image was not checked."]
    return "\n".join(lines) + "\n"
