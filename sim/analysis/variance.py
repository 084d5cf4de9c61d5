"""Variance decomposition of one output over a design with repeated levels (a grid).

On a grid every level of a parameter meets the same levels of the others, so the variance
of single runs splits exactly (two-way ANOVA, extended to any number of parameters):

- the **main effect** of each parameter: the variance between its level means (each the
  mean of the design points at that level), as a share of the total variance of runs;
- the **interaction** of each pair of parameters: what the pair's cell means add beyond
  the two main effects;
- higher-order interactions (what is left of the variance between design points, with
  three or more parameters);
- the **residual**: the variance between runs of the same point (replicates; with draws,
  draws and replicates).

Each share comes with a bootstrap interval (runs resampled within each design point) and
an F-test against the residual. Unlike a rank correlation, a main effect sees an effect
that rises then falls. :func:`shape` says how a parameter's level means move: ``rising``,
``falling``, ``hump`` (they rise, then fall: highest at an inner level), ``dip`` (the
reverse), or ``flat``; a rise or a fall counts only when it clears the replicate noise of
the two level means (a Bonferroni bound over the parameter's levels, since the peak is
picked from the data).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class Effect:
    """One term of the decomposition: its share of the variance of runs, the half-width of
    its bootstrap interval, its F-test p-value (NaN: no noise estimate) and the share that
    noise alone gives it on average (its degrees of freedom x the residual mean square,
    over the total)."""

    name: str
    share: float
    conf: float
    p: float
    floor: float
    df: int


@dataclass(frozen=True)
class Shape:
    """How a parameter's level means move over its levels (see :func:`shape`)."""

    kind: str
    levels: tuple[float, ...]
    means: tuple[float, ...]
    top: tuple[float, float] | None = None

    def words(self) -> str:
        """E.g. ``hump, highest at 0.2-0.4`` or ``falling``."""
        if self.top is None:
            return self.kind
        low, high = self.top
        where = _level(low) if low == high else f"{_level(low)}-{_level(high)}"
        return f"{self.kind}, {'highest' if self.kind == 'hump' else 'lowest'} at {where}"

    @property
    def monotone(self) -> bool:
        """Whether the level means move one way only (or not at all, beyond noise)."""
        return self.kind in ("rising", "falling", "flat")


@dataclass
class Decomposition:
    """Main effects, pair interactions, higher order and residual of one output."""

    mains: dict[str, Effect]
    pairs: dict[tuple[str, str], Effect]
    higher: float
    residual: float
    shapes: dict[str, Shape]
    runs: int
    points: int
    noise_from: str = "replicates"
    notes: list[str] = field(default_factory=list)


def _level(value: float) -> str:
    return f"{value:g}"


def has_levels(design: pd.DataFrame, names: list[str]) -> bool:
    """Whether the design is a full factorial over ``names``: every parameter takes at
    least 2 values and every combination of them appears equally often (a grid; a
    decomposition needs nothing less)."""
    if len(design) < 4:
        return False
    counts = [design[n].nunique() for n in names]
    if any(c < 2 for c in counts):
        return False
    cells = design.groupby(names).size()
    return len(cells) == math.prod(counts) and cells.nunique() == 1


def _codes(design: pd.DataFrame, names: list[str]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Per design point, the index of its level of each parameter; and the levels."""
    codes, levels = [], []
    for n in names:
        values = design[n].to_numpy(dtype=float)
        lv = np.unique(values)
        codes.append(np.searchsorted(lv, values))
        levels.append(lv)
    return np.column_stack(codes), levels


def _terms(
    means: np.ndarray, codes: np.ndarray, sizes: list[int]
) -> tuple[list[np.ndarray], dict[tuple[int, int], np.ndarray]]:
    """Per point, each parameter's main-effect deviation and each pair's interaction
    deviation, from the point means (every design point weighs the same)."""
    grand = means.mean()
    level_means = []
    mains = []
    for k, size in enumerate(sizes):
        sums = np.bincount(codes[:, k], weights=means, minlength=size)
        counts = np.bincount(codes[:, k], minlength=size)
        lm = sums / counts
        level_means.append(lm)
        mains.append(lm[codes[:, k]] - grand)
    pairs = {}
    for i, j in combinations(range(len(sizes)), 2):
        cell = codes[:, i] * sizes[j] + codes[:, j]
        sums = np.bincount(cell, weights=means, minlength=sizes[i] * sizes[j])
        counts = np.bincount(cell, minlength=sizes[i] * sizes[j])
        cm = sums / np.maximum(counts, 1)
        pairs[(i, j)] = cm[cell] - mains[i] - mains[j] - grand
    return mains, pairs


def _shares(
    values: np.ndarray, point: np.ndarray, codes: np.ndarray, sizes: list[int]
) -> tuple[np.ndarray, np.ndarray, float, float, float]:
    """Sums of squares of runs ``values`` (of design points ``point``, 0..P-1): mains,
    pairs (in ``combinations`` order), higher order, residual, total."""
    n_points = codes.shape[0]
    n = np.bincount(point, minlength=n_points).astype(float)
    means = np.bincount(point, weights=values, minlength=n_points) / n
    within = float(((values - means[point]) ** 2).sum())
    mains, pairs = _terms(means, codes, sizes)
    grand = means.mean()
    between = float((n * (means - grand) ** 2).sum())
    ss_main = np.array([(n * m**2).sum() for m in mains])
    ss_pair = np.array([(n * d**2).sum() for d in pairs.values()])
    higher = max(between - ss_main.sum() - ss_pair.sum(), 0.0)
    return ss_main, ss_pair, higher, within, between + within


def _bootstrap(
    values: np.ndarray,
    point: np.ndarray,
    codes: np.ndarray,
    sizes: list[int],
    resamples: int,
    seed: int,
) -> np.ndarray:
    """Shares (mains, then pairs) of ``resamples`` resamples of the runs within points."""
    rng = np.random.default_rng(seed)
    order = np.argsort(point, kind="stable")
    values, point = values[order], point[order]
    n = np.bincount(point, minlength=codes.shape[0])
    start = np.concatenate([[0], np.cumsum(n)[:-1]])
    out = []
    for _ in range(resamples):
        pick = start[point] + np.floor(rng.random(point.size) * n[point]).astype(np.int64)
        ss_main, ss_pair, _, _, total = _shares(values[pick], point, codes, sizes)
        out.append(np.concatenate([ss_main, ss_pair]) / total if total > 0 else np.nan)
    return np.array(out, dtype=float).reshape(resamples, -1)


def shape(levels: np.ndarray, means: np.ndarray, variances: np.ndarray, conf_level: float) -> Shape:
    """How the level means ``means`` (with noise variances ``variances``) move over the
    sorted ``levels``: ``hump`` when an inner level's mean exceeds both end levels' by more
    than noise, ``dip`` the reverse (the larger of the two when both hold), else
    ``rising`` / ``falling`` when the last level's mean differs from the first's by more
    than noise, else ``flat``. "More than noise": beyond a two-sided Bonferroni bound over
    the levels at ``conf_level``. Without a noise estimate (NaN variances) the shape is
    not tested."""
    lv, m, var = (tuple(float(v) for v in a) for a in (levels, means, variances))
    if not all(np.isfinite(var)):
        return Shape("not testable (no noise estimate)", lv, m)
    z = stats.norm.ppf(1 - (1 - conf_level) / (2 * len(m)))

    def above(a: int, b: int) -> float:
        """How far level a's mean clears level b's, beyond noise (<= 0: it does not)."""
        return m[a] - m[b] - z * math.sqrt(var[a] + var[b])

    last = len(m) - 1
    found = []
    for kind, sign in (("hump", 1), ("dip", -1)):
        signed = [sign * v for v in m]
        peak = int(np.argmax(signed))
        if 0 < peak < last:
            flipped = m if sign == 1 else tuple(-v for v in m)
            clear = min(
                flipped[peak] - flipped[0] - z * math.sqrt(var[peak] + var[0]),
                flipped[peak] - flipped[last] - z * math.sqrt(var[peak] + var[last]),
            )
            if clear > 0:
                found.append((clear, kind, peak, flipped))
    if found:
        _, kind, peak, flipped = max(found)
        lo = hi = peak
        while lo > 0 and flipped[peak] - flipped[lo - 1] <= z * math.sqrt(var[peak] + var[lo - 1]):
            lo -= 1
        while hi < last and flipped[peak] - flipped[hi + 1] <= z * math.sqrt(
            var[peak] + var[hi + 1]
        ):
            hi += 1
        return Shape(kind, lv, m, (lv[lo], lv[hi]))
    if above(last, 0) > 0:
        return Shape("rising", lv, m)
    if above(0, last) > 0:
        return Shape("falling", lv, m)
    return Shape("flat", lv, m)


def decompose(
    ok: pd.DataFrame,
    design: pd.DataFrame,
    names: list[str],
    output: str,
    *,
    conf_level: float = 0.95,
    resamples: int = 200,
    seed: int = 0,
) -> Decomposition:
    """Decompose the variance of ``output`` over the successful runs ``ok`` (columns
    ``point`` and ``output``) of the full-factorial ``design`` (see :func:`has_levels`).

    Every design point needs at least one run with a value (``ValueError`` otherwise).
    With two or more runs at some point the residual (their spread) is the noise the
    F-tests and shapes use; with one run per point the highest-order interaction takes
    its place (its own share is then not tested). The bootstrap resamples runs within
    points with ``seed``: the result is reproducible."""
    data = ok[["point", output]].dropna()
    points = design["point"].to_numpy()
    index = {int(p): k for k, p in enumerate(points)}
    point = np.array([index[int(p)] for p in data["point"]], dtype=np.int64)
    values = data[output].to_numpy(dtype=float)
    have = np.bincount(point, minlength=len(points))
    if (have == 0).any():
        raise ValueError(
            f"{int((have == 0).sum())} design points have no run with {output}; the grid "
            "cannot be decomposed"
        )
    codes, levels = _codes(design, names)
    sizes = [lv.size for lv in levels]
    ss_main, ss_pair, higher, within, total = _shares(values, point, codes, sizes)
    total = total if total > 0 else math.nan
    df_main = [s - 1 for s in sizes]
    pair_index = list(combinations(range(len(names)), 2))
    df_pair = [df_main[i] * df_main[j] for i, j in pair_index]
    df_res = int(values.size - len(points))
    notes: list[str] = []
    noise_from = "replicates"
    ss_err, df_err = within, df_res
    test_pairs = True
    if df_res == 0:
        df_higher = math.prod(sizes) - 1 - sum(df_main) - sum(df_pair)
        if len(names) == 2:
            ss_err, df_err, test_pairs = float(ss_pair.sum()), df_pair[0], False
        else:
            ss_err, df_err = higher, df_higher
        noise_from = "the highest-order interaction"
        notes.append(
            "one run per design point: the highest-order interaction stands in for the "
            "noise (an interaction there would be taken for noise)"
        )
    ms_err = ss_err / df_err if df_err > 0 else math.nan
    boot = None
    if df_res > 0 and resamples > 0:
        boot = _bootstrap(values, point, codes, sizes, resamples, seed)
    alpha = 1 - conf_level

    def effect(name: str, ss: float, df: int, column: int, tested: bool = True) -> Effect:
        share = ss / total
        conf = math.nan
        if boot is not None:
            lo, hi = np.nanquantile(boot[:, column], [alpha / 2, 1 - alpha / 2])
            conf = float(max(share - lo, hi - share, 0.0))
        p = math.nan
        floor = math.nan
        if tested and np.isfinite(ms_err) and ms_err >= 0 and df > 0:
            floor = df * ms_err / total
            p = (
                float(stats.f.sf((ss / df) / ms_err, df, df_err))
                if ms_err > 0
                else (0.0 if ss > 0 else 1.0)
            )
        return Effect(name, float(share), conf, p, float(floor), df)

    mains = {n: effect(n, float(ss_main[k]), df_main[k], k) for k, n in enumerate(names)}
    pairs = {
        (names[i], names[j]): effect(
            f"{names[i]} x {names[j]}",
            float(ss_pair[k]),
            df_pair[k],
            len(names) + k,
            test_pairs,
        )
        for k, (i, j) in enumerate(pair_index)
    }
    shapes = {}
    n_runs = np.bincount(point, minlength=len(points)).astype(float)
    for k, n in enumerate(names):
        sums = np.bincount(point, weights=values, minlength=len(points))
        pmeans = sums / n_runs
        lm = np.bincount(codes[:, k], weights=pmeans, minlength=sizes[k])
        per = np.bincount(codes[:, k], minlength=sizes[k]).astype(float)
        lm = lm / per
        inv = np.bincount(codes[:, k], weights=1.0 / n_runs, minlength=sizes[k])
        var = ms_err * inv / per**2 if np.isfinite(ms_err) else np.full(sizes[k], math.nan)
        shapes[n] = shape(levels[k], lm, var, conf_level)
    return Decomposition(
        mains=mains,
        pairs=pairs,
        higher=float(higher / total),
        residual=float(within / total),
        shapes=shapes,
        runs=int(values.size),
        points=len(points),
        noise_from=noise_from,
        notes=notes,
    )
