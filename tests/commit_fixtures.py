"""Library files built directly as values, for the commit checks' tests (independent of the parser)."""

from __future__ import annotations

from rules.library.model import Entry, LibraryFile

REPO = "https://github.com/docker-library/busybox.git"
SHA_A = "a" * 40
SHA_B = "b" * 40
SHA_C = "c" * 40


def entry(
    line: int,
    tags: tuple[str, ...],
    commit: str = SHA_A,
    *,
    repo: str = REPO,
    fetch: str = "refs/heads/dist",
    arches: tuple[str, ...] = ("amd64",),
    arch_values: dict[str, str] | None = None,
    builder: str = "",
    directory: str = "latest/glibc",
) -> Entry:
    """An entry whose keys sit on consecutive lines from `line` (Tags, Architectures, GitRepo, ...)."""
    arch_values = arch_values or {}
    keys = ["Tags", "Architectures", "GitRepo", "GitFetch", "GitCommit", "Directory", *arch_values]
    return Entry(
        line=line,
        tags=tags,
        shared_tags=(),
        architectures=arches,
        git_repo=repo,
        git_fetch=fetch,
        git_commit=commit,
        directory=directory,
        file="Dockerfile",
        builder=builder,
        constraints=(),
        maintainers=("Tianon Gravi <admwiggin@gmail.com> (@tianon)",),
        arch_values=arch_values,
        key_lines={key: line + i for i, key in enumerate(keys)},
    )


def library(*entries: Entry, name: str = "busybox") -> LibraryFile:
    return LibraryFile(name=name, path=f"library/{name}", lines=(), entries=entries, global_line=1)
