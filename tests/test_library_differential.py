"""Differences found by reading bashbrew v0.1.14 and go-debian line by line against our parser and cat."""

from __future__ import annotations

from rules.library.cat import cat_text
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
