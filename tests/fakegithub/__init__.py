"""An in-process fake GitHub for tests and benchmarks: one module per resource group, each with `add_routes`.

To add endpoints, write a module with `add_routes(router, gh)` and list it in `ROUTE_MODULES`; the core
validates request bodies against GitHub's OpenAPI description, checks credentials and injects faults."""

from . import apps, checks, commits, contents, issues, orgs, pulls, search
from .core import Call, FakeGitHub, Fault, Faults

ROUTE_MODULES = [apps, contents, commits, issues, pulls, checks, orgs, search]

__all__ = ["ROUTE_MODULES", "Call", "FakeGitHub", "Fault", "Faults"]
