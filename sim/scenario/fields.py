"""Helpers that attach a unit and a source to every scenario parameter.

Each parameter is declared with :func:`par`, which records its unit and the evidence it
rests on (a seed file, a paper, or the word "assumption") in the field's JSON-schema
extras. The ODD document and the scenario reference are generated from these records,
so a default never appears without its provenance.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    """Base for every scenario block: unknown keys are errors, no silent coercion, and no
    NaN or infinity in any number (a run cannot use them)."""

    model_config = ConfigDict(
        extra="forbid", strict=True, validate_assignment=True, allow_inf_nan=False
    )


def par(
    default: Any,
    *,
    unit: str,
    source: str,
    doc: str,
    **constraints: Any,
) -> Any:
    """Declare a scenario parameter with its unit, its source and a one-line meaning."""
    return Field(
        default,
        description=doc,
        json_schema_extra={"unit": unit, "source": source},
        **constraints,
    )


def provenance(model: type[BaseModel], name: str) -> dict[str, str]:
    """Return ``{"unit", "source", "doc"}`` for field ``name`` of ``model``."""
    field = model.model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return {
        "unit": str(extra.get("unit", "")),
        "source": str(extra.get("source", "")),
        "doc": field.description or "",
    }
