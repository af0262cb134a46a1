"""Build a `DocsFolder` from its files' bytes and run every folder rule on it."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from rules.docs import commands, compose, github_repo, logo, markdownfmt, metadata, required, size, variables
from rules.docs.cross import docs_without_library
from rules.docs.model import LOGO_NAMES, DocsContext, DocsFolder, Logo
from rules.findings import Finding
from rules.tool import decode_text, guarded

_TEXT_SUFFIXES = (".md", ".txt", ".json", ".yaml", ".yml")


def is_text_name(name: str) -> bool:
    return name.endswith(_TEXT_SUFFIXES) or name == "github-repo"


def build_folder(
    name: str,
    place: str,
    files: Mapping[str, bytes | None],
    *,
    logo_facts: Logo | None = None,
    complete: bool = True,
) -> tuple[DocsFolder, list[Finding]]:
    """The folder, and a finding for each text file that is not readable text.

    `files` maps each file name to its bytes, symlinks already followed; None marks a file that is present
    but could not be read (its finding was made where it was read). Logo facts come from the logo's bytes
    unless given (a checkout may describe its logos instead of holding them).
    """
    texts: dict[str, str] = {}
    findings: list[Finding] = []
    for file_name, data in sorted(files.items()):
        if data is None or not is_text_name(file_name):
            continue
        text, problem = decode_text(data, f"{place.rstrip('/')}/{file_name}" if place else file_name)
        if problem is not None:
            findings.append(problem)
        if text is not None:
            texts[file_name] = text
    found_logo = logo_facts
    if found_logo is None:
        present = [n for n in LOGO_NAMES if files.get(n) is not None]
        found_logo = logo.logo_facts(present[0], files[present[0]] or b"") if present else None
    folder = DocsFolder(
        name=name,
        place=place,
        texts=texts,
        files=frozenset(files),
        logo=found_logo,
        complete=complete,
    )
    return folder, findings


def _checks(folder: DocsFolder, context: DocsContext) -> Iterable[tuple[str, Callable[[], list[Finding]]]]:
    yield "required-files", lambda: required.required_files(folder)
    yield "README-short", lambda: required.short_description(folder)
    yield "metadata", lambda: metadata.metadata(folder, context)
    yield "markdownfmt", lambda: markdownfmt.markdownfmt(folder)
    yield "ymlfmt", lambda: compose.compose_format(folder)
    yield "compose-shown", lambda: compose.compose_shown(folder)
    yield "compose-images", lambda: compose.compose_images(folder, context)
    yield "variables", lambda: variables.variables(folder)
    yield "logo", lambda: logo.logo_missing(folder)
    yield "logo-size", lambda: logo.logo_size(folder)
    yield "description-size", lambda: size.description_size(folder, context.templates)
    yield "privileged", lambda: commands.privileged(folder)
    yield "github-repo", lambda: github_repo.github_repo(folder)
    yield "console-prompts", lambda: commands.console_prompts(folder)
    yield "image-name", lambda: commands.hardcoded_image(folder)


def check_folder(folder: DocsFolder, context: DocsContext) -> list[Finding]:
    """Every folder rule; one that crashes becomes one finding and the others still run."""
    findings: list[Finding] = []
    for name, check in _checks(folder, context):
        findings += guarded(check, folder.place or folder.name, name)
    if context.library_images is not None:
        findings += docs_without_library(folder.name, folder.place or folder.name, context.library_images)
    return findings
