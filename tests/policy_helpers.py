"""Library files built directly as model values, for the policy tests."""

from __future__ import annotations

from rules.library.model import Entry, LibraryFile

REPO = "https://github.com/example/docker-img.git"
COMMIT = "0123456789abcdef0123456789abcdef01234567"


def entry(
    tags: tuple[str, ...],
    arches: tuple[str, ...] = ("amd64", "arm64v8"),
    *,
    line: int = 5,
    directory: str = ".",
    builder: str = "",
    constraints: tuple[str, ...] = (),
    shared: tuple[str, ...] = (),
    arch_values: dict[str, str] | None = None,
) -> Entry:
    return Entry(
        line=line,
        tags=tags,
        shared_tags=shared,
        architectures=arches,
        git_repo=REPO,
        git_fetch="refs/heads/main",
        git_commit=COMMIT,
        directory=directory,
        file="Dockerfile",
        builder=builder,
        constraints=constraints,
        maintainers=("Someone <someone@example.org> (@someone)",),
        arch_values=arch_values or {},
        key_lines={"Architectures": line + 1, "GitCommit": line + 2, "Constraints": line + 3},
    )


def library(name: str, *entries: Entry) -> LibraryFile:
    return LibraryFile(name=name, path=f"library/{name}", lines=(), entries=entries)
