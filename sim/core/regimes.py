"""Regimes: each month classified over a rolling window of past months.

Reads: ``regimes.*`` thresholds. Works on recorded series, so the same function serves
the live model (the dashboard's badge) and finished runs.

Rules, in order, over the window ending at month t:
1. ``dissolved``: the board no longer exists.
2. ``delivering``: mean joint-work share >= ``joint_threshold`` (joint work on the
   ground), unless the board is busy (formal activity >= ``formal_threshold``) while
   breaking its promises (delivery ratio, commitments delivered / made in the window,
   below ``delivery_threshold``).
3. ``facade``: mean formal activity >= ``formal_threshold`` (busy board, little delivery).
4. ``inert``: little of either.

The facade index is formal activity times the shortfall of joint delivery:
``formal * (1 - min(1, joint / (2 * joint_threshold)) * min(1, ratio))`` in [0, 1].
"""

from __future__ import annotations

import numpy as np

from sim.scenario.schema import Regimes

REGIMES = ("delivering", "facade", "inert", "dissolved")
CODES = {name: k for k, name in enumerate(REGIMES)}
SERIES = (
    "joint_work_share",
    "formal_activity",
    "commitments_made",
    "commitments_delivered",
    "board_alive",
)


def rolling_sum(x: np.ndarray, window: int) -> np.ndarray:
    """Sum over the last ``window`` values up to and including each index."""
    c = np.cumsum(np.r_[0.0, x])
    idx = np.arange(1, x.size + 1)
    return c[idx] - c[np.maximum(idx - window, 0)]


def classify(series: dict[str, np.ndarray], thresholds: Regimes) -> dict[str, np.ndarray]:
    """Regime code, delivery ratio and facade index for every month of ``series``.

    ``series`` needs ``joint_work_share``, ``formal_activity``, ``commitments_made``,
    ``commitments_delivered`` and ``board_alive`` (arrays of equal length).
    """
    w = thresholds.window_months
    n = series["joint_work_share"].size
    span = np.minimum(np.arange(1, n + 1), w)
    joint = rolling_sum(series["joint_work_share"], w) / span
    formal = rolling_sum(series["formal_activity"], w) / span
    made = rolling_sum(series["commitments_made"], w)
    delivered = rolling_sum(series["commitments_delivered"], w)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(made >= 1.0, np.minimum(delivered / made, 1.0), np.nan)
    broken = ~np.isnan(ratio) & (np.nan_to_num(ratio, nan=1.0) < thresholds.delivery_threshold)
    busy = formal >= thresholds.formal_threshold
    code = np.full(n, CODES["inert"], np.int8)
    code[busy] = CODES["facade"]
    code[(joint >= thresholds.joint_threshold) & ~(busy & broken)] = CODES["delivering"]
    code[series["board_alive"] < 0.5] = CODES["dissolved"]
    joint_index = np.minimum(1.0, joint / max(2.0 * thresholds.joint_threshold, 1e-12))
    ratio_index = np.where(np.isnan(ratio), 1.0, ratio)
    facade = formal * (1.0 - joint_index * ratio_index)
    return {
        "regime_code": code,
        "delivery_ratio": ratio,
        "facade_index": facade,
        "joint_work_window": joint,
        "formal_activity_window": formal,
    }


def names(codes: np.ndarray) -> np.ndarray:
    """Regime names for an array of codes."""
    return np.asarray(REGIMES, dtype=object)[codes]
