"""The README's rule table is the registry's, so users read the rules the checks really run."""

from __future__ import annotations

from pathlib import Path

from bot.cli import rules_table

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_lists_every_rule_as_the_rules_command_prints_it():
    table = rules_table("markdown")
    readme = README.read_text(encoding="utf-8")
    assert table in readme, "run `doi-bot rules --format markdown` and paste it under ## Rules in README.md"
