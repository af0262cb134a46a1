"""DOI-C: the pure planning of commit checks and the findings CI's naughty-commits check would give."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rules.commits import (
    MIB,
    CommitFacts,
    CommitRef,
    TarballChange,
    commit_findings,
    from_scratch,
    is_tarball_path,
    plan_commit_checks,
    scratch_sources,
)
from rules.findings import Severity
from rules.library.model import BuildSource, Entry
from rules.registry import all_rules
from tests.commit_fixtures import REPO, SHA_A, SHA_B, SHA_C, entry, library

REF = CommitRef(REPO, "refs/heads/dist", SHA_A)


def findings_for(facts: CommitFacts, *entries: Entry):
    head = library(*(entries or (entry(5, ("1.37",)),)))
    checks = plan_commit_checks([(None, head)])
    return commit_findings(checks, {check.ref: facts for check in checks})


def test_a_commit_on_its_branch_passes():
    assert findings_for(CommitFacts()) == []


def test_a_commit_not_on_its_branch_is_an_error_at_the_gitcommit_line_with_a_compare_link():
    [f] = findings_for(CommitFacts(contained=False))
    assert (f.rule, f.severity, f.path, f.line) == ("DOI-C001", Severity.ERROR, "library/busybox", 9)
    assert f.message.startswith(f"{SHA_A} is not in the specified ref GitFetch: refs/heads/dist;")
    assert f"https://github.com/docker-library/busybox/compare/dist...{SHA_A}" in f.message


def test_a_missing_ref_uses_ci_wording_without_its_typo():
    [f] = findings_for(CommitFacts(ref_exists=False, contained=False))
    assert f.rule == "DOI-C002"
    assert f.message.startswith("unable to fetch specified GitFetch: refs/heads/dist;")


def test_a_missing_commit_is_an_error_and_not_also_an_ancestry_error():
    [f] = findings_for(CommitFacts(commit_exists=False, contained=False))
    assert f.rule == "DOI-C003"
    assert SHA_A in f.message and REPO in f.message


def test_arch_specific_commits_point_at_their_own_line():
    e = entry(5, ("1.37",), arches=("amd64", "arm64v8"), arch_values={"arm64v8-GitCommit": SHA_B})
    head = library(e)
    checks = plan_commit_checks([(None, head)])
    facts = {c.ref: CommitFacts(contained=c.ref.git_commit != SHA_B) for c in checks}
    [f] = commit_findings(checks, facts)
    assert f.line == e.line_of("arm64v8-GitCommit") == 11
    assert SHA_B in f.message


def test_tarballs_of_three_mib_and_over_are_errors_counted_in_whole_megabytes():
    facts = CommitFacts(
        tarball_changes=(
            TarballChange(SHA_B, "latest/glibc/busybox.tar.xz", 3 * MIB - 1),
            TarballChange(SHA_C, "latest/glibc/busybox.tar.xz", 5 * MIB + 10),
            TarballChange(SHA_A, "latest/musl/busybox.tar.xz", 3 * MIB),
        )
    )
    found = findings_for(facts)
    assert [f.rule for f in found] == ["DOI-C004", "DOI-C004"]
    older, top = found
    assert older.message.startswith(
        "modified binary file (larger than 2MB): latest/glibc/busybox.tar.xz (5MB) in commit"
        f" {SHA_C} (in history of {SHA_A})"
    )
    assert f"https://github.com/docker-library/busybox/commit/{SHA_C}" in older.message
    assert f"(3MB) in commit {SHA_A} (" in top.message


def test_one_finding_per_library_file_at_the_first_line_that_uses_the_commit():
    found = findings_for(CommitFacts(contained=False), entry(5, ("1.37",)), entry(20, ("1.36",)))
    assert [(f.rule, f.line) for f in found] == [("DOI-C001", 9)]


def test_unchecked_commits_are_one_info_finding_per_file_and_reason():
    head = library(entry(5, ("1.37",)), entry(20, ("1.36",), SHA_B))
    checks = plan_commit_checks([(None, head)])
    reason = "https://example.org/x.git is not on GitHub"
    [f] = commit_findings(checks, {c.ref: CommitFacts.not_checked(reason) for c in checks})
    assert (f.rule, f.severity, f.line) == ("DOI-C005", Severity.INFO, 9)
    assert f.message == f"2 changed commits could not be checked: {reason}."


def test_a_check_without_facts_is_reported_as_not_checked():
    checks = plan_commit_checks([(None, library(entry(5, ("1.37",))))])
    [f] = commit_findings(checks, {})
    assert f.rule == "DOI-C005"


def test_only_architectures_whose_triple_changed_are_planned():
    base = library(entry(5, ("1.36",), arches=("amd64", "arm64v8")))
    head = library(
        entry(5, ("1.37",), arches=("amd64", "arm64v8", "s390x"), arch_values={"arm64v8-GitCommit": SHA_B})
    )
    planned = {c.ref.git_commit: [u.arch for u in c.uses] for c in plan_commit_checks([(base, head)])}
    # amd64 kept its triple; arm64v8 moved to another commit; s390x is new, though its triple is not
    assert planned == {SHA_B: ["arm64v8"], SHA_A: ["s390x"]}


def test_an_unchanged_file_plans_nothing_and_a_changed_fetch_is_planned():
    base = library(entry(5, ("1.36",)))
    assert plan_commit_checks([(base, base)]) == ()
    head = library(entry(5, ("1.36",), fetch="refs/tags/1.36"))
    [check] = plan_commit_checks([(base, head)])
    assert check.ref.git_fetch == "refs/tags/1.36"


def test_distinct_triples_are_planned_once_and_tarball_dirs_only_for_scratch_and_oci_import():
    head = library(
        entry(5, ("a",), directory="a"),
        entry(20, ("b",), directory="b"),
        entry(35, ("c",), SHA_B, builder="oci-import", directory="oci"),
        entry(50, ("d",), SHA_C, directory="d"),
    )

    def scratch(source: BuildSource) -> bool:
        return source.directory == "b"

    checks = {c.ref.git_commit: c for c in plan_commit_checks([(None, head)], scratch)}
    assert len(checks) == 3
    assert len(checks[SHA_A].uses) == 2
    assert checks[SHA_A].tarball_dirs == ("b",)
    assert checks[SHA_B].tarball_dirs == ("oci",)
    assert checks[SHA_C].tarball_dirs == ()


def test_from_scratch_reads_any_stage_across_continuations():
    assert from_scratch("FROM scratch\nADD rootfs.tar.xz /\n")
    assert from_scratch("FROM alpine AS build\nRUN make\nfrom \\\n  --platform=$BUILDPLATFORM scratch\n")
    assert not from_scratch("FROM debian:bookworm-slim\n# FROM scratch\n")
    assert not from_scratch("FROM scratchy:1\n")


def test_scratch_sources_read_the_fetched_dockerfiles():
    scratch = scratch_sources(
        {(REPO, SHA_A, "a/Dockerfile"): b"FROM scratch\n", (REPO, SHA_B, "Dockerfile"): None}
    )
    source = entry(5, ("a",), directory="a").source("amd64")
    assert scratch(source)
    assert not scratch(entry(5, ("a",), directory="b").source("amd64"))
    assert not scratch(entry(5, ("a",), SHA_B, directory=".").source("amd64"))


def test_github_repositories_and_tarball_paths():
    assert CommitRef("https://github.com/tianon/docker-brew-debian.git", "", "").github == (
        "tianon",
        "docker-brew-debian",
    )
    assert CommitRef("git@github.com:o/r.git", "", "").github == ("o", "r")
    assert CommitRef("https://gitlab.com/o/r.git", "", "").github is None
    assert REF.ref_name == "dist"
    assert CommitRef(REPO, "refs/tags/v1.2", SHA_A).ref_name == "v1.2"
    assert is_tarball_path("a/b/rootfs.tar.xz", "a")
    assert is_tarball_path("rootfs.tar", ".")
    assert not is_tarball_path("ab/rootfs.tar.xz", "a")
    assert not is_tarball_path("a/tar/README", "a")


def test_every_commit_rule_is_registered():
    ids = {r.id for r in all_rules()}
    assert {"DOI-C001", "DOI-C002", "DOI-C003", "DOI-C004", "DOI-C005"} <= ids


TARBALL_CHANGES = st.builds(TarballChange, st.just(SHA_B), st.text(), st.integers(0, 2**40))


@given(
    st.lists(
        st.builds(
            CommitFacts,
            st.booleans(),
            st.booleans(),
            st.booleans(),
            st.lists(
                st.builds(TarballChange, st.just(SHA_B), st.text(), st.integers(0, 2**40)), max_size=3
            ).map(tuple),
            st.none() | st.text(min_size=1),
        ),
        min_size=2,
        max_size=2,
    )
)
def test_any_facts_give_findings_on_the_entries_lines(facts):
    head = library(entry(5, ("a",)), entry(20, ("b",), SHA_B))
    checks = plan_commit_checks([(None, head)])
    for f in commit_findings(checks, {c.ref: fact for c, fact in zip(checks, facts, strict=True)}):
        assert f.line in (9, 24)
        assert f.path == "library/busybox"
