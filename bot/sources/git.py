"""The few git commands the sources run, with no prompt and no pager."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

_QUIET = {"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"}


def git(repository: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    """Run git; git missing or hanging past `timeout` is a failed command (status 127), never a crash."""
    command = ["git", "-C", str(repository), *args]
    try:
        env = {**os.environ, **_QUIET}
        return subprocess.run(command, capture_output=True, env=env, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(command, 127, b"", f"git could not run: {exc}".encode())


def has_commit(repository: Path, commit: str) -> bool:
    return git(repository, "cat-file", "-e", f"{commit}^{{commit}}").returncode == 0


def show(repository: Path, commit: str, path: str) -> bytes | None:
    """The file at the commit, or None when the commit has no such file."""
    result = git(repository, "show", f"{commit}:{path}")
    return result.stdout if result.returncode == 0 else None


def is_clone(folder: Path) -> bool:
    result = git(folder, "rev-parse", "--show-toplevel")
    return result.returncode == 0 and Path(result.stdout.decode().strip()).resolve() == folder.resolve()
