"""The change model (base -> head of one library file) and its Markdown."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from library_examples import GOOD, SHA, SHA2

from rules.library.change import MAX_MARKDOWN, changes_markdown, compare_url, fit_lines, library_change
from rules.library.parser import parse_library


def parsed(text: str):
    return parse_library(text, "app", "library/app")


def change(base: str | None, head: str | None):
    return library_change("app", parsed(base) if base else None, parsed(head) if head else None)


NEW_SERIES = GOOD.replace(
    "Tags: 1.2.3, 1.2, 1, latest",
    f"Tags: 1.3.0, 1.3, 1, latest\nArchitectures: amd64, arm64v8\nGitCommit: {SHA2}\nDirectory: 1.3\n\n"
    "Tags: 1.2.3, 1.2",
)


def test_a_version_bump_is_one_changed_entry_with_a_compare_link():
    head = GOOD.replace("1.2.3", "1.2.4").replace(
        f"GitCommit: {SHA}\nDirectory: 1", f"GitCommit: {SHA2}\nDirectory: 1"
    )
    result = change(GOOD, head)
    assert result.status == "changed"
    assert (result.entries_added, result.entries_removed) == ((), ())
    (entry,) = result.entries_changed
    assert (entry.tags_added, entry.tags_removed) == (("1.2.4",), ("1.2.3",))
    (commit,) = entry.fields
    assert commit.compare_url == f"https://github.com/example/app/compare/{SHA}...{SHA2}"
    assert result.tags_moved == ()


def test_latest_moving_to_a_new_series_is_said_plainly():
    result = change(GOOD, NEW_SERIES)
    assert [e.tags for e in result.entries_added] == [("1.3.0", "1.3", "1", "latest")]
    assert sorted(m.tag for m in result.tags_moved) == ["1", "latest"]
    text = changes_markdown([result])
    assert "- `latest` moves from `1.2.3` to `1.3.0`." in text
    assert "Added entry `1.3.0, 1.3, 1, latest` on amd64, arm64v8" in text


def test_architectures_added_and_removed_per_entry():
    head = GOOD.replace("Architectures: amd64, arm64v8", "Architectures: amd64, riscv64")
    (entry,) = change(GOOD, head).entries_changed
    assert (entry.arches_added, entry.arches_removed) == (("riscv64",), ("arm64v8",))
    assert "architectures added riscv64; architectures removed arm64v8" in changes_markdown(
        [change(GOOD, head)]
    )


def test_new_deleted_and_retired_images():
    assert change(None, GOOD).status == "added"
    deleted = change(GOOD, None)
    assert deleted.status == "deleted" and "latest" in deleted.tags_removed
    retired = change(GOOD, GOOD.split("\nTags:")[0])
    assert retired.status == "retired" and len(retired.entries_removed) == 2
    assert "#### `app`: image retired" in changes_markdown([retired])


def test_maintainers_changes_and_no_change():
    head = GOOD.replace(
        "Jane Doe <jane@example.com> (@jane)", "Jane Doe <jane@example.com> (@jane), Bo (@bo)"
    )
    result = change(GOOD, head)
    assert result.maintainers_added == ("Bo (@bo)",) and result.maintainers_removed == ()
    assert change(GOOD, GOOD + "\n# a comment\n").status == "unchanged"


def test_compare_links_only_for_github():
    assert compare_url("https://github.com/o/r", "a", "b") == "https://github.com/o/r/compare/a...b"
    assert compare_url("https://gitlab.archlinux.org/o/r.git", "a", "b") is None


def test_a_huge_change_is_summarised_within_the_limit_never_cut_mid_line():
    entries = "".join(
        f"\nTags: {i}.0.0, {i}.0\nGitCommit: {SHA}\nDirectory: {'d' * 300}/{i}\n" for i in range(4000)
    )
    big = [change(GOOD, GOOD.split("\nTags:")[0] + "\n" + entries)]
    big += [library_change(f"img{i}", None, parsed(GOOD)) for i in range(3000)]
    text = changes_markdown(big)
    assert len(text) <= MAX_MARKDOWN
    full_lines = set(changes_markdown(big, budget=10**9).split("\n"))
    summary_lines = [line for line in text.split("\n") if line and not line.startswith("- and ")]
    assert all(line in full_lines or line.startswith("- `") for line in summary_lines)
    assert text.split("\n")[-1].startswith("- and ")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="ab \n-", max_size=40).map(lambda s: s.replace("\n", "")), max_size=30),
    st.integers(40, 400),
)
def test_fit_lines_keeps_whole_lines_within_the_budget(lines: list[str], budget: int):
    text = fit_lines(lines, budget, "- and {} more")
    assert len(text) <= budget
    kept = text.split("\n") if text else []
    if kept and kept[-1].startswith("- and ") and "\n".join(lines) != text:
        kept = kept[:-1]
    assert kept == lines[: len(kept)]
