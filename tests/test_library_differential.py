"""Differences found by reading bashbrew v0.1.14 and go-debian line by line against our parser and cat."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rules.library.cat import cat_text
from rules.library.golang import quote
from rules.library.parser import parse_library

SHA = "0123456789abcdef0123456789abcdef01234567"
SHA2 = "89abcdef0123456789abcdef0123456789abcdef"
HEADER = "Maintainers: Jane Doe <jane@example.com> (@jane)\nGitRepo: https://github.com/example/app.git\n"


def parse(text: str):
    return parse_library(text, "app", "library/app")


def test_cat_adds_no_line_end_when_the_last_value_already_ends_with_one():
    # cmd-cat prints Manifest.String() and adds "\n" only when the text does not end with one; a
    # whitespace-only last line makes the last value "d\n\n" (path.Clean keeps it)
    library = parse(HEADER + "\n" + f"Tags: 1\nGitCommit: {SHA}\nDirectory: d\n \n")
    assert library.ok and library.entries[0].directory == "d\n\n"
    assert cat_text(library) == (
        "Maintainers: Jane Doe <jane@example.com> (@jane)\n"
        "GitRepo: https://github.com/example/app.git\n\n"
        f"Tags: 1\nGitCommit: {SHA}\nDirectory: d\n\n"
    )


def test_a_shared_tag_conflict_names_the_first_entry_in_file_order_after_a_merge():
    # GetSharedTag walks Entries in order: the first entry (which gained `s` by a merge) is named,
    # not the second entry that had `s` before the merge happened
    text = (
        HEADER
        + f"\nTags: a\nGitCommit: {SHA}\n"
        + f"\nTags: b\nSharedTags: s\nGitCommit: {SHA2}\n"
        + f"\nTags: c\nSharedTags: s\nGitCommit: {SHA}\n"
        + f"\nTags: s\nGitCommit: {SHA2}\nDirectory: x\n"
    )
    assert parse(text).errors[0].message == (
        'Tags "s" includes tag conflicting with a shared tag: "s" (shared tag in "a, c")'
    )


def test_cat_writes_the_global_paragraph_as_decoded_and_entries_as_added():
    # AddEntry cleans Directory and de-duplicates SharedTags of entries only, so ClearDefaults compares
    # each entry's cleaned values with the global paragraph's raw ones; an explicit default is dropped;
    # an arch field emptied by an entry is neither inherited nor printed; entry Maintainers append
    text = (
        "Maintainers: Jane Doe <jane@example.com> (@jane)\n"
        "GitRepo: https://github.com/example/app.git\nGitFetch: refs/heads/master\n"
        "Directory: ./base/\nSharedTags: s, s\n"
        f"arm64v8-GitCommit: {SHA2}\nArchitectures: arm64v8, amd64\n"
        f"\nTags: 1\nGitCommit: {SHA}\narm64v8-GitCommit:\n"
        f"\nTags: 2\nGitCommit: {SHA2}\nMaintainers: Joe (@joe)\nDirectory: base\n"
    )
    library = parse(text)
    assert library.ok
    assert cat_text(library) == (
        "Maintainers: Jane Doe <jane@example.com> (@jane)\n"
        "SharedTags: s, s\nArchitectures: amd64, arm64v8\n"
        "GitRepo: https://github.com/example/app.git\nDirectory: ./base/\n"
        f"arm64v8-GitCommit: {SHA2}\n\n"
        f"Tags: 1\nSharedTags: s\nGitCommit: {SHA}\nDirectory: base\n\n"
        "Maintainers: Jane Doe <jane@example.com> (@jane), Joe (@joe)\n"
        f"Tags: 2\nSharedTags: s\nGitCommit: {SHA2}\nDirectory: base\n"
    )
    first, second = library.entries
    assert first.source("arm64v8").git_commit == SHA and second.source("arm64v8").git_commit == SHA2


def test_cat_writes_merged_entries_as_one_paragraph():
    text = (
        HEADER
        + f"\nTags: 1.0\nSharedTags: s\nGitCommit: {SHA}\n"
        + f"\nTags: 1\nSharedTags: t, s\nGitCommit: {SHA}\nMaintainers: Joe (@joe)\n"
    )
    assert cat_text(parse(text)) == (HEADER + f"\nTags: 1.0, 1\nSharedTags: s, t\nGitCommit: {SHA}\n")


def _manifest(tmp_path: Path, data: bytes, *flags: str) -> tuple[int, bytes, bytes]:
    path = tmp_path / "app"
    path.write_bytes(data)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "manifest", *flags, str(path)], capture_output=True, check=False
    )
    return done.returncode, done.stdout, done.stderr


def test_manifest_reads_bytes_as_bashbrew_does_invalid_utf8_and_nul_included(tmp_path: Path):
    # Go strings are bytes: a Latin-1 name passes the maintainer regexp, and cat writes the byte back
    latin1 = b"Maintainers: Jos\xe9 (@jose)\nGitRepo: https://github.com/example/app.git\n\n"
    good = latin1 + f"Tags: 1\nGitCommit: {SHA}\n".encode()
    assert _manifest(tmp_path, good) == (0, good, b"")
    # Go's %q writes an invalid byte as \xNN and a NUL as \x00
    bad = latin1 + f"Tags: 1\xe9, 2\x00\nGitCommit: {SHA}\n".encode("latin-1")
    status, out, err = _manifest(tmp_path, bad)
    assert (status, out) == (1, b"")
    assert err == b'Tags "1\\xe9, 2\\x00" has invalid (Shared)Tags: "1\\xe9, 2\\x00"\n'
    # the JSON replaces an invalid byte with U+FFFD, as Go's encoding/json does
    status, out, _ = _manifest(tmp_path, good, "--json")
    assert status == 0 and json.loads(out)["Maintainers"] == ["Jos\ufffd (@jose)"]


def test_go_quoting_of_raw_bytes():
    assert quote("a\udce9\x00") == '"a\\xe9\\x00"'
