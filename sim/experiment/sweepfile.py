"""Sweep files: a base scenario, the levers to vary, a design, replicates, outputs.

```yaml
name: churn_x_formality
description: Where does structure stop paying, as reorganisations come faster?
base: ../baseline.yaml            # relative to this file
fixed: {partnership.leadership.style: facilitative}   # lever changes for every point
parameters:                        # key path -> levels, or low/high (+ steps for a grid)
  environment.policy_churn: {levels: [0.0, 0.5, 1.0, 2.0]}
  partnership.formality: {low: 0.0, high: 1.0, steps: 6}
design: {kind: grid}               # grid | lhs | sobol | morris (see Design)
replicates: 5
uncertainty: 8                     # optional: each point in 8 draws of the other constants
series: {every: 3}                 # optional: keep time series, one month in `every`
```

Besides the levers, a sweep may fix or vary any mechanism constant (``dynamics.<block>.
<name>``, e.g. ``dynamics.trust.gain: {}``): a range left out is the key's plausible range
(``par(..., plausible=)``), so a sensitivity analysis samples every constant where its
source puts it. A sampled value of an integer constant is rounded to the nearest integer.

``uncertainty: N`` (default 0) runs every design point in ``N`` draws of the model's
other constants across their plausible ranges, each with every replicate
(:mod:`sim.experiment.sweepdraws`); a constant the sweep fixes or varies is not drawn.

Problems are reported like scenario problems: file, key path, what is wrong, what is
allowed (:class:`~sim.scenario.loader.ScenarioError`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from sim.experiment.sweepcheck import (
    check_size,
    cut_got,
    lever_problems,
    schema_problems,
    series_problems,
)
from sim.scenario.dynamics import Dynamics
from sim.scenario.fields import plausible_range
from sim.scenario.levers import apply_changes, lever_paths
from sim.scenario.loader import Problem, ScenarioError, load_scenario, read_yaml
from sim.scenario.schema import Scenario

Level = bool | int | float | str
DYNAMICS = "dynamics."


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Parameter(_Strict):
    """A lever to vary: explicit ``levels`` (grid only), or a ``low``-``high`` range."""

    levels: list[Level] | None = Field(None, min_length=1, description="Values (grid).")
    low: float | None = Field(None, description="Lower bound of the range.")
    high: float | None = Field(None, description="Upper bound of the range.")
    steps: int | None = Field(None, ge=2, description="Evenly spaced values (grid).")

    @model_validator(mode="after")
    def _one_form(self) -> Parameter:
        if self.levels is not None and (self.low is not None or self.high is not None):
            raise ValueError("give either levels or low/high, not both")
        if self.levels is None and (self.low is None or self.high is None):
            raise ValueError("give levels, or both low and high")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError(f"low ({self.low}) must be below high ({self.high})")
        return self

    def grid_values(self) -> list[Level]:
        """The values a grid takes."""
        if self.levels is not None:
            return list(self.levels)
        steps = self.steps or 5
        span = self.high - self.low  # type: ignore[operator]
        return [self.low + span * k / (steps - 1) for k in range(steps)]  # type: ignore[operator]


class Grid(_Strict):
    """Every combination of every parameter's levels (full factorial)."""

    kind: Literal["grid"]


class Lhs(_Strict):
    """Latin hypercube sample of ``samples`` points over the parameter ranges."""

    kind: Literal["lhs"]
    samples: int = Field(ge=2, description="Points in the sample.")
    seed: int = Field(1, ge=0, description="Seed of the sample.")


class Sobol(_Strict):
    """Saltelli's design for Sobol indices (SALib): ``base_samples * (k + 2)`` points."""

    kind: Literal["sobol"]
    base_samples: int = Field(ge=2, description="Base samples N (a power of 2).")
    seed: int = Field(1, ge=0, description="Seed of the sample.")
    calc_second_order: Literal[False] = False

    @model_validator(mode="after")
    def _power_of_two(self) -> Sobol:
        n = self.base_samples
        if n & (n - 1):
            raise ValueError(f"base_samples must be a power of 2 (got {n}), e.g. 64 or 128")
        return self


class Morris(_Strict):
    """Morris elementary-effects design (SALib): ``trajectories * (k + 1)`` points."""

    kind: Literal["morris"]
    trajectories: int = Field(ge=2, description="Trajectories r.")
    num_levels: int = Field(4, ge=2, description="Grid levels p.")
    seed: int = Field(1, ge=0, description="Seed of the sample.")


Design = Annotated[Grid | Lhs | Sobol | Morris, Field(discriminator="kind")]
DESIGNS: dict[str, type[BaseModel]] = {"grid": Grid, "lhs": Lhs, "sobol": Sobol, "morris": Morris}
"""Design classes by ``kind``."""


class Series(_Strict):
    """Keep monthly series, downsampled to one month in ``every``."""

    every: int = Field(3, ge=1, le=120, description="Keep one month in this many.")
    keys: list[str] | None = Field(None, description="Series to keep (default: a core set).")


class SweepFile(_Strict):
    """A sweep file as written by the user (paths not yet resolved)."""

    name: str = Field(min_length=1)
    description: str = ""
    base: str = Field(min_length=1, description="Base scenario file, relative to the sweep.")
    fixed: dict[str, Level] = Field(default_factory=dict)
    parameters: dict[str, Parameter] = Field(min_length=1)
    design: Design
    replicates: int = Field(1, ge=1)
    uncertainty: int = Field(
        0,
        ge=0,
        description="Draws of the model's other constants at every point (0: none).",
    )
    seed: int | None = Field(None, ge=0, description="Root seed (default: the base's).")
    months: int | None = Field(None, ge=1, le=600)
    series: Series | None = None


class Sweep:
    """A validated sweep: its file, its resolved base scenario and its parameters."""

    def __init__(self, path: Path, spec: SweepFile, base: Scenario):
        self.path = path
        self.spec = spec
        self.base = base

    @property
    def names(self) -> list[str]:
        """Varied key paths, in file order."""
        return list(self.spec.parameters)

    def scenario(self, values: dict[str, Any]) -> Scenario:
        """The base scenario with the point's lever and mechanism-constant values."""
        return with_values(self.base, _plain(values))


def _dynamics_field(path: str) -> tuple[type[BaseModel], str] | None:
    """The block class and field name of ``dynamics.<block>.<name>``, if it is one."""
    parts = path.split(".")
    if len(parts) != 3 or parts[0] != "dynamics" or parts[1] not in Dynamics.model_fields:
        return None
    block = Dynamics.model_fields[parts[1]].annotation
    assert isinstance(block, type) and issubclass(block, BaseModel)
    return (block, parts[2]) if parts[2] in block.model_fields else None


def dynamics_paths() -> list[str]:
    """Every mechanism constant a sweep may fix or vary (``dynamics.<block>.<name>``)."""
    return [
        f"dynamics.{block}.{name}"
        for block, field in Dynamics.model_fields.items()
        for name in field.annotation.model_fields  # type: ignore[union-attr]
    ]


def plausible_bounds(path: str) -> tuple[float, float] | None:
    """The plausible range of mechanism constant ``path`` (None: not one, or none declared)."""
    found = _dynamics_field(path)
    return plausible_range(*found) if found else None


def with_values(base: Scenario, values: dict[str, Any]) -> Scenario:
    """``base`` with lever values (:func:`~sim.scenario.levers.apply_changes`) and
    mechanism-constant values applied, each validated against its block.

    A float given for an integer constant is rounded to the nearest integer. Raises
    ``ValueError`` naming the key path for a path that is neither or a value out of range.
    """
    levers = {k: v for k, v in values.items() if not k.startswith(DYNAMICS)}
    constants = {k: v for k, v in values.items() if k.startswith(DYNAMICS)}
    scenario = apply_changes(base, levers) if levers else base
    if not constants:
        return scenario
    data = scenario.dynamics.model_dump()
    for path, value in constants.items():
        found = _dynamics_field(path)
        if found is None:
            raise ValueError(f"{path}: not a mechanism constant")
        block, name = found
        if block.model_fields[name].annotation is int and isinstance(value, float):
            value = round(value)
        data[path.split(".")[1]][name] = value
    try:
        dynamics = Dynamics.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"dynamics.{'.'.join(str(p) for p in err['loc'])}: {err['msg']} "
            f"(got {err.get('input')!r})"
            for err in exc.errors(include_url=False)
        ]
        raise ValueError("; ".join(problems)) from None
    return scenario.model_copy(update={"dynamics": dynamics})


def _default_ranges(data: dict[str, Any]) -> None:
    """Give a swept mechanism constant with no levels its plausible range where its file
    leaves ``low`` or ``high`` out (in place, before the file is validated)."""
    params = data.get("parameters")
    if not isinstance(params, dict):
        return
    for key in list(params):
        rng = plausible_bounds(str(key))
        if rng is None or rng[0] >= rng[1]:
            continue
        spec = params[key] = {} if params[key] is None else params[key]
        if not isinstance(spec, dict) or "levels" in spec:
            continue
        spec.setdefault("low", rng[0])
        spec.setdefault("high", rng[1])


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    """Numpy scalars to Python; integers to floats (every numeric lever is a float)."""
    out = {}
    for key, value in values.items():
        if hasattr(value, "item"):
            value = value.item()
        if isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        out[key] = value
    return out


def load_sweep(path: str | Path, *, allow_large: bool = False, workers: int = 1) -> Sweep:
    """Read and check a sweep file, its base scenario and every parameter's values.

    Checks, in order: the schema (unknown keys list the valid keys), the base scenario,
    the key paths of ``fixed`` and ``parameters`` (levers; none both fixed and swept), the
    series kept, the job's size (before any design table is built: refused above the
    limits of :mod:`sim.limits` unless ``allow_large``; ``workers`` sets the time
    estimate), then every swept value. Raises :class:`ScenarioError` listing the problems.
    """
    path = Path(path)
    name = str(path)
    data = read_yaml(path)
    data.setdefault("name", path.stem)
    _default_ranges(data)
    try:
        spec = SweepFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(schema_problems(exc, name, SweepFile, DESIGNS)) from None
    base_path = (path.parent / spec.base).resolve()
    overrides = {k: v for k, v in (("seed", spec.seed), ("months", spec.months)) if v is not None}
    base = load_scenario(base_path, overrides)
    allowed = lever_paths(base) + dynamics_paths()
    problems = lever_problems(name, list(spec.fixed), list(spec.parameters), allowed)
    if spec.series is not None:
        problems += series_problems(name, spec.series.keys, base)
    if problems:
        raise ScenarioError(problems)
    check_size(spec, base, name, allow_large=allow_large, workers=workers)
    try:
        base = with_values(base, _plain(spec.fixed))
    except ValueError as exc:
        raise ScenarioError([Problem(name, "fixed", cut_got(str(exc)))]) from None
    sampled = spec.design.kind != "grid"
    for key, par in spec.parameters.items():
        if sampled and par.levels is not None:
            problems.append(
                Problem(
                    name,
                    f"parameters.{key}",
                    f"a {spec.design.kind} design needs low/high, not levels",
                )
            )
            continue
        values = par.grid_values() if not sampled else [par.low, par.high]
        for value in values:
            try:
                with_values(base, _plain({key: value}))
            except ValueError as exc:
                problems.append(Problem(name, f"parameters.{key}", cut_got(str(exc))))
                break
    if problems:
        raise ScenarioError(problems)
    return Sweep(path, spec, base)
