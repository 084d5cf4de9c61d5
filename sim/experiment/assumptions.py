"""Draws of the model's constants across their plausible ranges (``--uncertainty N``).

A design of ``N`` points fills the unit cube with one column per constant of
:func:`sim.scenario.uncertainty.constants` (always all of them, in their fixed order):
a Latin hypercube or a scrambled Sobol sequence (``uncertainty.design``) from
``scipy.stats.qmc``, seeded by the scenario's root seed alone. Each scenario of a
comparison maps the *same* point through its own effective ranges
(:func:`~sim.scenario.uncertainty.scenario_ranges`), so draw ``d`` of every option is the
same plausible version of the model: a constant at the 30th percentile of its range in
one option is at the 30th percentile in the other. Every draw runs the same replicates
with the same random numbers, so options stay paired within a draw and draws differ only
in the constants.

A range of one point maps every draw to that point: with every range narrowed to the
scenario's values, every draw reproduces the run without uncertainty.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pyarrow as pa
from scipy.stats import qmc

from sim.core.streams import stream_key
from sim.scenario.schema import Issue, Scenario
from sim.scenario.uncertainty import Effective, constants, scenario_ranges

DESIGN_STREAM = "uncertainty"
SEED_DERIVATION = "numpy SeedSequence(seed, spawn_key=(crc32('uncertainty'),))"


def unit_design(n: int, seed: int, design: str = "lhs") -> np.ndarray:
    """``n`` points in ``[0, 1)`` with one column per constant, reproducible from ``seed``."""
    d = len(constants())
    rng = np.random.default_rng(
        np.random.SeedSequence(seed, spawn_key=(stream_key(DESIGN_STREAM),))
    )
    if design == "sobol":
        with warnings.catch_warnings():  # balance properties need a power of 2: said in docs
            warnings.simplefilter("ignore", UserWarning)
            return qmc.Sobol(d, scramble=True, seed=rng).random(n)
    if design != "lhs":
        raise ValueError(f"design {design!r}: allowed lhs, sobol")
    return qmc.LatinHypercube(d, seed=rng).random(n)


def _map(e: Effective, u: float) -> float:
    """The value at quantile ``u`` of effective range ``e`` (a factor for a per-issue
    constant)."""
    lo, hi = e.low, e.high
    if lo == hi:
        return lo
    if e.constant.distribution == "loguniform" and lo > 0:
        x = lo * (hi / lo) ** u
    else:
        x = lo + u * (hi - lo)
    return float(round(x)) if e.constant.integer and not e.constant.per_issue else float(x)


def draw_values(ranges: Sequence[Effective], point: np.ndarray) -> dict[str, float]:
    """Each constant's value (or per-issue factor) at one design point."""
    return {e.constant.path: _map(e, float(u)) for e, u in zip(ranges, point, strict=True)}


def apply_values(scenario: Scenario, values: dict[str, float]) -> Scenario:
    """``scenario`` with the constants' ``values`` (per-issue ones as factors of each
    issue's value, clipped to its hard bounds); every changed block is validated."""
    data = scenario.model_dump(by_alias=True)
    by_path = {c.path: c for c in constants()}
    for path, value in values.items():
        c = by_path[path]
        if c.per_issue:
            name = path.split(".", 1)[1]
            for issue in data["issues"]:
                base = issue[name]
                issue[name] = float(min(max(base * value, c.ge), c.le))
            continue
        node = data
        *parents, leaf = path.split(".")
        for part in parents:
            node = node[part]
        node[leaf] = int(value) if c.integer else float(value)
    updates: dict[str, Any] = {}
    for block in ("staff", "regimes", "dynamics"):
        cls = type(getattr(scenario, block))
        updates[block] = cls.model_validate(data[block])
    updates["issues"] = [Issue.model_validate(i) for i in data["issues"]]
    return scenario.model_copy(update=updates)


def drawn_scenarios(
    scenarios: Sequence[Scenario], n: int
) -> tuple[np.ndarray, list[list[Scenario]]]:
    """The design (first scenario's seed and design) and, per scenario, its ``n`` drawn
    versions: ``out[k][d]`` is draw ``d`` of scenario ``k``."""
    first = scenarios[0]
    unit = unit_design(n, first.seed, first.uncertainty.design)
    out = []
    for sc in scenarios:
        ranges = scenario_ranges(sc)
        out.append([apply_values(sc, draw_values(ranges, unit[d])) for d in range(n)])
    return unit, out


def draws_table(scenario: Scenario, unit: np.ndarray) -> pa.Table:
    """One row per draw: the draw number and each constant's value in ``scenario`` (a
    per-issue constant as its factor); what ``draws.parquet`` holds."""
    ranges = scenario_ranges(scenario)
    rows = [draw_values(ranges, unit[d]) for d in range(unit.shape[0])]
    cols: dict[str, Any] = {"draw": pa.array(np.arange(unit.shape[0]), pa.int32())}
    for e in ranges:
        cols[e.constant.path] = pa.array([r[e.constant.path] for r in rows], pa.float64())
    return pa.table(cols)


def varied(scenario: Scenario) -> list[Effective]:
    """The constants whose draws vary in ``scenario`` (range wider than a point)."""
    return [e for e in scenario_ranges(scenario) if not e.fixed]


def uncertainty_record(scenario: Scenario, draws: int) -> dict[str, Any] | None:
    """What a results folder says of its draws of the constants (None: no draws, every
    run with the scenario's own constants, numbered draw 0)."""
    if not draws:
        return None
    return {
        "draws": draws,
        "design": scenario.uncertainty.design,
        "seed_derivation": SEED_DERIVATION,
        "constants_varied": len(varied(scenario)),
        "paired": "draw d of every scenario maps the same design point through its own "
        "ranges and runs the same replicates and random numbers",
        "definitions": UNCERTAINTY_DEFINITIONS,
    }


UNCERTAINTY_DEFINITIONS = {
    "random_futures": "within each draw, the 10th-90th percentile across its replicates; "
    "median over draws",
    "assumptions": "the 10th-90th percentile across draws of each draw's mean over replicates",
    "ranking": "draws in which the scenario's mean is above (better), below (worse) or equal "
    "to (tied) the reference's; 'clearly' when more than two standard errors from 0",
    "deciding": "constants whose drawn values go with the difference (Spearman rho across "
    "draws, above the 5% critical value): a hint, see partnersim robustness",
}
