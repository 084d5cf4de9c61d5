"""Write sweep folders in the runner's format from synthetic outputs whose truth is known.

Format: ``manifest.json`` (``complete``, ``design``, ``parameters``, ``replicates``,
``points``, ``root_seed``, ``outputs``, ``versions``), ``design.parquet`` (``point`` plus
one float64 column per parameter) and ``parts/*.parquet`` (run rows).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from scipy.stats import qmc

REGIMES = ("delivering", "facade", "organic", "inert", "dissolved")
OUTPUTS = (
    "added_value_per_year",
    "ground_value_per_year",
    "added_value_cumulative",
    "ground_value_cumulative",
    "board_months",
    "board_alive_final",
    "effect_final",
    "outcome_final",
    "boardless_final",
    "counterfactual_final",
    *(f"share_{r}" for r in REGIMES),
    "regime_final",
    "joint_work_mean",
    "trust_across_mean",
    "formal_activity_mean",
    "delivery_ratio_final",
    "facade_index_mean",
)

Outputs = Callable[[pd.DataFrame, np.random.Generator], dict[str, np.ndarray]]


def bounds_params(names: Sequence[str], low: float = 0.0, high: float = 1.0) -> list[dict]:
    """Manifest parameter entries with a common range."""
    return [{"path": n, "low": low, "high": high} for n in names]


def problem(parameters: Sequence[dict]) -> dict:
    """The SALib problem of manifest parameter entries."""
    return {
        "num_vars": len(parameters),
        "names": [p["path"] for p in parameters],
        "bounds": [[p["low"], p["high"]] for p in parameters],
    }


def sobol_design(parameters: Sequence[dict], n: int, seed: int = 7) -> tuple[np.ndarray, dict]:
    """SALib Saltelli sample (no second order) and the manifest's design entry."""
    from SALib.sample import sobol

    x = sobol.sample(problem(parameters), n, calc_second_order=False, seed=seed)
    return x, {"kind": "sobol", "base_samples": n, "calc_second_order": False, "seed": seed}


def morris_design(
    parameters: Sequence[dict], r: int, levels: int = 4, seed: int = 7
) -> tuple[np.ndarray, dict]:
    """SALib Morris trajectories and the manifest's design entry."""
    from SALib.sample import morris

    x = morris.sample(problem(parameters), r, num_levels=levels, seed=seed)
    return x, {"kind": "morris", "trajectories": r, "num_levels": levels, "seed": seed}


def lhs_design(parameters: Sequence[dict], n: int, seed: int = 7) -> tuple[np.ndarray, dict]:
    """A Latin hypercube over the parameters' ranges and the manifest's design entry."""
    unit = qmc.LatinHypercube(d=len(parameters), seed=seed).random(n)
    lo = np.array([p["low"] for p in parameters])
    hi = np.array([p["high"] for p in parameters])
    return lo + unit * (hi - lo), {"kind": "lhs", "samples": n, "seed": seed}


def grid_design(levels: dict[str, Sequence[float]]) -> tuple[np.ndarray, dict, list[dict]]:
    """Full factorial grid, its design entry and its manifest parameter entries."""
    x = np.array(list(itertools.product(*levels.values())), dtype=float)
    params = [{"path": k, "levels": list(v)} for k, v in levels.items()]
    return x, {"kind": "grid"}, params


def _complete(out: dict[str, np.ndarray], n: int) -> dict[str, Any]:
    full: dict[str, Any] = {}
    zeros = np.zeros(n)
    given = ("share_delivering", "share_facade", "share_organic", "share_dissolved")
    for name in given:
        full[name] = np.asarray(out.get(name, zeros), dtype=float)
    rest = 1.0 - sum(full[name] for name in given)
    full["share_inert"] = np.asarray(out.get("share_inert", np.clip(rest, 0.0, 1.0)), dtype=float)
    shares = np.column_stack([full[f"share_{r}"] for r in REGIMES])
    full["regime_final"] = np.array(REGIMES)[shares.argmax(axis=1)]
    for name in OUTPUTS:
        if name not in full:
            full[name] = np.asarray(out.get(name, zeros), dtype=float)
    return full


def write_sweep(
    folder: Path,
    x: np.ndarray,
    design: dict,
    parameters: Sequence[dict],
    outputs: Outputs,
    *,
    replicates: int = 2,
    seed: int = 1,
    chunk: int = 50,
    failed: Iterable[tuple[int, int]] = (),
    duplicate: Iterable[tuple[int, int]] = (),
    complete: bool = True,
) -> Path:
    """Write a sweep folder; return it.

    ``outputs(params, rng)`` gets one row per run (parameter columns) and returns output
    arrays (missing ones are filled: shares complete to 1 via ``share_inert``, the rest
    0). Runs listed in ``failed`` (point, replicate) get status ``failed``, an error and
    NaN outputs. Runs listed in ``duplicate`` appear again in a last part, with
    ``effect_final`` set to 999 (a reader that keeps the first occurrence ignores them).
    """
    folder.mkdir(parents=True, exist_ok=True)
    names = [p["path"] for p in parameters]
    n_points = x.shape[0]
    design_frame = pd.DataFrame(x, columns=names)
    design_frame.insert(0, "point", np.arange(n_points, dtype=np.int64))
    pq.write_table(
        pa.Table.from_pandas(design_frame, preserve_index=False), folder / "design.parquet"
    )

    point = np.repeat(np.arange(n_points, dtype=np.int64), replicates)
    rep = np.tile(np.arange(replicates, dtype=np.int64), n_points)
    runs = pd.DataFrame({"key": [f"p{p:05d}-r{r:02d}" for p, r in zip(point, rep, strict=True)]})
    runs["point"] = point
    runs["replicate"] = rep
    runs["status"] = "ok"
    runs["error"] = pd.Series([None] * len(runs), dtype=object)
    runs["seconds"] = 0.25
    for k, name in enumerate(names):
        runs[name] = x[point, k]
    values = _complete(outputs(runs[names], np.random.default_rng(seed)), len(runs))
    for name in OUTPUTS:
        runs[name] = values[name]
    for p, r in failed:
        row = (runs["point"] == p) & (runs["replicate"] == r)
        runs.loc[row, "status"] = "failed"
        runs.loc[row, "error"] = "RuntimeError: synthetic failure"
        for name in OUTPUTS:
            runs.loc[row, name] = None if name == "regime_final" else np.nan

    parts = folder / "parts"
    parts.mkdir(exist_ok=True)
    for k, start in enumerate(range(0, len(runs), chunk)):
        table = pa.Table.from_pandas(runs.iloc[start : start + chunk], preserve_index=False)
        pq.write_table(table, parts / f"part-{k:05d}.parquet")
    dup = list(duplicate)
    if dup:
        mask = np.zeros(len(runs), dtype=bool)
        for p, r in dup:
            mask |= ((runs["point"] == p) & (runs["replicate"] == r)).to_numpy()
        again = runs[mask].copy()
        again["effect_final"] = 999.0
        pq.write_table(
            pa.Table.from_pandas(again, preserve_index=False), parts / "part-99999.parquet"
        )

    manifest = {
        "complete": complete,
        "design": design,
        "parameters": list(parameters),
        "replicates": replicates,
        "points": n_points,
        "root_seed": seed,
        "outputs": [o for o in OUTPUTS],
        "versions": {"partnersim": "0.1.0"},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return folder


def facade_truth(params: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``added_value_per_year = 3*x1 + noise`` (and ``effect_final`` the same); facades
    dominate exactly when ``x1 > 0.6 and x2 < 0.4``; delivery dominates exactly when
    ``x1 < 0.3``; organic working exactly when ``0.3 < x1 < 0.6 and x2 > 0.7``."""
    x1, x2 = params["x1"].to_numpy(), params["x2"].to_numpy()
    n = len(params)
    facade_zone = (x1 > 0.6) & (x2 < 0.4)
    deliver_zone = x1 < 0.3
    share_facade = np.where(facade_zone, 0.8, 0.1) + rng.uniform(-0.05, 0.05, n)
    share_delivering = np.where(deliver_zone, 0.75, 0.05) + rng.uniform(-0.04, 0.04, n)
    value = 3.0 * x1 + rng.normal(0.0, 0.1, n)
    organic_zone = (x1 > 0.3) & (x1 < 0.6) & (x2 > 0.7)
    share_organic = np.where(organic_zone, 0.7, 0.02) + rng.uniform(-0.02, 0.02, n)
    return {
        "added_value_per_year": value,
        "effect_final": value,
        "share_facade": share_facade,
        "share_delivering": share_delivering,
        "share_organic": share_organic,
        "delivery_ratio_final": np.where(x2 > 0.5, np.nan, 0.7),
    }
