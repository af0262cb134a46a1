"""DOI-M010, DOI-M011: the logo content.md shows, and logos far larger than the Hub's 120 px icon."""

from __future__ import annotations

import re

from rules.docs.model import LOGO_NAMES, DocsFolder, Logo
from rules.findings import Finding, Severity
from rules.registry import rule

MISSING = rule(
    "DOI-M010",
    Severity.WARNING,
    "%%LOGO%% with no logo file",
    "%%LOGO%% renders the folder's logo.png or logo.svg; without either it renders nothing, which is rarely"
    " what the author meant.",
)
LARGE = rule(
    "DOI-M011",
    Severity.INFO,
    "Logo over 1 MB or wider than 2000 px",
    "There is no hard rule, but the Hub shows the logo as a 120 px icon and in the page: a smaller file"
    " loads faster and converts more cleanly.",
)

LOGO_VARIABLE = "%%LOGO%%"
MAX_LOGO_BYTES = 1_000_000
MAX_LOGO_WIDTH = 2000


def logo_missing(folder: DocsFolder) -> list[Finding]:
    content = folder.texts.get("content.md")
    if content is None or folder.logo is not None or not folder.complete or LOGO_VARIABLE not in content:
        return []
    line = content[: content.index(LOGO_VARIABLE)].count("\n") + 1
    message = "Add a logo.png (or logo.svg) to this folder, or remove %%LOGO%% from content.md."
    return [MISSING.finding(folder.path_of("content.md"), line, message)]


def logo_size(folder: DocsFolder) -> list[Finding]:
    logo = folder.logo
    if logo is None:
        return []
    findings = []
    path = folder.path_of(logo.name)
    if logo.size > MAX_LOGO_BYTES:
        megabytes = logo.size / 1_000_000
        message = f"Consider a smaller logo: this one is {megabytes:.1f} MB, and the Hub shows it at 120 px."
        findings.append(LARGE.finding(path, None, message))
    if logo.width is not None and logo.width > MAX_LOGO_WIDTH:
        message = (
            f"Consider a logo at most {MAX_LOGO_WIDTH} px wide: this one is {logo.width:g} px, and the Hub"
            " shows it at 120 px."
        )
        findings.append(LARGE.finding(path, None, message))
    return findings


# --- the facts, from the file's bytes (pure: the I/O layer reads, this parses) -------------------------

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def logo_facts(name: str, data: bytes) -> Logo:
    """Size and dimensions: a PNG's IHDR, or an SVG's `<svg width height>` when given in pixels."""
    width = height = None
    if name.endswith(".png") and data.startswith(_PNG_SIGNATURE) and data[12:16] == b"IHDR":
        width = float(int.from_bytes(data[16:20], "big"))
        height = float(int.from_bytes(data[20:24], "big"))
    elif name.endswith(".svg"):
        tag = _SVG_TAG.search(data[:65536])
        if tag:
            width = _svg_length(tag.group(0), b"width")
            height = _svg_length(tag.group(0), b"height")
    return Logo(name, len(data), width, height)


def _svg_length(tag: bytes, attribute: bytes) -> float | None:
    match = re.search(rb"\s" + attribute + rb"\s*=\s*[\"']([^\"']*)[\"']", tag)
    if match is None:
        return None
    length = _LENGTH.match(match.group(1).decode("ascii", errors="replace"))
    return float(length.group(1)) if length else None  # %, em, mm...: no pixel width


# The corpus copy of the docs repository holds no logo files; this table describes them instead.
LOGOS_TABLE = "logos.tsv"  # columns: image, file, bytes, width, height (PNG pixels or the <svg> attributes)


def logos_table(text: str) -> dict[str, Logo]:
    """The logo facts a `logos.tsv` gives, by image; rows without a logo file or readable size are skipped."""
    logos: dict[str, Logo] = {}
    rows = [line.split("\t") for line in text.splitlines()]
    header = rows[0] if rows else []
    for row in rows[1:]:
        fields = dict(zip(header, row, strict=False))
        image, name, size = fields.get("image", ""), fields.get("file", ""), fields.get("bytes", "")
        if name in LOGO_NAMES and image and size.isdigit() and image not in logos:
            logos[image] = Logo(name, int(size), _pixels(fields.get("width")), _pixels(fields.get("height")))
    return logos


def _pixels(value: str | None) -> float | None:
    length = _LENGTH.match(value or "")
    return float(length.group(1)) if length else None
