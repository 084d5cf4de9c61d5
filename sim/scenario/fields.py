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
    plausible: tuple[float, float] | None = None,
    plausible_factor: tuple[float, float] | None = None,
    distribution: str = "uniform",
    **constraints: Any,
) -> Any:
    """Declare a scenario parameter with its unit, its source and a one-line meaning.

    ``plausible`` is the range the value could reasonably take given its source (for an
    assumption, a judgement stated with it); sensitivity analysis samples within it. It
    must lie within the hard bounds (``ge``/``le``) and contain the default.
    ``plausible_factor`` is the same as a factor of the value, for a value each scenario
    gives per item (an issue's efficacy). ``distribution`` is how uncertainty draws spread
    over the range: ``"uniform"`` or ``"loguniform"`` (``sim/scenario/uncertainty.py``).
    """
    if distribution not in ("uniform", "loguniform"):
        raise ValueError(f"distribution {distribution!r}: allowed uniform, loguniform")
    extra: dict[str, Any] = {"unit": unit, "source": source}
    if plausible is not None:
        lo, hi = plausible
        if not lo <= default <= hi:
            raise ValueError(f"default {default} lies outside its plausible range {plausible}")
        extra["plausible"] = [lo, hi]
    if plausible_factor is not None:
        lo, hi = plausible_factor
        if not lo <= 1.0 <= hi:
            raise ValueError(f"plausible factor {plausible_factor} must contain 1")
        extra["plausible_factor"] = [lo, hi]
    if distribution != "uniform":
        if (plausible or plausible_factor or (0.0,))[0] <= 0.0:
            raise ValueError("a log-uniform range must start above 0")
        extra["distribution"] = distribution
    return Field(default, description=doc, json_schema_extra=extra, **constraints)


def provenance(model: type[BaseModel], name: str) -> dict[str, str]:
    """Return ``{"unit", "source", "doc"}`` for field ``name`` of ``model``."""
    field = model.model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    return {
        "unit": str(extra.get("unit", "")),
        "source": str(extra.get("source", "")),
        "doc": field.description or "",
    }


def plausible_range(model: type[BaseModel], name: str) -> tuple[float, float] | None:
    """The plausible range declared for field ``name`` of ``model``, if any."""
    field = model.model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    rng = extra.get("plausible")
    return (float(rng[0]), float(rng[1])) if rng else None
