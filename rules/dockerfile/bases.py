"""DOI-D003, D020: base images are official, `scratch` or pinned, and name a tag."""

from __future__ import annotations

from collections.abc import Iterator

from rules.dockerfile.context import DockerfileContext
from rules.dockerfile.images import parse_image
from rules.dockerfile.parse import Dockerfile
from rules.findings import Finding, Severity
from rules.registry import rule

UNOFFICIAL_BASE = rule(
    "DOI-D003",
    Severity.ERROR,
    "Base image that is not official, scratch or pinned",
    "Official images build only on other official images, `scratch`, or an image pinned in official-images'"
    " `.external-pins/` (naughty-from in CI rejects anything else).",
)
UNTAGGED_BASE = rule(
    "DOI-D020",
    Severity.WARNING,
    "Base image with no tag or with latest",
    "A base named without a tag, or as `latest`, changes under the image at the next rebuild; name the"
    " release series it is meant to follow.",
)


def check(dockerfile: Dockerfile, context: DockerfileContext) -> Iterator[Finding]:
    for base in dockerfile.bases:
        if base.image == "scratch":
            continue
        image = parse_image(base.image)
        written = f"{base.via} {base.image}"
        pinned = context.pins is not None and image.pinned_as in context.pins
        if image.official is None and not pinned:
            if context.pins is None:
                yield UNOFFICIAL_BASE.finding(
                    context.path,
                    base.line,
                    f"{base.image} is not an official image; it could not be checked against official-images'"
                    " .external-pins/ here (give --library-dir), so make sure it is pinned there.",
                    severity=Severity.INFO,
                )
            else:
                yield UNOFFICIAL_BASE.finding(
                    context.path,
                    base.line,
                    f"{base.image} is not an official image, scratch or pinned in .external-pins/;"
                    " build on an official image instead.",
                )
            continue
        if image.digest is None and image.tag in (None, "latest") and not pinned:
            yield UNTAGGED_BASE.finding(
                context.path,
                base.line,
                f"`{written}` follows latest; name the tag of the release series this image is built on.",
            )
