"""DOI-C: each changed GitCommit is on its GitFetch branch or tag, and base-image tarballs live in one commit.

official-images CI (`naughty-commits.sh`) fetches each (GitRepo, GitFetch, GitCommit) and rejects a commit
that is not an ancestor of the fetched ref, and any commit in its history that modified a binary `*.tar*`
file of 3 MiB or more. This module is pure: it plans which triples a change needs facts for, and turns the
facts (fetched by `bot.commits.local` or `bot.commits.github`) into findings.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from rules.dockerfile.parse import parse_dockerfile
from rules.findings import Finding, Severity
from rules.github_repo import github_location
from rules.library.model import BuildSource, Entry, LibraryFile
from rules.registry import rule

NOT_IN_REF = rule(
    "DOI-C001",
    Severity.ERROR,
    "GitCommit is not on the GitFetch branch or tag",
    "bashbrew fetches the commit by its SHA first, so a wrong GitFetch goes unnoticed until official-images"
    " CI checks ancestry: the image would build from a commit upstream never published on that branch.",
)
REF_MISSING = rule(
    "DOI-C002",
    Severity.ERROR,
    "GitFetch names a branch or tag that does not exist",
    "official-images CI fetches GitFetch from GitRepo and fails when that branch or tag is not there.",
)
COMMIT_MISSING = rule(
    "DOI-C003",
    Severity.ERROR,
    "GitCommit does not exist in GitRepo",
    "bashbrew cannot find the commit after fetching, so nothing can be built from this entry.",
)
BIG_TARBALL_REWRITE = rule(
    "DOI-C004",
    Severity.ERROR,
    "A large tarball was modified in the commit's history",
    "Base images keep each rootfs tarball in a single commit (new-image checklist item 9); official-images"
    " CI rejects any commit in the history that modified a binary *.tar* file larger than 2MB.",
)
NOT_CHECKED = rule(
    "DOI-C005",
    Severity.INFO,
    "Commits that could not be checked",
    "Ancestry and tarball history are only checked where the repository can be read (GitHub, or a local"
    " clone or fetch on the command line); the review says which commits it could not vouch for.",
)

# naughty-commits.sh: `fileSizeMB=$(( size / 1024 / 1024 ))` must not be greater than 2.
THRESHOLD_MB = 2
MIB = 1024 * 1024

_REF_PREFIXES = ("refs/heads/", "refs/tags/")


@dataclass(frozen=True, slots=True)
class CommitRef:
    """One distinct (GitRepo, GitFetch, GitCommit), as written in the library file."""

    git_repo: str
    git_fetch: str
    git_commit: str

    @property
    def github(self) -> tuple[str, str] | None:
        """(owner, name) when GitRepo is a github.com repository."""
        return github_location(self.git_repo)

    @property
    def ref_name(self) -> str:
        """GitFetch without `refs/heads/` or `refs/tags/`: the name GitHub's compare view takes."""
        for prefix in _REF_PREFIXES:
            if self.git_fetch.startswith(prefix):
                return self.git_fetch.removeprefix(prefix)
        return self.git_fetch


@dataclass(frozen=True, slots=True)
class CommitUse:
    """One architecture of one entry that builds from a CommitRef."""

    path: str  # the library file, as findings name it
    entry: Entry
    arch: str

    @property
    def line(self) -> int:
        """The GitCommit line this architecture takes its commit from."""
        arch_key = f"{self.arch}-GitCommit"
        if self.entry.arch_values.get(arch_key):
            return self.entry.line_of(arch_key)
        return self.entry.line_of("GitCommit")


@dataclass(frozen=True, slots=True)
class CommitCheck:
    """A triple that needs facts, where it is used, and which directories' tarball history matters."""

    ref: CommitRef
    uses: tuple[CommitUse, ...]
    # directories of `FROM scratch` / oci-import uses, whose *.tar* history is checked; empty: none
    tarball_dirs: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TarballChange:
    """A commit in GitCommit's history that modified a binary *.tar* file; size in bytes after the change."""

    commit: str
    path: str
    size: int

    @property
    def megabytes(self) -> int:
        return self.size // MIB


@dataclass(frozen=True, slots=True)
class CommitFacts:
    commit_exists: bool = True
    ref_exists: bool = True
    contained: bool = True  # GitCommit is an ancestor of (or is) the head of GitFetch
    tarball_changes: tuple[TarballChange, ...] = ()
    unchecked: str | None = None  # why nothing above could be established; then the rest is meaningless
    # not checked because the user chose so (`check` without --source or --fetch), not because it failed
    by_choice: bool = False

    @classmethod
    def not_checked(cls, reason: str, *, by_choice: bool = False) -> CommitFacts:
        return cls(unchecked=reason, by_choice=by_choice)


def tarball_pathspec(directory: str) -> str:
    """The *.tar* files under a directory, as a git pathspec (CI's `**.tar**`: `*` crosses `/`)."""
    return "*.tar*" if directory in ("", ".") else f"{directory.rstrip('/')}/*.tar*"


def is_tarball_path(path: str, directory: str) -> bool:
    """The same set as `tarball_pathspec(directory)`, for paths GitHub lists."""
    inside = directory in ("", ".") or path.startswith(directory.rstrip("/") + "/")
    return inside and ".tar" in path.rsplit("/", 1)[-1]


def from_scratch(dockerfile: str) -> bool:
    """Whether any stage starts `FROM scratch`: a base image whose rootfs tarball lives in the repository."""
    return any((stage.image or "").lower() == "scratch" for stage in parse_dockerfile(dockerfile).stages)


def scratch_sources(
    dockerfiles: Mapping[tuple[str, str, str], bytes | None],
) -> Callable[[BuildSource], bool]:
    """Whether a build source is `FROM scratch`, judged from the upstream Dockerfiles a review fetched
    (keyed by GitRepo, GitCommit and path, as `Evidence.dockerfiles`); an unfetched one counts as not."""

    def scratch(source: BuildSource) -> bool:
        data = dockerfiles.get((source.git_repo, source.git_commit, source.dockerfile_path))
        return data is not None and from_scratch(data.decode("utf-8", "replace"))

    return scratch


def plan_commit_checks(
    changes: Iterable[tuple[LibraryFile | None, LibraryFile]],
    scratch: Callable[[BuildSource], bool] = lambda source: False,
) -> tuple[CommitCheck, ...]:
    """The triples a change needs facts for: each (architecture, triple) at head that base did not have.

    `changes` pairs each changed library file at base (None when added) with it at head; `scratch` says
    whether a build source's Dockerfile is `FROM scratch` (oci-import sources always are).
    """
    uses: dict[CommitRef, list[CommitUse]] = defaultdict(list)
    dirs: dict[CommitRef, dict[str, None]] = defaultdict(dict)
    for base, head in changes:
        before = _arch_refs(base) if base is not None else set()
        for entry in head.entries:
            for arch, source in entry.arches.items():
                ref = CommitRef(source.git_repo, source.git_fetch, source.git_commit)
                if (arch, ref) in before:
                    continue
                uses[ref].append(CommitUse(head.path, entry, arch))
                if source.builder == "oci-import" or scratch(source):
                    dirs[ref][source.directory] = None
    return tuple(CommitCheck(ref, tuple(found), tuple(dirs[ref])) for ref, found in uses.items())


def _arch_refs(library: LibraryFile) -> set[tuple[str, CommitRef]]:
    return {
        (arch, CommitRef(s.git_repo, s.git_fetch, s.git_commit))
        for entry in library.entries
        for arch, s in entry.arches.items()
    }


def commit_findings(checks: Sequence[CommitCheck], facts: Mapping[CommitRef, CommitFacts]) -> list[Finding]:
    """CI's verdicts on each checked triple, once per library file at its first GitCommit line."""
    findings: list[Finding] = []
    unchecked: dict[tuple[str, str], list[int]] = defaultdict(list)
    for check in checks:
        known = facts_of(check, facts)
        for path, line in _first_lines(check.uses).items():
            if known.unchecked is not None:
                unchecked[(path, known.unchecked)].append(line)
            else:
                findings += _verdicts(check.ref, known, path, line)
    for (path, reason), lines in unchecked.items():
        count = f"{len(lines)} changed commit{'s' if len(lines) > 1 else ''}"
        findings.append(NOT_CHECKED.finding(path, min(lines), f"{count} could not be checked: {reason}."))
    return findings


def facts_of(check: CommitCheck, facts: Mapping[CommitRef, CommitFacts]) -> CommitFacts:
    """The facts fetched for a check; a check the I/O layer skipped counts as not checked."""
    return facts.get(check.ref) or CommitFacts.not_checked("their facts were not fetched")


def _first_lines(uses: Iterable[CommitUse]) -> dict[str, int]:
    first: dict[str, int] = {}
    for use in uses:
        first[use.path] = min(first.get(use.path, use.line), use.line)
    return first


def _verdicts(ref: CommitRef, facts: CommitFacts, path: str, line: int) -> list[Finding]:
    found: list[Finding] = []
    if not facts.ref_exists:
        found.append(
            REF_MISSING.finding(
                path,
                line,
                f"unable to fetch specified GitFetch: {ref.git_fetch}; name a branch (refs/heads/...) or tag"
                f" (refs/tags/...) that exists in {ref.git_repo}.",
            )
        )
    if not facts.commit_exists:
        found.append(
            COMMIT_MISSING.finding(
                path,
                line,
                f'failed finding Git commit "{ref.git_commit}" in {ref.git_repo}; set GitCommit to a commit'
                " that is pushed there.",
            )
        )
    elif facts.ref_exists and not facts.contained:
        found.append(
            NOT_IN_REF.finding(
                path,
                line,
                f"{ref.git_commit} is not in the specified ref GitFetch: {ref.git_fetch}; push the commit to"
                f" that branch or set GitFetch to the branch or tag that holds it{_compare_link(ref)}.",
            )
        )
    for change in facts.tarball_changes:
        if change.megabytes > THRESHOLD_MB:
            found.append(_tarball_finding(ref, change, path, line))
    return found


def _tarball_finding(ref: CommitRef, change: TarballChange, path: str, line: int) -> Finding:
    where = f"commit {change.commit}"
    if change.commit != ref.git_commit:
        where += f" (in history of {ref.git_commit})"
    repo = ref.github
    link = f" (https://github.com/{repo[0]}/{repo[1]}/commit/{change.commit})" if repo else ""
    return BIG_TARBALL_REWRITE.finding(
        path,
        line,
        f"modified binary file (larger than {THRESHOLD_MB}MB): {change.path} ({change.megabytes}MB) in"
        f" {where}{link}; rewrite the upstream history so each tarball is added in a single commit and never"
        " modified.",
    )


def _compare_link(ref: CommitRef) -> str:
    repo = ref.github
    if repo is None:
        return ""
    return f" (https://github.com/{repo[0]}/{repo[1]}/compare/{ref.ref_name}...{ref.git_commit})"
