"""Request bodies checked against GitHub's OpenAPI description (shared/github/openapi-pr-review-bot.json)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import referencing

_DOC_URI = "urn:github-openapi"
_SLASHED = ("/{path}", "/git/ref/{ref}", "/compare/{basehead}")


@dataclass(frozen=True)
class Operation:
    template: str
    method: str
    pattern: re.Pattern[str]
    body_schema: dict[str, Any] | None
    body_required: bool


def _as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0 schemas are JSON Schema draft 4 plus `nullable`; rewrite `nullable` and point refs at the
    whole document so jsonschema can follow them."""
    if isinstance(node, list):
        return [_as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: _as_json_schema(value) for key, value in node.items() if key != "nullable"}
    if isinstance(out.get("$ref"), str) and out["$ref"].startswith("#/"):
        out["$ref"] = _DOC_URI + out["$ref"]
    if node.get("nullable") is True:
        if "type" in out:
            types = out["type"] if isinstance(out["type"], list) else [out["type"]]
            out["type"] = [*types, "null"]
        if "enum" in out:
            out["enum"] = [*out["enum"], None]
        if "$ref" in out or "allOf" in out or "oneOf" in out or "anyOf" in out:
            out = {"anyOf": [{"type": "null"}, out]}
    return out


class OpenAPI:
    def __init__(self, path: Path) -> None:
        document = _as_json_schema(json.loads(path.read_text()))
        resource = referencing.Resource.from_contents(
            document, default_specification=referencing.jsonschema.DRAFT4
        )
        self._registry = referencing.Registry().with_resource(_DOC_URI, resource)
        self._operations: list[Operation] = []
        # Literal paths before templated ones (/pulls/comments/{id} before /pulls/{pull_number}), and a last
        # parameter that may hold slashes (a file path, a ref like heads/main) after everything else.
        for template in sorted(document["paths"], key=lambda t: (t.endswith(_SLASHED), t.count("{"), t)):
            slashed = template.endswith(_SLASHED)
            head = template.rsplit("/", 1)[0] if slashed else template
            pattern = re.sub(r"\{[^/}]+\}", r"[^/]+", head) + ("/.+" if slashed else "")
            compiled = re.compile("^" + pattern + "$")
            for method, operation in document["paths"][template].items():
                body = operation.get("requestBody")
                schema = body["content"].get("application/json", {}).get("schema") if body else None
                self._operations.append(
                    Operation(template, method.upper(), compiled, schema, bool(body and body.get("required")))
                )

    def operation(self, method: str, path: str) -> Operation | None:
        for op in self._operations:
            if op.method == method and op.pattern.match(path):
                return op
        return None

    def body_errors(self, op: Operation, body: Any) -> list[str]:
        if op.body_schema is None:
            return []
        validator = jsonschema.Draft4Validator(op.body_schema, registry=self._registry)
        return [
            f"{'/'.join(map(str, e.absolute_path)) or 'body'}: {e.message[:200]}"
            for e in validator.iter_errors(body)
        ]


@cache
def load(path: Path) -> OpenAPI:
    return OpenAPI(path)
