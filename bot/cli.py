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
    check.add_argument("--format", choices=FORMATS, default="text", help="output format (default: text)")
    check.add_argument(
        "--library-dir",
        type=Path,
        metavar="DIR",
        help="official-images checkout (or its library/), for cross-checks",
    )
    check.add_argument("--docs-dir", type=Path, metavar="DIR", help="docs checkout, for cross-checks")
    check.add_argument(
        "--source",
        type=_source,
        action="append",
        default=[],
        metavar="URL=DIR",
        help="read GitRepo URL's Dockerfiles from DIR (a clone at GitCommit, or a plain folder); repeatable",
    )
    check.add_argument("--fetch", action="store_true", help="fetch upstream Dockerfiles with git")
    check.add_argument("--base", metavar="REV", help="pull-request mode: review the change from REV")
    check.add_argument("--head", metavar="REV", help="pull-request mode: up to REV (default HEAD)")
    check.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    manifest = sub.add_parser("manifest", help="print a parsed library file")
    manifest.add_argument("--json", action="store_true", help="JSON instead of bashbrew cat's text")
    manifest.add_argument("file", type=Path, metavar="FILE")

    rules = sub.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="default: text")

    serve = sub.add_parser("serve", help="run the GitHub App webhook server")
    serve.add_argument("--host", default="0.0.0.0", help="default: 0.0.0.0")
    serve.add_argument("--port", type=int, default=8080, help="default: 8080")
    serve.add_argument("--env-file", type=Path, metavar="FILE", help="one more file of KEY=value lines")
    return parser


def _cell(text: str) -> str:
    """Text in a Markdown table cell: a `|` would end the cell."""
    return text.replace("|", "\\|")


def rules_table(fmt: str) -> str:
    rules = all_rules()
    if fmt == "json":
        return json.dumps([r.to_json() for r in rules], indent=2) + "\n"
    if fmt == "markdown":
        rows = ["| id | severity | rule | why |", "|---|---|---|---|"]
        rows += [f"| `{r.id}` | {r.severity} | {_cell(r.title)} | {_cell(r.why)} |" for r in rules]
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
    except OSError as exc:  # a path that went away or cannot be read while it was being checked
        place = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"doi-bot: {place}cannot be read ({exc.strerror or exc})\n")
        return 2
