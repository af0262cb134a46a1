"""Image policy across library files: naughty-from coverage, same FROM, constraints, pins, oci-import."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from rules.findings import Finding, Severity
from rules.library.model import LibraryFile, ParseError
from rules.policy.check import check_entries, parent_images_needed
from rules.policy.upstream import normalise_repo_url, permalink, upstream_refs_needed
from tests.policy_helpers import COMMIT, REPO, entry, library

DEBIAN = library(
    "debian",
    entry(("bookworm", "12"), ("amd64", "arm64v8", "riscv64")),
    entry(("trixie",), ("amd64",)),
)
WINDOWS_PARENT = library(
    "winbase",
    entry(("ltsc2022",), ("windows-amd64",), constraints=("windowsservercore-ltsc2022",)),
)
PINS = frozenset(
    {"mcr.microsoft.com/windows/servercore:ltsc2022", "mcr.microsoft.com/windows/nanoserver:ltsc2022"}
)
CLEAN = 'FROM {base}\nCMD ["app"]\n'


def run(
    lib: LibraryFile,
    texts: dict[str, str | None],
    parents: dict[str, LibraryFile | None] | None = None,
    pins: frozenset[str] | None = PINS,
) -> list[Finding]:
    dockerfiles = {(REPO, COMMIT, path): text for path, text in texts.items()}
    return check_entries(
        lib, lib.entries, dockerfiles, parents if parents is not None else {"debian": DEBIAN}, pins
    )


def test_every_architecture_must_exist_for_the_base() -> None:
    lib = library("app", entry(("1.0",), ("amd64", "arm64v8", "s390x"), directory="1.0"))
    found = run(lib, {"1.0/Dockerfile": CLEAN.format(base="debian:bookworm")})
    assert [(f.rule, f.severity, f.line, f.message) for f in found] == [
        (
            "DOI-P001",
            Severity.ERROR,
            6,
            "app:1.0 (FROM debian:bookworm) [s390x]: debian:bookworm does not exist for these architectures;"
            " remove them from Architectures or build on a tag that has them.",
        )
    ]


def test_riscv64_on_ubuntu_after_25_04_is_refused_like_naughty_from() -> None:
    ubuntu = library(
        "ubuntu",
        entry(("24.04", "noble"), ("amd64", "riscv64")),
        entry(("26.04", "resolute", "latest"), ("amd64", "riscv64")),
    )
    lib = library("app", entry(("1.0",), ("amd64", "riscv64")))
    found = run(lib, {"Dockerfile": CLEAN.format(base="ubuntu:resolute")}, {"ubuntu": ubuntu})
    assert [(f.rule, f.message.split(":")[0:2]) for f in found] == [("DOI-P001", ["app", "1.0 (FROM ubuntu"])]
    assert "RVA23" in found[0].message
    assert run(lib, {"Dockerfile": CLEAN.format(base="ubuntu:noble")}, {"ubuntu": ubuntu}) == []


def test_a_base_tag_that_does_not_exist_is_completely_unsupported() -> None:
    lib = library("app", entry(("1.0",), ("amd64",)))
    found = run(lib, {"Dockerfile": CLEAN.format(base="debian:buster")})
    assert [f.rule for f in found] == ["DOI-P001"]
    assert found[0].message.startswith("app:1.0 (FROM debian:buster) -- completely unsupported base!")


def test_covered_architectures_pass_and_the_pull_requests_own_file_counts_as_a_parent() -> None:
    lib = library(
        "app",
        entry(("1.0",), ("amd64", "arm64v8"), directory="1.0"),
        entry(("1.0-slim",), ("amd64", "arm64v8"), directory="1.0/slim"),
    )
    texts = {
        "1.0/Dockerfile": CLEAN.format(base="debian:bookworm"),
        "1.0/slim/Dockerfile": "FROM app:1.0\nRUN true\n",
    }
    assert run(lib, texts) == []


def test_oci_import_is_from_scratch_and_scratch_fails_on_windows() -> None:
    lib = library("base", entry(("1",), ("amd64", "windows-amd64"), builder="oci-import"))
    assert upstream_refs_needed(lib) == set()
    found = run(lib, {})
    assert [f.message.split(":")[:2] for f in found if f.rule == "DOI-P001"] == [
        ["base", "1 (FROM scratch) [windows-amd64]"]
    ]


def test_external_pins_pass_and_unpinned_external_bases_are_errors_at_the_permalink() -> None:
    lib = library("app", entry(("1.0",), ("windows-amd64",), constraints=("windowsservercore-ltsc2022",)))
    ok = run(lib, {"Dockerfile": CLEAN.format(base="mcr.microsoft.com/windows/servercore:ltsc2022")})
    assert ok == []
    lib = library("app", entry(("1.0",), ("amd64",)))
    bad = run(lib, {"Dockerfile": CLEAN.format(base="someone/base:1")})
    assert [(f.rule, f.path, f.line) for f in bad if f.severity is Severity.ERROR] == [
        ("DOI-D003", f"https://github.com/example/docker-img/blob/{COMMIT}/Dockerfile", 1)
    ]


def test_windows_constraints_must_match_the_base() -> None:
    lib = library("app", entry(("1.0",), ("windows-amd64",), constraints=("nanoserver-ltsc2022",)))
    found = run(lib, {"Dockerfile": CLEAN.format(base="mcr.microsoft.com/windows/servercore:ltsc2022")})
    assert sorted((f.rule, f.line, f.message) for f in found) == [
        ("DOI-P003", 8, "app:1.0 -- extra constraints: remove nanoserver-ltsc2022 from Constraints."),
        ("DOI-P003", 8, "app:1.0 -- missing constraints: add windowsservercore-ltsc2022 to Constraints."),
    ]


def test_constraints_follow_an_official_windows_parent() -> None:
    lib = library("app", entry(("1.0",), ("windows-amd64",)))
    found = run(lib, {"Dockerfile": CLEAN.format(base="winbase:ltsc2022")}, {"winbase": WINDOWS_PARENT})
    assert [f.message for f in found] == [
        "app:1.0 -- missing constraints: add windowsservercore-ltsc2022 to Constraints."
    ]
    lib = library("app", entry(("1.0",), ("windows-amd64",), constraints=("windowsservercore-ltsc2022",)))
    assert run(lib, {"Dockerfile": CLEAN.format(base="winbase:ltsc2022")}, {"winbase": WINDOWS_PARENT}) == []


def test_same_from_across_architectures_unless_an_arch_has_its_own_file() -> None:
    other = "fedcba9876543210fedcba9876543210fedcba98"
    lib = library("app", entry(("1.0",), ("amd64", "arm64v8"), arch_values={"arm64v8-GitCommit": other}))
    dockerfiles = {
        (REPO, COMMIT, "Dockerfile"): CLEAN.format(base="debian:bookworm"),
        (REPO, other, "Dockerfile"): CLEAN.format(base="debian:trixie"),
    }
    found = check_entries(lib, lib.entries, dockerfiles, {"debian": DEBIAN}, PINS)
    assert ("DOI-P002", Severity.WARNING, 5) in {(f.rule, f.severity, f.line) for f in found}
    own = {"arm64v8-GitCommit": other, "arm64v8-Directory": "arm64"}
    lib = library("app", entry(("1.0",), ("amd64",), arch_values=own))
    assert check_entries(lib, lib.entries, dockerfiles, {"debian": DEBIAN}, PINS) == []


def test_dockerfile_missing_at_the_commit_is_an_error_on_the_entry() -> None:
    lib = library("app", entry(("1.0",), ("amd64",)))
    found = run(lib, {"Dockerfile": None})
    assert [(f.rule, f.severity, f.line) for f in found] == [("DOI-P004", Severity.ERROR, 7)]


def test_unread_dockerfiles_and_unknown_parents_are_said_once() -> None:
    lib = library("app", entry(("1.0",), ("amd64",)), entry(("2.0",), ("amd64",), directory="2.0"))
    found = check_entries(lib, lib.entries, {}, {}, PINS, unread_hint=" (give --source or --fetch)")
    assert [(f.rule, f.line, f.message) for f in found] == [
        (
            "DOI-P005",
            None,
            "The Dockerfiles of app:1.0, app:2.0 were not read, so they and their base images were not"
            " checked (give --source or --fetch).",
        )
    ]
    found = run(
        lib, {"Dockerfile": CLEAN.format(base="alpine:3.21"), "2.0/Dockerfile": CLEAN.format(base="app:1.0")}
    )
    assert [(f.rule, f.message) for f in found] == [
        (
            "DOI-P005",
            "The library files of alpine were not available, so the architectures and constraints of those"
            " base images were not checked.",
        )
    ]


def test_a_parent_library_file_bashbrew_rejects_is_not_used() -> None:
    broken = LibraryFile("debian", "library/debian", (), errors=(ParseError("Bad line", 3),))
    lib = library("app", entry(("1.0",), ("amd64",)))
    found = run(lib, {"Dockerfile": CLEAN.format(base="debian:bookworm")}, {"debian": broken})
    assert [f.rule for f in found] == ["DOI-P005"]


def test_a_parent_known_not_to_exist_is_completely_unsupported() -> None:
    lib = library("app", entry(("1.0",), ("amd64",)))
    found = run(lib, {"Dockerfile": CLEAN.format(base="nosuchimage:1")}, {"nosuchimage": None})
    assert [f.rule for f in found] == ["DOI-P001"]


def test_planning_helpers() -> None:
    lib = library("app", entry(("1.0",), ("amd64", "arm64v8"), arch_values={"arm64v8-Directory": "arm64"}))
    assert upstream_refs_needed(lib, lib.entries) == {
        (REPO, COMMIT, "Dockerfile"),
        (REPO, COMMIT, "arm64/Dockerfile"),
    }
    texts = {
        (
            REPO,
            COMMIT,
            "Dockerfile",
        ): b"FROM debian:bookworm AS b\nFROM app:1.0\nCOPY --from=golang:1.24 /a /a\n",
        (REPO, COMMIT, "arm64/Dockerfile"): None,
    }
    assert parent_images_needed(lib, texts) == {"debian", "golang"}


def test_permalinks_and_url_normalisation() -> None:
    assert (
        permalink(("git://github.com/o/r", "c", "a/Dockerfile"))
        == "https://github.com/o/r/blob/c/a/Dockerfile"
    )
    assert (
        permalink(("https://gitlab.com/o/r.git", "c", "Dockerfile"))
        == "https://gitlab.com/o/r.git@c:Dockerfile"
    )
    same = {
        "https://GitHub.com/o/r.git",
        "http://github.com/o/r/",
        "git://github.com/o/r",
        "git@github.com:o/r.git",
    }
    assert {normalise_repo_url(u) for u in same} == {"github.com/o/r"}


_TEXT = st.text(alphabet=st.sampled_from(list("FROM COPY--from=:/@$ab1\nscratchdebianwindows")), max_size=120)


@settings(max_examples=200, deadline=None)
@given(
    _TEXT, st.lists(st.sampled_from(["amd64", "arm64v8", "windows-amd64", "s390x"]), min_size=1, unique=True)
)
def test_any_dockerfile_text_and_architectures_give_findings_never_a_crash(
    text: str, arches: list[str]
) -> None:
    lib = library("app", entry(("1.0",), tuple(arches), builder="" if "b" in text else "oci-import"))
    found = run(lib, {"Dockerfile": text}, {"debian": DEBIAN, "windows": None})
    assert all(f.rule != "DOI-X002" for f in found)
