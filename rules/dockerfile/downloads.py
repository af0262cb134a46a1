"""DOI-D001, D013, D017, D030: downloads are https and verified in the same RUN (README "Security")."""

from __future__ import annotations

import re
from collections.abc import Iterator

from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import Dockerfile, Instruction, ShellKind
from rules.dockerfile.shell import Command, commands, runs
from rules.findings import Finding, Severity
from rules.registry import rule

UNVERIFIED_DOWNLOAD = rule(
    "DOI-D001",
    Severity.ERROR,
    "Download with no verification in the same RUN",
    "The official-images guidelines call a download with no checksum or signature check unacceptable:"
    " a compromised mirror would ship straight into the image.",
)
HTTP_DOWNLOAD = rule(
    "DOI-D013",
    Severity.WARNING,
    "Download over plain http://",
    "The guidelines ask for https wherever the upstream offers it (apt sources with `signed-by=` are"
    " checked by apt itself and are fine).",
)
REMOTE_ADD = rule(
    "DOI-D017",
    Severity.WARNING,
    "Remote ADD without --checksum",
    "`ADD <url>` fetches whatever the server returns at build time; download with curl or wget and verify"
    " it, or give `ADD --checksum=sha256:...`.",
)
WEAK_CHECKSUM = rule(
    "DOI-D030",
    Severity.INFO,
    "MD5 or SHA-1 as the only checksum",
    "The guidelines accept MD5 and SHA-1 only as a checksum of last resort, when upstream publishes"
    " nothing stronger.",
)

_DOWNLOADERS = r"curl(?:\.exe)?|wget(?:\.exe)?"
_POWERSHELL_DOWNLOAD = re.compile(r"\b(?:Invoke-WebRequest|Start-BitsTransfer|iwr)\b|\.DownloadFile\(", re.I)
_STRONG = re.compile(
    r"\b(?:sha(?:224|256|384|512)sum|Get-FileHash|Get-AuthenticodeSignature)\b"
    # tools that are also package names (`apt-get install gpgv minisign`): only as a verifying command
    r"|\bgpgv2?\s+(?:-|[\"'$]|\S+\.(?:asc|sig|sign|gpg)\b)|\b(?:minisign|signify(?:-openbsd)?)\s+-\w*V"
    r"|\bb2sum\s+(?:-\S+\s+)*(?:-c|--check)\b"
    r"|\bcosign\s+verify|\bhash(?:_file)?\(\s*['\"]sha(?:256|384|512)|\bhashlib\.sha(?:256|384|512)\b"
    r"|\bshasum\s+(?:-\S+\s+)*(?:-a\s*|--algorithm[=\s]+)(?:224|256|384|512)\b"
    r"|\bopenssl\s+(?:dgst\s+(?:-\S+\s+)*-)?sha(?:224|256|384|512)\b"
    r"|\bcertutil(?:\.exe)?\s+-hashfile\b"
    r"|\bcreateHash\(\s*['\"]sha(?:256|384|512)|\bDigest::SHA(?:256|384|512)\b"
    r"|\brpm(?:keys)?\s+(?:-\S+\s+)*(?:-K|--checksig)\b"
    r"|\bgpg[12]?\b[^;&|\n]*--(?:verify|decrypt)\b",
    re.I,
)
# Downloaded keys imported, then only a key named by fingerprint (literal or variable) exported for use: the
# fingerprint is what checks them (`curl -o keys.asc ...; gpg --import keys.asc; gpg --export "$KEY" > ...`).
_KEYS_IMPORTED = re.compile(r"\bgpg[12]?\b[^;&|\n]*--import\b")
_KEY_EXPORTED = re.compile(
    r"\bgpg[12]?\b[^;&|\n]*--export\s+(?:--?[\w-]+\s+)*[\"']?(?:\$|[0-9A-Fa-f]{4}(?:\s{0,2}[0-9A-Fa-f]{4}){9}\b)"
)
_WEAK = re.compile(r"\b(?:md5sum|sha1sum|shasum)\b|\bopenssl\s+(?:dgst\s+-)?(?:md5|sha1)\b", re.I)
_POWERSHELL_STATEMENT_END = re.compile(r"[;\n]")
_LOCAL = re.compile(r"://(?:localhost|127\.0\.0\.1|\[::1\])[:/]")
# A file from a version-control host at a named revision (a tag or commit; a branch moves): not verified,
# but what it is can be reviewed.
_REVISION = re.compile(
    r"raw\.githubusercontent\.com/[^/\s]+/[^/\s]+/(?P<raw>[^/\s]+)/"
    r"|/(?:-/)?raw/(?P<path>[^/\s]+)/"
    r"|/plain/\S*?[?&](?:id|h)=(?P<query>[^&\s\"']+)"
)
_BRANCHES = frozenset({"main", "master", "head", "develop", "trunk", "stable", "latest", "refs"})
_URL = re.compile(r"""https?://[^\s"'`]+|ftp://[^\s"'`]+""")


# Asks the server without keeping a body: a HEAD request, wget's spider, or output thrown away.
_PROBE = {
    "curl": re.compile(r"\s(?:-[a-zA-Z]*I[a-zA-Z]*|--head|(?:-o|--output)[=\s]*/dev/null)(?=\s|$)"),
    "wget": re.compile(r"\s(?:--spider|(?:-O|--output-document)[=\s]*/dev/null)(?=\s|$)"),
}


_CMD_VARIABLE = re.compile(r"%\w+%")


def _fetches(command: str, shell: ShellKind) -> bool:
    """A command that fetches something from a URL (given or in a variable: `$URL`, cmd's `%URL%`), not from
    this machine, and keeps what it fetched."""
    probe = _PROBE.get(command.split(None, 1)[0].removesuffix(".exe").lower())
    return (
        ("://" in command or "$" in command or (shell == "cmd" and _CMD_VARIABLE.search(command) is not None))
        and not _LOCAL.search(command)
        and not (probe and probe.search(command))
    )


def _downloads(instruction: Instruction) -> list[Command]:
    found = []
    script = instruction.script
    text = script.text
    if "curl" in text or "wget" in text:
        found += [c for c in commands(script, _DOWNLOADERS) if _fetches(c.text, instruction.shell)]
    if instruction.shell == "sh":
        return found
    for match in _POWERSHELL_DOWNLOAD.finditer(text):
        stop = _POWERSHELL_STATEMENT_END.search(text, match.end())
        end = stop.start() if stop else len(text)
        if _fetches(text[match.start() : end], instruction.shell):
            found.append(
                Command(
                    match.group(0),
                    match.start(),
                    end,
                    text[match.start() : end],
                    script.line_at(match.start()),
                )
            )
    return sorted(found, key=lambda c: c.start)


def check(dockerfile: Dockerfile, context: DockerfileContext) -> Iterator[Finding]:
    # variables downloads use -> every such download checked (a weak checksum too: http then only tells an
    # observer what was fetched)
    checked_by_variable: dict[str, bool] = {}
    for instruction in dockerfile.instructions:
        if instruction.keyword == "ADD":
            yield from _remote_add(instruction, context)
        if not runs(instruction):
            continue
        downloads = _downloads(instruction)
        if not downloads:
            continue
        script = instruction.script.text
        verified = bool(_STRONG.search(script)) or bool(
            _KEYS_IMPORTED.search(script) and _KEY_EXPORTED.search(script)
        )
        weak = _WEAK.search(script)
        checked = verified or weak is not None
        for name in re.findall(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)", " ".join(c.text for c in downloads)):
            checked_by_variable[name] = checked_by_variable.get(name, True) and checked
        yield from _plain_http(downloads, checked, context)
        if verified:
            continue
        if weak:
            yield WEAK_CHECKSUM.finding(
                context.path,
                instruction.script.line_at(weak.start()),
                "This RUN checks its download with MD5 or SHA-1 only; use SHA-256 or a signature if upstream"
                " publishes one.",
            )
            continue
        yield _unverified(downloads, context)
    yield from _http_variables(dockerfile, checked_by_variable, context)


def _unverified(downloads: list[Command], context: DockerfileContext) -> Finding:
    first, last = downloads[0], downloads[-1]
    urls = [u for c in downloads for u in _URL.findall(c.text)]
    severity = _severity_at([_revision(u) for u in urls]) if urls and len(urls) == len(downloads) else None
    message = (
        "This download is not verified in the same RUN; check it against an embedded SHA-256 (`echo"
        ' "$SHA256 *file" | sha256sum -c -`) or a signature by full fingerprint (`gpg --batch --verify`).'
    )
    if severity is Severity.INFO:
        message = (
            "This file comes from a source repository at a fixed revision but is not verified; an embedded"
            ' SHA-256 (`echo "$SHA256 *file" | sha256sum -c -`) would make that explicit.'
        )
    return UNVERIFIED_DOWNLOAD.finding(
        context.path,
        first.line,
        message,
        end_line=last.line if last.line != first.line else None,
        severity=severity,
    )


def _revision(url: str) -> str | None:
    match = _REVISION.search(url)
    return next((g for g in match.groups() if g), None) if match else None


def _severity_at(revisions: list[str | None]) -> Severity | None:
    """Files from a source host, all at a named revision, can at least be reviewed: not a blocker. At a tag,
    a commit or a version kept in a variable they are what was reviewed (info); on a branch they change."""
    if any(r is None for r in revisions):
        return None
    pinned = all(
        r and r.lower() not in _BRANCHES and (r.startswith("$") or any(c.isdigit() for c in r))
        for r in revisions
    )
    return Severity.INFO if pinned else Severity.WARNING


def _plain_http(downloads: list[Command], checked: bool, context: DockerfileContext) -> Iterator[Finding]:
    for command in downloads:
        if "http://" in command.text:
            yield HTTP_DOWNLOAD.finding(
                context.path,
                command.line,
                "This download uses http://; use https:// if the server offers it.",
                # checked by a checksum or signature, http only tells an observer what was fetched
                severity=Severity.INFO if checked else None,
            )


def _remote_add(instruction: Instruction, context: DockerfileContext) -> Iterator[Finding]:
    sources = (instruction.exec_form or tuple(instruction.arguments.text.split()))[:-1]
    remote = [s for s in sources if s.startswith(("http://", "https://"))]
    if remote and instruction.flag("checksum") is None:
        yield REMOTE_ADD.finding(
            context.path,
            instruction.start,
            "This ADD fetches a URL with no checksum; add `--checksum=sha256:...` or download it with curl"
            " and verify it in a RUN.",
        )


def _http_variables(
    dockerfile: Dockerfile, used: dict[str, bool], context: DockerfileContext
) -> Iterator[Finding]:
    """`ENV X_URL http://...` used by a download: the plain-http URL sits in the ENV line."""
    for instruction in dockerfile.instructions:
        if instruction.keyword not in ("ENV", "ARG"):
            continue
        text = instruction.arguments.text
        if "http://" not in text:
            continue
        for match in re.finditer(r"([A-Za-z_][A-Za-z0-9_]*)(?:=|\s+)[\"']?http://", text):
            if match.group(1) in used and not _LOCAL.search(text[match.end() - 7 :]):
                yield HTTP_DOWNLOAD.finding(
                    context.path,
                    instruction.arguments.line_at(match.start()),
                    f"{match.group(1)} is downloaded over http://; use https:// if the server offers it.",
                    severity=Severity.INFO if used[match.group(1)] else None,
                )
