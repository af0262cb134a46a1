"""Upstream files at (GitRepo, GitCommit, path): local folders and clones, and the fetch cache. No network."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bot.sources import FirstOf, SourceUnavailable, read_all
from bot.sources.fetch import FetchedSources, cache_root
from bot.sources.local import LocalSources

URL = "https://github.com/example/docker-app.git"


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(repo),
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    return subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, check=True, env=env, text=True
    ).stdout


@pytest.fixture
def upstream(tmp_path: Path) -> tuple[Path, str, str]:
    """A repository with two commits: the first has 1.0/Dockerfile FROM debian, the second FROM alpine."""
    repo = tmp_path / "upstream"
    (repo / "1.0").mkdir(parents=True)
    git(repo, "init", "--quiet", "--initial-branch=main")
    (repo / "1.0" / "Dockerfile").write_text("FROM debian:bookworm\n")
    git(repo, "add", ".")
    git(repo, "commit", "--quiet", "-m", "one")
    first = git(repo, "rev-parse", "HEAD").strip()
    (repo / "1.0" / "Dockerfile").write_text("FROM alpine:3.21\n")
    git(repo, "commit", "--quiet", "-am", "two")
    second = git(repo, "rev-parse", "HEAD").strip()
    return repo, first, second


def test_a_clone_is_read_at_the_commit_and_urls_are_normalised(upstream: tuple[Path, str, str]) -> None:
    repo, first, second = upstream
    source = LocalSources({"http://github.com/example/docker-app/": repo})
    assert source.read((URL, first, "1.0/Dockerfile")) == b"FROM debian:bookworm\n"
    assert (
        source.read(("git://github.com/example/docker-app", second, "1.0/Dockerfile"))
        == b"FROM alpine:3.21\n"
    )
    assert source.read((URL, first, "2.0/Dockerfile")) is None
    with pytest.raises(SourceUnavailable, match="does not have commit"):
        source.read((URL, "f" * 40, "1.0/Dockerfile"))
    with pytest.raises(SourceUnavailable, match="no --source"):
        source.read(("https://github.com/other/repo", first, "Dockerfile"))


def test_a_plain_folder_is_read_as_it_is(tmp_path: Path) -> None:
    (tmp_path / "1.0").mkdir()
    (tmp_path / "1.0" / "Dockerfile").write_text("FROM debian:trixie\n")
    source = LocalSources({URL: tmp_path})
    assert source.read((URL, "a" * 40, "1.0/Dockerfile")) == b"FROM debian:trixie\n"
    assert source.read((URL, "a" * 40, "Dockerfile")) is None


def test_fetch_caches_contents_at_a_commit_forever(upstream: tuple[Path, str, str], tmp_path: Path) -> None:
    repo, first, _ = upstream
    cache = tmp_path / "cache"
    url = f"file://{repo}"
    fetched = FetchedSources(cache)
    assert fetched.read((url, first, "1.0/Dockerfile")) == b"FROM debian:bookworm\n"
    assert fetched.read((url, first, "nope/Dockerfile")) is None
    # the upstream disappears: the cache still answers for what it has seen
    subprocess.run(["rm", "-rf", str(repo)], check=True)
    again = FetchedSources(cache)
    assert again.read((url, first, "1.0/Dockerfile")) == b"FROM debian:bookworm\n"
    assert again.read((url, first, "nope/Dockerfile")) is None
    with pytest.raises(SourceUnavailable, match="could not fetch"):
        again.read((url, "e" * 40, "1.0/Dockerfile"))


def test_without_git_a_source_is_unavailable_not_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "nothing-here"))
    with pytest.raises(SourceUnavailable):
        FetchedSources(tmp_path / "cache").read((f"file://{tmp_path}/none", "a" * 40, "Dockerfile"))


def test_cache_root_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_root() == tmp_path / "doi-bot"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert cache_root() == tmp_path / ".cache" / "doi-bot"


def test_read_all_reports_each_unreadable_repository_once(upstream: tuple[Path, str, str]) -> None:
    repo, first, second = upstream
    source = FirstOf(LocalSources({URL: repo}))
    refs = [
        (URL, first, "1.0/Dockerfile"),
        ("https://example.org/x.git", first, "a"),
        ("https://example.org/x.git", second, "b"),
    ]
    texts, problems = read_all(source, refs)
    assert texts == {(URL, first, "1.0/Dockerfile"): b"FROM debian:bookworm\n"}
    assert problems == ["no --source given for https://example.org/x.git"]
