"""The mistakes contributors really make in library files (research §5), each made in a real corpus file
the way a contributor would, through `doi-bot check --format json`: the right rule, an error exactly
where bashbrew or CI rejects it, the line of the mistake, one sentence that says what to change, and for
a mechanical fix a suggestion that restores the line as it was meant."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.cli import main

# the suggestion restores the line the mistake was made on, as it was in the real file
ORIGINAL = "<the line as it was>"
SHA = "3b10654333bfc145b9eeed55c4bf495a81ac8ec0"  # redis's first GitCommit
ALPINE = (
    "Tags: 8.10.1-alpine, 8.10-alpine, 8-alpine, 8.10.1-alpine3.23, 8.10-alpine3.23, 8-alpine3.23, alpine,"
    " alpine3.23\nArchitectures: amd64, arm32v6, arm32v7, arm64v8, i386, ppc64le, riscv64, s390x\n"
    f"GitCommit: {SHA}\nGitFetch: refs/tags/v8.10.1\nDirectory: alpine\n"
)
REDIS_GLOBAL = (
    "GitRepo: https://github.com/redis/docker-library-redis.git\n\n"
    "Tags: 8.10.1, 8.10, 8, 8.10.1-trixie, 8.10-trixie, 8-trixie, latest, trixie\n"
)
LEGACY = f"""# maintainer: Jane Doe <jane@example.com> (@jane)
# maintainer: John Roe <john@example.com> (@john)

8.10.1: git://github.com/redis/docker-library-redis@{SHA} debian
8.10: git://github.com/redis/docker-library-redis@{SHA} debian
latest: git://github.com/redis/docker-library-redis@{SHA} debian

8.10.1-alpine: git://github.com/redis/docker-library-redis@{SHA} alpine
alpine: git://github.com/redis/docker-library-redis@{SHA} alpine
"""


@dataclass(frozen=True)
class Mistake:
    image: str  # the corpus file the mistake is made in
    old: str
    new: str
    rule: str
    severity: str
    says: str  # what the message must tell the contributor to do
    suggestion: str | None = None  # ORIGINAL: the line as it was before the mistake
    line: int | None = None  # default: the first line the mistake changed
    whole_file: bool = False  # `new` replaces the file


MISTAKES = {
    "maintainers without a comma between continuation lines": Mistake(
        "redis",
        "(@dagansandler),\n",
        "(@dagansandler)\n",
        "DOI-L002",
        "error",
        "Put a comma between the maintainers",
        ORIGINAL,
    ),
    "a short GitCommit": Mistake(
        "redis", f"GitCommit: {SHA}", "GitCommit: 3b10654", "DOI-L004", "error", "full 40-character"
    ),
    "an uppercase GitCommit": Mistake(
        "redis", f"GitCommit: {SHA}", f"GitCommit: {SHA.upper()}", "DOI-L004", "error", "lowercase", ORIGINAL
    ),
    "text after the GitCommit": Mistake(
        "redis",
        f"GitCommit: {SHA}",
        f"GitCommit: {SHA} (v8.10.1)",
        "DOI-L004",
        "error",
        "nothing after it",
        ORIGINAL,
    ),
    "a comment after the GitCommit": Mistake(
        "redis",
        f"GitCommit: {SHA}",
        f"GitCommit: {SHA} # v8.10.1",
        "DOI-L004",
        "error",
        "nothing after it",
        ORIGINAL,
    ),
    "a comment after the Directory": Mistake(
        "redis",
        "Directory: debian\n",
        "Directory: debian # the default variant\n",
        "DOI-L026",
        "warning",
        "Move the comment to a line of its own",
        ORIGINAL,
    ),
    "a comment after the Tags": Mistake(
        "redis",
        "latest, trixie\n",
        "latest, trixie # the default\n",
        "DOI-L008",
        "error",
        "Move the comment to a line of its own",
        ORIGINAL,
    ),
    "a comment after the SharedTags": Mistake(
        "hello-world",
        "SharedTags: latest\n",
        "SharedTags: latest # the default\n",
        "DOI-L008",
        "error",
        "Move the comment to a line of its own",
        ORIGINAL,
    ),
    "latest on two entries": Mistake(
        "redis",
        "8-alpine3.23, alpine, alpine3.23\n",
        "8-alpine3.23, alpine, alpine3.23, latest\n",
        "DOI-L010",
        "error",
        "Keep the tag `latest` on one entry only",
    ),
    "an entry copied with all its tags": Mistake(
        "redis",
        ALPINE,
        ALPINE + "\n" + ALPINE.replace("Directory: alpine", "Directory: alpine3.22"),
        "DOI-L010",
        "error",
        "Keep the tags `8.10.1-alpine`, `8.10-alpine`",
    ),
    "a line of prose without #": Mistake(
        "redis",
        "Directory: debian\n",
        "Directory: debian\nThis is the default variant.\n",
        "DOI-L001",
        "error",
        "start it with `#` if it is a comment",
    ),
    "the global paragraph repeated as the second": Mistake(
        "redis",
        REDIS_GLOBAL,
        REDIS_GLOBAL.replace("\n\nTags:", "\n\n{GLOBAL}\n\nTags:"),
        "DOI-L006",
        "error",
        "Remove this paragraph: it repeats the global paragraph",
    ),
    "arm64v9 for arm64v8": Mistake(
        "redis",
        "Architectures: amd64, arm32v5, arm32v7, arm64v8,",
        "Architectures: amd64, arm32v5, arm32v7, arm64v9,",
        "DOI-L009",
        "error",
        "Write `arm64v8` instead of `arm64v9`",
        ORIGINAL,
    ),
    "amd46 for amd64": Mistake(
        "redis",
        "Architectures: amd64, arm32v5, arm32v7, arm64v8,",
        "Architectures: amd46, arm32v5, arm32v7, arm64v8,",
        "DOI-L009",
        "error",
        "Write `amd64` instead of `amd46`",
        ORIGINAL,
    ),
    "arm64 for arm64v8": Mistake(
        "redis",
        "Architectures: amd64, arm32v5, arm32v7, arm64v8,",
        "Architectures: amd64, arm32v5, arm32v7, arm64,",
        "DOI-L009",
        "error",
        "Write `arm64v8` instead of `arm64`",
        ORIGINAL,
    ),
    "an architecture typo in the global paragraph": Mistake(
        "hello-world",
        "GitRepo: https://github.com/docker-library/hello-world.git\n",
        "GitRepo: https://github.com/docker-library/hello-world.git\nArchitectures: amd64, arm64\n",
        "DOI-L003",
        "error",
        "Write `arm64v8` instead of `arm64`",
        "Architectures: amd64, arm64v8",
    ),
    "a trailing comma in Tags": Mistake(
        "redis",
        "latest, trixie\n",
        "latest, trixie,\n",
        "DOI-L008",
        "error",
        "Remove the comma at the end",
        ORIGINAL,
    ),
    "a trailing comma in SharedTags": Mistake(
        "hello-world",
        "SharedTags: latest\n",
        "SharedTags: latest,\n",
        "DOI-L008",
        "error",
        "Remove the comma at the end of SharedTags",
        ORIGINAL,
    ),
    "a trailing comma after the last maintainer": Mistake(
        "redis",
        "(@gonen-red)\n",
        "(@gonen-red),\n",
        "DOI-L002",
        "error",
        "Remove the comma at the end of Maintainers",
        ORIGINAL,
    ),
    "a trailing comma in Architectures": Mistake(
        "redis",
        "riscv64, ppc64le, s390x\n",
        "riscv64, ppc64le, s390x,\n",
        "DOI-L009",
        "error",
        "Remove the comma at the end of Architectures",
        ORIGINAL,
    ),
    "the old line-based format": Mistake(
        "redis",
        "",
        LEGACY,
        "DOI-L001",
        "error",
        "no longer supports the line-based",
        line=4,
        whole_file=True,
    ),
    "a whitespace-only line between two entries": Mistake(
        "redis",
        "Directory: debian\n\n",
        "Directory: debian\n  \n",
        "DOI-L025",
        "warning",
        "exactly empty",
        "",
    ),
    "a whitespace-only line after the global paragraph": Mistake(
        "redis",
        ".git\n\nTags: 8.10.1,",
        ".git\n \nTags: 8.10.1,",
        "DOI-L003",
        "error",
        "Make this line exactly empty",
        ORIGINAL,
    ),
    "a mis-cased GitCommit in an entry": Mistake(
        "redis",
        f"GitCommit: {SHA}\nGitFetch: refs/tags/v8.10.1\nDirectory: debian",
        f"Gitcommit: {SHA}\nGitFetch: refs/tags/v8.10.1\nDirectory: debian",
        "DOI-L004",
        "error",
        "Write the key as `GitCommit`",
        ORIGINAL,
    ),
    "a mis-cased GitCommit in the global paragraph": Mistake(
        "nats",
        "GitCommit: aa0caa57b71c01566a100b47b2ed94de6ef6cf80\n",
        "Gitcommit: aa0caa57b71c01566a100b47b2ed94de6ef6cf80\n",
        "DOI-L004",
        "error",
        "Write the key as `GitCommit`",
        ORIGINAL,
    ),
    "a mis-cased GitRepo in the global paragraph": Mistake(
        "redis",
        "GitRepo: https://github.com/redis",
        "Gitrepo: https://github.com/redis",
        "DOI-L007",
        "error",
        "Write the key as `GitRepo`",
        ORIGINAL,
    ),
    "Architecture for Architectures": Mistake(
        "redis",
        "Architectures: amd64, arm32v5, arm32v7, arm64v8,",
        "Architecture: amd64, arm32v5, arm32v7, arm64v8,",
        "DOI-L021",
        "warning",
        "Write `Architectures`",
        ORIGINAL,
    ),
    "latest kept when copying an entry's SharedTags": Mistake(
        "nats",
        "SharedTags: 2.12.15, 2.12\n",
        "SharedTags: 2.12.15, 2.12, 2, latest\n",
        "DOI-L012",
        "error",
        "Give each architecture to only one of the entries sharing",
    ),
    "a tag containing latest": Mistake(
        "redis",
        "8-alpine3.23, alpine, alpine3.23\n",
        "8-alpine3.23, alpine, alpine3.23, latest-alpine\n",
        "DOI-L011",
        "error",
        "Rename the tag `latest-alpine`",
    ),
}


def _library(shared: Path, image: str) -> str:
    return (shared / "corpus" / "official-images" / "library" / image).read_text()


def _mistaken(original: str, mistake: Mistake) -> str:
    if mistake.whole_file:
        return mistake.new
    new = mistake.new.replace("{GLOBAL}", original.split("\n\n")[0])  # the global paragraph as it is
    assert original.count(mistake.old) >= 1, "the corpus file changed: pick another place for the mistake"
    return original.replace(mistake.old, new, 1)


def _first_changed_line(before: str, after: str) -> int:
    for number, (old, new) in enumerate(zip(before.split("\n"), after.split("\n"), strict=False), 1):
        if old != new:
            return number
    raise AssertionError("the mistake changed nothing")


def _check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], image: str, text: str
) -> tuple[int, list[dict]]:
    path = tmp_path / image
    path.write_text(text)
    status = main(["check", "--format", "json", str(path)])
    out = capsys.readouterr().out
    return status, [f for f in json.loads(out)["findings"] if f["rule"].startswith("DOI-L")]


@pytest.mark.parametrize("name", MISTAKES)
def test_a_real_mistake_gives_one_clear_finding_on_its_line(name, shared, tmp_path, capsys):
    mistake = MISTAKES[name]
    original = _library(shared, mistake.image)
    assert _check(tmp_path, capsys, mistake.image, original)[1] == []  # the real file is clean
    text = _mistaken(original, mistake)
    status, findings = _check(tmp_path, capsys, mistake.image, text)

    assert [(f["rule"], f["severity"]) for f in findings] == [(mistake.rule, mistake.severity)]
    (finding,) = findings
    line = mistake.line or _first_changed_line(original, text)
    assert finding["line"] == line
    assert status == (1 if mistake.severity == "error" else 0)
    message = finding["message"]
    advice = message.partition(" (bashbrew: ")[0]
    assert "\n" not in message and message[0].isupper() and message.endswith(".")
    assert ". " not in advice and mistake.says in advice  # one sentence, and it says what to change
    expected = original.split("\n")[line - 1] if mistake.suggestion is ORIGINAL else mistake.suggestion
    assert finding.get("suggestion") == expected
    if expected is not None:  # applying the suggestion undoes the mistake
        lines = text.split("\n")
        lines[line - 1] = expected
        assert _check(tmp_path, capsys, mistake.image, "\n".join(lines))[1] == []
