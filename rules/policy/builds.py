"""What each architecture of an entry builds FROM, and what the parent library files say about those bases."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rules.dockerfile.images import ImageRef, parse_image
from rules.dockerfile.parse import Dockerfile
from rules.library.model import BuildSource, Entry, LibraryFile
from rules.policy.upstream import UpstreamRef, upstream_ref

SCRATCH = "scratch"


@dataclass(frozen=True, slots=True)
class ArchBuild:
    arch: str
    source: BuildSource
    ref: UpstreamRef | None  # None for oci-import
    bases: tuple[str, ...] | None  # every image pulled, in file order; None when the Dockerfile was not read


@dataclass(frozen=True, slots=True)
class EntryBuilds:
    entry: Entry
    image: str  # `name:first-tag`, as naughty-from names an entry
    arches: tuple[ArchBuild, ...]


def entry_builds(lib: LibraryFile, entry: Entry, parsed: Mapping[UpstreamRef, Dockerfile]) -> EntryBuilds:
    builds = []
    for arch, source in entry.arches.items():
        ref = upstream_ref(source)
        if ref is None:
            bases: tuple[str, ...] | None = (SCRATCH,)
        elif ref in parsed:
            bases = tuple(dict.fromkeys(b.image for b in parsed[ref].bases))
        else:
            bases = None
        builds.append(ArchBuild(arch, source, ref, bases))
    tag = entry.tags[0] if entry.tags else (entry.shared_tags[:1] or ("latest",))[0]
    return EntryBuilds(entry, f"{lib.name}:{tag}", tuple(builds))


class Parents:
    """The library files of base images: the pull request's own file for its own name, then the others.

    A name missing from the mapping was not available (not checked); a name mapped to None does not
    exist in official-images. A library file bashbrew rejects says nothing reliable: it counts as missing.
    """

    def __init__(self, lib: LibraryFile, others: Mapping[str, LibraryFile | None]) -> None:
        self._lib = lib
        self._others = {name: other for name, other in others.items() if other is None or other.ok}

    def known(self, name: str) -> bool:
        return name == self._lib.name or name in self._others

    def entries(self, image: ImageRef) -> list[Entry]:
        """The entries that carry the image's tag (empty when the image or tag does not exist)."""
        name = image.official
        if name is None:
            return []
        lib = self._lib if name == self._lib.name else self._others.get(name)
        if lib is None:
            return []
        tag = image.tag or "latest"
        return [e for e in lib.entries if tag in e.all_tags]


def official_bases(bases: tuple[str, ...]) -> list[ImageRef]:
    """The official images among `bases`; one named by digest alone cannot be matched to a tag, so it is left
    out rather than guessed as `latest`."""
    refs = [parse_image(b) for b in bases if b != SCRATCH]
    return [r for r in refs if r.official is not None and not (r.digest and r.tag is None)]
