"""OpenPGP clear-signed input, framed as Go's x/crypto clearsign.Decode (and armor.Decode) frame it.

go-debian's control reader switches to this when the text (after bashbrew drops comment lines) starts
with `-----BEGIN PGP `; the signature itself is never checked (bashbrew passes no keyring).
"""

from __future__ import annotations

from collections.abc import Sequence

START = "-----BEGIN PGP SIGNED MESSAGE-----"
_SIGNATURE_START = "-----BEGIN PGP SIGNATURE-----"
_SIGNATURE_END = "\n-----END PGP SIGNATURE-----"

# One line of text with the number of the source line it came from.
NumberedLine = tuple[int, str]


def _get_line(data: str, at: int) -> tuple[str, int]:
    """Go's getLine: the line at `at` (without `\\n` or `\\r\\n`, right-trimmed of spaces and tabs), and
    where the next line starts."""
    end = data.find("\n", at)
    if end < 0:
        return data[at:].rstrip(" \t"), len(data)
    stop = end - 1 if end > at and data[end - 1] == "\r" else end
    return data[at:stop].rstrip(" \t"), end + 1


def _armor_ok(armored: str) -> bool:
    """Whether armor.Decode accepts the signature block: a `-----BEGIN ...` line, then `Key: value` header
    lines up to an empty line (a line that is neither starts the search for a block again)."""
    lines = armored.split("\n")
    if lines[-1] == "":
        lines.pop()
    index = 0
    while True:
        while index < len(lines):
            line = lines[index].strip()
            index += 1
            if len(line) > len("-----BEGIN -----") and line.startswith("-----BEGIN "):
                break
        else:
            return False
        while index < len(lines):
            line = lines[index].strip()
            index += 1
            if not line:
                return True
            if ": " not in line:
                break
        else:
            return False


def decode(lines: Sequence[NumberedLine]) -> list[NumberedLine] | None:
    """The signed text as numbered lines (joined by `\\r\\n` as Go's Block.Bytes is), or None when Go
    would say `Invalid clearsigned input`."""
    data = "".join(text for _, text in lines)
    offsets: list[int] = []  # start offset of each numbered line in `data`
    position = 0
    for _, text in lines:
        offsets.append(position)
        position += len(text)

    def number_at(offset: int) -> int:
        low, high = 0, len(offsets) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if offsets[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return lines[low][0] if lines else 1

    if data.startswith(START):
        at = len(START)
    else:
        found = data.find("\n" + START)
        if found < 0:
            return None
        at = found + 1 + len(START)
    suffix, at = _get_line(data, at)
    if suffix:
        return None
    while True:  # headers: only `Hash:` lines of printable ASCII, up to an empty line
        if at >= len(data):
            return None
        header, at = _get_line(data, at)
        if not header:
            break
        if any(not " " <= char <= "~" for char in header) or ":" not in header:
            return None
        if header.split(":", 1)[0].strip() != "Hash":
            return None
    body: list[tuple[int, str]] = []
    while True:
        start = at
        line, at = _get_line(data, at)
        if not line and at >= len(data):
            return None
        if line == _SIGNATURE_START:
            at = start
            break
        if line.startswith("- "):
            line = line[2:]
        body.append((number_at(start), line.rstrip(" \t")))
    rest = data[at:]
    end = rest.find(_SIGNATURE_END)
    if end < 0:
        return None
    end += len(_SIGNATURE_END)
    while end < len(rest) and rest[end] in "\r\n":
        end += 1
    if not _armor_ok(rest[:end]):
        return None
    # Go joins the lines with CRLF and leaves the last one without a line end.
    return [
        (number, text + ("\r\n" if index < len(body) - 1 else ""))
        for index, (number, text) in enumerate(body)
    ]
