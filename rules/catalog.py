"""Imports every module that declares rules, so the registry is complete. One line per area module."""

import rules.commits
import rules.tool  # noqa: F401
