"""The server's start-up validation: environment and DOI_BOT_CONFIG."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.config import BotConfig, ConfigError, LabelNames, load_settings, read_env_file, settings_from
from bot.server import run_server

KEY = "-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n"


def env(**overrides: str) -> dict[str, str]:
    base = {"GITHUB_APP_ID": "123", "GITHUB_PRIVATE_KEY": KEY, "GITHUB_WEBHOOK_SECRET": "s3cret"}
    base.update(overrides)
    return {k: v for k, v in base.items() if v != "-"}


def test_a_complete_environment_gives_the_defaults() -> None:
    settings = load_settings(env())
    assert settings.app_id == "123"  # a string: PyJWT rejects an int issuer
    assert settings.api_url == "https://api.github.com"
    assert settings.config == BotConfig()
    assert settings.config.kind_of("Docker-Library/Official-Images") == "official-images"


@pytest.mark.parametrize(
    "overrides, named",
    [
        ({"GITHUB_APP_ID": "-"}, "GITHUB_APP_ID"),
        ({"GITHUB_APP_ID": "12 34"}, "GITHUB_APP_ID"),
        ({"GITHUB_WEBHOOK_SECRET": "-"}, "GITHUB_WEBHOOK_SECRET"),
        ({"GITHUB_PRIVATE_KEY": "-"}, "GITHUB_PRIVATE_KEY"),
        ({"GITHUB_PRIVATE_KEY": "not a key"}, "GITHUB_PRIVATE_KEY"),
        ({"GITHUB_PRIVATE_KEY_FILE": "/nonexistent/key.pem"}, "GITHUB_PRIVATE_KEY_FILE"),
        ({"GITHUB_API_URL": "api.github.com"}, "GITHUB_API_URL"),
        ({"DOI_BOT_CONFIG": "/nonexistent/config.yaml"}, "DOI_BOT_CONFIG"),
    ],
)
def test_a_bad_environment_names_the_variable(overrides: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named) as info:
        load_settings(env(**overrides))
    assert "\n" not in str(info.value)


def test_a_key_on_one_line_with_escaped_newlines_is_read() -> None:
    assert load_settings(env(GITHUB_PRIVATE_KEY=KEY.replace("\n", "\\n"))).private_key == KEY


def test_the_key_may_come_from_a_file(tmp_path: Path) -> None:
    (tmp_path / "key.pem").write_text(KEY)
    settings = load_settings(env(GITHUB_PRIVATE_KEY="-", GITHUB_PRIVATE_KEY_FILE=str(tmp_path / "key.pem")))
    assert settings.private_key == KEY


def test_the_configuration_file_replaces_repositories_and_merges_labels(tmp_path: Path) -> None:
    config = tmp_path / "doi-bot.yaml"
    config.write_text(
        "repositories:\n  me/images: official-images\n"
        "gatekeepers: me/deciders\nlabels:\n  pending: waiting\napprovals_needed: 3\n"
    )
    settings = load_settings(env(DOI_BOT_CONFIG=str(config)))
    assert settings.config.repositories == {"me/images": "official-images"}
    assert settings.config.kind_of("docker-library/docs") is None
    assert settings.config.gatekeepers == "me/deciders"
    assert settings.config.maintainers == "docker-library/maintainers"
    assert settings.config.labels == LabelNames(pending="waiting")
    assert settings.config.approvals_needed == 3


@pytest.mark.parametrize(
    "text, named",
    [
        ("colour: red\n", "colour"),
        ("repositories: [a/b]\n", "repositories"),
        ("repositories:\n  a/b: images\n", "repositories.a/b"),
        ("gatekeepers: maintainers\n", "gatekeepers"),
        ("maintainers: 12\n", "maintainers"),
        ("labels:\n  approve: ''\n", "labels.approve"),
        ("labels:\n  merge: merged\n", "labels.merge"),
        ("labels:\n  gate: Approved\n", "labels.approve and labels.gate"),
        ("approvals_needed: two\n", "approvals_needed"),
        ("approvals_needed: true\n", "approvals_needed"),
        ("- a\n- b\n", "top level"),
        ("repositories: {\n", "YAML"),
    ],
)
def test_a_bad_configuration_names_the_key(tmp_path: Path, text: str, named: str) -> None:
    config = tmp_path / "doi-bot.yaml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=named):
        load_settings(env(DOI_BOT_CONFIG=str(config)))


def test_the_env_file_is_read(tmp_path: Path) -> None:
    file = tmp_path / "bot.env"
    file.write_text(
        '# the App\nGITHUB_APP_ID=77\nexport GITHUB_WEBHOOK_SECRET="quoted"\n\nGITHUB_PRIVATE_KEY='
        + KEY.replace("\n", "\\n")
        + "\n"
    )
    assert read_env_file(file)["GITHUB_WEBHOOK_SECRET"] == "quoted"
    settings = settings_from(file, environ={})
    assert (settings.app_id, settings.private_key) == ("77", KEY)


def test_serve_with_a_bad_environment_exits_2_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("GITHUB_APP_ID", "GITHUB_PRIVATE_KEY", "GITHUB_PRIVATE_KEY_FILE", "GITHUB_WEBHOOK_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert run_server("127.0.0.1", 0, None) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "GITHUB_APP_ID" in err


@pytest.mark.parametrize(
    "api_url, graphql",
    [
        ("https://api.github.com", "https://api.github.com/graphql"),
        ("https://ghe.example.org/api/v3/", "https://ghe.example.org/api/graphql"),
    ],
)
def test_graphql_is_derived_from_the_rest_url(api_url: str, graphql: str) -> None:
    assert load_settings(env(GITHUB_API_URL=api_url)).graphql_url == graphql
