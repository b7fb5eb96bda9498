"""MkDocs hook: one reference page per JSON Schema in ``schemas/``, written at build time.

Each page shows the model's description, a table of its fields (type, required or default,
constraints, description), the same for every model it refers to, and the schema itself. The
pages are made from the committed schema files (which the tests keep current with the code), so
nothing is copied by hand. The nav entry ``reference/schemas/index.md`` becomes a section holding
the index and one page per schema.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
INDEX = "reference/schemas/index.md"

_CONSTRAINTS = (
    ("minLength", "at least {} characters"),
    ("maxLength", "at most {} characters"),
    ("pattern", "matches `{}`"),
    ("minimum", "≥ {}"),
    ("exclusiveMinimum", "> {}"),
    ("maximum", "≤ {}"),
    ("exclusiveMaximum", "< {}"),
    ("minItems", "at least {} items"),
    ("maxItems", "at most {} items"),
    ("minProperties", "at least {} keys"),
    ("maxProperties", "at most {} keys"),
)


def _schemas() -> dict[str, dict[str, Any]]:
    return {
        path.stem: json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(SCHEMA_DIR.glob("*.json"))
    }


def _cell(text: str) -> str:
    """Text fit for one Markdown table cell: one line, pipes escaped."""
    return " ".join(text.split()).replace("|", "\\|")


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type_of(schema: dict[str, Any]) -> str:
    """A short, readable type: ``string (uuid)``, ``array of Notification``, ``A | null``."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return "any JSON value" if name == "JsonValue" else f"[{name}](#{name.lower()})"
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{json.dumps(value)}`" for value in schema["enum"])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            joiner = " and " if key == "allOf" else " | "
            return joiner.join(_type_of(option) for option in schema[key])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " | ".join(_type_of({**schema, "type": one}) for one in kind)
    if kind == "array":
        items = schema.get("items")
        return f"array of {_type_of(items)}" if isinstance(items, dict) else "array"
    if kind == "object":
        values = schema.get("additionalProperties")
        if isinstance(values, dict) and values:
            return f"object of {_type_of(values)}"
        return "object"
    if kind is None:
        return "any JSON value"
    text = str(kind)
    if "format" in schema:
        text += f" ({schema['format']})"
    return text


def _constraints(schema: dict[str, Any]) -> list[str]:
    found = [text.format(schema[key]) for key, text in _CONSTRAINTS if key in schema]
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, ()):
            found.extend(_constraints(option))
    return found


def _description(schema: dict[str, Any]) -> str:
    if "description" in schema:
        return str(schema["description"])
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, ()):
            if "description" in option:
                return str(option["description"])
    return ""


def _fields_table(schema: dict[str, Any]) -> list[str]:
    properties: dict[str, Any] = schema.get("properties", {})
    if not properties:
        return []
    required = set(schema.get("required", ()))
    lines = [
        "| field | type | required / default | constraints | description |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, field in properties.items():
        if name in required:
            presence = "required"
        elif "default" in field:
            presence = f"default `{json.dumps(field['default'])}`"
        else:
            presence = "optional"
        examples = field.get("examples")
        description = _description(field)
        if examples:
            description += " Examples: " + ", ".join(f"`{json.dumps(e)}`" for e in examples)
        lines.append(
            f"| `{name}` | {_cell(_type_of(field))} | {presence} | "
            f"{_cell('; '.join(_constraints(field)))} | {_cell(description)} |"
        )
    return lines


def _extra_fields(schema: dict[str, Any]) -> str:
    extra = schema.get("additionalProperties")
    if extra is False:
        return "Unknown fields are refused."
    if extra is True:
        return "Unknown fields are kept (in `model_extra`)."
    return ""


def _model_section(name: str, schema: dict[str, Any], level: str) -> list[str]:
    lines = [f"{level} {name}", ""]
    if schema.get("description"):
        lines += [str(schema["description"]), ""]
    if "enum" in schema:
        values = ", ".join(f"`{json.dumps(value)}`" for value in schema["enum"])
        lines += [f"A {schema.get('type', 'value')}, one of: {values}.", ""]
    for key in ("oneOf", "anyOf"):
        if key in schema:
            lines += [f"One of: {_type_of(schema)}.", ""]
            mapping = schema.get("discriminator", {})
            if mapping:
                lines += [f"The field `{mapping['propertyName']}` tells which.", ""]
    table = _fields_table(schema)
    if table:
        lines += [*table, ""]
    extra = _extra_fields(schema)
    if extra and table:
        lines += [extra, ""]
    return lines


def render_page(name: str, schema: dict[str, Any]) -> str:
    """The Markdown page of one schema file."""
    lines = [
        f"# {name}",
        "",
        f"The JSON Schema (draft 2020-12) in `schemas/{name}.json`, written from the model by "
        "`make schemas`.",
        "",
        *_model_section("Fields", {k: v for k, v in schema.items() if k != "title"}, "##")[2:],
    ]
    if not lines[-1]:
        lines.pop()
    definitions: dict[str, Any] = schema.get("$defs", {})
    shown = {key: value for key, value in definitions.items() if key != "JsonValue"}
    if shown:
        lines += ["", "## Models it refers to", ""]
        for key, value in shown.items():
            lines += _model_section(key, value, "###")
    text = json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False)
    lines += [
        "",
        f'??? note "The schema file `{name}.json`"',
        "",
        "    ```json",
        *(f"    {line}" for line in text.splitlines()),
        "    ```",
        "",
    ]
    return "\n".join(lines)


def render_index(schemas: dict[str, dict[str, Any]]) -> str:
    """The index page: every schema with the first line of its description."""
    lines = [
        "# JSON Schemas",
        "",
        "`schemas/` holds the JSON Schema of every public request, response and callback model,",
        "one file each, written by `make schemas` (`python -m govuk_notify.schemas schemas`). The",
        "tests fail when a committed schema is stale and check each against the JSON Schema",
        "metaschema. Each page below is made from its file when the site is built.",
        "",
        "| schema | what it is |",
        "| --- | --- |",
    ]
    for name, schema in schemas.items():
        summary = _description(schema).split("\n\n", 1)[0]
        lines.append(f"| [{name}]({name}.md) | {_cell(summary)} |")
    return "\n".join(lines) + "\n"


def _replace_index(nav: Any, names: list[str]) -> bool:
    """Swap the nav entry of the index page for a section with a page per schema."""
    if isinstance(nav, list):
        for position, item in enumerate(nav):
            if isinstance(item, dict) and len(item) == 1:
                [(title, target)] = item.items()
                if target == INDEX:
                    pages = [{"Schemas": INDEX}] + [
                        {name: f"reference/schemas/{name}.md"} for name in names
                    ]
                    nav[position] = {title: pages}
                    return True
                if _replace_index(target, names):
                    return True
    return False


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Add the schema pages to the nav."""
    if config.nav is not None:
        _replace_index(config.nav, list(_schemas()))
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    """Add the generated pages to the site."""
    schemas = _schemas()
    files.append(File.generated(config, INDEX, content=render_index(schemas)))
    for name, schema in schemas.items():
        content = render_page(name, schema)
        files.append(File.generated(config, f"reference/schemas/{name}.md", content=content))
    return files
