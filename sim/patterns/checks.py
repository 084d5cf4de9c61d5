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


def decreasing(name: str, x: np.ndarray, y: np.ndarray) -> Check:
    rho, p = spearman(x, y)
    return Check(
        f"Spearman rho({name})",
        f"<= -{MIN_RHO}, p < {ALPHA}",
        f"rho = {rho:+.2f}, {fmt_p(p)}",
        rho <= -MIN_RHO and p < ALPHA,
    )


def increasing(name: str, x: np.ndarray, y: np.ndarray) -> Check:
    rho, p = spearman(x, y)
    return Check(
        f"Spearman rho({name})",
        f">= +{MIN_RHO}, p < {ALPHA}",
        f"rho = {rho:+.2f}, {fmt_p(p)}",
        rho >= MIN_RHO and p < ALPHA,
    )


def above(name: str, a: np.ndarray, b: np.ndarray, paired: bool = False) -> Check:
    d = median_diff(a, b, paired=paired)
    kind = "paired median difference" if paired else "difference of medians"
    return Check(f"{kind}: {name}", "90% interval > 0", str(d), d.lo > 0)


def below(name: str, a: np.ndarray, b: np.ndarray, paired: bool = False) -> Check:
    d = median_diff(a, b, paired=paired)
    kind = "paired median difference" if paired else "difference of medians"
    return Check(f"{kind}: {name}", "90% interval < 0", str(d), d.hi < 0)
