"""Imports every module that declares rules, so the registry is complete. One line per area module."""

import rules.commits
import rules.dockerfile.bases
import rules.dockerfile.check
import rules.dockerfile.downloads
import rules.dockerfile.habits
import rules.dockerfile.instructions
import rules.dockerfile.keys
import rules.dockerfile.packages
import rules.dockerfile.reading
import rules.dockerfile.stages
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
