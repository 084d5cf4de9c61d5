"""Shared thresholds and checks of the pattern experiments.

The tolerances were set from the claim in the evidence, not from the model's output: a
rank correlation of at least 0.3 in size with p < 0.01 for "higher X lowers Y"; a 90%
bootstrap interval of a median difference that excludes 0 for "A beats B"; one-sided rank
tests at p < 0.01.
"""

from __future__ import annotations

import numpy as np

from sim.patterns.base import Check, fmt_p
from sim.patterns.stats import median_diff, spearman

ALPHA = 0.01  # significance level of every test
MIN_RHO = 0.3  # smallest rank correlation that counts as "X raises/lowers Y"
SEED_003 = "seed 003 (Hunter & Perkins 2012)"


def _trend(name: str, x: np.ndarray, y: np.ndarray, sign: int) -> Check:
    rho, p = spearman(x, y)
    return Check(
        f"Spearman rho({name})",
        f"{'>= +' if sign > 0 else '<= -'}{MIN_RHO}, p < {ALPHA}",
        f"rho = {rho:+.2f}, {fmt_p(p)}",
        sign * rho >= MIN_RHO and p < ALPHA,
    )


def decreasing(name: str, x: np.ndarray, y: np.ndarray) -> Check:
    """Higher ``x`` goes with lower ``y``: rho <= -MIN_RHO at p < ALPHA."""
    return _trend(name, x, y, -1)


def increasing(name: str, x: np.ndarray, y: np.ndarray) -> Check:
    """Higher ``x`` goes with higher ``y``: rho >= MIN_RHO at p < ALPHA."""
    return _trend(name, x, y, +1)


def _difference(name: str, a: np.ndarray, b: np.ndarray, paired: bool, sign: int) -> Check:
    d = median_diff(a, b, paired=paired)
    kind = "paired median difference" if paired else "difference of medians"
    passed = d.lo > 0 if sign > 0 else d.hi < 0
    return Check(f"{kind}: {name}", f"90% interval {'>' if sign > 0 else '<'} 0", str(d), passed)


def above(name: str, a: np.ndarray, b: np.ndarray, paired: bool = False) -> Check:
    """``a`` exceeds ``b``: the 90% bootstrap interval of the difference is above 0."""
    return _difference(name, a, b, paired, +1)


def below(name: str, a: np.ndarray, b: np.ndarray, paired: bool = False) -> Check:
    """``a`` falls short of ``b``: the 90% bootstrap interval is below 0."""
    return _difference(name, a, b, paired, -1)
