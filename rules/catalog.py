"""Imports every module that declares rules, so the registry is complete. One line per area module."""

import rules.dockerfile.bases
import rules.dockerfile.check
import rules.dockerfile.downloads
import rules.dockerfile.habits
import rules.dockerfile.instructions
import rules.dockerfile.keys
import rules.dockerfile.packages
import rules.dockerfile.reading
import rules.dockerfile.stages
import rules.library.bashbrew
import rules.library.keys
import rules.library.layout
import rules.library.names
import rules.library.sharedtags
import rules.library.tags
import rules.library.values
import rules.policy.check
import rules.policy.constraints
import rules.policy.coverage
import rules.policy.same_from
import rules.tool  # noqa: F401
