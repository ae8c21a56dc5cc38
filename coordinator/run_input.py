"""A run's input checked against its plan's `input_schema` when the run is created.

Defaults the schema declares are filled in first (recursively, for nested objects), then
the input is validated, so a run that lacks a required value is refused up front with
the field named (`input.reviewer`) instead of failing later at the step that reads it.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError


class InvalidRunInput(ValueError):
    """Every problem with a run's input: [{"field": "input.x", "message": ...}]."""

    def __init__(self, errors: list[dict]):
        super().__init__("; ".join(f"{e['field']}: {e['message']}" for e in errors))
        self.errors = errors


def with_defaults(schema: dict, value: Any) -> Any:
    """`value` with the schema's property defaults filled in where keys are missing."""
    if not isinstance(schema, dict) or not isinstance(value, dict):
        return value
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return value
    out = dict(value)
    for name, sub in properties.items():
        if not isinstance(sub, dict):
            continue
        if name not in out and "default" in sub:
            out[name] = copy.deepcopy(sub["default"])
        if name in out:
            out[name] = with_defaults(sub, out[name])
    return out


def checked_input(schema: dict | None, value: dict) -> dict:
    """The input a run starts with; raises InvalidRunInput naming each bad field."""
    if not schema:
        return value
    value = with_defaults(schema, value)
    try:
        validator = Draft202012Validator(schema)
        found = sorted(validator.iter_errors(value), key=lambda e: list(e.absolute_path))
    except SchemaError as exc:
        raise InvalidRunInput(
            [{"field": "input_schema", "message": f"not a valid JSON Schema: {exc.message}"}]
        ) from None
    # one error per field: jsonschema may report each missing property in its own error
    errors = list({err["field"]: err for e in found for err in _as_errors(e)}.values())
    if errors:
        raise InvalidRunInput(errors)
    return value


def _as_errors(error) -> list[dict]:
    path = ".".join(["input", *(str(p) for p in error.absolute_path)])
    instance = error.instance if isinstance(error.instance, dict) else {}
    if error.validator == "required":
        # "'reviewer' is a required property" → name each missing field itself
        missing = [name for name in error.validator_value if name not in instance]
        return [
            {"field": f"{path}.{name}", "message": "this field is required"} for name in missing
        ]
    if error.validator == "additionalProperties":
        allowed = set((error.schema.get("properties") or {}).keys())
        extra = sorted(k for k in instance if k not in allowed)
        if extra:
            return [
                {"field": f"{path}.{name}", "message": "not a field of this workflow's input"}
                for name in extra
            ]
    return [{"field": path, "message": error.message}]


# ------------------------------------------------------------------ the CLI's --input


def begin_input_schema(graph: dict | None) -> dict | None:
    """The input schema of a saved graph's Begin node (None when it declares none)."""
    for node in (graph or {}).get("nodes") or []:
        if isinstance(node, dict) and node.get("type") == "begin":
            config = (node.get("data") or {}).get("config") or {}
            schema = config.get("input_schema")
            return schema if isinstance(schema, dict) else None
    return None


def input_from_arguments(arguments: list[str], schema: dict | None) -> dict:
    """`--input` values (each a JSON object, or KEY=VALUE) merged into one input, later ones
    winning. A KEY=VALUE value is text unless the schema types the key as a number,
    integer, boolean, object or array, when it is read as JSON. ValueError names what is wrong."""
    properties = (schema or {}).get("properties") or {}
    value: dict = {}
    for argument in arguments:
        if argument.lstrip().startswith("{"):
            try:
                parsed = json.loads(argument)
            except json.JSONDecodeError as exc:
                raise ValueError(f"--input is not valid JSON: {exc}") from None
            if not isinstance(parsed, dict):
                raise ValueError("--input must be a JSON object or KEY=VALUE")
            value.update(parsed)
            continue
        key, sep, raw = argument.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(
                f"--input {argument!r}: use KEY=VALUE or a JSON object, like document_id=a.md"
            )
        value[key] = _typed(key, raw, properties.get(key))
    return value


def _typed(key: str, raw: str, schema) -> Any:
    types = (schema or {}).get("type") if isinstance(schema, dict) else None
    types = set(types) if isinstance(types, list) else {types}
    if types & {"integer", "number", "boolean", "object", "array"} and "string" not in types:
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            raise ValueError(
                f"--input {key}={raw!r}: {key} takes {'/'.join(sorted(t for t in types if t))}"
            ) from None
    return raw
