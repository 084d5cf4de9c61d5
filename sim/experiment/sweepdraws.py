"""Draws of the model's other constants at every design point of a sweep (``uncertainty: N``).

A sweep file's ``uncertainty: N`` runs every design point in ``N`` draws of the model's
constants (:mod:`sim.experiment.assumptions`), each with every replicate. The draws come
from one unit design seeded by the sweep's root seed (the base scenario's ``uncertainty``
block gives its kind and the ranges), mapped once through the base scenario's effective
ranges: draw ``d`` is the same plausible version of the model at every point. A constant
the sweep sets itself (under ``parameters`` or ``fixed``) is never drawn: it keeps the
sweep's value at every point and in every draw. Every draw runs the same replicates with
the same random numbers, so draws differ only in the constants.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from sim.experiment.assumptions import (
    draw_values,
    draws_table,
    uncertainty_record,
    unit_design,
)
from sim.experiment.sweepfile import Sweep
from sim.scenario.uncertainty import constant, scenario_ranges


def held_constants(sweep: Sweep) -> list[str]:
    """Constants (with a plausible range) the sweep sets itself, in file order: never drawn."""
    paths = [*sweep.spec.fixed, *sweep.spec.parameters]
    return [p for p in dict.fromkeys(paths) if constant(p) is not None]


def sweep_draws(sweep: Sweep) -> tuple[np.ndarray, list[dict[str, float]]]:
    """The unit design of the sweep's ``uncertainty`` draws and each draw's values of the
    constants it does not hold (empty lists without draws)."""
    n = sweep.spec.uncertainty
    if not n:
        return np.empty((0, 0)), []
    unit = unit_design(n, sweep.base.seed, sweep.base.uncertainty.design)
    ranges = scenario_ranges(sweep.base)
    held = set(held_constants(sweep))
    draws = []
    for d in range(n):
        values = draw_values(ranges, unit[d])
        draws.append({k: v for k, v in values.items() if k not in held})
    return unit, draws


def sweep_draws_table(sweep: Sweep, unit: np.ndarray) -> pa.Table:
    """One row per draw: ``draw`` and the value (a factor, for a per-issue constant) of
    each constant drawn; the constants the sweep holds are left out (their values are
    in ``design.parquet`` or the sweep's ``fixed``). What ``draws.parquet`` holds."""
    table = draws_table(sweep.base, unit)
    held = [p for p in held_constants(sweep) if p in table.column_names]
    return table.drop_columns(held) if held else table


def sweep_uncertainty_record(sweep: Sweep) -> dict[str, Any] | None:
    """What the sweep's manifest says of its draws (None without draws): the record of
    :func:`~sim.experiment.assumptions.uncertainty_record`, counting only the constants
    drawn, and the constants the sweep holds."""
    n = sweep.spec.uncertainty
    record = uncertainty_record(sweep.base, n)
    if record is None:
        return None
    held = held_constants(sweep)
    varied = [e for e in scenario_ranges(sweep.base) if not e.fixed]
    record["constants_varied"] = sum(e.constant.path not in held for e in varied)
    record["held_by_sweep"] = held
    record["paired"] = (
        "draw d maps the same design point through the base scenario's ranges at every "
        "point of the sweep, and runs the same replicates and random numbers"
    )
    record.pop("definitions", None)  # the spreads of run and compare: not a sweep's
    record["point_means"] = "partnersim analyse averages each point over its draws and replicates"
    record["files"] = ["draws.parquet"]
    return record
