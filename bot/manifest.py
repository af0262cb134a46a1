"""`doi-bot manifest [--json] FILE`: the parsed library file, as bashbrew cat prints it or as JSON."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import TextIO

from bot.checks.library import read_bytes
from rules.library.cat import cat_text, manifest_json
from rules.library.parser import parse_library

# a byte that is not UTF-8, as Python's surrogateescape carries it through a str
_RAW_BYTE = re.compile("[\udc80-\udcff]")


def run_manifest(path: Path, as_json: bool) -> int:
    # bashbrew reads bytes: invalid UTF-8 and NUL pass through its parser and come back out as they were
    text = read_bytes(path).decode("utf-8", errors="surrogateescape")
    library = parse_library(text, path.name, str(path))
    if library.errors:
        # bashbrew's first error, as bashbrew words it, and nothing on stdout
        _write(sys.stderr, library.errors[0].message.rstrip("\n") + "\n")
        return 1
    if as_json:
        # JSON text is Unicode: each raw byte becomes U+FFFD, as Go's encoding/json writes it
        doc = json.dumps(manifest_json(library), indent=2, ensure_ascii=False)
        _write(sys.stdout, _RAW_BYTE.sub("\ufffd", doc) + "\n")
    else:
        _write(sys.stdout, cat_text(library))
    return 0


def _write(stream: TextIO, text: str) -> None:
    """Write `text` with its raw bytes restored (a stream without bytes underneath gets U+FFFD)."""
    data = text.encode("utf-8", errors="surrogateescape")
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(data.decode("utf-8", errors="replace"))
        return
    stream.flush()
    buffer.write(data)
    buffer.flush()
