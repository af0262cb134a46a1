"""`doi-bot manifest [--json] FILE`: the parsed library file, as bashbrew cat prints it or as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.checks import UsageError
from rules.library.cat import cat_text, manifest_json
from rules.library.parser import parse_library
from rules.tool import decode_text


def read_bytes(path: Path) -> bytes:
    """A file's bytes; a missing path, a directory or an unreadable file is a usage error (exit 2)."""
    if not path.exists():
        raise UsageError(f"{path}: no such file or directory")
    if path.is_dir():
        raise UsageError(f"{path}: is a directory, not a library file")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot be read ({exc.strerror or exc})") from exc


def run_manifest(path: Path, as_json: bool) -> int:
    data = read_bytes(path)
    text, unreadable = decode_text(data, str(path))
    if text is None:
        sys.stderr.write(f"{unreadable.message if unreadable else 'unreadable input'}\n")
        return 1
    library = parse_library(text, path.name, str(path))
    if library.errors:
        # bashbrew's first error, as bashbrew words it, and nothing on stdout
        sys.stderr.write(library.errors[0].message.rstrip("\n") + "\n")
        return 1
    if as_json:
        sys.stdout.write(json.dumps(manifest_json(library), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(cat_text(library))
    return 0
