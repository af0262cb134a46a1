"""`--fetch`: git fetch into a cache directory; a file at a commit is stored once and read from disk after."""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from bot.sources import SourceUnavailable
from bot.sources.git import git, has_commit, show
from rules.policy.upstream import UpstreamRef, normalise_repo_url

_FULL_COMMIT = re.compile(r"^(?:[0-9a-f]{40}|[0-9a-f]{64})$")
_MISSING = b""  # the marker file's content: the commit exists and the file does not


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "doi-bot"


def fetch_url(repo: str) -> str:
    """bashbrew rewrites `git://github.com/` to https before fetching; so do we."""
    return re.sub(r"^git://github\.com/", "https://github.com/", repo.strip())


class FetchedSources:
    def __init__(self, root: Path | None = None) -> None:
        self._root = root or cache_root()

    def read(self, ref: UpstreamRef) -> bytes | None:
        repo, commit, path = ref
        key = hashlib.sha256(normalise_repo_url(repo).encode()).hexdigest()[:32]
        permanent = bool(_FULL_COMMIT.match(commit)) and ".." not in path.split("/")
        stored = self._root / "files" / key / commit / path
        missing = self._root / "missing" / key / commit / path
        if permanent and stored.is_file():
            return stored.read_bytes()
        if permanent and missing.is_file():
            return None
        clone = self._clone(key)
        if not has_commit(clone, commit):
            self._fetch(clone, repo, commit)
        data = show(clone, commit, path)
        if permanent:
            target = stored if data is not None else missing
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.{os.getpid()}")
            partial.write_bytes(data if data is not None else _MISSING)
            partial.replace(target)
        return data

    def _clone(self, key: str) -> Path:
        clone = self._root / "repos" / f"{key}.git"
        if not (clone / "HEAD").is_file():
            clone.mkdir(parents=True, exist_ok=True)
            if git(clone, "init", "--quiet", "--bare").returncode != 0:
                raise SourceUnavailable(f"could not create a cache repository in {clone}")
        return clone

    def _fetch(self, clone: Path, repo: str, commit: str) -> None:
        url = fetch_url(repo)
        # A server that serves commits by id answers the shallow fetch; others need the branches and tags.
        attempts = (
            ("fetch", "--quiet", "--no-tags", "--depth=1", url, commit),
            (
                "fetch",
                "--quiet",
                "--no-tags",
                url,
                "+refs/heads/*:refs/remotes/upstream/*",
                "+refs/tags/*:refs/tags/*",
            ),
        )
        errors = []
        for attempt in attempts:
            result = git(clone, *attempt)
            if result.returncode == 0 and has_commit(clone, commit):
                return
            errors.append(result.stderr.decode(errors="replace").strip().splitlines()[-1:] or [""])
        reason = errors[-1][0] if errors and errors[-1][0] else "commit not found"
        raise SourceUnavailable(f"could not fetch {commit} from {repo} ({reason})")
