"""The library-file parser against bashbrew v0.1.14's behaviour: messages, order, inheritance, edges."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rules.library.golang import clean_path, quote
from rules.library.parser import MAINTAINERS_FORMAT, parse_library, valid_maintainer

SHA = "0123456789abcdef0123456789abcdef01234567"
SHA2 = "89abcdef0123456789abcdef0123456789abcdef"
HEADER = "Maintainers: Jane Doe <jane@example.com> (@jane)\nGitRepo: https://github.com/example/app.git\n"
FORMAT = quote(MAINTAINERS_FORMAT)


def entry(tags: str = "1.0, 1, latest", commit: str = SHA, extra: str = "") -> str:
    return f"Tags: {tags}\nGitCommit: {commit}\n{extra}"


def parse(text: str):
    return parse_library(text, "app", "library/app")


def first_error(text: str) -> tuple[str, int | None]:
    library = parse(text)
    assert library.errors, "expected bashbrew to reject this"
    return library.errors[0].message, library.errors[0].line


# --- the corpus -------------------------------------------------------------------------------------


def test_the_whole_corpus_parses_as_bashbrew_parses_it(shared: Path):
    root = shared / "corpus" / "official-images" / "library"
    files = [parse_library(p.read_text(), p.name, f"library/{p.name}") for p in sorted(root.iterdir())]
    assert len(files) == 144
    assert [f.name for f in files if f.errors] == []
    assert sum(len(f.entries) for f in files) == 2121
    assert sum(len(f.tags()) for f in files) == 9849
    assert sorted(f.name for f in files if f.retired) == [
        "clefos",
        "gazebo",
        "mongo-express",
        "notary",
        "php-zendserver",
        "plone",
        "unit",
    ]


# --- every bashbrew message ---------------------------------------------------------------------------

MESSAGES = [
    ("", "EOF", None),
    ("# only a comment\n\n\n", "EOF", None),
    ("Maintainers: Jane (@jane)\nthis is prose\n", "Bad line: 'this is prose\n' has no ':'", 2),
    ("Maintainers: Jane (@jane)\nno newline at the end", "Bad line: 'no newline at the end\n' has no ':'", 2),
    ("GitRepo: https://x/y\n\n" + entry(), "missing Maintainers", 1),
    ("Maintainers: Jane Doe\n", f'invalid Maintainers: "Jane Doe" (expected format {FORMAT})', 1),
    (
        "Maintainers: A (@a)\n B (@b)\n",
        f'invalid Maintainers: "A (@a)\\nB (@b)" (expected format {FORMAT})',
        1,
    ),
    (HEADER + "Tags: latest\n", "global Tags not permitted", 3),
    (HEADER + "Architectures: amd64, arm64\n", 'invalid global Architectures: "arm64"', 3),
    (
        HEADER + "\n" + entry(extra="GitFetch: main\n"),
        'Tags "1.0, 1, latest" has invalid GitFetch (must be "refs/heads/..." or "refs/tags/..."): "main"',
        6,
    ),
    (
        HEADER + "\n" + entry(commit="abc123"),
        'Tags "1.0, 1, latest" has invalid GitCommit (must be a commit, not a tag or ref): "abc123"',
        5,
    ),
    (
        HEADER + "\n" + entry(commit=SHA + " # 1.0"),
        f'Tags "1.0, 1, latest" has invalid GitCommit (must be a commit, not a tag or ref): "{SHA} # 1.0"',
        5,
    ),
    (
        HEADER + "\nDirectory: 1.0\n",
        'Tags "" has invalid GitCommit (must be a commit, not a tag or ref): ""',
        4,
    ),
    (HEADER + "GitCommit: " + SHA + "\n\nDirectory: 1.0\n", "missing Tags", 5),
    (
        "Maintainers: Jane (@jane)\n\n" + entry(),
        'Tags "1.0, 1, latest" missing one of GitRepo, GitFetch, or GitCommit',
        3,
    ),
    (
        HEADER + "\n" + entry(extra="Maintainers: Bob\n"),
        f'Tags "1.0, 1, latest" has invalid Maintainers: "Bob" (expected format {FORMAT})',
        6,
    ),
    (HEADER + "\n" + entry(tags="1.0,"), 'Tags "1.0, " has invalid (Shared)Tags: ""', 4),
    (
        HEADER + "\n" + entry(extra="SharedTags: -x, ok\n"),
        'Tags "1.0, 1, latest" has invalid (Shared)Tags: "-x"',
        6,
    ),
    (
        HEADER + "\n" + entry(extra="Architectures: amd64, arm64\n"),
        'Tags "1.0, 1, latest" has invalid Architectures: "arm64"',
        6,
    ),
    (
        HEADER + "\n" + entry() + "\n" + entry(tags="2.0, latest", commit=SHA2),
        'Tags "2.0, latest" includes duplicate tag: "latest" (duplicated in "1.0, 1, latest")',
        7,
    ),
    (
        HEADER
        + "\n"
        + entry(tags="1.0", extra="SharedTags: shared\n")
        + "\n"
        + entry(tags="shared", commit=SHA2),
        'Tags "shared" includes tag conflicting with a shared tag: "shared" (shared tag in "1.0")',
        8,
    ),
    (HEADER + "\n" + entry(tags="1.0, 1.0"), 'Tags "1.0, 1.0" includes duplicate tag: "1.0"', 4),
    (
        HEADER + "\n" + entry(tags="1.0") + "\n" + entry(tags="2.0", commit=SHA2, extra="SharedTags: 1.0\n"),
        'Tags "2.0" includes conflicting shared tag: "1.0" (duplicated in "1.0")',
        9,
    ),
    (
        HEADER + "\n" + entry(tags="1.0", extra="SharedTags: 1.0\n"),
        'Tags "1.0" includes duplicate tag: "1.0" (in SharedTags)',
        6,
    ),
    (HEADER + "Values: x\n", "Unknown type of field: map[string]string", 3),
    (HEADER + "ArchValues: x\n", "Unknown type of field: map[string]string", 3),
    (HEADER + "Paragraph: x\n", "Type 'Paragraph' does not implement control.Unmarshallable", 3),
    ("-----BEGIN PGP SIGNED MESSAGE-----\nnot really\n", "Invalid clearsigned input", 1),
]


@pytest.mark.parametrize(("text", "message", "line"), MESSAGES)
def test_every_bashbrew_message_in_its_own_words_and_line(text: str, message: str, line: int | None):
    assert first_error(text) == (message, line)


def test_errors_come_in_bashbrew_order_and_all_are_reported():
    text = (
        HEADER + "\n" + entry(commit="abc") + "\n" + entry(tags="2.0, 1", commit=SHA2, extra="GitFetch: x\n")
    )
    library = parse(text)
    messages = [e.message for e in library.errors]
    assert messages == [
        'Tags "1.0, 1, latest" has invalid GitCommit (must be a commit, not a tag or ref): "abc"',
        'Tags "2.0, 1" has invalid GitFetch (must be "refs/heads/..." or "refs/tags/..."): "x"',
        'Tags "2.0, 1" includes duplicate tag: "1" (duplicated in "1.0, 1, latest")',
    ]
    assert [e.kind for e in library.errors] == ["git-commit", "git-fetch", "duplicate-tag"]


def test_gitfetch_and_gitcommit_are_checked_before_tags_as_bashbrew_does():
    assert first_error(HEADER + "\nGitFetch: nope\n")[0].startswith('Tags "" has invalid GitFetch')


def test_a_bad_line_comes_before_the_errors_of_later_paragraphs_only():
    text = "GitRepo: x\n\nprose\n"
    assert [e.message for e in parse(text).errors] == [
        "missing Maintainers",
        "Bad line: 'prose\n' has no ':'",
    ]


# --- the reader: comments, paragraphs, continuation lines ---------------------------------------------


def test_comment_lines_are_dropped_first_but_a_hash_after_a_value_is_kept():
    text = HEADER + "# a comment\n\n" + "Tags: 1.0 # old\n   # indented comment\nGitCommit: " + SHA + "\n"
    library = parse(text)
    assert library.errors[0].message.endswith('invalid (Shared)Tags: "1.0 # old"')


def test_a_whitespace_only_line_is_a_continuation_and_merges_paragraphs():
    text = HEADER + "\n" + entry(tags="1.0") + " \n" + entry(tags="2.0", extra="Directory: d\n")
    library = parse(text)
    assert library.ok
    (only,) = library.entries
    assert only.tags == ("2.0",)  # the first entry's tags vanish, as in bashbrew
    assert library.paragraphs[1].blank_lookalikes == (6,)


def test_a_whitespace_only_line_after_a_value_adds_two_line_ends():
    library = parse(HEADER + "\n" + entry(extra="Directory: d\n\t\n"))
    assert library.ok
    assert library.entries[0].directory == "d\n\n"


def test_a_whitespace_only_line_after_the_global_paragraph_gives_global_tags():
    assert first_error(HEADER + " \n" + entry()) == ("global Tags not permitted", 4)


def test_continuation_lines_join_with_line_ends_and_dot_lines_are_empty():
    text = HEADER + "\nTags: 1.0,\n 1,\n\tlatest\nGitCommit: " + SHA + "\nDirectory: a\n .\n b\n"
    library = parse(text)
    assert library.entries[0].tags == ("1.0", "1", "latest")
    assert library.paragraphs[1].get("Directory").value == "a\n\nb\n"
    assert library.paragraphs[1].get("Tags").end_line == 6


def test_crlf_lines_are_read_like_bashbrew_reads_them():
    text = (HEADER + "\n" + entry()).replace("\n", "\r\n")
    library = parse(text)
    assert library.ok and library.entries[0].tags == ("1.0", "1", "latest")


def test_keys_are_case_sensitive_and_unknown_keys_are_ignored():
    library = parse(HEADER + "\n" + entry(extra="gitcommit: nope\nArchitecture: arm64v8\n"))
    assert library.ok
    assert library.entries[0].architectures == ("amd64",)


def test_a_repeated_key_keeps_its_last_value():
    library = parse(HEADER + "\n" + entry(extra="Directory: a\nDirectory: b\n"))
    assert library.entries[0].directory == "b"


def test_a_byte_order_mark_gives_missing_maintainers():
    assert first_error("\ufeff" + HEADER + "\n" + entry()) == ("missing Maintainers", 1)


def test_clear_signed_input_is_read_through_its_framing():
    signed = (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
        + HEADER
        + "\n"
        + entry()
        + "-----BEGIN PGP SIGNATURE-----\n\niQEzBAEBCAAdFiEE\n=abcd\n-----END PGP SIGNATURE-----\n"
    )
    library = parse(signed)
    assert library.ok
    assert library.entries[0].tags == ("1.0", "1", "latest")
    assert library.entries[0].line == 7


# --- decoding and inheritance ---------------------------------------------------------------------------


def test_defaults_of_the_global_paragraph():
    (e,) = parse(HEADER + "\n" + entry()).entries
    assert (e.architectures, e.git_fetch, e.directory, e.file, e.builder) == (
        ("amd64",),
        "refs/heads/master",
        ".",
        "Dockerfile",
        "",
    )


def test_scalars_override_the_global_paragraph():
    text = HEADER + "GitFetch: refs/heads/main\nDirectory: g\nFile: F\nBuilder: buildkit\n\n"
    text += entry(extra="GitRepo: https://github.com/other/app\nDirectory: e\n")
    (e,) = parse(text).entries
    assert (e.git_repo, e.git_fetch, e.directory, e.file, e.builder) == (
        "https://github.com/other/app",
        "refs/heads/main",
        "e",
        "F",
        "buildkit",
    )


def test_architectures_and_shared_tags_are_replaced_not_merged():
    text = HEADER + "Architectures: amd64, arm64v8\nSharedTags: shared\n\n" + entry(tags="1")
    text += "\n" + entry(tags="2", commit=SHA2, extra="Architectures: s390x\nSharedTags: other\n")
    first, second = parse(text).entries
    assert (first.architectures, first.shared_tags) == (("amd64", "arm64v8"), ("shared",))
    assert (second.architectures, second.shared_tags) == (("s390x",), ("other",))


def test_maintainers_and_constraints_append():
    text = HEADER + "Constraints: windowsservercore-ltsc2022\n\n"
    text += entry(extra="Maintainers: Bob (@bob)\nConstraints: !aufs\n")
    (e,) = parse(text).entries
    assert e.maintainers == ("Jane Doe <jane@example.com> (@jane)", "Bob (@bob)")
    assert e.constraints == ("windowsservercore-ltsc2022", "!aufs")
    assert parse(text).maintainers == ("Jane Doe <jane@example.com> (@jane)",)


def test_arch_fields_inherit_per_key_and_an_empty_one_falls_back():
    text = HEADER + "amd64-GitCommit: " + SHA2 + "\narm64v8-Directory: arm64/\n\n"
    text += entry(extra="Architectures: arm64v8, amd64\namd64-GitCommit:\ns390x-File: F\n")
    (e,) = parse(text).entries
    assert e.architectures == ("amd64", "arm64v8")
    assert e.source("amd64").git_commit == SHA  # emptied here, so the plain GitCommit
    assert e.source("arm64v8").directory == "arm64"  # path.Clean
    assert e.arch_values["s390x-File"] == "F"
    assert e.arch_values["arm64v8-Directory"] == "arm64"


def test_architectures_are_sorted_and_deduplicated():
    (e,) = parse(HEADER + "\n" + entry(extra="Architectures: s390x, amd64, amd64, arm32v7\n")).entries
    assert e.architectures == ("amd64", "arm32v7", "s390x")


def test_entries_with_identical_build_artifacts_are_merged():
    text = (
        HEADER
        + "\n"
        + entry(tags="1.0", extra="SharedTags: s\n")
        + "\n"
        + entry(tags="1", extra="SharedTags: s, t\n")
    )
    library = parse(text)
    assert library.ok
    (merged,) = library.entries
    assert merged.tags == ("1.0", "1") and merged.shared_tags == ("s", "t")


def test_directory_is_cleaned_like_go_path_clean():
    cases = {"": ".", "a/b/": "a/b", "./a//b/../c": "a/c", "/../a": "/a", "../../a": "../../a", "a/..": "."}
    assert {k: clean_path(k) for k in cases} == cases


def test_go_quoting_escapes_what_go_escapes():
    assert quote('a"b\\c') == '"a\\"b\\\\c"'
    assert quote("a\nb\t\x00\x7f") == '"a\\nb\\t\\x00\\x7f"'
    assert quote("tag\u00a0x é \ufeff") == '"tag\\u00a0x é \\ufeff"'
    assert quote("\U000e0001") == '"\\U000e0001"'


def test_a_no_break_space_after_a_comma_stays_in_the_tag():
    message, _ = first_error(HEADER + "\n" + entry(tags="1.0,\u00a01"))
    assert message == 'Tags "1.0, \\u00a01" has invalid (Shared)Tags: "\\u00a01"'


# --- the maintainer check equals bashbrew's regexp --------------------------------------------------------

_GO_MAINTAINER = re.compile(
    r"([^\t\n\f\r <>()][^<>()]*)(?:[\t\n\f\r ]+<([^\t\n\f\r <>()]+)>)?[\t\n\f\r ]+[(]@([^\t\n\f\r <>()]+)[)]"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=" \t\n\v<>()@ab.", max_size=24))
def test_the_linear_maintainer_check_agrees_with_the_regexp(item: str):
    assert valid_maintainer(item) == (_GO_MAINTAINER.fullmatch(item) is not None)


def test_maintainer_examples():
    assert valid_maintainer("Tianon Gravi <admwiggin@gmail.com> (@tianon)")
    assert valid_maintainer("Jane (@jane)")
    assert not valid_maintainer("Jane (Work) (@jane)")
    assert not valid_maintainer("Jane <a b> (@jane)")


# --- never an exception -------------------------------------------------------------------------------------

_KEYS = [
    "Maintainers",
    "Tags",
    "SharedTags",
    "GitCommit",
    "GitRepo",
    "Architectures",
    "Directory",
    "Values",
    "x",
]
_LINE = st.one_of(
    st.text(max_size=30),
    st.builds(lambda k, v: f"{k}: {v}", st.sampled_from(_KEYS), st.text(max_size=20)),
    st.sampled_from(["", " ", "\t", "#", " .", "-----BEGIN PGP SIGNED MESSAGE-----", "\r"]),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINE, max_size=20))
def test_any_text_parses_without_an_exception(lines: list[str]):
    library = parse("\n".join(lines))
    for error in library.errors:
        assert error.line is None or 1 <= error.line <= max(1, len(library.lines))


def test_a_duplicate_after_a_merge_quotes_the_merged_tags():
    text = HEADER + "\n" + entry(tags="1.0") + "\n" + entry(tags="1") + "\n" + entry(tags="2, 1", commit=SHA2)
    assert first_error(text)[0] == 'Tags "2, 1" includes duplicate tag: "1" (duplicated in "1.0, 1")'


def test_more_edges_of_the_reader():
    # a no-break space before `#` still makes a comment line; an `Order` key is harmless
    assert parse(HEADER + "\u00a0# note\nOrder: a b\n\n" + entry()).ok
    # a form feed is not a continuation: the line needs a colon
    assert first_error(HEADER + "\f\n") == ("Bad line: '\f\n' has no ':'", 3)
    # with a byte-order mark, a first comment line is not a comment any more
    assert first_error("\ufeff# generated\n" + HEADER) == ("Bad line: '\ufeff# generated\n' has no ':'", 1)
    # a clear-signed file whose signature block is missing is not clear-signed input
    assert first_error("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n" + HEADER)[0] == (
        "Invalid clearsigned input"
    )
    # comment lines before the signature framing are dropped first
    signed = "# c\n-----BEGIN PGP SIGNED MESSAGE-----\n\n" + HEADER + "\n" + entry()
    signed += "-----BEGIN PGP SIGNATURE-----\n\nabc\n-----END PGP SIGNATURE-----\n"
    assert parse(signed).ok


def test_every_error_points_at_its_line_and_reading_goes_on_after_a_bad_line():
    text = HEADER + "oops\n\n" + entry(commit="x") + "\n" + entry(tags="2.0", commit=SHA2)
    library = parse(text)
    assert [(e.kind, e.line) for e in library.errors] == [("syntax", 3), ("git-commit", 6)]
    assert [e.tags for e in library.entries] == [("1.0", "1", "latest"), ("2.0",)]
