"""`doi-bot check --base REV [--head REV] REPO_DIR`: review a local git change as the bot reviews a pull
request, with the same build_review."""

from __future__ import annotations

import dataclasses
import json
import subprocess
from pathlib import Path

from bot.checks import CheckOptions, UsageError, path_kind
from bot.checks.docs import docs_evidence
from bot.checks.library import docs_images
from bot.checks.upstream import dockerfile_evidence
from bot.commits.local import commit_evidence
from bot.output import render_sarif, render_text
from bot.review.build import build_review
from bot.review.model import ChangedFile, Evidence, FileStatus, PullRequest, RepoKind, Review
from rules.dockerfile.images import PINS, pins_from_file_names

_STATUS: dict[str, FileStatus] = {"A": "added", "D": "removed", "M": "modified", "T": "modified"}


class _Git:
    def __init__(self, repo_dir: Path) -> None:
        self.repo_dir = repo_dir

    def run(self, *args: str, stdin: bytes | None = None) -> bytes:
        try:
            done = subprocess.run(
                ["git", "-C", str(self.repo_dir), *args],
                input=stdin,
                capture_output=True,
                check=False,
            )
        except OSError as exc:
            raise UsageError(f"git cannot run: {exc}") from exc
        if done.returncode != 0:
            reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise UsageError(
                f"{self.repo_dir}: git {args[0]} failed: {reason[-1] if reason else 'no reason'}"
            )
        return done.stdout

    def check_root(self) -> None:
        """`--base` reads the checkout through git: the folder must be the root of a git working tree."""
        try:
            top = Path(self.run("rev-parse", "--show-toplevel").decode().strip())
        except UsageError:
            raise UsageError(f"{self.repo_dir}: not a git checkout, which --base needs") from None
        if top.resolve() != self.repo_dir.resolve():
            raise UsageError(f"{self.repo_dir}: not the root of its git checkout ({top}), which --base needs")

    def commit(self, revision: str) -> str:
        try:
            return self.run("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").decode().strip()
        except UsageError:
            raise UsageError(f"{self.repo_dir}: no commit {revision!r} in this git repository") from None

    def blob(self, commit: str, path: str) -> bytes:
        return self.run("cat-file", "blob", f"{commit}:{path}")

    def blobs(self, commit: str, folder: str) -> dict[str, bytes]:
        """Every file under `folder` at `commit`, by path, in one `git cat-file --batch`."""
        listing = self.run("ls-tree", "-r", "-z", "--full-tree", commit, "--", folder)
        entries = [line.split(b"\t", 1) for line in listing.split(b"\0") if line]
        paths = [path.decode() for meta, path in entries if meta.split(b" ")[1] == b"blob"]
        if not paths:
            return {}
        out = self.run("cat-file", "--batch", stdin="".join(f"{commit}:{p}\n" for p in paths).encode())
        result: dict[str, bytes] = {}
        position = 0
        for path in paths:
            header_end = out.index(b"\n", position)
            size = int(out[position:header_end].split(b" ")[2])
            result[path] = out[header_end + 1 : header_end + 1 + size]
            position = header_end + 1 + size + 1
        return result


def _patch(diff: bytes) -> str:
    """The hunks of one file's `git diff`, from the first `@@` (the shape GitHub's files API gives)."""
    text = diff.decode("utf-8", "replace")
    start = text.find("\n@@")
    return text[start + 1 :].rstrip("\n") if start >= 0 else ""


def local_pull_request(git: _Git, kind: RepoKind, base: str, head: str) -> PullRequest:
    head_sha = git.commit(head)
    base_sha = git.run("merge-base", git.commit(base), head_sha).decode().strip()
    names = git.run("diff", "--no-renames", "--name-status", "-z", base_sha, head_sha).split(b"\0")
    files = []
    for status, path in zip(names[0::2], names[1::2], strict=False):
        if not path:
            continue
        file_status = _STATUS.get(status.decode()[:1], "modified")
        name = path.decode()
        files.append(
            ChangedFile(
                path=name,
                status=file_status,
                base=None if file_status == "added" else git.blob(base_sha, name),
                head=None if file_status == "removed" else git.blob(head_sha, name),
                patch=_patch(git.run("diff", "--no-renames", "-U3", base_sha, head_sha, "--", name)),
            )
        )
    title = git.run("log", "-1", "--format=%s", head_sha).decode("utf-8", "replace").strip()
    return PullRequest(
        repository=str(git.repo_dir),
        kind=kind,
        number=None,
        title=title,
        head_sha=head_sha,
        base_sha=base_sha,
        files=tuple(files),
    )


def local_evidence(git: _Git, pr: PullRequest, options: CheckOptions) -> Evidence:
    """What the local checkout gives the review at the head: library files and external pins; and the
    images with docs, from `--docs-dir`."""
    libraries = {path.split("/", 1)[1]: data for path, data in git.blobs(pr.head_sha, "library").items()}
    pins = pins_from_file_names(git.blobs(pr.head_sha, PINS))
    return Evidence(libraries=libraries, external_pins=pins, known_images=docs_images(options))


def review_local_change(repo_dir: Path, base: str, head: str, options: CheckOptions) -> Review:
    kind = path_kind(repo_dir)
    if kind not in ("official-images", "docs"):
        raise UsageError(f"{repo_dir}: --base needs an official-images or docs checkout")
    git = _Git(repo_dir)
    git.check_root()
    pr = local_pull_request(git, "official-images" if kind == "official-images" else "docs", base, head)
    if kind == "official-images":
        evidence = dockerfile_evidence(local_evidence(git, pr, options), pr, options)
        facts = commit_evidence(pr, evidence.dockerfiles, options)
        evidence = dataclasses.replace(evidence, commit_facts=facts)
    else:
        evidence = docs_evidence(options, pr, lambda folder: git.blobs(pr.head_sha, folder))
    review = build_review(pr, evidence)
    # findings open from the current directory; comments stay relative to the repository, as on GitHub
    findings = tuple(
        f if "://" in f.path else dataclasses.replace(f, path=str(repo_dir / f.path)) for f in review.findings
    )
    return dataclasses.replace(review, findings=findings)


def render_review(review: Review, fmt: str) -> str:
    """The review as the contract's JSON, as SARIF (its findings), or as text that shows the same parts."""
    if fmt == "json":
        return json.dumps(review.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        return render_sarif(review.findings)
    findings = render_text(review.findings).rstrip("\n") or "(none)"
    parts = [review.summary.rstrip("\n"), "", "findings:", findings]
    parts += ["", "comments:"]
    for comment in review.comments:
        parts.append(f"{comment.path}:{comment.line}:")
        parts += [f"    {line}" for line in comment.body.rstrip("\n").splitlines()]
    if not review.comments:
        parts.append("(none)")
    parts += [
        "",
        f"labels: {', '.join(review.labels) if review.labels else '(none)'}",
        f"conclusion: {review.conclusion}",
        f"gate: {review.gate or '(none)'}",
    ]
    return "\n".join(parts) + "\n"
