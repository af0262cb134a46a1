"""DOI-L001..L010: everything bashbrew itself rejects, one rule per kind of parse error.

Each finding says what to change first, then quotes bashbrew's own message, so a contributor can match it
with the CI log.
"""

from __future__ import annotations

import re

from rules.findings import Finding, Severity
from rules.library.golang import quote
from rules.library.keys import arch_suggestion, miscased, replace_key
from rules.library.model import KNOWN_ARCHES, Field, LibraryFile, Paragraph, ParseError, brief
from rules.library.parser import split_list, valid_maintainer, valid_tag
from rules.library.values import inline_comments, trailing_comma
from rules.registry import Rule, rule

_LEGACY = re.compile(r"[\w.-]+:\s*\S+@[0-9a-fA-F]{7,64}\b")  # `1.0: git://host/repo@commit dir`
_SHA_START = re.compile(r"([0-9a-fA-F]{40}|[0-9a-fA-F]{64})(?![0-9a-fA-F])")

_WHY = " bashbrew refuses the whole file, so official-images CI fails before anything is built."

SYNTAX = rule(
    "DOI-L001",
    Severity.ERROR,
    "bashbrew cannot read the file",
    "Every line must be `Key: value`, a continuation line, a `#` comment or an empty line." + _WHY,
)
MAINTAINERS = rule(
    "DOI-L002",
    Severity.ERROR,
    "Maintainers missing or malformed",
    "The global paragraph must name its maintainers as `Full Name <email> (@github-handle)`." + _WHY,
)
GLOBAL = rule(
    "DOI-L003",
    Severity.ERROR,
    "The global paragraph has Tags or an unknown architecture",
    "The first paragraph holds only defaults for the entries; Tags belong to entries." + _WHY,
)
GIT_COMMIT = rule(
    "DOI-L004",
    Severity.ERROR,
    "GitCommit is not a full commit SHA",
    "GitCommit must be the full 40- (or 64-) character lowercase commit id, so every build is repeatable."
    + _WHY,
)
GIT_FETCH = rule(
    "DOI-L005",
    Severity.ERROR,
    "GitFetch is not a branch or tag ref",
    "GitFetch must be `refs/heads/<branch>` or `refs/tags/<tag>`." + _WHY,
)
MISSING_TAGS = rule(
    "DOI-L006",
    Severity.ERROR,
    "An entry without Tags",
    "Every paragraph after the global one is an entry and needs Tags." + _WHY,
)
GIT_REPO = rule(
    "DOI-L007",
    Severity.ERROR,
    "An entry without GitRepo",
    "Every entry needs a GitRepo, its own or the global paragraph's." + _WHY,
)
TAG_NAME = rule(
    "DOI-L008",
    Severity.ERROR,
    "A tag that is not a valid Docker tag",
    "Tags and SharedTags must be valid Docker tags (letters, digits, `_`, `.`, `-`, at most 128)." + _WHY,
)
ARCHITECTURES = rule(
    "DOI-L009",
    Severity.ERROR,
    "An unknown architecture",
    "Architectures must be among bashbrew's supported architectures." + _WHY,
)
DUPLICATE_TAG = rule(
    "DOI-L010",
    Severity.ERROR,
    "A tag on two entries",
    "A tag names one image; a tag meant for several entries (such as Windows and Linux) belongs in"
    " SharedTags." + _WHY,
)

_ARCH_LIST = ", ".join(KNOWN_ARCHES)

# kind -> (rule, what to change)
_ADVICE: dict[str, tuple[Rule, str]] = {
    "maintainers": (
        MAINTAINERS,
        "Write each maintainer as `Full Name <email> (@github-handle)` or `Full Name (@github-handle)`,"
        " separated by commas",
    ),
    "git-fetch": (GIT_FETCH, "Set GitFetch to `refs/heads/<branch>` or `refs/tags/<tag>`"),
    "git-commit": (
        GIT_COMMIT,
        "Set GitCommit to the full 40-character lowercase commit SHA, with nothing after it on the line",
    ),
    "missing-tags": (
        MISSING_TAGS,
        "Give this entry a Tags line, or remove the paragraph if it repeats the global one",
    ),
    "git-repo": (GIT_REPO, "Set GitRepo (for example `https://github.com/owner/repo.git`) for this entry"),
    "tag-name": (
        TAG_NAME,
        "Use tags made of letters, digits, `_`, `.` and `-` that start with a letter, digit or `_`,"
        " with no empty item between commas",
    ),
    "architectures": (ARCHITECTURES, f"Use only known architectures ({_ARCH_LIST})"),
    "duplicate-tag": (
        DUPLICATE_TAG,
        "Give each tag to one entry only, and put a tag shared by several entries in SharedTags",
    ),
}


def _readable(message: str) -> str:
    """bashbrew's message on one line (a `Bad line` error quotes the line with its line end), and not
    endless when it quotes a huge value."""
    text = message.replace("\r", "\\r").replace("\n", "\\n")
    return text if len(text) <= 600 else text[:600] + "…"


def _advice(library: LibraryFile, error: ParseError) -> tuple[Rule, str]:
    message = error.message
    if message == "missing Maintainers" and library.lines and library.lines[0].startswith("\ufeff"):
        return MAINTAINERS, "Remove the byte-order mark at the very start of the file"
    if message == "missing Maintainers" and legacy_format(library):
        return SYNTAX, (
            "Rewrite the file in the current format (a global paragraph with `Maintainers:`, then one"
            " paragraph per entry with Tags, GitRepo, GitCommit and Directory): bashbrew no longer supports"
            " the line-based `tag: repo@commit dir` format"
        )
    if message == "missing Maintainers":
        return MAINTAINERS, "Start the file with a global paragraph that has a `Maintainers:` line"
    if message == "global Tags not permitted":
        return GLOBAL, "Move Tags out of the global paragraph into an entry"
    arches = _arch_fixes(error)
    if arches:
        changes = " and ".join(f"`{known}` instead of `{brief(arch)}`" for arch, known in arches)
        return ARCHITECTURES if error.kind == "architectures" else GLOBAL, f"Write {changes} in Architectures"
    if message.startswith("invalid global Architectures"):
        return GLOBAL, f"Use only known architectures ({_ARCH_LIST})"
    if error.kind == "maintainers" and _missing_comma(library, error):
        return MAINTAINERS, "Put a comma between the maintainers on these two lines"
    if error.kind == "duplicate-tag" and error.subject:
        return DUPLICATE_TAG, (
            f"Keep the tag `{error.subject}` on one entry only (a tag meant for several entries belongs in"
            " SharedTags)"
        )
    if error.kind == "missing-tags" and _repeats_global(library, error):
        return MISSING_TAGS, "Remove this paragraph: it repeats the global paragraph and has no Tags"
    if error.kind in _ADVICE:
        return _ADVICE[error.kind]
    if message == "EOF":
        return SYNTAX, "Add a global paragraph with `Maintainers:` and at least one entry; the file is empty"
    if message.startswith("Bad line"):
        return SYNTAX, (
            "Write this line as `Key: value`, start it with `#` if it is a comment,"
            " or indent it if it continues the value above"
        )
    if message == "Invalid clearsigned input":
        return SYNTAX, "Remove the OpenPGP signature framing; a library file is plain text"
    return SYNTAX, "Rename or remove this key; bashbrew's decoder cannot take a key with this name"


def _repeats_global(library: LibraryFile, error: ParseError) -> bool:
    """The untagged paragraph sets Maintainers, which only the global paragraph needs."""
    paragraph = _paragraph_at(library, error.line)
    return paragraph is not None and paragraph.get("Maintainers") is not None


def _source_line(library: LibraryFile, number: int | None) -> str | None:
    return library.lines[number - 1] if number is not None and 0 < number <= len(library.lines) else None


def _missing_comma(library: LibraryFile, error: ParseError) -> tuple[int, str] | None:
    """Two maintainers on two lines with no comma between them: the line to end with a comma."""
    parts = [part.strip() for part in error.subject.split("\n")]
    if len(parts) < 2 or not all(valid_maintainer(part) for part in parts if part):
        return None
    for paragraph in library.paragraphs:
        found = paragraph.get("Maintainers")
        if found is None or found.line != error.line:
            continue
        for number, text in library.field_lines(found):
            if text.rstrip().endswith(parts[0]):
                return number, text.rstrip() + ","
    return None


def _arch_fixes(error: ParseError) -> list[tuple[str, str]] | None:
    """(typo, the known architecture it most likely means) for each unknown architecture of an
    Architectures error, or None when one of them is not a recognisable typo."""
    if not error.subject or not error.message.endswith(f"Architectures: {quote(error.subject)}"):
        return None
    fixes = []
    for arch in error.subject.split(", "):
        known = arch_suggestion(arch)
        if not known or not arch:
            return None
        fixes.append((arch, known))
    return fixes


def _fix(library: LibraryFile, error: ParseError) -> tuple[int | None, str | None]:
    """Where a mechanical fix goes and the fixed line, for the mistakes contributors make most."""
    if error.kind == "maintainers" and error.subject:
        fix = _missing_comma(library, error)
        if fix:
            return fix
    line = _source_line(library, error.line)
    arches = _arch_fixes(error)
    if arches and line is not None:
        fixed = line
        for arch, known in arches:
            if arch not in fixed:
                return error.line, None
            fixed = re.sub(rf"(?<![\w-]){re.escape(arch)}(?![\w-])", known, fixed, count=1)
        return error.line, fixed
    if error.kind == "git-commit" and line is not None:
        sha = _SHA_START.match(error.subject)
        if sha and error.subject in line:
            return error.line, line.replace(error.subject, sha.group(1).lower(), 1)
    return error.line, None


def legacy_format(library: LibraryFile) -> bool:
    """The line-based format bashbrew dropped long ago: `tag: repo@commit dir` lines and `# maintainer:`
    comments, so no Maintainers."""
    return any(e.message == "missing Maintainers" for e in library.errors) and any(
        _LEGACY.match(line) for line in library.lines
    )


def _paragraph_at(library: LibraryFile, line: int | None) -> Paragraph | None:
    for paragraph in library.paragraphs:
        if line is not None and paragraph.line <= line <= paragraph.end_line:
            return paragraph
    return None


def _field_at(library: LibraryFile, line: int | None) -> Field | None:
    paragraph = _paragraph_at(library, line)
    return next((f for f in paragraph.fields if f.line == line), None) if paragraph else None


# kind of list error -> whether an item of that list is valid
_VALID_ITEM = {
    "tag-name": valid_tag,
    "maintainers": valid_maintainer,
    "architectures": lambda arch: arch in KNOWN_ARCHES,
    "global": lambda arch: arch in KNOWN_ARCHES,
}
# kind of error an empty value causes -> the key whose mis-cased spelling left it empty
_EMPTY_KEY = {"git-commit": "GitCommit", "git-repo": "GitRepo"}


def _mechanical(library: LibraryFile, error: ParseError) -> tuple[str, int, str | None] | None:
    """(what to change, line, fixed line) when the error is the effect of a small typo elsewhere on the
    line or in the paragraph: a trailing comma, an inline comment, a mis-cased key, a line of spaces
    that joins the first entry to the global paragraph."""
    merged = library.paragraphs[0].blank_lookalikes if library.paragraphs else ()
    if error.message == "global Tags not permitted" and merged:
        return (
            "Make this line exactly empty: it has only spaces or tabs, so bashbrew reads the first entry as"
            " part of the global paragraph",
            merged[0],
            "",
        )
    key = _EMPTY_KEY.get(error.kind)
    if key and not error.subject:
        entry = _paragraph_at(library, error.line)
        for paragraph in (entry, library.paragraphs[0] if library.paragraphs else None):
            found = miscased(paragraph, key) if paragraph else None
            if found is not None:
                return (
                    f"Write the key as `{key}`: bashbrew ignores `{brief(found.key)}` as an unknown key",
                    found.line,
                    replace_key(library, found.line, found.key, key),
                )
        return None
    field = _field_at(library, error.line)
    valid = _VALID_ITEM.get(error.kind)
    if field is None or valid is None:
        return None
    comma = trailing_comma(library, field)
    if comma is not None and all(valid(item) for item in split_list(field.value)[:-1]):
        return f"Remove the comma at the end of {field.key}: bashbrew reads an empty item after it", *comma
    comments = inline_comments(library, field)
    if comments:
        number, fixed, comment = comments[0]
        return (
            f"Move the comment to a line of its own starting with `#`: bashbrew reads `{brief(comment)}`"
            f" as part of the {field.key} value",
            number,
            fixed,
        )
    return None


def _reported(library: LibraryFile) -> list[tuple[ParseError, list[str]]]:
    """The errors worth a finding, each with the tags it is about: only the first for a file in the old
    format; for an entry without Tags (often the global paragraph repeated) not also its GitCommit; one
    per entry for its duplicated tags."""
    errors = list(library.errors)
    if legacy_format(library):
        errors = [e for e in errors if e.message == "missing Maintainers"]
    untagged = [_paragraph_at(library, e.line) for e in errors if e.kind == "missing-tags"]
    errors = [
        e
        for e in errors
        if e.kind not in ("git-commit", "git-fetch") or _paragraph_at(library, e.line) not in untagged
    ]
    grouped: list[tuple[ParseError, list[str]]] = []
    for error in errors:
        previous = grouped[-1][0] if grouped else None
        if (
            error.kind == "duplicate-tag"
            and previous
            and (previous.kind, previous.line) == (error.kind, error.line)
        ):
            grouped[-1][1].append(error.subject)
        else:
            grouped.append((error, [error.subject] if error.kind == "duplicate-tag" else []))
    return grouped


def bashbrew_findings(library: LibraryFile) -> list[Finding]:
    """One error finding per bashbrew error, in bashbrew's order, without the errors that only repeat
    another one's cause."""
    # a field written over several lines: the finding covers them all
    ends = {f.line: f.end_line for p in library.paragraphs for f in p.fields if f.end_line > f.line}
    findings = []
    fixes: set[tuple[str, int | None, str]] = set()
    for error, tags in _reported(library):
        found_rule, advice = _advice(library, error)
        line, suggestion = _fix(library, error)
        mechanical = _mechanical(library, error)
        if mechanical is not None:
            advice, line, suggestion = mechanical
        if len(tags) > 1:
            names = ", ".join(f"`{brief(tag)}`" for tag in tags[:-1]) + f" and `{brief(tags[-1])}`"
            advice = (
                f"Keep the tags {names} on one entry only (tags meant for several entries belong in"
                " SharedTags)"
            )
        if suggestion is not None:
            if (found_rule.id, line, suggestion) in fixes:
                continue  # the same typo behind another entry's error (a mis-cased global key)
            fixes.add((found_rule.id, line, suggestion))
        message = f"{advice} (bashbrew: {_readable(error.message)})."
        end = ends.get(line) if line is not None and suggestion is None else None
        findings.append(found_rule.finding(library.path, line, message, end_line=end, suggestion=suggestion))
    return findings
