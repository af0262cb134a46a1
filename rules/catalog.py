"""Imports every module that declares rules, so the registry is complete. One line per area module."""

import rules.library.bashbrew
import rules.library.keys
import rules.library.layout
import rules.library.names
import rules.library.sharedtags
import rules.library.tags
import rules.library.values
import rules.tool  # noqa: F401
