"""A pull request's review: built from the changed files and the fetched upstream evidence, with no I/O."""
