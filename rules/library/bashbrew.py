"""DOI-L001..L010: everything bashbrew itself rejects, one rule per kind of parse error.

Each finding says what to change first, then quotes bashbrew's own message, so a contributor can match it
with the CI log.
"""

from __future__ import annotations

import re

from rules.findings import Finding, Severity
from rules.library.golang import quote
from rules.library.keys import arch_suggestion
from rules.library.model import KNOWN_ARCHES, LibraryFile, ParseError
from rules.library.parser import valid_maintainer
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
    if message == "missing Maintainers" and any(_LEGACY.match(line) for line in library.lines):
        return MAINTAINERS, (
            "Rewrite the file in the current format (`Maintainers:`, then one paragraph per entry with"
            " Tags, GitRepo, GitCommit and Directory): bashbrew no longer reads `tag: repo@commit dir` lines"
        )
    if message == "missing Maintainers":
        return MAINTAINERS, "Start the file with a global paragraph that has a `Maintainers:` line"
    if message == "global Tags not permitted":
        merged = library.paragraphs[0].blank_lookalikes if library.paragraphs else ()
        if merged:
            return GLOBAL, (
                f"Make line {merged[0]} exactly empty (it has only spaces or tabs, so bashbrew reads the"
                " first entry as part of the global paragraph)"
            )
        return GLOBAL, "Move Tags out of the global paragraph into an entry"
    if message.startswith("invalid global Architectures"):
        return GLOBAL, f"Use only known architectures ({_ARCH_LIST})"
    if error.kind == "maintainers" and _missing_comma(library, error):
        return MAINTAINERS, "Put a comma between the maintainers on these two lines"
    if error.kind == "duplicate-tag" and error.subject:
        return DUPLICATE_TAG, (
            f"Keep the tag `{error.subject}` on one entry only (a tag meant for several entries belongs in"
            " SharedTags)"
        )
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


def _fix(library: LibraryFile, error: ParseError) -> tuple[int | None, str | None]:
    """Where a mechanical fix goes and the fixed line, for the mistakes contributors make most."""
    if error.kind == "maintainers" and error.subject:
        fix = _missing_comma(library, error)
        if fix:
            return fix
    line = _source_line(library, error.line)
    if (
        error.subject
        and line is not None
        and error.message.endswith(f"Architectures: {quote(error.subject)}")
    ):
        fixed = line
        for arch in error.subject.split(", "):
            known = arch_suggestion(arch)
            if not known or not arch or arch not in fixed:
                return error.line, None
            fixed = re.sub(rf"(?<![\w-]){re.escape(arch)}(?![\w-])", known, fixed, count=1)
        return error.line, fixed
    if error.kind == "git-commit" and line is not None:
        sha = _SHA_START.match(error.subject)
        if sha and error.subject in line:
            return error.line, line.replace(error.subject, sha.group(1).lower(), 1)
    return error.line, None


def bashbrew_findings(library: LibraryFile) -> list[Finding]:
    """One error finding per bashbrew error, in bashbrew's order."""
    # a field written over several lines: the finding covers them all
    ends = {f.line: f.end_line for p in library.paragraphs for f in p.fields if f.end_line > f.line}
    findings = []
    for error in library.errors:
        found_rule, advice = _advice(library, error)
        line, suggestion = _fix(library, error)
        message = f"{advice} (bashbrew: {_readable(error.message)})."
        end = ends.get(line) if line is not None and suggestion is None else None
        findings.append(found_rule.finding(library.path, line, message, end_line=end, suggestion=suggestion))
    return findings
