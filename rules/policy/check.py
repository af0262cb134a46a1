"""Image policy across a library file: the entries' Dockerfiles, their bases, architectures and constraints.

Pure: the caller fetches first (see `upstream_refs_needed` and `parent_images_needed`), then calls
`check_entries` with the texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rules.dockerfile.check import check_dockerfile, read_dockerfile
from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.images import parse_image
from rules.dockerfile.parse import Dockerfile
from rules.findings import Finding, Severity
from rules.library.model import Entry, LibraryFile
from rules.policy import constraints, coverage, same_from
from rules.policy.builds import Parents, entry_builds, official_bases
from rules.policy.upstream import UpstreamRef, permalink, upstream_ref, upstream_refs_needed
from rules.registry import rule
from rules.tool import decode_text, guarded

MISSING_DOCKERFILE = rule(
    "DOI-P004",
    Severity.ERROR,
    "Dockerfile missing at GitCommit",
    "bashbrew reads Directory/File at GitCommit for every architecture; when it is not there, official-images"
    " CI stops before any other check.",
)
NOT_CHECKED = rule(
    "DOI-P005",
    Severity.INFO,
    "Dockerfiles or base images not checked",
    "Without the upstream Dockerfiles or the base images' library files these checks cannot run; doi-bot"
    " says which, once, instead of guessing.",
)

_NAMED = 12  # entries named in the note; the rest are counted

DockerfileTexts = Mapping[UpstreamRef, bytes | str | None]


def parse_texts(texts: DockerfileTexts) -> tuple[dict[UpstreamRef, Dockerfile], list[Finding]]:
    """Each readable Dockerfile parsed once; unreadable bytes become a finding at the permalink."""
    parsed: dict[UpstreamRef, Dockerfile] = {}
    findings: list[Finding] = []
    for ref, data in texts.items():
        if data is None:
            continue
        text, unreadable = (data, None) if isinstance(data, str) else decode_text(data, permalink(ref))
        if text is None:
            findings += [unreadable] if unreadable else []
            continue
        dockerfile, crashed = read_dockerfile(text, permalink(ref))
        findings += crashed
        if dockerfile is not None:
            parsed[ref] = dockerfile
    return parsed, findings


def parent_images_needed(lib: LibraryFile, dockerfiles: DockerfileTexts) -> set[str]:
    """The official images (library file names) that `lib`'s Dockerfiles among `dockerfiles` build on,
    other than `lib` itself."""
    mine = upstream_refs_needed(lib)
    parsed, _ = parse_texts({ref: text for ref, text in dockerfiles.items() if ref in mine})
    names = set()
    for dockerfile in parsed.values():
        for base in dockerfile.bases:
            name = parse_image(base.image).official
            if name is not None and name != "scratch":
                names.add(name)
    names.discard(lib.name)
    return names


def check_entries(
    lib: LibraryFile,
    entries: Iterable[Entry],
    dockerfiles: DockerfileTexts,
    parents: Mapping[str, LibraryFile | None],
    pins: frozenset[str] | None,
    *,
    unread_hint: str = "",
) -> list[Finding]:
    """Dockerfile rules on each entry's upstream files, and the policy across files, for these entries.

    `dockerfiles` maps (GitRepo, GitCommit, path) to the text (None: not at that commit; missing: not
    read). `parents` maps official image names to their library files (None: no such image; missing:
    not available). `pins` is `.external-pins/` as `repository:tag`, None when unknown.
    """
    entries = tuple(entries)
    needed = {ref for e in entries for s in e.arches.values() if (ref := upstream_ref(s)) is not None}
    parsed, findings = parse_texts({ref: dockerfiles[ref] for ref in needed if ref in dockerfiles})
    for ref in sorted(parsed):
        findings += check_dockerfile(parsed[ref], DockerfileContext(permalink(ref), pins))
    known = Parents(lib, parents)
    unread: list[str] = []
    unknown_parents: set[str] = set()
    for entry in entries:
        builds = entry_builds(lib, entry, parsed)
        refs = [b.ref for b in builds.arches if b.ref is not None]
        if any(ref not in dockerfiles for ref in refs):
            unread.append(builds.image)
        findings += _missing(
            lib, entry, [ref for ref in refs if ref in dockerfiles and dockerfiles[ref] is None]
        )
        unknown_parents |= {
            image.official
            for build in builds.arches
            for image in official_bases(build.bases or ())
            if image.official and not known.known(image.official)
        }
        findings += guarded(lambda b=builds: coverage.check(lib, b, known), lib.path, "policy.coverage")
        findings += guarded(lambda b=builds: constraints.check(lib, b, known), lib.path, "policy.constraints")
        findings += guarded(lambda b=builds: same_from.check(lib, b), lib.path, "policy.same_from")
    findings += _not_checked(lib, unread, unknown_parents, unread_hint)
    return findings


def _missing(lib: LibraryFile, entry: Entry, refs: list[UpstreamRef]) -> list[Finding]:
    return [
        MISSING_DOCKERFILE.finding(
            lib.path,
            entry.line_of("GitCommit"),
            f"{ref[2]} does not exist at {ref[1]} in {ref[0]}; fix Directory/File or GitCommit.",
        )
        for ref in dict.fromkeys(refs)
    ]


def unread_finding(path: str, images: Sequence[str], hint: str) -> Finding:
    """One note naming the entries whose Dockerfiles were not read (the first few, then a count)."""
    shown = ", ".join(images[:_NAMED])
    more = f" and {len(images) - _NAMED} more" if len(images) > _NAMED else ""
    return NOT_CHECKED.finding(
        path,
        None,
        f"The Dockerfiles of {shown}{more} were not read, so they and their base images were not"
        f" checked{hint}.",
    )


def _not_checked(lib: LibraryFile, unread: list[str], parents: set[str], hint: str) -> list[Finding]:
    findings = [unread_finding(lib.path, unread, hint)] if unread else []
    if parents:
        findings.append(
            NOT_CHECKED.finding(
                lib.path,
                None,
                f"The library files of {', '.join(sorted(parents))} were not available, so the"
                " architectures and constraints of those base images were not checked.",
            )
        )
    return findings
