"""`doi-bot check <Dockerfile>` end to end: exit codes, paths and lines as the user sees them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main

BAD = 'FROM debian:bookworm\nRUN set -eux; \\\n\tcurl -fo a.tgz "$URL"; \\\n\ttar -xzf a.tgz\nCMD ["a"]\n'


def test_a_dockerfile_with_an_error_exits_1_with_the_exact_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text(BAD)
    assert main(["check", "--format", "json", str(dockerfile)]) == 1
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["path"], f["line"], f["rule"]) for f in findings] == [(str(dockerfile), 3, "DOI-D001")]


def test_a_clean_dockerfile_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dockerfile = tmp_path / "app.dockerfile"
    dockerfile.write_text('FROM debian:bookworm\nCMD ["a"]\n')
    assert main(["check", str(dockerfile)]) == 0


def test_external_pins_come_from_the_library_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pins = tmp_path / "oi" / ".external-pins" / "mcr.microsoft.com" / "windows"
    pins.mkdir(parents=True)
    (pins / "servercore___ltsc2022").write_text("sha256:" + "0" * 64 + "\n")
    (tmp_path / "oi" / "library").mkdir()
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_text('FROM mcr.microsoft.com/windows/servercore:ltsc2025\nCMD ["a"]\n')
    assert main(["check", str(dockerfile)]) == 0  # pins unknown: only information
    assert main(["check", "--library-dir", str(tmp_path / "oi" / "library"), str(dockerfile)]) == 1
    dockerfile.write_text('FROM mcr.microsoft.com/windows/servercore:ltsc2022\nCMD ["a"]\n')
    assert main(["check", "--library-dir", str(tmp_path / "oi"), str(dockerfile)]) == 0


def test_binary_dockerfile_is_one_finding_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dockerfile = tmp_path / "Dockerfile"
    dockerfile.write_bytes(b"FROM \0\xff")
    assert main(["check", "--format", "json", str(dockerfile)]) == 1
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["DOI-X001"]
