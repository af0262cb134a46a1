"""The upstream project's license, as GitHub's license API detects it, and whether OSI approved it."""

from __future__ import annotations

from dataclasses import dataclass

import gidgethub
from gidgethub.abc import GitHubAPI

# OSI-approved SPDX ids among those GitHub's license detection reports (choosealicense.com), plus common
# others. "NOASSERTION" (GitHub could not tell) and non-OSI licenses such as CC0-1.0 or BUSL-1.1 are absent.
OSI_APPROVED = frozenset(
    {
        "0BSD",
        "AFL-3.0",
        "AGPL-3.0",
        "AGPL-3.0-only",
        "AGPL-3.0-or-later",
        "Apache-2.0",
        "Artistic-2.0",
        "BSD-2-Clause",
        "BSD-3-Clause",
        "BSD-3-Clause-Clear",
        "BSL-1.0",
        "CECILL-2.1",
        "ECL-2.0",
        "EPL-1.0",
        "EPL-2.0",
        "EUPL-1.1",
        "EUPL-1.2",
        "GPL-2.0",
        "GPL-2.0-only",
        "GPL-2.0-or-later",
        "GPL-3.0",
        "GPL-3.0-only",
        "GPL-3.0-or-later",
        "ISC",
        "LGPL-2.1",
        "LGPL-2.1-only",
        "LGPL-2.1-or-later",
        "LGPL-3.0",
        "LGPL-3.0-only",
        "LGPL-3.0-or-later",
        "LPPL-1.3c",
        "MIT",
        "MIT-0",
        "MPL-2.0",
        "MS-PL",
        "MS-RL",
        "MulanPSL-2.0",
        "NCSA",
        "OFL-1.1",
        "OSL-3.0",
        "PostgreSQL",
        "UPL-1.0",
        "Unlicense",
        "Zlib",
    }
)


@dataclass(frozen=True, slots=True)
class UpstreamLicense:
    repository: str  # "owner/name" on GitHub
    spdx_id: str | None  # None: GitHub found no license file
    name: str | None = None

    @property
    def osi_approved(self) -> bool:
        return self.spdx_id in OSI_APPROVED


async def fetch_license(gh: GitHubAPI, repository: str) -> UpstreamLicense:
    """`GET /repos/{owner}/{repo}/license`; a 404 means GitHub found no license file in the repository."""
    owner, _, name = repository.partition("/")
    try:
        data = await gh.getitem("/repos/{owner}/{repo}/license", {"owner": owner, "repo": name})
    except gidgethub.BadRequest as exc:
        if exc.status_code.value != 404:
            raise
        return UpstreamLicense(repository, None)
    detected = data.get("license") or {}
    return UpstreamLicense(repository, detected.get("spdx_id"), detected.get("name"))
