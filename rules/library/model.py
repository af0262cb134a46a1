"""The parsed shape of a library file: plain immutable values, built once by the parser, read by rules."""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from rules.library.golang import SPACE

# The six fields an `<arch>-` prefix may override, in bashbrew's order.
ARCH_FIELDS = ("GitRepo", "GitFetch", "GitCommit", "Directory", "File", "Builder")

# architecture.SupportedArches in bashbrew v0.1.14.
KNOWN_ARCHES = (
    "amd64",
    "arm32v5",
    "arm32v6",
    "arm32v7",
    "arm64v8",
    "i386",
    "mips64le",
    "ppc64le",
    "riscv64",
    "s390x",
    "windows-amd64",
)


@dataclass(frozen=True, slots=True)
class BuildSource:
    """Where bashbrew builds one architecture of an entry from."""

    git_repo: str
    git_fetch: str
    git_commit: str
    directory: str
    file: str
    builder: str

    @property
    def dockerfile_path(self) -> str:
        """The file's path inside the repository (Directory joined with File)."""
        return self.file if self.directory == "." else f"{self.directory}/{self.file}"


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry paragraph, with the effective values after the global paragraph's defaults."""

    line: int  # the paragraph's first key line, 1-based
    tags: tuple[str, ...]
    shared_tags: tuple[str, ...]
    architectures: tuple[str, ...]
    git_repo: str
    git_fetch: str
    git_commit: str
    directory: str
    file: str
    builder: str
    constraints: tuple[str, ...]
    maintainers: tuple[str, ...]
    # "<arch>-<Field>" -> value, inherited from the global paragraph and overridden here
    arch_values: Mapping[str, str] = field(default_factory=dict)
    # key -> the 1-based line that set it (the entry's own line, else the global paragraph's)
    key_lines: Mapping[str, int] = field(default_factory=dict)

    @property
    def all_tags(self) -> tuple[str, ...]:
        return self.tags + self.shared_tags

    def source(self, arch: str) -> BuildSource:
        """The build source bashbrew uses for `arch` (an empty arch value falls back to the plain field)."""

        def pick(name: str, plain: str) -> str:
            return self.arch_values.get(f"{arch}-{name}") or plain

        return BuildSource(
            git_repo=pick("GitRepo", self.git_repo),
            git_fetch=pick("GitFetch", self.git_fetch),
            git_commit=pick("GitCommit", self.git_commit),
            directory=pick("Directory", self.directory),
            file=pick("File", self.file),
            builder=pick("Builder", self.builder),
        )

    @property
    def arches(self) -> dict[str, BuildSource]:
        return {arch: self.source(arch) for arch in self.architectures}

    def line_of(self, key: str) -> int:
        """The line that set `key` for this entry, or the entry's first line."""
        return self.key_lines.get(key, self.line)


@dataclass(frozen=True, slots=True)
class ParseError:
    """One error bashbrew would stop at, in bashbrew's own wording, with the line it concerns."""

    message: str
    line: int | None
    # what kind of mistake, so each kind gets its own rule and advice: syntax (EOF, Bad line, clear-signed
    # framing, a key Go's decoder cannot take), maintainers, global, git-fetch, git-commit, missing-tags,
    # git-repo, tag-name, architectures, duplicate-tag
    kind: str = "syntax"
    subject: str = ""  # the offending value where there is one (the duplicated tag, for example)


@dataclass(frozen=True, slots=True)
class Field:
    """One `Key: value` as written, with its continuation lines (value as bashbrew reads it)."""

    key: str
    value: str
    line: int
    end_line: int


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph as bashbrew's reader splits the file (comment lines dropped first)."""

    line: int  # its first key line
    end_line: int
    fields: tuple[Field, ...]
    # lines of only spaces or tabs inside it: bashbrew reads them as continuation lines, not separators
    blank_lookalikes: tuple[int, ...] = ()

    def get(self, key: str) -> Field | None:
        """The field that sets `key` (the last one wins, as in bashbrew)."""
        for found in reversed(self.fields):
            if found.key == key:
                return found
        return None


@dataclass(frozen=True, slots=True)
class LibraryFile:
    name: str  # the image name (the file's name)
    path: str  # as given, for findings
    lines: tuple[str, ...]  # the raw source lines, for precise line numbers and suggestions
    maintainers: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    errors: tuple[ParseError, ...] = ()  # every bashbrew error, in bashbrew's order (errors[0] is bashbrew's)
    global_line: int | None = None
    paragraphs: tuple[Paragraph, ...] = ()  # paragraphs[0] is the global one
    defaults: Entry | None = None  # the global paragraph's effective values (no tags), for `bashbrew cat`

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def retired(self) -> bool:
        """Only the global paragraph is left: the image is deprecated or retired."""
        return self.ok and not self.entries

    def tags(self) -> list[str]:
        """Every `Tags` and `SharedTags` value, unique, in file order."""
        return list(dict.fromkeys(t for e in self.entries for t in e.all_tags))

    def field_lines(self, field: Field) -> list[tuple[int, str]]:
        """The numbered source lines of a field, without the comment lines bashbrew dropped from it."""
        numbered = [
            (n, self.lines[n - 1]) for n in range(field.line, field.end_line + 1) if n <= len(self.lines)
        ]
        return [
            (n, text) for n, text in numbered if n == field.line or not text.lstrip(SPACE).startswith("#")
        ]

    def entry_locator(self) -> Callable[[int | None], Entry | None]:
        """A function from a line to the entry whose paragraph holds it (None for the global paragraph or
        outside any entry); built once, so locating many findings stays linear."""
        starts = {entry.line: entry for entry in self.entries}
        firsts = [paragraph.line for paragraph in self.paragraphs]

        def locate(line: int | None) -> Entry | None:
            if line is None:
                return None
            index = bisect.bisect_right(firsts, line) - 1
            if index < 0 or line > self.paragraphs[index].end_line:
                return None
            return starts.get(firsts[index])

        return locate


def brief(value: str, limit: int = 100) -> str:
    """A value as a message quotes it: on one line, without backticks, at most about `limit` characters."""
    text = value.strip().replace("\r", "\\r").replace("\n", "\\n").replace("`", "'")
    return text if len(text) <= limit else text[:limit] + "…"
