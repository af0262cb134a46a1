"""The image policy over every real library file: entries whose Dockerfiles build on what their
Constraints say get no error, and every entry is planned and checked without a crash."""

from __future__ import annotations

from pathlib import Path

from rules.library.model import Entry, LibraryFile
from rules.library.parser import parse_library
from rules.policy.check import check_entries
from rules.policy.upstream import upstream_ref, upstream_refs_needed

PINS = frozenset(
    f"mcr.microsoft.com/windows/{base}:{tag}"
    for base in ("servercore", "nanoserver")
    for tag in ("ltsc2022", "ltsc2025")
)


def _from_constraints(entry: Entry) -> str:
    """A Dockerfile consistent with the entry's Constraints, one stage per Windows base (a nanoserver image
    copies from a servercore stage); Linux entries start from scratch."""
    images = {"windowsservercore": "servercore", "nanoserver": "nanoserver"}
    froms = []
    for constraint in entry.constraints:
        base, _, tag = constraint.partition("-")
        if base in images:
            froms.append(f"FROM mcr.microsoft.com/windows/{images[base]}:{tag}\n")
    return "".join(froms) or "FROM scratch\n"


def test_every_corpus_entry_is_planned_and_consistent_entries_pass(shared: Path) -> None:
    folder = shared / "corpus" / "official-images" / "library"
    libraries: dict[str, LibraryFile] = {
        p.name: parse_library(p.read_text(), p.name, f"library/{p.name}") for p in folder.iterdir()
    }
    checked = 0
    for lib in libraries.values():
        if not lib.ok:
            continue
        dockerfiles = {}
        for entry in lib.entries:
            for source in entry.arches.values():
                ref = upstream_ref(source)
                if ref is not None:
                    dockerfiles[ref] = _from_constraints(entry)
        assert set(dockerfiles) == upstream_refs_needed(lib)
        windows_scratch = {
            e.tags[0] for e in lib.entries if "windows-amd64" in e.architectures and not e.constraints
        }
        errors = [
            f for f in check_entries(lib, lib.entries, dockerfiles, libraries, PINS) if f.severity == "error"
        ]
        # only entries that build windows-amd64 with no Windows constraint can be "FROM scratch" on Windows
        assert all(any(f"{lib.name}:{tag} " in f.message for tag in windows_scratch) for f in errors), errors[
            :3
        ]
        checked += len(lib.entries)
    assert checked > 2000
