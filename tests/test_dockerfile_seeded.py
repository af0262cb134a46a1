"""Seeded defects: each accepted-style fixture, broken the way contributors break Dockerfiles, is caught."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rules.dockerfile.check import check_dockerfile_text
from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.parse import parse_dockerfile
from rules.findings import Severity
from tests.test_dockerfile_fixtures import DOCKERFILES, FIXTURES

PINS = frozenset(
    {
        f"mcr.microsoft.com/windows/{b}:{t}"
        for b in ("servercore", "nanoserver")
        for t in ("ltsc2022", "ltsc2025")
    }
    | {"redhat/ubi9-minimal:latest"}
)
_VERIFIER = re.compile(r"sha\d+sum|shasum|--verify|--decrypt|Get-FileHash|openssl sha|certutil|hash_file")
_DOWNLOAD = re.compile(r"\b(?:curl|wget)\b[^\n]*(?:://|\$)|Invoke-WebRequest")
_RECV_FINGERPRINT = re.compile(r"(--recv-keys\s+['\"]?)([0-9A-F]{40})")
_APT_CLEAN = re.compile(r"rm -rf /var/lib/apt/lists|apt-get dist-clean")


def rules_in(text: str, path: Path, severity: Severity) -> list[tuple[str, int | None]]:
    found = check_dockerfile_text(text, DockerfileContext(str(path), PINS))
    return [(f.rule, f.line) for f in found if f.severity is severity]


def name(path: Path) -> str:
    return str(path.relative_to(FIXTURES))


WITH_VERIFIED_DOWNLOADS = [
    p for p in DOCKERFILES if _DOWNLOAD.search(p.read_text()) and _VERIFIER.search(p.read_text())
]


@pytest.mark.parametrize("path", WITH_VERIFIED_DOWNLOADS, ids=name)
def test_dropping_the_verification_is_an_error_on_the_download_line(path: Path) -> None:
    lines = path.read_text().split("\n")
    broken = "\n".join(line for line in lines if not _VERIFIER.search(line))
    errors = rules_in(broken, path, Severity.ERROR)
    assert errors and {rule for rule, _ in errors} == {"DOI-D001"}
    for _, line in errors:
        assert line is not None and _DOWNLOAD.search(broken.split("\n")[line - 1])


@pytest.mark.parametrize(
    "path", [p for p in DOCKERFILES if _RECV_FINGERPRINT.search(p.read_text())], ids=name
)
@pytest.mark.parametrize("length", [8, 16])
def test_a_short_key_id_is_an_error_on_its_line(path: Path, length: int) -> None:
    text = path.read_text()
    match = _RECV_FINGERPRINT.search(text)
    assert match is not None
    broken = text[: match.start(2)] + match.group(2)[-length:] + text[match.end(2) :]
    line = text.count("\n", 0, match.start(2)) + 1
    assert ("DOI-D002", line) in rules_in(broken, path, Severity.ERROR)


# a fingerprint alone on its line (a `for key in` list or a continued ENV) or in `ENV GPG_KEY(S)`
_LISTED_FINGERPRINT = re.compile(r"^(?:\t+|ENV \w*(?:GPG|PGP)\w* )([0-9A-F]{40})\b", re.M)


@pytest.mark.parametrize(
    "path", [p for p in DOCKERFILES if _LISTED_FINGERPRINT.search(p.read_text())], ids=name
)
def test_a_short_key_id_in_a_key_list_is_an_error_on_its_line(path: Path) -> None:
    text = path.read_text()
    match = _LISTED_FINGERPRINT.search(text)
    assert match is not None
    broken = text[: match.start(1)] + "0x" + match.group(1)[-16:] + text[match.end(1) :]
    line = text.count("\n", 0, match.start(1)) + 1
    assert ("DOI-D002", line) in rules_in(broken, path, Severity.ERROR)


@pytest.mark.parametrize("path", DOCKERFILES, ids=name)
def test_an_unofficial_base_is_an_error_on_the_from_line(path: Path) -> None:
    text = path.read_text()
    match = re.search(r"^FROM (?:--\S+ )*(?!scratch)([a-z][\w.-]*):", text, re.M)
    if match is None:
        pytest.skip("no plain official FROM to break")
    broken = text[: match.start(1)] + "someone/" + text[match.start(1) :]
    line = text.count("\n", 0, match.start(1)) + 1
    assert ("DOI-D003", line) in rules_in(broken, path, Severity.ERROR)


def _installs_in_final_stage(path: Path) -> bool:
    dockerfile = parse_dockerfile(path.read_text())
    final = dockerfile.final_stages()
    return any(
        i.keyword == "RUN" and i.stage in final and "apt-get install" in i.script.text
        for i in dockerfile.instructions
    )


@pytest.mark.parametrize("path", [p for p in DOCKERFILES if _installs_in_final_stage(p)], ids=name)
def test_apt_lists_left_behind_in_the_final_stage_are_a_warning(path: Path) -> None:
    text = path.read_text()
    broken = "\n".join(line for line in text.split("\n") if not _APT_CLEAN.search(line))
    assert "DOI-D014" in {rule for rule, _ in rules_in(broken, path, Severity.WARNING)}


_COPY_FROM_IMAGE = re.compile(r"^COPY (?:--\S+ )*--from=([a-z][\w.-]*:)", re.M)


@pytest.mark.parametrize("path", [p for p in DOCKERFILES if _COPY_FROM_IMAGE.search(p.read_text())], ids=name)
def test_copying_from_an_unofficial_image_is_an_error_on_the_copy_line(path: Path) -> None:
    text = path.read_text()
    match = _COPY_FROM_IMAGE.search(text)
    assert match is not None
    broken = text[: match.start(1)] + "someone/" + text[match.start(1) :]
    line = text.count("\n", 0, match.start(1)) + 1
    assert ("DOI-D003", line) in rules_in(broken, path, Severity.ERROR)
