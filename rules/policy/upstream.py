"""Where an entry's Dockerfile lives upstream, and the permalink findings on it carry."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rules.github_repo import github_location
from rules.library.model import BuildSource, Entry, LibraryFile

# (GitRepo as written in the library file, GitCommit, path inside the repository); the same shape as
# `bot.review.model.UpstreamRef`, which the I/O layer fills.
UpstreamRef = tuple[str, str, str]

OCI_IMPORT = "oci-import"


def normalise_repo_url(url: str) -> str:
    """A GitRepo as compared: no scheme, no trailing `.git`, no trailing `/`, lower-case host."""
    bare = re.sub(r"^[a-z][a-z0-9+.-]*://", "", url.strip(), flags=re.I)
    bare = re.sub(r"^git@([^:/]+):", r"\1/", bare)
    bare = bare.rstrip("/").removesuffix(".git").rstrip("/")
    host, _, rest = bare.partition("/")
    return f"{host.lower()}/{rest}" if rest else host.lower()


def upstream_ref(source: BuildSource) -> UpstreamRef | None:
    """The file bashbrew reads for one architecture; None for `oci-import` (treated as FROM scratch)."""
    if source.builder == OCI_IMPORT:
        return None
    return (source.git_repo, source.git_commit, source.dockerfile_path)


def upstream_refs_needed(lib: LibraryFile, entries: Iterable[Entry] | None = None) -> set[UpstreamRef]:
    """Every upstream Dockerfile the checks of these entries (default: all of `lib`) read, once each."""
    refs = set()
    for entry in lib.entries if entries is None else entries:
        for source in entry.arches.values():
            ref = upstream_ref(source)
            if ref is not None:
                refs.add(ref)
    return refs


def permalink(ref: UpstreamRef) -> str:
    """`https://github.com/OWNER/REPO/blob/COMMIT/DIR/FILE`, or `GITREPO@COMMIT:DIR/FILE` for other hosts."""
    repo, commit, path = ref
    location = github_location(repo)
    if location:
        return f"https://github.com/{location[0]}/{location[1]}/blob/{commit}/{path}"
    return f"{repo}@{commit}:{path}"
