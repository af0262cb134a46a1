"""The `doi-bot` command line: check, manifest, rules, serve."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.checks import UsageError, check_options
from bot.output import FORMATS
from rules.registry import all_rules


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # One line on stderr and exit 2, as the contract says for a bad option.
        sys.stderr.write(f"doi-bot: {message}\n")
        sys.exit(2)


def _source(value: str) -> tuple[str, Path]:
    url, sep, folder = value.partition("=")
    if not sep or not url or not folder:
        raise argparse.ArgumentTypeError(f"--source takes URL=DIR, not {value!r}")
    return url, Path(folder)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="doi-bot", description="Objective review checks for Docker Official Images.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    check = sub.add_parser("check", help="run every objective check on library files, Dockerfiles, docs")
    check.add_argument("--format", choices=FORMATS, default="text")
    check.add_argument("--library-dir", type=Path, help="official-images checkout (or its library/)")
    check.add_argument("--docs-dir", type=Path, help="docs checkout, for cross-checks")
    check.add_argument("--source", type=_source, action="append", default=[], metavar="URL=DIR")
    check.add_argument("--fetch", action="store_true", help="fetch upstream Dockerfiles with git")
    check.add_argument("--base", help="pull-request mode: review the change from REV")
    check.add_argument("--head", help="pull-request mode: up to REV (default HEAD)")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    manifest = sub.add_parser("manifest", help="print a parsed library file")
    manifest.add_argument("--json", action="store_true")
    manifest.add_argument("file", type=Path, metavar="FILE")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")

    serve = sub.add_parser("serve", help="run the GitHub App webhook server")
    serve.add_argument("--host", default="0.0.0.0")
    serve.add_argument("--port", type=int, default=8080)
    serve.add_argument("--env-file", type=Path)
    return parser


def rules_table(fmt: str) -> str:
    rules = all_rules()
    if fmt == "json":
        return json.dumps([r.to_json() for r in rules], indent=2) + "\n"
    if fmt == "markdown":
        rows = ["| id | severity | rule | why |", "|---|---|---|---|"]
        rows += [f"| `{r.id}` | {r.severity} | {r.title} | {r.why} |" for r in rules]
        return "\n".join(rows) + "\n"
    return "".join(f"{r.id}  {r.severity:<7}  {r.title}\n" for r in rules)


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command == "rules":
            sys.stdout.write(rules_table(args.format))
            return 0
        if args.command == "check":
            from bot.checks.run import run_check

            options = check_options(args.library_dir, args.docs_dir, args.source, args.fetch)
            return run_check(args.paths, options, fmt=args.format, base=args.base, head=args.head)
        if args.command == "manifest":
            from bot.manifest import run_manifest

            return run_manifest(args.file, as_json=args.json)
        from bot.server import run_server

        return run_server(host=args.host, port=args.port, env_file=args.env_file)
    except UsageError as exc:
        sys.stderr.write(f"doi-bot: {exc}\n")
        return 2
