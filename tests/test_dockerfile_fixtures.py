"""Realistic Dockerfiles in the official images' style: accepted images get no error and no warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.checks.dockerfile import read_external_pins
from rules.dockerfile.check import check_dockerfile_text
from rules.dockerfile.context import DockerfileContext
from rules.findings import Severity

FIXTURES = Path(__file__).parent / "fixtures" / "dockerfiles"
DOCKERFILES = sorted(FIXTURES.rglob("Dockerfile*"))


@pytest.fixture(scope="module")
def pins(shared: Path) -> frozenset[str]:
    return read_external_pins(shared / "corpus" / "official-images")


def test_there_are_enough_fixtures_to_mean_something() -> None:
    assert len(DOCKERFILES) >= 10
    assert sum(p.stat().st_size for p in DOCKERFILES) / len(DOCKERFILES) > 2000


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_accepted_style_dockerfile_has_no_error_and_no_warning(path: Path, pins: frozenset[str]) -> None:
    findings = check_dockerfile_text(path.read_text(), DockerfileContext(str(path), pins))
    loud = [f"{f.line}: {f.rule} {f.message}" for f in findings if f.severity is not Severity.INFO]
    assert loud == []


def test_the_information_notes_on_the_fixtures_are_the_expected_ones(pins: frozenset[str]) -> None:
    notes = set()
    for path in DOCKERFILES:
        for f in check_dockerfile_text(path.read_text(), DockerfileContext(str(path), pins)):
            notes.add((str(path.relative_to(FIXTURES)), f.line, f.rule))
    assert notes == {
        ("blogpress-fpm/Dockerfile", 108, "DOI-D030"),
        # files at a fixed commit of a source repository, not checksummed: reviewable, not a blocker
        ("caddyish-alpine/Dockerfile", 15, "DOI-D001"),
        ("rootfs-builder/Dockerfile", 93, "DOI-D001"),
        # http, but checked by an embedded SHA-256
        ("redisish-alpine/Dockerfile", 46, "DOI-D013"),
        ("hopper-mq/Dockerfile", 91, "DOI-D033"),
        ("mongoish-windows/Dockerfile", 60, "DOI-D033"),
        # photon has neither dpkg nor apk
        ("photonish/Dockerfile", 19, "DOI-D032"),
        ("ubi-based/Dockerfile", 27, "DOI-D032"),
        ("webproxy-modules/Dockerfile", 13, "DOI-D031"),
    }
