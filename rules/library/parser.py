"""bashbrew v0.1.14's library-file parser, reproduced exactly, except that it reports every error in one
pass (bashbrew stops at the first; `errors[0]` is always bashbrew's own, in its wording).

The pipeline is bashbrew's: drop comment lines (pkg/stripper), read paragraphs (go-debian's control
reader, clear-signed input included), decode each onto a copy of the global paragraph, validate, merge
entries with identical build artifacts.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from rules.library import clearsign
from rules.library.golang import REGEXP_SPACE, SPACE, clean_path, quote
from rules.library.model import (
    ARCH_FIELDS,
    KNOWN_ARCHES,
    Entry,
    Field,
    LibraryFile,
    Paragraph,
    ParseError,
)

MAINTAINERS_FORMAT = "Full Name <contact-email-or-url> (@github-handle) OR Full Name (@github-handle)"
DEFAULT_ARCHITECTURE = "amd64"
DEFAULT_GIT_FETCH = "refs/heads/master"
DEFAULT_DIRECTORY = "."
DEFAULT_FILE = "Dockerfile"

# Go regexps are matched whole (fullmatch): Go's `$` is the end of the text, Python's is not.
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")  # ^\w[\w.-]{0,127}$ with ASCII \w
_GIT_FETCH = re.compile(r"refs/(?:heads|tags)/[^*?:]+")
_GIT_COMMIT = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
_ARCH_SUFFIXES = tuple(f"-{name}" for name in ARCH_FIELDS)
_LIST_TRIM = "\n\r\t "  # the `strip:` tag of bashbrew's list fields
_BRACKETS = frozenset("<>()")
# Keys that name a field Go's decoder cannot fill, in the order it meets them.
_UNDECODABLE = (
    ("Values", "Unknown type of field: map[string]string"),
    ("Paragraph", "Type 'Paragraph' does not implement control.Unmarshallable"),
    ("ArchValues", "Unknown type of field: map[string]string"),
)
_KNOWN = frozenset(KNOWN_ARCHES)
# the scalar fields (key, _Draft attribute): a value set in a paragraph overrides the inherited one
_SCALARS = tuple(
    zip(ARCH_FIELDS, ("git_repo", "git_fetch", "git_commit", "directory", "file", "builder"), strict=True)
)

NumberedLine = tuple[int, str]


def valid_tag(tag: str) -> bool:
    return _TAG.fullmatch(tag) is not None


def valid_git_commit(value: str) -> bool:
    return _GIT_COMMIT.fullmatch(value) is not None


def valid_git_fetch(value: str) -> bool:
    return _GIT_FETCH.fullmatch(value) is not None


def _name_then_space(text: str) -> bool:
    """`[^\\s<>()][^<>()]*\\s+` matched whole."""
    return (
        len(text) >= 2
        and text[0] not in REGEXP_SPACE
        and text[-1] in REGEXP_SPACE
        and _BRACKETS.isdisjoint(text)
    )


def _token(text: str) -> bool:
    """`[^\\s<>()]+` matched whole."""
    return bool(text) and REGEXP_SPACE.isdisjoint(text) and _BRACKETS.isdisjoint(text)


def valid_maintainer(item: str) -> bool:
    """bashbrew's MaintainersRegex, `^(NAME)(?:\\s+<(EMAIL)>)?\\s+[(]@(HANDLE)[)]$`, checked in linear time
    (a backtracking regex is quadratic on long runs of spaces)."""
    if not item.endswith(")"):
        return False
    paren = item.rfind("(")  # the handle has no "(", so its "(@" is the last "("
    if paren < 0 or item[paren + 1 : paren + 2] != "@" or not _token(item[paren + 2 : -1]):
        return False
    prefix = item[:paren]
    if not prefix or prefix[-1] not in REGEXP_SPACE:
        return False
    if "<" not in prefix and ">" not in prefix:
        return _name_then_space(prefix)
    before = prefix.rstrip("\t\n\f\r ")
    if not before.endswith(">"):
        return False
    angle = before.rfind("<")
    return angle >= 0 and _token(before[angle + 1 : -1]) and _name_then_space(before[:angle])


def split_list(value: str) -> list[str]:
    """A comma list as go-debian decodes it: trimmed, split on `,`, each item trimmed (`` gives [``])."""
    return [item.strip(_LIST_TRIM) for item in value.strip(_LIST_TRIM).split(",")]


# --- reading: comment lines, clear-signed framing, paragraphs -----------------------------------------


def _uncommented_lines(text: str) -> list[NumberedLine]:
    """The lines bashbrew's comment stripper lets through: a line whose first non-space character is `#`
    is dropped whole; a `#` later in a line is part of the value."""
    parts = text.split("\n")
    last = len(parts) - 1
    lines: list[NumberedLine] = []
    for index, part in enumerate(parts):
        if index < last:
            line = part + "\n"
        elif part:
            line = part
        else:
            break
        if not line.lstrip(SPACE).startswith("#"):
            lines.append((index + 1, line))
    return lines


@dataclass
class _Read:
    """One paragraph as read, and the errors the reader raised while reading it."""

    paragraph: Paragraph | None
    values: dict[str, str]
    errors: list[ParseError]


def _read_paragraphs(lines: Sequence[NumberedLine]) -> list[_Read]:
    """go-debian's ParagraphReader.Next, repeated to the end, going on after a bad line."""
    reads: list[_Read] = []
    fields: list[list] = []  # [key, value, line, end_line]
    blanks: list[int] = []
    errors: list[ParseError] = []

    def finish() -> None:
        nonlocal fields, blanks, errors
        paragraph = Paragraph(
            line=fields[0][2],
            end_line=fields[-1][3],
            fields=tuple(Field(key, value, line, end) for key, value, line, end in fields),
            blank_lookalikes=tuple(blanks),
        )
        values = {key: value for key, value, _, _ in fields}
        reads.append(_Read(paragraph, values, errors))
        fields, blanks, errors = [], [], []

    for number, raw in lines:
        line = raw if raw.endswith("\n") else raw + "\n"
        if line == "\n" or line == "\r\n":
            if fields:  # only an exactly empty line ends a paragraph
                finish()
            continue
        if line.startswith("#"):
            continue
        if line[0] == " " or line[0] == "\t":
            # a continuation line: the first character dropped, the right end trimmed, " ." is empty
            if not fields:
                continue
            rest = line[1:].rstrip(SPACE)
            if not rest:
                blanks.append(number)
            if rest == ".":
                rest = ""
            current = fields[-1]
            value = current[1]
            if value == "":
                current[1] = rest + "\n"
            else:
                current[1] = (value if value.endswith("\n") else value + "\n") + rest + "\n"
            current[3] = number
            continue
        key, colon, value = line.partition(":")
        if not colon:
            errors.append(ParseError(f"Bad line: '{line}' has no ':'", number, "syntax"))
            continue
        fields.append([key.strip(SPACE), value.strip(SPACE), number, number])
    if fields:
        finish()
    elif errors:
        reads.append(_Read(None, {}, errors))
    return reads


# --- decoding and validation -------------------------------------------------------------------------


@dataclass
class _Draft:
    """A Manifest2822Entry while it is decoded and checked (mutable, like Go's)."""

    line: int
    maintainers: list[str] = field(default_factory=list)
    own_maintainers: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    shared_tags: list[str] = field(default_factory=list)
    architectures: list[str] = field(default_factory=lambda: [DEFAULT_ARCHITECTURE])
    git_repo: str = ""
    git_fetch: str = DEFAULT_GIT_FETCH
    git_commit: str = ""
    directory: str = DEFAULT_DIRECTORY
    file: str = DEFAULT_FILE
    builder: str = ""
    arch_values: dict[str, str] = field(default_factory=dict)
    constraints: list[str] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)

    def child(self, line: int) -> _Draft:
        """bashbrew's Clone of the global paragraph, the start of every entry."""
        return dataclasses.replace(
            self,
            line=line,
            maintainers=list(self.maintainers),
            own_maintainers=[],
            tags=list(self.tags),
            shared_tags=list(self.shared_tags),
            architectures=list(self.architectures),
            arch_values=dict(self.arch_values),
            constraints=list(self.constraints),
            key_lines=dict(self.key_lines),
        )

    @property
    def tags_string(self) -> str:
        return ", ".join(self.tags)

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)

    def build_artifacts(self) -> tuple:
        """What SameBuildArtifacts compares: two entries with equal values build the same thing."""
        return (
            tuple(self.architectures),
            self.git_repo,
            self.git_fetch,
            self.git_commit,
            self.directory,
            self.file,
            self.builder,
            tuple(self.constraints),
            frozenset((key, value) for key, value in self.arch_values.items() if value),
        )

    def freeze(self) -> Entry:
        return Entry(
            line=self.line,
            tags=tuple(self.tags),
            shared_tags=tuple(self.shared_tags),
            architectures=tuple(self.architectures),
            git_repo=self.git_repo,
            git_fetch=self.git_fetch,
            git_commit=self.git_commit,
            directory=self.directory,
            file=self.file,
            builder=self.builder,
            constraints=tuple(self.constraints),
            maintainers=tuple(self.maintainers),
            arch_values=dict(self.arch_values),
            key_lines=dict(self.key_lines),
        )


def _decode(read: _Read, draft: _Draft, errors: list[ParseError]) -> None:
    """go-debian's Decode onto `draft`, with bashbrew's decoder wrapper around it: Architectures and
    SharedTags are replaced (or inherited when not set), lists append, scalars override."""
    assert read.paragraph is not None
    paragraph, values = read.paragraph, read.values
    for key, message in _UNDECODABLE:
        if key in values:
            errors.append(ParseError(message, _line(paragraph, key), "syntax"))
    inherited_shared, inherited_arches = draft.shared_tags, draft.architectures
    draft.shared_tags, draft.architectures = [], []
    for key, line in ((f.key, f.line) for f in paragraph.fields):
        draft.key_lines[key] = line
    if "Maintainers" in values:
        draft.own_maintainers = split_list(values["Maintainers"])
        draft.maintainers += draft.own_maintainers
    if "Tags" in values:
        draft.tags += split_list(values["Tags"])
    if "SharedTags" in values:
        draft.shared_tags = split_list(values["SharedTags"])
    if "Architectures" in values:
        draft.architectures = split_list(values["Architectures"])
    for key, attribute in _SCALARS:
        if key in values:
            setattr(draft, attribute, values[key])
    if "Constraints" in values:
        draft.constraints += split_list(values["Constraints"])
    draft.shared_tags = draft.shared_tags or inherited_shared
    draft.architectures = sorted(set(draft.architectures or inherited_arches))
    for key, value in values.items():
        if key.endswith(_ARCH_SUFFIXES):
            draft.arch_values[key] = value


def _line(paragraph: Paragraph, key: str) -> int:
    found = paragraph.get(key)
    return found.line if found else paragraph.line


def _invalid_architectures(draft: _Draft) -> list[str]:
    return [arch for arch in draft.architectures if arch not in _KNOWN]


class _Manifest:
    """The entries added so far, with bashbrew's tag lookups (GetTag, GetSharedTag) indexed."""

    def __init__(self) -> None:
        self.entries: list[_Draft] = []
        # tag -> position in `entries` of the first entry holding it, as GetTag and GetSharedTag walk them
        self._tag_owner: dict[str, int] = {}
        self._shared_owner: dict[str, int] = {}
        self._by_artifacts: dict[tuple, int] = {}

    def _index(self, position: int) -> None:
        """Record the tags of `entries[position]`; an entry that gained tags by a merge may come before
        the entry that held a shared tag until then."""
        draft = self.entries[position]
        for owners, tags in ((self._tag_owner, draft.tags), (self._shared_owner, draft.shared_tags)):
            for tag in tags:
                if owners.get(tag, position) >= position:
                    owners[tag] = position

    def _owner(self, owners: dict[str, int], tag: str) -> str:
        """The Tags of the entry GetTag or GetSharedTag finds for `tag`, joined."""
        return self.entries[owners[tag]].tags_string

    def _duplicates(self, entry: _Draft, tags: str) -> list[tuple[str, str, str]]:
        """(message, key, tag) of each tag clash, in bashbrew's order: Tags against earlier Tags, earlier
        SharedTags and themselves, then SharedTags against earlier Tags and this entry's Tags."""
        found = []
        seen: set[str] = set()
        for tag in entry.tags:
            if tag in self._tag_owner:
                other = f"(duplicated in {quote(self._owner(self._tag_owner, tag))})"
                found.append((f"Tags {tags} includes duplicate tag: {quote(tag)} {other}", "Tags", tag))
            elif tag in self._shared_owner:
                other = f"(shared tag in {quote(self._owner(self._shared_owner, tag))})"
                message = f"Tags {tags} includes tag conflicting with a shared tag: {quote(tag)} {other}"
                found.append((message, "Tags", tag))
            if tag in seen:
                found.append((f"Tags {tags} includes duplicate tag: {quote(tag)}", "Tags", tag))
            seen.add(tag)
        for tag in entry.shared_tags:
            if tag in self._tag_owner:
                other = f"(duplicated in {quote(self._owner(self._tag_owner, tag))})"
                message = f"Tags {tags} includes conflicting shared tag: {quote(tag)} {other}"
                found.append((message, "SharedTags", tag))
            if tag in seen:
                message = f"Tags {tags} includes duplicate tag: {quote(tag)} (in SharedTags)"
                found.append((message, "SharedTags", tag))
            seen.add(tag)
        return found

    def add(self, entry: _Draft, errors: list[ParseError]) -> None:
        """AddEntry: validate `entry`, then merge it into an identical earlier one or append it."""
        found: list[ParseError] = []

        def error(message: str, key: str, kind: str, subject: str = "") -> None:
            found.append(ParseError(message, entry.line_of(key), kind, subject))

        tags = quote(entry.tags_string)
        if not entry.git_repo:  # GitFetch and GitCommit were already checked by their regexps
            error(f"Tags {tags} missing one of GitRepo, GitFetch, or GitCommit", "GitRepo", "git-repo")
        invalid = [m for m in entry.own_maintainers if not valid_maintainer(m)]
        if invalid:
            error(
                f"Tags {tags} has invalid Maintainers: {quote(', '.join(invalid))}"
                f" (expected format {quote(MAINTAINERS_FORMAT)})",
                "Maintainers",
                "maintainers",
                invalid[0],
            )
        entry.shared_tags = list(dict.fromkeys(entry.shared_tags))
        entry.directory = clean_path(entry.directory)
        for key, value in entry.arch_values.items():
            if value and key.endswith("-Directory"):
                entry.arch_values[key] = clean_path(value)
        bad_tags = [t for t in entry.tags if not valid_tag(t)]
        bad_shared = [t for t in entry.shared_tags if not valid_tag(t)]
        if bad_tags or bad_shared:
            error(
                f"Tags {tags} has invalid (Shared)Tags: {quote(', '.join(bad_tags + bad_shared))}",
                "Tags" if bad_tags else "SharedTags",
                "tag-name",
            )
        bad_arches = _invalid_architectures(entry)
        if bad_arches:
            error(
                f"Tags {tags} has invalid Architectures: {quote(', '.join(bad_arches))}",
                "Architectures",
                "architectures",
                ", ".join(bad_arches),
            )
        for message, key, tag in self._duplicates(entry, tags):
            error(message, key, "duplicate-tag", tag)
        errors += found
        if not found:
            position = self._by_artifacts.setdefault(entry.build_artifacts(), len(self.entries))
            if position < len(self.entries):
                existing = self.entries[position]
                existing.tags += entry.tags
                existing.shared_tags = list(dict.fromkeys(existing.shared_tags + entry.shared_tags))
                self._index(position)
                return
        self.entries.append(entry)
        self._index(len(self.entries) - 1)


def parse_library(text: str, name: str, path: str | None = None) -> LibraryFile:
    """Parse a library file's text (already decoded; a byte-order mark kept) as bashbrew does."""
    source_lines = text.split("\n")
    if source_lines and source_lines[-1] == "":
        source_lines.pop()
    result = LibraryFile(name=name, path=path if path is not None else name, lines=tuple(source_lines))
    errors: list[ParseError] = []
    lines = _uncommented_lines(text)
    if lines and "".join(text for _, text in lines[:15]).startswith("-----BEGIN PGP "):
        signed = clearsign.decode(lines)
        if signed is None:
            errors.append(ParseError("Invalid clearsigned input", lines[0][0], "syntax"))
            return _with(result, errors)
        lines = signed
    reads = _read_paragraphs(lines)
    first = next((i for i, read in enumerate(reads) if read.paragraph is not None), None)
    for read in reads[: first if first is not None else len(reads)]:
        errors += read.errors
    if first is None:
        if not errors:
            errors.append(ParseError("EOF", None, "syntax"))
        return _with(result, errors)

    global_read = reads[first]
    assert global_read.paragraph is not None
    errors += global_read.errors
    defaults = _Draft(line=global_read.paragraph.line)
    _decode(global_read, defaults, errors)
    global_line = global_read.paragraph.line
    if not defaults.maintainers:
        errors.append(ParseError("missing Maintainers", global_line, "maintainers"))
    invalid = [m for m in defaults.maintainers if not valid_maintainer(m)]
    if invalid:
        errors.append(
            ParseError(
                f"invalid Maintainers: {quote(', '.join(invalid))}"
                f" (expected format {quote(MAINTAINERS_FORMAT)})",
                defaults.line_of("Maintainers"),
                "maintainers",
                invalid[0],
            )
        )
    if defaults.tags:
        errors.append(ParseError("global Tags not permitted", defaults.line_of("Tags"), "global"))
        defaults.tags = []  # so the entries after it are checked on their own tags
    bad_arches = _invalid_architectures(defaults)
    if bad_arches:
        errors.append(
            ParseError(
                f"invalid global Architectures: {quote(', '.join(bad_arches))}",
                defaults.line_of("Architectures"),
                "global",
                ", ".join(bad_arches),
            )
        )

    manifest = _Manifest()
    for read in reads[first + 1 :]:
        errors += read.errors
        if read.paragraph is None:
            continue
        entry = defaults.child(read.paragraph.line)
        _decode(read, entry, errors)
        tags = quote(entry.tags_string)
        if not valid_git_fetch(entry.git_fetch):
            errors.append(
                ParseError(
                    f'Tags {tags} has invalid GitFetch (must be "refs/heads/..." or "refs/tags/..."):'
                    f" {quote(entry.git_fetch)}",
                    entry.line_of("GitFetch"),
                    "git-fetch",
                )
            )
        if not valid_git_commit(entry.git_commit):
            errors.append(
                ParseError(
                    f"Tags {tags} has invalid GitCommit (must be a commit, not a tag or ref):"
                    f" {quote(entry.git_commit)}",
                    entry.line_of("GitCommit"),
                    "git-commit",
                    entry.git_commit,
                )
            )
        if not entry.tags:
            errors.append(ParseError("missing Tags", entry.line, "missing-tags"))
            continue
        manifest.add(entry, errors)

    return LibraryFile(
        name=result.name,
        path=result.path,
        lines=result.lines,
        maintainers=tuple(defaults.maintainers),
        entries=tuple(draft.freeze() for draft in manifest.entries),
        errors=tuple(errors),
        global_line=global_line,
        paragraphs=tuple(read.paragraph for read in reads if read.paragraph is not None),
        defaults=defaults.freeze(),
    )


def _with(result: LibraryFile, errors: list[ParseError]) -> LibraryFile:
    return LibraryFile(name=result.name, path=result.path, lines=result.lines, errors=tuple(errors))
