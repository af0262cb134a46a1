"""The server's settings: the environment and the `DOI_BOT_CONFIG` YAML, validated once at start."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_args

import yaml

from bot.review.model import RepoKind

DEFAULT_API_URL = "https://api.github.com"
_TEAM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")
_REPOSITORY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")


class ConfigError(Exception):
    """A start error: the message is the one line printed on stderr, naming the variable or key."""


@dataclass(frozen=True)
class LabelNames:
    pending: str = "needs-gatekeeper"  # set by the bot on a new image, removed once decided
    approve: str = "approved"  # applied by a gatekeeper
    gate: str = "gate"  # applied by a gatekeeper
    security: str = "security"  # set by the bot on a `[security]` pull request


@dataclass(frozen=True)
class BotConfig:
    repositories: Mapping[str, RepoKind] = field(
        default_factory=lambda: {
            "docker-library/official-images": "official-images",
            "docker-library/docs": "docs",
        }
    )
    gatekeepers: str = "docker-library/maintainers"  # org/team-slug whose members decide new images
    maintainers: str = "docker-library/maintainers"  # org/team-slug whose approvals count
    labels: LabelNames = field(default_factory=LabelNames)
    approvals_needed: int = 2

    def kind_of(self, repository: str) -> RepoKind | None:
        """The review a repository gets (names compared case-insensitively, as GitHub does), or None."""
        wanted = repository.lower()
        return next((kind for name, kind in self.repositories.items() if name.lower() == wanted), None)


@dataclass(frozen=True)
class Settings:
    app_id: str  # a string: PyJWT rejects a non-string `iss`
    private_key: str
    webhook_secret: str
    api_url: str
    config: BotConfig

    @property
    def graphql_url(self) -> str:
        """GitHub's GraphQL endpoint beside the REST one (`…/api/v3` -> `…/api/graphql` on GHES)."""
        if self.api_url.endswith("/api/v3"):
            return self.api_url.removesuffix("/v3") + "/graphql"
        return self.api_url + "/graphql"


def read_env_file(path: Path) -> dict[str, str]:
    """`KEY=value` lines; blank lines and `#` comments skipped, one pair of matching quotes removed."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise ConfigError(f"--env-file {path}: {exc.strerror or exc}") from exc
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.removeprefix("export ").partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"--env-file {path}:{number}: expected KEY=value")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


def load_settings(environ: Mapping[str, str]) -> Settings:
    app_id = environ.get("GITHUB_APP_ID", "").strip()
    if not app_id:
        raise ConfigError("GITHUB_APP_ID is not set")
    if any(c.isspace() for c in app_id):  # the App's id, or its client id (GitHub accepts either as issuer)
        raise ConfigError(f"GITHUB_APP_ID must be the App's id, not {app_id!r}")
    secret = environ.get("GITHUB_WEBHOOK_SECRET", "")
    if not secret:
        raise ConfigError("GITHUB_WEBHOOK_SECRET is not set")
    api_url = environ.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
    if not api_url.startswith(("http://", "https://")):
        raise ConfigError(f"GITHUB_API_URL must be an http(s) URL, not {api_url!r}")
    config_path = environ.get("DOI_BOT_CONFIG", "").strip()
    config = load_config(Path(config_path)) if config_path else BotConfig()
    return Settings(app_id, _private_key(environ), secret, api_url.rstrip("/"), config)


def _private_key(environ: Mapping[str, str]) -> str:
    text, path = environ.get("GITHUB_PRIVATE_KEY", ""), environ.get("GITHUB_PRIVATE_KEY_FILE", "")
    if text and path:
        raise ConfigError("GITHUB_PRIVATE_KEY and GITHUB_PRIVATE_KEY_FILE are both set: set exactly one")
    if path:
        try:
            text = Path(path).read_text()
        except OSError as exc:
            raise ConfigError(f"GITHUB_PRIVATE_KEY_FILE {path}: {exc.strerror or exc}") from exc
        name = "GITHUB_PRIVATE_KEY_FILE"
    elif text:
        name = "GITHUB_PRIVATE_KEY"
    else:
        raise ConfigError("GITHUB_PRIVATE_KEY or GITHUB_PRIVATE_KEY_FILE must be set")
    if "\\n" in text and "\n" not in text.strip():  # a PEM squeezed onto one line with escaped newlines
        text = text.replace("\\n", "\n")
    if "-----BEGIN" not in text or "PRIVATE KEY-----" not in text:
        raise ConfigError(f"{name} is not a PEM private key")
    return text


def load_config(path: Path) -> BotConfig:
    try:
        data = yaml.safe_load(path.read_text())
    except OSError as exc:
        raise ConfigError(f"DOI_BOT_CONFIG {path}: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"DOI_BOT_CONFIG {path}:{where} not valid YAML") from exc
    if data is None:
        return BotConfig()
    return parse_config(data)


def parse_config(data: Any) -> BotConfig:
    if not isinstance(data, dict):
        raise ConfigError("DOI_BOT_CONFIG: the top level must be a mapping")
    known = {f.name for f in fields(BotConfig)}
    for key in data:
        if key not in known:
            raise ConfigError(f"DOI_BOT_CONFIG: unknown key {key!r}")
    values: dict[str, Any] = {}
    if "repositories" in data:
        values["repositories"] = _repositories(data["repositories"])
    for key in ("gatekeepers", "maintainers"):
        if key in data:
            values[key] = _team(key, data[key])
    if "labels" in data:
        values["labels"] = _labels(data["labels"])
    if "approvals_needed" in data:
        value = data["approvals_needed"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ConfigError("DOI_BOT_CONFIG: approvals_needed must be a whole number >= 0")
        values["approvals_needed"] = value
    return BotConfig(**values)


def _repositories(value: Any) -> dict[str, RepoKind]:
    if not isinstance(value, dict) or not value:
        raise ConfigError("DOI_BOT_CONFIG: repositories must be a non-empty mapping of owner/name to a kind")
    kinds = get_args(RepoKind)
    out: dict[str, RepoKind] = {}
    for name, kind in value.items():
        if not isinstance(name, str) or not _REPOSITORY.fullmatch(name):
            raise ConfigError(f"DOI_BOT_CONFIG: repositories: {name!r} is not owner/name")
        if kind not in kinds:
            raise ConfigError(f"DOI_BOT_CONFIG: repositories.{name} must be one of {', '.join(kinds)}")
        out[name] = kind
    return out


def _team(key: str, value: Any) -> str:
    if not isinstance(value, str) or not _TEAM.fullmatch(value):
        raise ConfigError(f"DOI_BOT_CONFIG: {key} must be org/team-slug")
    return value


def _labels(value: Any) -> LabelNames:
    if not isinstance(value, dict):
        raise ConfigError("DOI_BOT_CONFIG: labels must be a mapping")
    known = {f.name for f in fields(LabelNames)}
    for key, name in value.items():
        if key not in known:
            raise ConfigError(f"DOI_BOT_CONFIG: unknown key {'labels.' + str(key)!r}")
        if not isinstance(name, str) or not name.strip() or len(name) > 50:
            raise ConfigError(f"DOI_BOT_CONFIG: labels.{key} must be a label name (1 to 50 characters)")
    labels = LabelNames(**value)
    seen: dict[str, str] = {}
    for key in known:
        name = getattr(labels, key).lower()
        if name in seen:
            first, second = sorted((seen[name], key))
            raise ConfigError(f"DOI_BOT_CONFIG: labels.{first} and labels.{second} must be different labels")
        seen[name] = key
    return labels


def settings_from(env_file: Path | None, environ: Mapping[str, str] | None = None) -> Settings:
    """The process environment, plus the `--env-file` (whose values win: it is named on the command line)."""
    merged = dict(os.environ if environ is None else environ)
    if env_file is not None:
        merged.update(read_env_file(env_file))
    return load_settings(merged)
