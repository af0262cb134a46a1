"""`--source URL=DIR`: a local git clone read at GitCommit, or a plain folder read as it is."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path

from bot.sources import SourceUnavailable
from bot.sources.git import has_commit, is_clone, show
from rules.policy.upstream import UpstreamRef, normalise_repo_url


class LocalSources:
    def __init__(self, folders: Mapping[str, Path]) -> None:
        self._folders = {normalise_repo_url(url): Path(folder) for url, folder in folders.items()}

    def read(self, ref: UpstreamRef) -> bytes | None:
        repo, commit, path = ref
        folder = self._folders.get(normalise_repo_url(repo))
        if folder is None:
            raise SourceUnavailable(f"no --source given for {repo}")
        if not folder.is_dir():
            raise SourceUnavailable(f"the --source folder {folder} for {repo} does not exist")
        if _is_clone(folder):
            if not has_commit(folder, commit):
                raise SourceUnavailable(f"the clone {folder} does not have commit {commit} of {repo}")
            return show(folder, commit, path)
        file = folder / path
        return file.read_bytes() if file.is_file() else None


@cache
def _is_clone(folder: Path) -> bool:
    return is_clone(folder)
