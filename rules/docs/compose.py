"""DOI-M006..M008: compose.yaml in ymlfmt's form, shown by content.md, using official images only."""

from __future__ import annotations

import io
import re
import warnings
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError

from rules.docs.model import DocsContext, DocsFolder
from rules.docs.rewrite import rewrite_finding
from rules.findings import Finding, Severity
from rules.registry import rule

YMLFMT = rule(
    "DOI-M006",
    Severity.ERROR,
    "compose.yaml that ymlfmt would reformat",
    "The docs CI (ymlfmt) fails on a YAML file that tianon/ymlfmt (a ruamel.yaml round trip: YAML 1.1,"
    " mapping indent 2, sequence indent 4, offset 2) would change, or cannot parse.",
)
SHOWN = rule(
    "DOI-M007",
    Severity.WARNING,
    "compose.yaml and %%COMPOSE%% must go together",
    "update.sh embeds compose.yaml only where content.md says %%COMPOSE%%: without the variable the file is"
    " never shown, without the file the variable renders an empty section.",
)
OFFICIAL = rule(
    "DOI-M008",
    Severity.WARNING,
    "compose.yaml uses an image that is not an official image",
    "The docs README allows only official images in the example compose.yaml, so the example works with"
    " images the program reviews.",
)

COMPOSE_NAME = "compose.yaml"
COMPOSE_VARIABLE = "%%COMPOSE%%"
# Line folding differs between ruamel.yaml 0.18 releases and the CI image's exact one is unpinned: a width
# no real line reaches keeps long lines out of the comparison, so only certain differences are reported.
_WIDTH = 4096


class _NoDirectiveEmitter(Emitter):
    """Writes YAML 1.1 without the `%YAML 1.1` / `---` header, as ymlfmt does (compose reads YAML 1.1)."""

    def write_version_directive(self, version_text: Any) -> None:
        return None

    def write_indicator(
        self, indicator: Any, need_whitespace: Any, whitespace: bool = False, indention: bool = False
    ) -> None:
        if indicator == "---":
            return None
        return super().write_indicator(indicator, need_whitespace, whitespace, indention)


def _ymlfmt() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Emitter = _NoDirectiveEmitter
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.version = (1, 1)
    yaml.width = _WIDTH
    return yaml


# ruamel raises ValueError, not YAMLError, for a scalar YAML 1.1 resolves as a number it cannot build (`+_`)
NOT_YAML = (YAMLError, ValueError)


def load_compose(text: str) -> Any:
    """The round-trip document; raises YAMLError on text that is not YAML."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _ymlfmt().load(text)


def ymlfmt_text(text: str) -> str:
    """What ymlfmt writes for this YAML text; raises YAMLError on text that is not YAML."""
    yaml = _ymlfmt()
    out = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ruamel warns about YAML 1.1 oddities that ymlfmt accepts
        yaml.dump(yaml.load(text), out)
    return out.getvalue()


def ymlfmt_findings(path: str, text: str) -> list[Finding]:
    try:
        formatted = ymlfmt_text(text)
    except NOT_YAML as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or type(exc).__name__
        return [YMLFMT.finding(path, line, f"Fix the YAML syntax of this file ({problem}).")]
    if formatted == text:
        return []
    message = (
        "Format this file as ymlfmt does (`./ymlfmt.sh -w FILE`): mappings indented by 2, list items by 4"
        " with the dash at 2."
    )
    return [rewrite_finding(YMLFMT, path, text, formatted, message)]


def compose_format(folder: DocsFolder) -> list[Finding]:
    """Every YAML file of the folder, as the CI formats every *.yml and *.yaml outside .github/."""
    findings = []
    for name, text in sorted(folder.texts.items()):
        if name.endswith((".yaml", ".yml")):
            findings += ymlfmt_findings(folder.path_of(name), text)
    return findings


def compose_shown(folder: DocsFolder) -> list[Finding]:
    content = folder.texts.get("content.md")
    if content is None or not folder.complete:
        return []
    has_file = COMPOSE_NAME in folder.files
    if has_file and COMPOSE_VARIABLE not in content:
        message = "Add %%COMPOSE%% to content.md where the example should appear, or remove compose.yaml."
        return [SHOWN.finding(folder.path_of(COMPOSE_NAME), None, message)]
    if not has_file and COMPOSE_VARIABLE in content:
        line = content[: content.index(COMPOSE_VARIABLE)].count("\n") + 1
        message = "Add the compose.yaml that %%COMPOSE%% shows, or remove %%COMPOSE%% from content.md."
        return [SHOWN.finding(folder.path_of("content.md"), line, message)]
    return []


_OFFICIAL_PREFIXES = ("docker.io/library/", "index.docker.io/library/", "library/")


def official_name(reference: str) -> str | None:
    """The official image an image reference names (`postgres:16` -> postgres), None for any other."""
    for prefix in _OFFICIAL_PREFIXES:
        if reference.startswith(prefix):
            reference = reference[len(prefix) :]
            break
    if "/" in reference:
        return None  # another namespace or registry
    return re.split(r"[@:]", reference, maxsplit=1)[0] or None


def compose_images(folder: DocsFolder, context: DocsContext) -> list[Finding]:
    text = folder.texts.get(COMPOSE_NAME)
    official = context.official_images
    if text is None:
        return []
    try:
        document = load_compose(text)
    except NOT_YAML:
        return []  # DOI-M006 reports it
    services = document.get("services") if isinstance(document, CommentedMap) else None
    if not isinstance(services, CommentedMap):
        return []
    findings = []
    for service in services.values():
        if not isinstance(service, CommentedMap) or not isinstance(service.get("image"), str):
            continue
        reference = service["image"].strip()
        if "$" in reference:
            continue  # an interpolated reference: its value is not in the file
        name = official_name(reference)
        # without the list of official images, only another namespace or registry is known to be wrong
        if name is None or (official is not None and name not in official):
            line = service.lc.key("image")[0] + 1
            message = (
                f"Use an official image instead of {reference}: the example compose.yaml may only use"
                " images of the official-images program."
            )
            findings.append(OFFICIAL.finding(folder.path_of(COMPOSE_NAME), line, message))
    return findings
