"""What the model does not know: every constant's plausible range, and a scenario's
``uncertainty:`` block that narrows or widens them.

A *constant* is a number that shapes how a mechanism works rather than describing the
area or the policy being asked about: every mechanism constant (``dynamics.*``), the
size of the staff's trust networks (``staff.ties_within``, ``staff.ties_across``), how
each issue responds to work (``issues.efficacy``, ``issues.lag_months``,
``issues.noise_sd``, a factor applied to every issue's own value) and the thresholds that
name regimes (``regimes.*``). Levers (``environment``, ``partnership``, the rest of
``staff``), the agencies and the issues' sizes are the question, not the uncertainty, and
are never drawn.

Each constant declares its plausible range with ``par(..., plausible=(low, high))`` (or
``plausible_factor=`` for a per-issue factor) and the justification in its ``source``;
``distribution`` is uniform unless declared ``"loguniform"``. The effective range of a
constant in a scenario (:func:`scenario_ranges`):

1. the declared range;
2. a constant whose scenario value differs from its default was set on purpose and is
   held at that value (a point), unless the ``uncertainty.ranges`` block gives it a range;
3. ``uncertainty.scale`` stretches every range about the scenario's value (0: every
   constant at the scenario's value; 2: twice as wide), clipped to the hard bounds;
4. ``uncertainty.ranges`` sets a key's range outright (``[low, high]``, or one number for
   a point); it must lie within the key's hard bounds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from sim.scenario.fields import Strict, par

ISSUE_PREFIX = "issues."
DESIGNS = ("lhs", "sobol")


@dataclass(frozen=True)
class Constant:
    """One constant the uncertainty draws may vary.

    ``path`` is the key path (``issues.<name>`` applies to every issue, as a factor);
    ``low``/``high`` the declared plausible range (a factor of each issue's value for a
    per-issue constant, whose ``default`` is then 1); ``ge``/``le`` the hard bounds of the
    value itself; ``integer`` whether the value is rounded.
    """

    path: str
    default: float
    low: float
    high: float
    ge: float
    le: float
    integer: bool
    distribution: str
    unit: str
    source: str

    @property
    def per_issue(self) -> bool:
        """Whether the range is a factor applied to every issue's own value."""
        return self.path.startswith(ISSUE_PREFIX)


def _bounds(field: Any) -> tuple[float, float]:
    ge, le = -math.inf, math.inf
    for item in field.metadata:
        for attr in ("ge", "gt"):
            if getattr(item, attr, None) is not None:
                ge = float(getattr(item, attr))
        for attr in ("le", "lt"):
            if getattr(item, attr, None) is not None:
                le = float(getattr(item, attr))
    return ge, le


def _constants_of(model: type[BaseModel], prefix: str) -> list[Constant]:
    out = []
    for name, field in model.model_fields.items():
        extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
        rng = extra.get("plausible") or extra.get("plausible_factor")
        if not rng:
            continue
        ge, le = _bounds(field)
        factor = "plausible_factor" in extra
        out.append(
            Constant(
                path=f"{prefix}{name}",
                default=1.0 if factor else float(field.default),
                low=float(rng[0]),
                high=float(rng[1]),
                ge=ge,
                le=le,
                integer=field.annotation is int,
                distribution=str(extra.get("distribution", "uniform")),
                unit="factor of each issue's value" if factor else str(extra.get("unit", "")),
                source=str(extra.get("source", "")),
            )
        )
    return out


@cache
def constants() -> tuple[Constant, ...]:
    """Every constant with a plausible range, in a fixed order (sorted by key path): the
    order of the columns of every uncertainty design."""
    from sim.scenario.dynamics import Dynamics
    from sim.scenario.schema import Issue, Regimes, Staff

    found = _constants_of(Staff, "staff.") + _constants_of(Regimes, "regimes.")
    found += _constants_of(Issue, ISSUE_PREFIX)
    for block, field in Dynamics.model_fields.items():
        found += _constants_of(field.annotation, f"dynamics.{block}.")  # type: ignore[arg-type]
    return tuple(sorted(found, key=lambda c: c.path))


def constant(path: str) -> Constant | None:
    """The constant at ``path``, or None."""
    return next((c for c in constants() if c.path == path), None)


class Uncertainty(Strict):
    """How far the constants may plausibly lie from their values."""

    scale: float = par(
        1.0,
        unit="multiple of every plausible range",
        ge=0.0,
        le=3.0,
        source="assumption (1: the ranges as declared)",
        doc="Stretches every constant's range about the scenario's value: 0 holds every "
        "constant at its value, 2 doubles each range (clipped to its hard bounds).",
    )
    ranges: dict[str, float | list[float]] = Field(
        default_factory=dict,
        description="A constant's range set outright, by key path: ``[low, high]``, or one "
        "number to hold it there. Keys: any constant of ``docs/scenario-reference.md`` "
        "with a plausible range.",
    )
    design: Literal["lhs", "sobol"] = par(
        "lhs",
        unit="name",
        source="assumption (Latin hypercube: any number of draws; Sobol: best at powers of 2)",
        doc="Space-filling design of the draws: ``lhs`` (Latin hypercube) or ``sobol`` "
        "(scrambled Sobol sequence).",
    )

    @field_validator("ranges")
    @classmethod
    def _known_ranges(cls, ranges: dict[str, Any]) -> dict[str, Any]:
        problems = []
        for path, value in ranges.items():
            c = constant(path)
            if c is None:
                problems.append(
                    f"{path}: not a constant with a plausible range; allowed: the key paths "
                    "of docs/scenario-reference.md with a plausible range (e.g. "
                    "dynamics.trust.gain, staff.ties_across, issues.efficacy, regimes.value_z)"
                )
                continue
            pair = [value, value] if isinstance(value, float | int) else list(value)
            if len(pair) != 2 or pair[0] > pair[1]:
                problems.append(f"{path}: give [low, high] with low <= high, or one number")
                continue
            lo, hi = c.ge, c.le
            if c.per_issue:
                problems += [] if pair[0] >= 0 else [f"{path}: a factor must be >= 0"]
            elif pair[0] < lo or pair[1] > hi:
                problems.append(f"{path}: {pair} lies outside the allowed {lo:g}..{hi:g}")
        if problems:
            raise ValueError("\n".join(problems))
        return {
            k: [float(x) for x in ([v, v] if isinstance(v, float | int) else v)]
            for k, v in ranges.items()
        }


@dataclass(frozen=True)
class Effective:
    """A constant's range in one scenario: ``low``/``high`` (a factor for a per-issue
    constant) around the scenario's ``value``."""

    constant: Constant
    value: float
    low: float
    high: float

    @property
    def fixed(self) -> bool:
        """Whether the draws hold the constant at one value."""
        return self.low == self.high


def current_value(scenario: Any, c: Constant) -> float:
    """The scenario's value of constant ``c`` (1 for a per-issue factor)."""
    if c.per_issue:
        return 1.0
    node: Any = scenario
    for part in c.path.split("."):
        node = getattr(node, part)
    return float(node)


def scenario_ranges(scenario: Any) -> list[Effective]:
    """Every constant's effective range in ``scenario`` (module docstring, steps 1-4), in
    the order of :func:`constants`."""
    block = scenario.uncertainty
    out = []
    for c in constants():
        value = current_value(scenario, c)
        if c.path in block.ranges:
            lo, hi = block.ranges[c.path]
        else:
            lo, hi = (c.low, c.high) if value == c.default else (value, value)
            lo = value - block.scale * (value - lo)
            hi = value + block.scale * (hi - value)
            if c.per_issue:
                lo = max(lo, 0.0)
            else:
                lo, hi = max(lo, c.ge), min(hi, c.le)
        out.append(Effective(c, value, lo, hi))
    return out
