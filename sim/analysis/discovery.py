"""Scenario discovery: which regions of parameter space lead to an outcome of interest.

Each successful run is a case of interest or not (default outcomes, one per regime a
director asks about: "facades dominate", ``share_facade > 0.5``; "delivery dominates",
``share_delivering > 0.5``; "organic working dominates", ``share_organic > 0.5``: value on
the ground while the board adds nothing). PRIM
(the Patient Rule Induction Method, Friedman & Fisher 1999), as implemented by EMA
Workbench, peels the parameter box down to a region dense in cases and pastes it back
out. From its peeling trajectory this module picks the box that best balances coverage
and density (the largest harmonic mean of the two), drops any restriction that does not
raise the density significantly (a one-sided binomial test against the box without that
restriction, the "quasi-p-value" of Bryant & Lempert 2010), and words what remains:

    facades dominate when environment.policy_churn > 0.80 and
    partnership.leadership.strength < 0.40 (coverage 0.71, density 0.83)

Coverage is the share of all cases of interest that fall in the region; density is the
share of runs in the region that are cases. Both are computed on all successful runs.
After a rule is found, its runs are set aside and PRIM looks for a further region, up to
``max_rules``. EMA Workbench is an optional dependency, imported only when needed.
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.load import SweepError, SweepResults

INSTALL_HINT = 'scenario discovery needs EMA Workbench: pip install "partnersim[discovery]"'


class DiscoveryUnavailable(ImportError):
    """EMA Workbench, which provides PRIM, is not installed."""


@dataclass(frozen=True)
class Outcome:
    """An outcome of interest: a run is a case when ``column > threshold``."""

    name: str
    label: str
    column: str
    threshold: float = 0.5

    def cases(self, runs: pd.DataFrame) -> np.ndarray:
        """Boolean array: which of ``runs`` are cases of interest (NaN counts as no)."""
        return (runs[self.column].to_numpy(dtype=float) > self.threshold).astype(bool)

    def describe(self) -> str:
        """The outcome's definition, e.g. ``share_facade > 0.5``."""
        return f"{self.column} > {self.threshold:g}"


OUTCOMES = (
    Outcome("facade", "facades dominate", "share_facade"),
    Outcome("delivering", "delivery dominates", "share_delivering"),
    Outcome("organic", "organic working dominates", "share_organic"),
)
"""Default outcomes of interest."""


@dataclass(frozen=True)
class Condition:
    """One restriction of a rule: ``low < parameter < high`` (either side may be open).

    ``inclusive`` is true for grid designs, whose thresholds are swept levels
    (``low <= parameter <= high``).
    """

    parameter: str
    low: float | None
    high: float | None
    inclusive: bool = False
    decimals: int = 2
    single: bool = False  # grid: the box holds one swept level only

    def holds(self, x: pd.DataFrame) -> np.ndarray:
        """Which rows of ``x`` satisfy the condition."""
        v = x[self.parameter].to_numpy(dtype=float)
        ok = np.ones(v.size, dtype=bool)
        if self.low is not None:
            ok &= v >= self.low if self.inclusive else v > self.low
        if self.high is not None:
            ok &= v <= self.high if self.inclusive else v < self.high
        return ok

    def text(self) -> str:
        """The condition in words, e.g. ``x > 0.60``, ``x between 0.20 and 0.60`` or, for
        grid levels, ``x >= 0.8``."""
        gt, lt = (">=", "<=") if self.inclusive else (">", "<")

        def num(v: float | None) -> str:
            # swept levels are shown as given; halfway thresholds to ``decimals`` places
            return f"{v:g}" if self.inclusive else f"{v:.{self.decimals}f}"

        if self.single:
            level = self.low if self.low is not None else self.high
            return f"{self.parameter} = {num(level)}"
        if self.low is not None and self.high is not None:
            return f"{self.parameter} between {num(self.low)} and {num(self.high)}"
        if self.low is not None:
            return f"{self.parameter} {gt} {num(self.low)}"
        return f"{self.parameter} {lt} {num(self.high)}"


@dataclass(frozen=True)
class Rule:
    """A region of parameter space where an outcome is common, with its statistics."""

    outcome: Outcome
    conditions: tuple[Condition, ...]
    coverage: float
    density: float
    mass: float
    runs_in_box: int
    p_values: tuple[float, ...] = ()

    def holds(self, x: pd.DataFrame) -> np.ndarray:
        """Which rows of ``x`` fall in the region."""
        ok = np.ones(len(x), dtype=bool)
        for c in self.conditions:
            ok &= c.holds(x)
        return ok

    def text(self) -> str:
        """The rule in plain words with its coverage and density."""
        return (
            f"{self.outcome.label} when "
            + " and ".join(c.text() for c in self.conditions)
            + f" (coverage {self.coverage:.2f}, density {self.density:.2f})"
        )


@dataclass
class Discovery:
    """PRIM's findings for one outcome: the rules (possibly none) and the base rate."""

    outcome: Outcome
    runs: int
    cases: int
    rules: list[Rule] = field(default_factory=list)
    message: str = ""

    @property
    def base_rate(self) -> float:
        """Share of successful runs that are cases of interest."""
        return self.cases / self.runs if self.runs else math.nan

    def summary(self) -> str:
        """How often the outcome occurs, e.g. ``facades dominate in 23% of runs (...)``."""
        return (
            f"{self.outcome.label} in {self.base_rate:.0%} of runs "
            f"({self.cases} of {self.runs}; {self.outcome.describe()})"
        )

    def lines(self) -> list[str]:
        """The summary, then one line per rule (or the reason there is none)."""
        out = [self.summary()]
        out += [r.text() for r in self.rules]
        if self.message:
            out.append(self.message)
        return out


def _prim_module() -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # EMA warns about optional parallel backends
            from ema_workbench.analysis import prim
    except ImportError as exc:
        raise DiscoveryUnavailable(INSTALL_HINT) from exc
    return prim


def prim_available() -> bool:
    """Whether EMA Workbench (and so :func:`discover`) can be used."""
    try:
        _prim_module()
    except DiscoveryUnavailable:
        return False
    return True


def _decimals(low: float, high: float) -> int:
    span = abs(high - low)
    if span <= 0 or not math.isfinite(span):
        return 2
    return int(min(6, max(0, 2 - math.floor(math.log10(span * 1.05)))))


def _trajectories(
    x: pd.DataFrame, y: np.ndarray, mass_min: float, peel_alpha: float
) -> list[pd.DataFrame]:
    """Box limits (rows 0/1 = lower/upper) along EMA's peeling and pasting trajectories.

    PRIM is run twice, with EMA's default "lenient" objective (gain in density per run
    peeled off) and with Friedman & Fisher's original one (density of the new box): the
    greedy peeling of either can stall in a region the other gets past.
    """
    prim = _prim_module()
    kwargs: dict[str, Any] = {"peel_alpha": peel_alpha, "mass_min": mass_min}
    if "threshold" in inspect.signature(prim.Prim.__init__).parameters:
        kwargs["threshold"] = 0.0  # EMA < 3 rejects boxes below a density threshold
    objectives = prim.PRIMObjectiveFunctions
    out: list[pd.DataFrame] = []
    for objective in (objectives.LENIENT1, objectives.ORIGINAL):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            p = prim.Prim(x.reset_index(drop=True), y.astype(int), obj_function=objective, **kwargs)
            box = p.find_box()
        if box is not None:
            out += list(box.box_lims)
    return out


def _conditions(
    lims: pd.DataFrame, x: pd.DataFrame, names: Sequence[str], grid: bool
) -> list[Condition]:
    """Conditions for the restricted sides of box ``lims`` (a run is in the box when
    ``lower <= value <= upper``). Each threshold lies halfway between the last data value
    inside and the first outside (sampled designs), or is the last swept level inside
    (grid designs), so the conditions select exactly the box's runs."""
    out = []
    for name in names:
        v = x[name].to_numpy(dtype=float)
        lo_lim, hi_lim = float(lims[name].iloc[0]), float(lims[name].iloc[1])
        inside = v[(v >= lo_lim) & (v <= hi_lim)]
        below, above = v[v < lo_lim], v[v > hi_lim]
        if inside.size == 0:
            continue
        low = high = None
        if below.size:
            low = float(inside.min() if grid else (below.max() + inside.min()) / 2)
        if above.size:
            high = float(inside.max() if grid else (above.min() + inside.max()) / 2)
        if low is not None or high is not None:
            dec = _decimals(float(v.min()), float(v.max()))
            single = grid and np.unique(inside).size == 1
            out.append(Condition(name, low, high, inclusive=grid, decimals=dec, single=single))
    return out


def _stats(
    conds: Sequence[Condition], x: pd.DataFrame, y: np.ndarray
) -> tuple[np.ndarray, float, float]:
    inside = np.ones(len(x), dtype=bool)
    for c in conds:
        inside &= c.holds(x)
    n_in = int(inside.sum())
    cases = int(y[inside].sum())
    coverage = cases / y.sum() if y.sum() else 0.0
    density = cases / n_in if n_in else 0.0
    return inside, coverage, density


def _sides(conds: Sequence[Condition]) -> list[tuple[int, str]]:
    return [
        (k, side)
        for k, c in enumerate(conds)
        for side in ("low", "high")
        if getattr(c, side) is not None
    ]


def _without(conds: Sequence[Condition], k: int, side: str) -> list[Condition]:
    """``conds`` with one side (``low`` or ``high``) of condition ``k`` removed."""
    out = list(conds)
    c = replace(conds[k], **{side: None})
    if c.low is None and c.high is None:
        out.pop(k)
    else:
        out[k] = c
    return out


def _quasi_p(
    looser: Sequence[Condition], conds: Sequence[Condition], x: pd.DataFrame, y: np.ndarray
) -> float:
    """P(at least the box's cases among its runs | the density of the looser box)."""
    inside, _, _ = _stats(conds, x, y)
    wider, _, _ = _stats(looser, x, y)
    n, hits = int(inside.sum()), int(y[inside].sum())
    base = float(y[wider].mean()) if wider.any() else 0.0
    if n == 0 or base >= 1.0:
        return 1.0
    return float(stats.binom.sf(hits - 1, n, base))


def _prune(
    conds: list[Condition], x: pd.DataFrame, y: np.ndarray, significance: float
) -> tuple[list[Condition], list[float]]:
    """Drop, one side at a time, the restriction with the largest quasi-p-value while it
    exceeds ``significance``; return the remaining conditions and, for each, the largest
    quasi-p-value of its sides."""
    conds = list(conds)
    while conds:
        sides = _sides(conds)
        ps = [_quasi_p(_without(conds, k, side), conds, x, y) for k, side in sides]
        worst = int(np.argmax(ps))
        if ps[worst] <= significance:
            per = [
                max(p for (j, _), p in zip(sides, ps, strict=True) if j == k)
                for k in range(len(conds))
            ]
            return conds, per
        conds = _without(conds, *sides[worst])
    return conds, []


def _best_rule(
    outcome: Outcome,
    x_all: pd.DataFrame,
    y_all: np.ndarray,
    remaining: np.ndarray,
    names: Sequence[str],
    grid: bool,
    mass_min: float,
    peel_alpha: float,
    significance: float,
) -> Rule | None:
    x, y = x_all[remaining], y_all[remaining]
    if y.sum() == 0 or y.all():
        return None
    best, best_score = None, -1.0
    for lims in _trajectories(x, y, mass_min, peel_alpha):
        conds = _conditions(lims, x, names, grid)
        if not conds:
            continue
        _, cov, dens = _stats(conds, x, y)
        score = 2 * cov * dens / (cov + dens) if cov + dens > 0 else 0.0
        if score > best_score + 1e-12:
            best, best_score = conds, score
    if best is None:
        return None
    conds, ps = _prune(best, x, y, significance)
    if not conds:
        return None
    inside, cov, dens = _stats(conds, x_all, y_all)
    order = sorted(range(len(conds)), key=lambda k: list(names).index(conds[k].parameter))
    return Rule(
        outcome=outcome,
        conditions=tuple(conds[k] for k in order),
        coverage=cov,
        density=dens,
        mass=float(inside.mean()),
        runs_in_box=int(inside.sum()),
        p_values=tuple(ps[k] for k in order),
    )


def find_rules(
    x: pd.DataFrame,
    y: np.ndarray,
    outcome: Outcome,
    *,
    grid: bool = False,
    max_rules: int = 2,
    mass_min: float = 0.05,
    peel_alpha: float = 0.05,
    significance: float = 0.05,
    min_lift: float = 1.2,
) -> Discovery:
    """PRIM rules for the cases ``y`` (bool, one per row of parameter table ``x``).

    Returns a :class:`Discovery` with up to ``max_rules`` rules. A rule is kept only if
    its density is at least ``min_lift`` times the base rate. Raises
    :class:`DiscoveryUnavailable` when EMA Workbench is not installed.
    """
    y = np.asarray(y, dtype=bool)
    names = list(x.columns)
    x = x.astype(np.float64).reset_index(drop=True)
    result = Discovery(outcome, runs=len(y), cases=int(y.sum()))
    if result.cases == 0:
        result.message = f"no run meets {outcome.describe()}: nothing to explain"
        return result
    if result.cases == result.runs:
        result.message = f"every run meets {outcome.describe()}: nothing to explain"
        return result
    _prim_module()
    remaining = np.ones(len(y), dtype=bool)
    while len(result.rules) < max_rules:
        rule = _best_rule(outcome, x, y, remaining, names, grid, mass_min, peel_alpha, significance)
        if rule is None or rule.density < min_lift * result.base_rate or rule.coverage < 0.05:
            break
        result.rules.append(rule)
        remaining &= ~rule.holds(x)
        if y[remaining].sum() < 0.05 * result.cases:
            break
    if not result.rules:
        result.message = (
            f"no region found where {outcome.label} clearly more often than in the sweep as a whole"
        )
    return result


def discover(
    sweep: SweepResults,
    outcomes: Sequence[Outcome] = OUTCOMES,
    **options: Any,
) -> list[Discovery]:
    """Run :func:`find_rules` on the sweep's successful runs for each outcome.

    ``options`` are passed on to :func:`find_rules`. Outcomes whose column the sweep
    lacks raise ``SweepError``; a missing EMA Workbench raises
    :class:`DiscoveryUnavailable` (an ``ImportError``) with the install hint.
    """
    ok = sweep.ok
    for outcome in outcomes:
        if outcome.column not in ok.columns:
            raise SweepError(f"the sweep's runs have no column {outcome.column!r}")
    if ok.empty:
        raise SweepError("no successful run to analyse")
    x = ok[sweep.names]
    return [
        find_rules(x, outcome.cases(ok), outcome, grid=sweep.kind == "grid", **options)
        for outcome in outcomes
    ]
