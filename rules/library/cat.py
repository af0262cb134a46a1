"""A parsed library file written back as `bashbrew cat` writes it, and as the manifest JSON of CONTRACT.md."""

from __future__ import annotations

from typing import Any

from rules.library.model import ARCH_FIELDS, Entry, LibraryFile
from rules.library.parser import DEFAULT_ARCHITECTURE, DEFAULT_DIRECTORY, DEFAULT_FILE, DEFAULT_GIT_FETCH

_SEPARATOR = ", "

# bashbrew's DefaultManifestEntry, the defaults the global paragraph is written against
BUILT_IN = Entry(
    line=0,
    tags=(),
    shared_tags=(),
    architectures=(DEFAULT_ARCHITECTURE,),
    git_repo="",
    git_fetch=DEFAULT_GIT_FETCH,
    git_commit="",
    directory=DEFAULT_DIRECTORY,
    file=DEFAULT_FILE,
    builder="",
    constraints=(),
    maintainers=(),
)


def _arch_fields(entry: Entry) -> list[str]:
    return sorted(key for key, value in entry.arch_values.items() if value)


def paragraph_text(entry: Entry, defaults: Entry) -> str:
    """Manifest2822Entry.ClearDefaults(defaults).String(): the fields that differ, in bashbrew's order."""
    lines = []
    lists = (
        ("Maintainers", entry.maintainers, defaults.maintainers),
        ("Tags", entry.tags, defaults.tags),
        ("SharedTags", entry.shared_tags, defaults.shared_tags),
        ("Architectures", entry.architectures, defaults.architectures),
    )
    for name, values, default in lists:
        text = _SEPARATOR.join(values)
        if text and text != _SEPARATOR.join(default):
            lines.append(f"{name}: {text}")
    scalars = (
        ("GitRepo", entry.git_repo, defaults.git_repo),
        ("GitFetch", entry.git_fetch, defaults.git_fetch),
        ("GitCommit", entry.git_commit, defaults.git_commit),
        ("Directory", entry.directory, defaults.directory),
        ("File", entry.file, defaults.file),
        ("Builder", entry.builder, defaults.builder),
    )
    for name, value, default in scalars:
        if value and value != default:
            lines.append(f"{name}: {value}")
    inherited = {
        key for key in _arch_fields(defaults) if defaults.arch_values[key] == entry.arch_values.get(key)
    }
    for key in _arch_fields(entry):
        if key not in inherited:
            lines.append(f"{key}: {entry.arch_values[key]}")
    constraints = _SEPARATOR.join(entry.constraints)
    if constraints and constraints != _SEPARATOR.join(defaults.constraints):
        lines.append(f"Constraints: {constraints}")
    return "\n".join(lines)


def cat_text(library: LibraryFile) -> str:
    """The whole file as `bashbrew cat` prints it: the global paragraph without built-in defaults, then
    each entry without what it shares with the global paragraph."""
    defaults = library.defaults or BUILT_IN
    paragraphs = [paragraph_text(defaults, BUILT_IN)]
    paragraphs += [paragraph_text(entry, defaults) for entry in library.entries]
    text = "\n\n".join(paragraphs)
    # cmd-cat ends the output with a line end only when the last value does not already end with one
    return text if text.endswith("\n") else text + "\n"


def manifest_json(library: LibraryFile) -> dict[str, Any]:
    """The manifest as CONTRACT.md's `manifest --json`: effective values and each architecture's source."""
    return {
        "Maintainers": list(library.maintainers),
        "Entries": [
            {
                "Line": entry.line,
                "Tags": list(entry.tags),
                "SharedTags": list(entry.shared_tags),
                "Architectures": list(entry.architectures),
                "GitRepo": entry.git_repo,
                "GitFetch": entry.git_fetch,
                "GitCommit": entry.git_commit,
                "Directory": entry.directory,
                "File": entry.file,
                "Builder": entry.builder,
                "Constraints": list(entry.constraints),
                "Arches": {
                    arch: dict(zip(ARCH_FIELDS, _source_values(entry, arch), strict=True))
                    for arch in entry.architectures
                },
            }
            for entry in library.entries
        ],
    }


def _source_values(entry: Entry, arch: str) -> tuple[str, ...]:
    source = entry.source(arch)
    return (
        source.git_repo,
        source.git_fetch,
        source.git_commit,
        source.directory,
        source.file,
        source.builder,
    )
