"""Property tests for the App's parsers: any input gives a value or a start error, never a traceback."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.config import BotConfig, ConfigError, parse_config, read_env_file
from bot.publish import fit
from rules.github_repo import github_repository

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=30))
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=20), inner, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(["repositories", "gatekeepers", "maintainers", "labels", "approvals_needed", "other"])


@settings(max_examples=200)
@given(st.one_of(documents, st.dictionaries(keys, documents, max_size=5)))
def test_any_configuration_is_a_config_or_one_start_error(data: object) -> None:
    try:
        assert isinstance(parse_config(data), BotConfig)
    except ConfigError as exc:
        assert "\n" not in str(exc) and str(exc).startswith("DOI_BOT_CONFIG")


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_any_env_file_is_values_or_one_start_error(tmp_path_factory: object, text: str) -> None:
    path = Path(str(tmp_path_factory.mktemp("env"))) / "bot.env"  # type: ignore[attr-defined]
    path.write_text(text, encoding="utf-8", errors="surrogateescape")
    try:
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in read_env_file(path).items())
    except ConfigError as exc:
        assert "\n" not in str(exc)


@settings(max_examples=200)
@given(st.text(max_size=3000), st.integers(min_value=300, max_value=2000))
def test_fit_stays_within_the_limit_and_keeps_whole_lines(text: str, limit: int) -> None:
    fitted = fit(text, limit)
    assert len(fitted) <= limit
    if fitted != text and not fitted.startswith("This text is too long"):
        kept = fitted.rsplit("\n\n… ", 1)[0].split("\n")
        assert kept == text.splitlines()[: len(kept)]


@settings(max_examples=200)
@given(st.text(max_size=60))
def test_repository_urls_never_raise(url: str) -> None:
    assert github_repository(url) is None or github_repository(url).count("/") == 1  # type: ignore[union-attr]
