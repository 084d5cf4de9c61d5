"""Validation errors in words: one style for every wrong value in a scenario.

A wrong value reads ``<value> <what is wrong>; allowed: <what is allowed>``, with the
value cut to a short excerpt (:func:`~sim.scenario.problems.excerpt`). Out of range:
``1.5 is out of range; allowed: 0.0 to 1.0`` (or ``>= 0.0`` when there is one bound).
Non-finite numbers: ``.nan is not a finite number; allowed: a finite number``. Text that
YAML 1.1 does not read as a number although it looks like one (``1e-1``): the message
says so and gives the spelling that works.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

import annotated_types as at
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from sim.scenario.problems import excerpt, short_key, yaml_number

_BOUND_KINDS = {
    "greater_than_equal": ">=",
    "less_than_equal": "<=",
    "greater_than": ">",
    "less_than": "<",
}

_SIGNS = (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<"))

_EXPECTED = {
    "float_type": "a number",
    "float_parsing": "a number",
    "finite_number": "a finite number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "int_parsing": "a whole number",
    "bool_type": "true or false",
    "string_type": "text",
    "dict_type": "a mapping",
    "list_type": "a list",
    "model_type": "a mapping of keys",
}

_EXPONENT = re.compile(r"([-+]?)(\d[\d_]*)?(\.[\d_]*)?[eE]([-+]?)(\d+)")
_YAML11_FLOAT = re.compile(r"[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+][0-9]+)?")


def range_text(field: FieldInfo | None, kind: str = "", limit: Any = None) -> str:
    """What a bounded field allows: ``0.0 to 1.0``, ``>= 0.0``, ``> 0.0 and <= 1.0``.

    Read from the field's declared bounds; without a field (a mapping's values), from the
    one bound pydantic reported (``kind`` and ``limit``).
    """
    bounds: dict[str, Any] = {}
    for item in field.metadata if field is not None else ():
        for name, attr in (("ge", at.Ge), ("gt", at.Gt), ("le", at.Le), ("lt", at.Lt)):
            if isinstance(item, attr):
                bounds[name] = getattr(item, name)
    if not bounds:
        return f"{_BOUND_KINDS.get(kind, '')} {limit}".strip()
    if "ge" in bounds and "le" in bounds:
        return f"{bounds['ge']} to {bounds['le']}"
    parts = [f"{sign} {bounds[name]}" for name, sign in _SIGNS if name in bounds]
    return " and ".join(parts)


def field_of(model: type[BaseModel], loc: Sequence[Any]) -> FieldInfo | None:
    """The field of ``model`` (or of its nested blocks) at key path ``loc``, or ``None``."""
    field = None
    for part in loc:
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = next((f for n, f in model.model_fields.items() if part in (n, f.alias)), None)
        if field is None:
            return None
        model = field.annotation
    return field


def _as_text(value: str, expected: str) -> str | None:
    """Why ``value`` (text) is not the number it looks like, or ``None``."""
    text = value.strip()
    match = _EXPONENT.fullmatch(text)
    if match and not _YAML11_FLOAT.fullmatch(text):
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            return None
        if math.isfinite(number):
            sign, whole, frac, esign, exp = match.groups()
            mantissa = f"{sign}{whole or '0'}{frac if frac and len(frac) > 1 else '.0'}"
            exponent = text[match.start(4) - 1] + (esign or "+") + exp
            spelled = f"{mantissa}{exponent}"
            return (
                f"{excerpt(value)} is text to YAML 1.1 (write {spelled} or {number!r}); "
                f"allowed: {expected}"
            )
    try:
        float(text) if expected == "a number" else int(text)
    except ValueError:
        return None
    return f"{excerpt(value)} is text, not a number (remove the quotes); allowed: {expected}"


def describe(err: dict[str, Any], field: FieldInfo | None = None) -> str | None:
    """One pydantic error about a value in the house style, or ``None`` if not a value
    error this module words (unknown keys, missing keys, tags: the caller words those).

    ``field`` is the schema field the value belongs to, for its full range.
    """
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if isinstance(value, float) and not math.isfinite(value):
        return f"{yaml_number(value)} is not a finite number; allowed: a finite number"
    if kind in _BOUND_KINDS:
        limit = next(iter(ctx.values()), "")
        return f"{excerpt(value)} is out of range; allowed: {range_text(field, kind, limit)}"
    if kind in ("literal_error", "enum"):
        return f"{excerpt(value)} is not allowed; allowed: {ctx.get('expected', '')}"
    if kind in _EXPECTED:
        expected = _EXPECTED[kind]
        if isinstance(value, str) and expected in ("a number", "a whole number"):
            hint = _as_text(value, expected)
            if hint:
                return hint
        return f"{excerpt(value)} is not {expected}; allowed: {expected}"
    if kind == "too_short":
        return f"too few entries; allowed: at least {ctx.get('min_length')}"
    if kind == "string_too_short":
        return f"{excerpt(value)} is too short; allowed: at least {ctx.get('min_length')} character"
    return None


def non_finite(data: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """``(key path, message)`` for every NaN or infinity in raw YAML data."""
    stack: list[tuple[str, Any]] = [(prefix, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, float) and not math.isfinite(value):
            yield path, f"{yaml_number(value)} is not a finite number; allowed: a finite number"
        elif isinstance(value, dict):
            for key, item in reversed(list(value.items())):
                stack.append((f"{path}.{short_key(key)}" if path else short_key(key), item))
        elif isinstance(value, list):
            for k in range(len(value) - 1, -1, -1):
                stack.append((f"{path}[{k}]", value[k]))
