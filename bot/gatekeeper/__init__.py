"""Gatekeeping: routes "is this image generally useful?" to the gatekeeper team and enforces its labels.

The decisions, renderings and payloads are pure (plain data in, plain data out); the modules that talk to
GitHub (`proposal`, `enforcement`, `conversation`) are thin and written against gidgethub's `GitHubAPI`.
"""
