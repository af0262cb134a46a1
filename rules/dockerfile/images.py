"""Image references as FROM, `COPY --from` and `.external-pins/` write them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rules.library.model import KNOWN_ARCHES

PINS = ".external-pins"  # the folder of official-images that pins non-official bases
_DOCKER_HUB = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")
# The per-architecture namespaces official images are also pushed to (`arm64v8/debian`).
_ARCH_NAMESPACES = frozenset({*KNOWN_ARCHES, "winamd64"})


@dataclass(frozen=True, slots=True)
class ImageRef:
    # without Docker Hub's prefix: `debian`, `redhat/ubi9`, `mcr.microsoft.com/windows/servercore`
    repository: str
    tag: str | None
    digest: str | None

    @property
    def official(self) -> str | None:
        """The official image's name (`debian` for `debian`, `library/debian`, `arm64v8/debian`) or None."""
        parts = self.repository.split("/")
        if len(parts) == 1:
            return parts[0]
        if len(parts) == 2 and (parts[0] == "library" or parts[0] in _ARCH_NAMESPACES):
            return parts[1]
        return None

    @property
    def pinned_as(self) -> str:
        """The `repository:tag` an `.external-pins/` file would pin (a missing tag is `latest`)."""
        return f"{self.repository}:{self.tag or 'latest'}"

    @property
    def shown(self) -> str:
        """`name:tag` as naughty-from prints it."""
        return f"{self.official or self.repository}:{self.tag or 'latest'}"


def parse_image(reference: str) -> ImageRef:
    name, _, digest = reference.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    tag = None
    if colon > slash:
        name, tag = name[:colon], name[colon + 1 :]
    lowered = name.lower()
    for prefix in _DOCKER_HUB:
        if lowered.startswith(prefix):
            name = name[len(prefix) :]
            break
    return ImageRef(name, tag or None, digest or None)


def pins_from_file_names(names: Iterable[str]) -> frozenset[str]:
    """`.external-pins/` file names (`mcr.microsoft.com/windows/servercore___ltsc2022`) as `repository:tag`.

    official-images names each pin file after the image with `:` written as `___`; its helper scripts
    (`*.sh`) and anything without `___` pin nothing.
    """
    pins: set[str] = set()
    for name in names:
        relative = name.replace("\\", "/").split(f"{PINS}/", 1)[-1].lstrip("/")
        repository, sep, tag = relative.rpartition("___")
        if sep and repository and tag and "/" not in tag:
            pins.add(f"{repository}:{tag}")
    return frozenset(pins)
