"""The reference part of docs/api.md, made from the app itself: each route from `create_app().openapi()` (its
body's fields, its answer's fields, its error statuses) and the error table from `bestdev.api.errors.ERRORS`.

    python -m tools.api_reference          # rewrite the generated blocks of docs/api.md
    python -m tools.api_reference --check  # exit 1 when they are out of date (tests/test_api_reference.py)

A generated block sits between `<!-- BEGIN generated: NAME -->` and `<!-- END generated: NAME -->`; everything
outside the blocks is written by hand.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
BLOCK = re.compile(
    r"(<!-- BEGIN generated: (?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- END generated: (?P=name) -->)", re.DOTALL
)

CODE = re.compile(r"`([a-z_]+)`: ")
REF = re.compile(r"#/components/schemas/(\w+)")

Schema = dict[str, Any]


def openapi() -> Schema:
    """The schema as /api/openapi.json publishes it, with the bundled sample settings (no Azure, nothing served)."""
    from bestdev.api.app import create_app

    return create_app().openapi()


def blocks(schema: Schema) -> dict[str, str]:
    return {"routes": _routes(schema), "errors": _errors()}


def _routes(schema: Schema) -> str:
    components = schema.get("components", {}).get("schemas", {})
    shown: set[str] = set()
    parts = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            parts.append(_route(method.upper(), path, operation, components, shown))
    return "\n".join(parts)


def _route(method: str, path: str, operation: Schema, components: Schema, shown: set[str]) -> str:
    lines = [f"### `{method} {path}`", "", _one_line(operation.get("description") or operation.get("summary", "")), ""]
    body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if body:
        model = _resolve(body, components)
        lines += [f"Body: a JSON object{_closed(model)}.", "", *_fields(model, components, with_rules=True), ""]
    for status, response in operation["responses"].items():
        if status.startswith("2"):
            answer = response.get("content", {}).get("application/json", {}).get("schema")
            model = _resolve(answer, components) if answer else {}
            if model.get("properties"):
                lines += [f"Answer: `{status}`, a JSON object.", "", *_fields(model, components, with_rules=False), ""]
                lines += _nested(model, components, shown)
            else:
                lines += [f"Answer: `{status}`.", ""]
    errors = [
        f"{status} " + ", ".join(f"`{code}`" for code in dict.fromkeys(CODE.findall(response["description"])))
        for status, response in operation["responses"].items()
        if status[0] in "45"
    ]
    if errors:
        lines += ["Errors besides 404, 405 and 500 (see [Errors](#errors)): " + "; ".join(errors) + ".", ""]
    return "\n".join(lines)


def _nested(model: Schema, components: Schema, shown: set[str]) -> list[str]:
    """The objects an answer holds, each described once, at its first use."""
    lines: list[str] = []
    for field in model["properties"].values():
        for ref in REF.findall(str(field)):
            name = _name(ref)
            if name in shown:
                continue
            shown.add(name)
            nested = components[name]
            lines += [f"`{name}`:", "", *_fields(nested, components, with_rules=False), ""]
            lines += _nested(nested, components, shown)
    return lines


def _fields(model: Schema, components: Schema, *, with_rules: bool) -> list[str]:
    required = set(model.get("required", ()))
    header = "| Field | Type | Rules | Meaning |" if with_rules else "| Field | Type | Meaning |"
    lines = [header, "| --- | --- | --- | --- |" if with_rules else "| --- | --- | --- |"]
    for name, field in model["properties"].items():
        kind = _type(field, components)
        meaning = _cell(field.get("description", ""))
        if with_rules:
            rules = _rules(field, required=name in required)
            lines.append(f"| `{name}` | {kind} | {rules} | {meaning} |")
        else:
            lines.append(f"| `{name}` | {kind} | {meaning} |")
    return lines


def _rules(field: Schema, *, required: bool) -> str:
    rules = ["required" if required else f"optional, default `{_json(field.get('default'))}`"]
    if "minLength" in field or "maxLength" in field:
        rules.append(f"{field.get('minLength', 0)}-{field['maxLength']} characters" if "maxLength" in field else "")
    if "pattern" in field and field.get("maxLength"):
        rules.append("not only whitespace")
    if "minimum" in field or "maximum" in field:
        rules.append(f"{_number(field.get('minimum'))}-{_number(field.get('maximum'))}")
    return "; ".join(rule for rule in rules if rule)


def _type(field: Schema, components: Schema) -> str:
    if "$ref" in field:
        return _name(field["$ref"])
    if "anyOf" in field:
        kinds = [_type(option, components) for option in field["anyOf"]]
        return " or ".join(kinds)
    kind = field.get("type", "any")
    if kind == "array":
        return f"list of {_type(field.get('items', {}), components)}"
    if "enum" in field:
        return " or ".join(f"`{value}`" for value in field["enum"])
    if "const" in field:
        return f"`{field['const']}`"
    return {"integer": "integer", "number": "number", "string": "string", "boolean": "boolean", "null": "null"}.get(
        kind, str(kind)
    )


def _resolve(schema: Schema, components: Schema) -> Schema:
    if "$ref" in schema:
        resolved: Schema = components[_name(schema["$ref"])]
        return resolved
    return schema


def _closed(model: Schema) -> str:
    return ", unknown fields refused" if model.get("additionalProperties") is False else ""


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _errors() -> str:
    from bestdev.api.errors import ERRORS

    where = {
        "any": "any",
        "body": "every POST",
        "model": "`/api/recommend`, `/api/team` (only with `BESTDEV_FALLBACK=none`)",
        "feedback": "`/api/feedback`",
    }
    lines = ["| Status | Code | Routes | When |", "| --- | --- | --- | --- |"]
    for error in sorted(ERRORS, key=lambda item: (item.status, item.code)):
        lines.append(f"| {error.status} | `{error.code}` | {where[error.scope]} | {_cell(error.when)} |")
    return "\n".join(lines) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str) -> str:
    return _one_line(text).replace("|", "\\|")


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def _json(value: object) -> str:
    return "null" if value is None else str(value).lower() if isinstance(value, bool) else str(value)


def render(text: str, generated: dict[str, str]) -> str:
    """The document with each generated block replaced by its current text."""

    def replace(match: re.Match[str]) -> str:
        return match.group(1) + generated[match.group("name")] + match.group(4)

    return BLOCK.sub(replace, text)


def main(argv: list[str]) -> int:
    current = DOC.read_text(encoding="utf-8")
    wanted = render(current, blocks(openapi()))
    if "--check" in argv:
        if wanted != current:
            print(f"{DOC} is out of date: run python -m tools.api_reference", file=sys.stderr)
            return 1
        return 0
    DOC.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
