"""Imports every module that declares rules, so the registry is complete. One line per area module."""

import rules.docs.commands
import rules.docs.compose
import rules.docs.cross
import rules.docs.github_repo
import rules.docs.logo
import rules.docs.markdownfmt
import rules.docs.metadata
import rules.docs.required
import rules.docs.size
import rules.docs.variables
import rules.tool  # noqa: F401
