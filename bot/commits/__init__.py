"""Facts about upstream commits (existence, ancestry, tarball history) from local git or the GitHub API."""
