from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

# Property tests judge outcomes, never speed: a loaded CI machine must not fail one on a slow example.
settings.register_profile("doi-bot", deadline=None, print_blob=True)
settings.load_profile("doi-bot")

REPO = Path(__file__).resolve().parents[1]
# ../shared beside the checkout, as on a developer's machine and in CI.
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


# The one fake GitHub every test shares (tests/fakegithub/).
from fakegithub.fixtures import app_key, fake_github  # noqa: E402, F401
