"""Turning pydantic models into wire schemas, and model text back into JSON.

OpenAI's strict `json_schema` mode wants every object closed (`additionalProperties: false`)
with every property required and no `default`; local servers accept the plain schema. For
the weaker modes the schema also goes into the prompt, and JSON is cut out of whatever text
the model wraps around it.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from typing import Any

from pydantic import BaseModel

from coursegen.llm.types import Mode

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


@functools.lru_cache(maxsize=256)
def plain_schema(model: type[BaseModel]) -> dict[str, Any]:
    """The pydantic JSON schema of `model` (cached: generating it costs ~10 ms; treat as read-only)."""
    return model.model_json_schema()


@functools.lru_cache(maxsize=256)
def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A copy of the schema that OpenAI's strict structured outputs accept (cached; treat as read-only)."""
    schema = copy.deepcopy(model.model_json_schema())
    _close_objects(schema)
    return schema


def _close_objects(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("default", None)
        if node.get("type") == "object" and "properties" in node:
            node["additionalProperties"] = False
            node["required"] = sorted(node["properties"])
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for item in node:
            _close_objects(item)


@functools.lru_cache(maxsize=256)
def schema_for_mode(model: type[BaseModel], mode: Mode) -> dict[str, Any]:
    """The schema sent for `mode` (strict only where the server enforces strictness).

    Cached and shared by every request of that schema and mode, uncopied (every request and
    every cache lookup needs it): treat as read-only.
    """
    return strict_schema(model) if mode is Mode.JSON_SCHEMA else plain_schema(model)


def schema_instruction(schema: dict[str, Any]) -> str:
    """The system-message addition for modes where the server does not get the schema natively."""
    return (
        "Answer with one JSON object only, no prose and no code fences. "
        "It must match this JSON schema:\n" + json.dumps(schema, sort_keys=True, separators=(",", ":"))
    )


def messages_for_mode(
    messages: tuple[tuple[str, str], ...], schema: dict[str, Any], mode: Mode
) -> tuple[tuple[str, str], ...]:
    """Add the schema instruction to the first system message (or a new one) unless json_schema."""
    if mode is Mode.JSON_SCHEMA:
        return messages
    instruction = schema_instruction(schema)
    out = list(messages)
    for index, (role, content) in enumerate(out):
        if role == "system":
            out[index] = (role, f"{content}\n\n{instruction}".strip())
            return tuple(out)
    return (("system", instruction), *out)


def extract_json(text: str) -> str:
    """The JSON object in `text`: the whole text, a fenced block, or the first balanced {...}."""
    stripped = text.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        return stripped
    fence = _FENCE.search(text)
    if fence and fence.group(1).strip().startswith("{"):
        return fence.group(1).strip()
    start = text.find("{")
    while start != -1:
        end = _balanced_end(text, start)
        if end is not None:
            candidate = text[start : end + 1]
            try:
                json.loads(candidate)
                return candidate
            except json.JSONDecodeError:
                pass
        start = text.find("{", start + 1)
    return stripped


def _balanced_end(text: str, start: int) -> int | None:
    depth = 0
    in_string = False
    escaped = False
    for index in range(start, len(text)):
        char = text[index]
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
    return None
