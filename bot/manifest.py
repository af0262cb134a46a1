"""`doi-bot manifest [--json] FILE`: the parsed library file, as bashbrew cat prints it or as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bot.checks.library import read_bytes
from rules.library.cat import cat_text, manifest_json
from rules.library.parser import parse_library
from rules.tool import decode_text


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
