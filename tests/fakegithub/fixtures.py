"""pytest fixtures: an App key pair and a served fake GitHub (imported by tests/conftest.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from .core import FakeGitHub

APP_ID = 4242


@dataclass(frozen=True)
class AppKey:
    private_pem: str
    public_pem: str


def make_app_key() -> AppKey:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return AppKey(private.decode(), public.decode())


@pytest.fixture(scope="session")
def app_key() -> AppKey:
    return make_app_key()


@pytest.fixture
async def fake_github(app_key: AppKey) -> AsyncIterator[FakeGitHub]:
    """A fake GitHub served on 127.0.0.1; `fake_github.base_url` is the GITHUB_API_URL."""
    gh = FakeGitHub(app_id=APP_ID, public_key=app_key.public_pem)
    async with gh.serve():
        yield gh
