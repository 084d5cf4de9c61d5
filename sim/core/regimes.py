"""Regimes: what the partnership does and adds, judged each month over a rolling window.

Reads: ``regimes.*``. Works on recorded series (a run's own series plus the rates it
adds over its twins, ``sim/core/run.py``), so the same function serves the live
dashboard and finished runs.

Rules. Three questions are asked of the window ending at month t (``window_months``):

* **adds value?** The partnership's added value, its yearly rate of need averted over
  the board-less twin (``added_value_rate``), is *clearly above zero*: the window's mean
  exceeds ``value_z`` standard errors of that mean.
* **breaks its promises?** The board made commitments in the window and most lapsed: the
  delivery ratio (delivered / made) is below ``kept_ratio``.
* **value on the ground?** The board-less twin's rate over no joint working
  (``ground_value_rate``) is clearly above zero, in the same sense.

Raw label of the month, in order:

1. ``dissolved``: the board no longer exists (whatever happens on the ground, which the
   ground-value columns report).
2. ``delivering``: adds value, whether or not the board keeps most of its own
   commitments (the delivery ratio, reported beside the regime, says which).
3. ``facade``: adds no value and breaks its promises: meetings held and commitments made
   that mostly lapse, with nothing to show against the same area without a board.
4. ``organic``: adds no value and breaks no promises (it keeps them or makes none), while
   joint work on the ground delivers: value that does not come from the board.
5. ``inert``: none of these.

Hysteresis: regimes persist (seed 001: partnerships were often "facades"; seed 003:
strong trust goes with "long-term stable relationships"): the reported regime changes
only once a new raw label has held for ``persist_months`` months in a row.
``dissolved`` applies at once and for good.

The facade index is formal activity times the share of the window's commitments that
were not delivered (0 when none were made), in [0, 1].
"""

from __future__ import annotations

import numpy as np
from numba import njit

from sim.scenario.schema import Regimes

REGIMES = ("delivering", "facade", "organic", "inert", "dissolved")
CODES = {name: k for k, name in enumerate(REGIMES)}
RATES = ("added_value_rate", "ground_value_rate")
"""The inputs that compare worlds (``sim/core/run.py``); the rest of :data:`SERIES` is
recorded by the partnership itself."""
SERIES = (
    *RATES,
    "formal_activity",
    "commitments_made",
    "commitments_delivered",
    "board_alive",
)


COLUMNS = (
    "regime_code",
    "delivery_ratio",
    "facade_index",
    "added_value_window",
    "ground_value_window",
    "formal_activity_window",
)
"""The columns :func:`classify` returns, in order."""


def rolling_sum(x: np.ndarray, window: int) -> np.ndarray:
    """Sum over the last ``window`` values up to and including each index: the difference
    of two running sums (from 0, added in order, as ``np.cumsum`` of ``[0, *x]`` adds)."""
    return _rolling_sum(np.asarray(x, float), int(window))


@njit(cache=True)
def _rolling_sum(x: np.ndarray, window: int) -> np.ndarray:
    n = x.size
    c = np.empty(n + 1)
    c[0] = 0.0
    for k in range(n):
        c[k + 1] = c[k] + x[k]
    out = np.empty(n)
    for i in range(1, n + 1):
        out[i - 1] = c[i] - c[max(i - window, 0)]
    return out


def clearly_positive(x: np.ndarray, window: int, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Rolling mean of ``x`` and whether it exceeds ``z`` standard errors of itself.

    The standard error treats the window's months as independent draws; with fewer than
    two months nothing counts as clearly positive.
    """
    span = np.minimum(np.arange(1, x.size + 1), window)
    mean = rolling_sum(x, window) / span
    sq = rolling_sum(x * x, window) / span
    var = np.maximum(sq - mean * mean, 0.0) * span / np.maximum(span - 1, 1)
    se = np.sqrt(var / span)
    return mean, (span >= 2) & (mean > z * se) & (mean > 0)


def persist(raw: np.ndarray, months: int) -> np.ndarray:
    """Hysteresis: a new label takes over once it has held ``months`` months in a row."""
    out = raw.copy()
    if months <= 1 or raw.size == 0:
        return out
    _persist(raw, int(months), CODES["dissolved"], out)
    return out


@njit(cache=True)
def _persist(raw: np.ndarray, months: int, dissolved: int, out: np.ndarray) -> None:
    current, run_label, run = raw[0], raw[0], 0
    for k in range(raw.size):
        label = raw[k]
        run = run + 1 if label == run_label else 1
        run_label = label
        if label == dissolved or run >= months:
            current = label
        out[k] = current


def classify(series: dict[str, np.ndarray], thresholds: Regimes) -> dict[str, np.ndarray]:
    """Regime code and the window measures behind it, for every month of ``series``.

    ``series`` needs the arrays named in :data:`SERIES`, of equal length.
    """
    w = thresholds.window_months
    n = series["added_value_rate"].size
    span = np.minimum(np.arange(1, n + 1), w)
    added, adds = clearly_positive(series["added_value_rate"], w, thresholds.value_z)
    ground, grounded = clearly_positive(series["ground_value_rate"], w, thresholds.value_z)
    formal = rolling_sum(series["formal_activity"], w) / span
    made = rolling_sum(series["commitments_made"], w)
    delivered = rolling_sum(series["commitments_delivered"], w)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(made >= 1.0, np.minimum(delivered / made, 1.0), np.nan)
    broken = ~np.isnan(ratio) & (np.nan_to_num(ratio, nan=1.0) < thresholds.kept_ratio)
    raw = np.full(n, CODES["inert"], np.int8)
    raw[grounded] = CODES["organic"]
    raw[broken] = CODES["facade"]
    raw[adds] = CODES["delivering"]
    raw[series["board_alive"] < 0.5] = CODES["dissolved"]
    code = persist(raw, thresholds.persist_months)
    lapse = np.where(np.isnan(ratio), 0.0, 1.0 - np.nan_to_num(ratio))
    return {
        "regime_code": code,
        "delivery_ratio": ratio,
        "facade_index": formal * lapse,
        "added_value_window": added,
        "ground_value_window": ground,
        "formal_activity_window": formal,
    }


def names(codes: np.ndarray) -> np.ndarray:
    """Regime names for an array of codes."""
    return np.asarray(REGIMES, dtype=object)[codes]
