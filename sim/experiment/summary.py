"""Per-scenario summary of a set of replicates: regimes, effect, timing."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.core.regimes import CODES, REGIMES
from sim.core.run import ReplicateResult


def _pct(values: np.ndarray) -> dict[str, float]:
    return {
        "median": float(np.median(values)),
        "p10": float(np.percentile(values, 10)),
        "p90": float(np.percentile(values, 90)),
    }


def summarise(results: list[ReplicateResult]) -> dict[str, Any]:
    """Summary statistics across replicates (JSON-ready; no NaN)."""
    codes = np.stack([r.series["regime_code"] for r in results])  # replicate x month
    final = codes[:, -1]
    n_rep, months = codes.shape
    effect = np.array([r.series["partnership_effect"][-1] for r in results])
    last_year = np.array([np.mean(r.series["partnership_effect"][-12:]) for r in results])
    outcome = np.array([r.series["outcome_index"][-1] for r in results])
    cf = np.array([r.series["counterfactual_outcome_index"][-1] for r in results])
    first_delivering = []
    for row in codes:
        hits = np.flatnonzero(row == CODES["delivering"])
        first_delivering.append(int(hits[0]) + 1 if hits.size else None)
    reached = [m for m in first_delivering if m is not None]
    facade_months = (codes == CODES["facade"]).sum(axis=1)
    ratio = np.array([_final_ratio(r) for r in results])
    return {
        "replicates": n_rep,
        "months": months,
        "regime_share_final": {g: float((final == CODES[g]).mean()) for g in REGIMES},
        "regime_share_time_weighted": {g: float((codes == CODES[g]).mean()) for g in REGIMES},
        "partnership_effect": _pct(effect),
        "partnership_effect_last_year": _pct(last_year),
        "outcome_index": _pct(outcome),
        "counterfactual_outcome_index": _pct(cf),
        "months_to_first_delivering": {
            "median": float(np.median(reached)) if reached else None,
            "share_reaching": len(reached) / n_rep,
        },
        "months_as_facade": _pct(facade_months.astype(float)),
        "delivery_ratio_final": (
            _pct(ratio[~np.isnan(ratio)]) if np.any(~np.isnan(ratio)) else None
        ),
        "trust_across_final": _pct(np.array([r.series["trust_across"][-1] for r in results])),
        "joint_work_share_final": _pct(
            np.array([r.series["joint_work_share"][-1] for r in results])
        ),
    }


def _final_ratio(r: ReplicateResult) -> float:
    v = r.series["delivery_ratio"][-1]
    return float("nan") if v is None or math.isnan(v) else float(v)
