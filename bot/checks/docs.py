"""`doi-bot check` on a docs checkout or one image folder: read the files, follow links, run the rules."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from bot.checks import CheckOptions
from bot.review.docs import changed_folders
from bot.review.model import Evidence, PullRequest
from rules.docs.cross import library_without_docs
from rules.docs.folder import build_folder, check_folder, is_text_name
from rules.docs.logo import LOGOS_TABLE, logos_table
from rules.docs.markdownfmt import markdownfmt_findings
from rules.docs.metadata import allowed_categories, check_metadata_text
from rules.docs.model import DEFAULT_CATEGORIES, LOGO_NAMES, DocsContext, DocsFolder, Logo, link_target
from rules.findings import Finding
from rules.tool import UNREADABLE, decode_text

TEMPLATE_FOLDERS = (".template-helpers", ".common-templates")


def is_docs_checkout(path: Path) -> bool:
    return (path / ".template-helpers").is_dir() or (path / "metadata.json").is_file()


def check_docs_checkout(root: Path, options: CheckOptions) -> list[Finding]:
    findings: list[Finding] = []
    folders = image_folders(root)
    context, context_findings = read_context(root, options, {p.name for p in folders})
    findings += context_findings
    for folder_path in sorted(p for p in _template_files(root) if p.name.endswith(".md")):
        findings += _markdown_file(folder_path)
    logos = read_logos_table(root)
    for folder_path in folders:
        folder, read_findings = read_folder(folder_path, logos)
        findings += read_findings + check_folder(folder, context)
    if options.library_dir is not None and context.library_images is not None:
        library = library_folder(options.library_dir)
        docs_images = frozenset(p.name for p in folders)
        for image in sorted(context.library_images):
            findings += library_without_docs(image, str(library / image), docs_images)
    return findings


def image_folders(root: Path) -> list[Path]:
    """The image folders of a docs checkout, in name order (dot folders hold templates, not images)."""
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def check_docs_folder(path: Path, options: CheckOptions) -> list[Finding]:
    if not path.is_dir():
        return [UNREADABLE.finding(str(path), None, "This is a file; give the image's docs folder instead.")]
    parent = path.resolve().parent
    root = parent if is_docs_checkout(parent) else None
    siblings = {p.name for p in parent.iterdir() if p.is_dir()} if root is not None else set()
    context, findings = read_context(root, options, siblings)
    folder, read_findings = read_folder(path, read_logos_table(root))
    return findings + read_findings + check_folder(folder, context)


def read_context(
    root: Path | None, options: CheckOptions, docs_images: set[str]
) -> tuple[DocsContext, list[Finding]]:
    """Allowed categories and templates from the checkout, images known to official-images."""
    findings: list[Finding] = []
    categories = DEFAULT_CATEGORIES
    templates: dict[str, str] = {}
    if root is not None:
        metadata_path = root / "metadata.json"
        if metadata_path.is_file():
            text, problem = decode_text(metadata_path.read_bytes(), str(metadata_path))
            findings += [problem] if problem else []
            if text is not None:
                findings += check_metadata_text(str(metadata_path), text, None)
                categories = allowed_categories(text) or categories
        helpers = root / ".template-helpers"
        for template in sorted(helpers.glob("*.md")) if helpers.is_dir() else []:
            text, _ = decode_text(template.read_bytes(), str(template))
            if text is not None:
                templates[template.name] = text
    library_images = library_images_of(options.library_dir) if options.library_dir else None
    official = library_images if library_images is not None else frozenset(docs_images) or None
    context = DocsContext(
        categories=categories, templates=templates, official_images=official, library_images=library_images
    )
    return context, findings


def library_folder(library_dir: Path) -> Path:
    """`--library-dir` names an official-images checkout or its library/ folder."""
    return library_dir / "library" if (library_dir / "library").is_dir() else library_dir


def library_images_of(library_dir: Path) -> frozenset[str]:
    """Image names in an official-images checkout (root or its library/ folder)."""
    folder = library_folder(library_dir)
    if not folder.is_dir():
        return frozenset()
    return frozenset(p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def _template_files(root: Path) -> list[Path]:
    return [p for name in TEMPLATE_FOLDERS if (root / name).is_dir() for p in (root / name).iterdir()]


def _markdown_file(path: Path) -> list[Finding]:
    text, problem = decode_text(path.read_bytes(), str(path))
    if problem is not None:
        return [problem]
    return markdownfmt_findings(str(path), text or "")


def read_folder(path: Path, logos: dict[str, Logo]) -> tuple[DocsFolder, list[Finding]]:
    """One image folder's files, symlinks followed (real ones, or the link text git writes without them)."""
    files: dict[str, bytes | None] = {}
    findings: list[Finding] = []
    place = str(path)
    try:
        entries = sorted(path.iterdir())
    except OSError as exc:
        entries = []
        findings.append(UNREADABLE.finding(place, None, f"This folder cannot be read ({exc.strerror})."))
    for entry in entries:
        data, problem = _read_entry(entry)
        files[entry.name] = data
        if problem is not None:
            findings.append(problem)
    folder_logo = None if any(n in files for n in LOGO_NAMES) else logos.get(path.name)
    if folder_logo is not None:
        files[folder_logo.name] = None  # described by the checkout's logos table, not held
    folder, build_findings = build_folder(path.name, place, files, logo_facts=folder_logo, complete=True)
    return folder, findings + build_findings


def _read_entry(entry: Path) -> tuple[bytes | None, Finding | None]:
    """A file's bytes, links followed (None when not read), and why it could not be read."""
    wanted = is_text_name(entry.name) or entry.name in LOGO_NAMES
    if entry.is_dir():
        problem = UNREADABLE.finding(str(entry), None, f"{entry.name} is a directory; it must be a file.")
        return None, problem if wanted else None
    if not entry.exists():
        target = entry.readlink() if entry.is_symlink() else entry.name
        message = f"Fix this symlink: its target {target} does not exist."
        return None, UNREADABLE.finding(str(entry), None, message)
    if not wanted:
        return None, None
    try:
        data = entry.read_bytes()
        target = None if entry.is_symlink() else link_target(data)
        if target is None:
            return data, None
        # git's link text: follow it within the checkout; a target outside what we hold stays unread
        linked = (entry.parent / target).resolve()
        inside = linked.is_relative_to(entry.parent.parent.resolve()) and linked.is_file()
        return (linked.read_bytes() if inside else None), None
    except OSError as exc:
        return None, UNREADABLE.finding(str(entry), None, f"This file cannot be read ({exc.strerror}).")


def read_logos_table(root: Path | None) -> dict[str, Logo]:
    """The corpus copy's `logos.tsv`: the logo facts of folders whose logo files were left out."""
    table = root / LOGOS_TABLE if root is not None else None
    if table is None or not table.is_file():
        return {}
    text, _ = decode_text(table.read_bytes(), str(table))
    return logos_table(text or "")


def docs_evidence(
    options: CheckOptions, pull: PullRequest, read_tree: Callable[[str], Mapping[str, bytes]]
) -> Evidence:
    """What a local docs review gets beyond the change: the official images (from --library-dir) and, read
    at the head with `read_tree(folder) -> {path: bytes}`, every changed folder's files and the root ones."""
    folders = [*changed_folders(pull.files), *TEMPLATE_FOLDERS, "metadata.json", LOGOS_TABLE]
    files = {path: data for folder in folders for path, data in read_tree(folder).items()}
    known = library_images_of(options.library_dir) if options.library_dir is not None else None
    return Evidence(known_images=known, docs_files=files)
