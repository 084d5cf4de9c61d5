"""Per-scenario summary of a set of replicates: what the partnership adds, regimes, timing.

Every measure the summary reports is named in :data:`SUMMARY_MEASURES` with its unit;
``summary.json`` carries that table under ``"measures"``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from sim.core.regimes import CODES, REGIMES
from sim.core.run import ReplicateResult

# key in summary.json: (unit, meaning). Each is a distribution over replicates
# (median, p10, p90) unless the unit says "share of runs".
SUMMARY_MEASURES: dict[str, tuple[str, str]] = {
    "added_value_per_year": (
        "% of need per year",
        "what the partnership adds over the same area without a board: need averted a "
        "year, mean over the reported months (a rate: a longer run does not inflate it)",
    ),
    "added_value_per_board_year": (
        "% of need per year of board",
        "the same added value summed over the run, per year the board existed (what a "
        "year of partnership buys, legacy after dissolution included)",
    ),
    "ground_value_per_year": (
        "% of need per year",
        "what joint work on the ground adds without a board: the board-less twin's need "
        "averted a year over the twin with no joint working",
    ),
    "added_value_cumulative": (
        "% of need (log points)",
        "the board-less twin's need the partnership has averted by the horizon",
    ),
    "ground_value_cumulative": (
        "% of need (log points)",
        "the no-joint-work twin's need joint work on the ground has averted by the horizon",
    ),
    "board_months": ("months", "months of the reported run the board existed"),
    "board_alive_final": ("share of runs", "runs whose board still exists at the horizon"),
    "partnership_effect": (
        "index points",
        "total effect at the horizon: outcome index minus the no-joint-work twin's",
    ),
    "partnership_effect_last_year": (
        "index points",
        "total effect, mean of the last 12 months",
    ),
    "outcome_index": ("% fall in need", "outcome index at the horizon"),
    "boardless_outcome_index": (
        "% fall in need",
        "the board-less twin's outcome index at the horizon",
    ),
    "counterfactual_outcome_index": (
        "% fall in need",
        "the no-joint-work twin's outcome index at the horizon",
    ),
    "regime_share_final": ("share of runs", "regime in the last month"),
    "regime_share_time_weighted": ("share of run-months", "regime over all reported months"),
    "months_to_first_delivering": (
        "months",
        "median first month labelled delivering, and the share of runs that reach it",
    ),
    "months_as_facade": ("months", "months labelled facade"),
    "delivery_ratio_final": ("ratio", "commitments delivered / made in the last window"),
    "trust_across_final": ("index 0-1", "mean cross-agency trust in the last month"),
    "joint_work_share_final": ("share", "joint-work share of frontline capacity, last month"),
}


def _pct(values: np.ndarray) -> dict[str, float]:
    return {
        "median": float(np.median(values)),
        "p10": float(np.percentile(values, 10)),
        "p90": float(np.percentile(values, 90)),
    }


def per_board_year(series: dict[str, np.ndarray]) -> float:
    """Added value summed over the run per year the board existed (NaN if it never did)."""
    alive = float((series["board_alive"] >= 0.5).sum())
    if alive == 0:
        return float("nan")
    return float(series["added_value_rate"].sum() / alive)


def summarise(results: list[ReplicateResult]) -> dict[str, Any]:
    """Summary statistics across replicates (JSON-ready; no NaN)."""
    codes = np.stack([r.series["regime_code"] for r in results])  # replicate x month
    final = codes[:, -1]
    n_rep, months = codes.shape

    def last(key: str) -> np.ndarray:
        return np.array([r.series[key][-1] for r in results])

    def mean(key: str, tail: int | None = None) -> np.ndarray:
        return np.array([np.mean(r.series[key][-(tail or months) :]) for r in results])

    first_delivering = []
    for row in codes:
        hits = np.flatnonzero(row == CODES["delivering"])
        first_delivering.append(int(hits[0]) + 1 if hits.size else None)
    reached = [m for m in first_delivering if m is not None]
    facade_months = (codes == CODES["facade"]).sum(axis=1)
    ratio = np.array([_final_ratio(r) for r in results])
    board_year = np.array([per_board_year(r.series) for r in results])
    board_months = np.array([(r.series["board_alive"] >= 0.5).sum() for r in results], float)
    return {
        "replicates": n_rep,
        "months": months,
        "measures": {k: {"unit": u, "meaning": m} for k, (u, m) in SUMMARY_MEASURES.items()},
        "added_value_per_year": _pct(mean("added_value_rate")),
        "added_value_per_board_year": (
            _pct(board_year[~np.isnan(board_year)]) if np.any(~np.isnan(board_year)) else None
        ),
        "ground_value_per_year": _pct(mean("ground_value_rate")),
        "added_value_cumulative": _pct(last("added_value")),
        "ground_value_cumulative": _pct(last("ground_value")),
        "board_months": _pct(board_months),
        "board_alive_final": float((last("board_alive") >= 0.5).mean()),
        "regime_share_final": {g: float((final == CODES[g]).mean()) for g in REGIMES},
        "regime_share_time_weighted": {g: float((codes == CODES[g]).mean()) for g in REGIMES},
        "partnership_effect": _pct(last("partnership_effect")),
        "partnership_effect_last_year": _pct(mean("partnership_effect", 12)),
        "outcome_index": _pct(last("outcome_index")),
        "boardless_outcome_index": _pct(last("boardless_outcome_index")),
        "counterfactual_outcome_index": _pct(last("counterfactual_outcome_index")),
        "months_to_first_delivering": {
            "median": float(np.median(reached)) if reached else None,
            "share_reaching": len(reached) / n_rep,
        },
        "months_as_facade": _pct(facade_months.astype(float)),
        "delivery_ratio_final": (
            _pct(ratio[~np.isnan(ratio)]) if np.any(~np.isnan(ratio)) else None
        ),
        "trust_across_final": _pct(last("trust_across")),
        "joint_work_share_final": _pct(last("joint_work_share")),
    }


def _final_ratio(r: ReplicateResult) -> float:
    v = r.series["delivery_ratio"][-1]
    return float("nan") if v is None or math.isnan(v) else float(v)
