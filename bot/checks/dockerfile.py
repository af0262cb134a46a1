"""`doi-bot check Dockerfile`: one Dockerfile given directly."""

from __future__ import annotations

from pathlib import Path

from bot.checks import CheckOptions, UsageError, official_images_root
from rules.dockerfile.check import check_dockerfile_text
from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.images import PINS, pins_from_file_names
from rules.findings import Finding
from rules.tool import decode_text


def read_external_pins(checkout: Path) -> frozenset[str]:
    """The `repository:tag` pins of an official-images checkout (empty when it has none)."""
    folder = checkout / PINS
    if not folder.is_dir():
        return frozenset()
    return pins_from_file_names(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def check_dockerfile_path(path: Path, options: CheckOptions) -> list[Finding]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: {exc.strerror or exc}") from exc
    text, unreadable = decode_text(data, str(path))
    if text is None:
        return [unreadable] if unreadable else []
    pins = read_external_pins(official_images_root(options.library_dir)) if options.library_dir else None
    return check_dockerfile_text(text, DockerfileContext(str(path), pins))
