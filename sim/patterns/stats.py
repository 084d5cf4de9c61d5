"""Statistics used by the pattern checks, with fixed seeds for every resampling."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

BOOT = 2000  # bootstrap resamples
BOOT_SEED = 20260  # seed of every bootstrap (results are deterministic)


@dataclass(frozen=True)
class Interval:
    """A point estimate and its bootstrap interval."""

    estimate: float
    lo: float
    hi: float

    def __str__(self) -> str:
        return f"{self.estimate:+.3g} [{self.lo:+.3g}, {self.hi:+.3g}]"


def spearman(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Spearman rank correlation and its two-sided p-value (0 and 1 for constant input)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if np.ptp(x) == 0 or np.ptp(y) == 0:
        return 0.0, 1.0
    res = stats.spearmanr(x, y)
    return float(res.statistic), float(res.pvalue)


def median_diff(a: np.ndarray, b: np.ndarray, paired: bool = False, level: float = 0.9) -> Interval:
    """Median of ``a`` minus median of ``b`` (or median of ``a - b`` when paired), with a
    percentile bootstrap interval at ``level``."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    rng = np.random.default_rng(BOOT_SEED)
    if paired:
        d = a - b
        est = float(np.median(d))
        idx = rng.integers(0, d.size, (BOOT, d.size))
        boots = np.median(d[idx], axis=1)
    else:
        est = float(np.median(a) - np.median(b))
        ia = rng.integers(0, a.size, (BOOT, a.size))
        ib = rng.integers(0, b.size, (BOOT, b.size))
        boots = np.median(a[ia], axis=1) - np.median(b[ib], axis=1)
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(boots, [tail, 100 - tail])
    return Interval(est, float(lo), float(hi))


def mann_whitney(a: np.ndarray, b: np.ndarray, alternative: str) -> float:
    """One-sided Mann-Whitney U p-value (``alternative``: 'less' or 'greater', a vs b)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    if np.ptp(np.r_[a, b]) == 0:
        return 1.0
    return float(stats.mannwhitneyu(a, b, alternative=alternative).pvalue)


def wilcoxon(d: np.ndarray, alternative: str) -> float:
    """One-sided Wilcoxon signed-rank p-value of paired differences ``d``."""
    d = np.asarray(d, float)
    if np.all(d == 0):
        return 1.0
    return float(stats.wilcoxon(d, alternative=alternative).pvalue)


def quadratic_peak(x: np.ndarray, y: np.ndarray, level: float = 0.9) -> tuple[float, Interval]:
    """Curvature of a least-squares quadratic ``y ~ x`` and the bootstrap interval of its
    vertex (the x of the peak; +/-inf when the resampled fit is not concave)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    curv, slope, _ = np.polyfit(x, y, 2)
    vertex = -slope / (2 * curv) if curv < 0 else np.inf
    rng = np.random.default_rng(BOOT_SEED)
    boots = np.empty(BOOT)
    for k in range(BOOT):  # resampling loop over a small fit, not the model
        i = rng.integers(0, x.size, x.size)
        c, s, _ = np.polyfit(x[i], y[i], 2)
        boots[k] = -s / (2 * c) if c < 0 else np.inf
    tail = (1 - level) / 2 * 100
    lo, hi = np.percentile(boots, [tail, 100 - tail])
    return float(curv), Interval(float(vertex), float(lo), float(hi))
