"""The few pieces of Go semantics bashbrew's messages and values depend on, reproduced exactly."""

from __future__ import annotations

# unicode.IsSpace: what Go's strings.TrimSpace and TrimLeftFunc(unicode.IsSpace) remove. Python's own
# whitespace also includes U+001C..U+001F, which Go keeps.
SPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
# `\s` in Go's regexp syntax (RE2): no \v, unlike Python's.
REGEXP_SPACE = frozenset("\t\n\f\r ")

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


def quote(value: str) -> str:
    """Go's `%q` of a string (strconv.Quote): printable runes kept, the rest escaped."""
    if value.isprintable() and '"' not in value and "\\" not in value:
        return f'"{value}"'
    out = ['"']
    for char in value:
        if char == '"' or char == "\\":
            out.append("\\" + char)
        elif "\udc80" <= char <= "\udcff":  # a byte that is not UTF-8 (read with surrogateescape)
            out.append(f"\\x{ord(char) - 0xDC00:02x}")
        elif char.isprintable():
            out.append(char)
        elif char in _ESCAPES:
            out.append(_ESCAPES[char])
        else:
            code = ord(char)
            if code < 0x20 or code == 0x7F:
                out.append(f"\\x{code:02x}")
            elif code < 0x10000:
                out.append(f"\\u{code:04x}")
            else:
                out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def clean_path(path: str) -> str:
    """Go's path.Clean: `a/b/` -> `a/b`, `./a//b/../c` -> `a/c`, `` -> `.`."""
    if path == "":
        return "."
    rooted = path.startswith("/")
    parts: list[str] = []
    for element in path.split("/"):
        if element in ("", "."):
            continue
        if element == "..":
            if parts and parts[-1] != "..":
                parts.pop()
            elif not rooted:
                parts.append("..")
            continue
        parts.append(element)
    cleaned = "/".join(parts)
    if rooted:
        return "/" + cleaned
    return cleaned or "."
