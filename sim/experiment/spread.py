"""Two kinds of uncertainty, kept apart: random futures and plausible assumptions.

Runs with draws of the constants (``--uncertainty N``) come as ``N`` draws x ``R``
replicates, ordered draw by draw. For a measure (or a paired difference between options):

* **across random futures**: within each draw, the 10th and 90th percentiles across its
  replicates; the range reported is the median of those over draws (the spread luck alone
  gives, in a typical plausible version of the model);
* **across plausible assumptions**: the mean over replicates of each draw, and the 10th
  and 90th percentiles of those means across draws (the spread the unknown constants
  give, with luck averaged out);
* **ranking** (differences only): in how many draws option B's mean is above option A's,
  below it, or equal to it (a tie: the same value to 1e-12), and in how many the
  difference is clear (its mean more than two standard errors of the replicates' paired
  differences from 0); and which constants go with the difference most (Spearman rank
  correlation across draws, reported only where it is significant at 5% after a
  Bonferroni correction for the number of constants tried: a screening hint, not a
  sensitivity analysis; ``partnersim robustness`` is that).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import stats

TIE = 1e-12  # a draw's mean difference this close to 0 is a tie
CLEAR_SE = 2.0  # standard errors from 0 for a draw's difference to be clear
DECIDING_SHOWN = 3  # constants named as going with the difference


def by_draw(values: np.ndarray, draws: int) -> np.ndarray:
    """``values`` over runs ordered draw by draw, as a ``(draws, replicates)`` array."""
    values = np.asarray(values, float)
    if draws < 1 or values.size % draws:
        raise ValueError(f"{values.size} runs do not split into {draws} draws")
    return values.reshape(draws, values.size // draws)


def spreads(values: np.ndarray, draws: int) -> dict[str, Any]:
    """Median over all runs, the range across random futures and across assumptions."""
    grid = by_draw(values, draws)
    means = grid.mean(axis=1)
    return {
        "median": float(np.median(grid)),
        "random_futures": {
            "p10": float(np.median(np.percentile(grid, 10, axis=1))),
            "p90": float(np.median(np.percentile(grid, 90, axis=1))),
        },
        "assumptions": {
            "p10": float(np.percentile(means, 10)),
            "median": float(np.median(means)),
            "p90": float(np.percentile(means, 90)),
        },
        "draw_means": [float(x) for x in means],
    }


def ranking(diff: np.ndarray, draws: int) -> dict[str, Any]:
    """How often the option ahead by ``diff`` (B minus A, run by run) is ahead across draws."""
    grid = by_draw(diff, draws)
    means = grid.mean(axis=1)
    reps = grid.shape[1]
    se = grid.std(axis=1, ddof=1) / np.sqrt(reps) if reps > 1 else np.full(draws, np.inf)
    clear = np.abs(means) > CLEAR_SE * se
    return {
        "draws": draws,
        "better": int((means > TIE).sum()),
        "worse": int((means < -TIE).sum()),
        "tied": int((np.abs(means) <= TIE).sum()),
        "clearly_better": int(((means > TIE) & clear).sum()),
        "clearly_worse": int(((means < -TIE) & clear).sum()),
    }


def deciding(
    diff: np.ndarray, draws: int, values: dict[str, np.ndarray]
) -> list[dict[str, float | str]]:
    """The constants whose drawn values go with the per-draw mean of ``diff`` most
    (|Spearman rho| above the two-sided critical value at 5% divided by the number of
    constants tried, for ``draws`` draws), strongest first, at most
    :data:`DECIDING_SHOWN`. ``values``: each varied constant's value by draw."""
    if draws < 5:
        return []
    means = by_draw(diff, draws).mean(axis=1)
    if np.ptp(means) == 0:
        return []
    tried = [v for v in values.values() if np.ptp(np.asarray(v, float)) > 0]
    critical = _critical_rho(draws, 0.05 / max(len(tried), 1))
    found = []
    for path, column in values.items():
        column = np.asarray(column, float)
        if np.ptp(column) == 0:
            continue
        rho = float(stats.spearmanr(column, means).statistic)
        if abs(rho) > critical:
            found.append({"constant": path, "rho": rho})
    found.sort(key=lambda f: -abs(float(f["rho"])))
    return found[:DECIDING_SHOWN]


def _critical_rho(n: int, alpha: float) -> float:
    """Two-sided critical value of Spearman's rho at level ``alpha`` for ``n`` pairs
    (t approximation)."""
    t = stats.t.ppf(1 - alpha / 2, n - 2)
    return float(t / np.sqrt(n - 2 + t * t))


def ranking_words(option: str, reference: str, unc: dict[str, Any], unit: str) -> str:
    """One plain sentence on how robustly ``option`` beats (or trails) ``reference``:
    counts of plausible versions of the model, never a threshold on them."""
    r = unc["ranking"]
    n, better, worse, tied = r["draws"], r["better"], r["worse"], r["tied"]
    a = unc["assumptions"]
    size = f"by {a['p10']:+.2f} to {a['p90']:+.2f} {unit} (10-90% across versions)"
    if better == n:
        head = (
            f"{option} does better than {reference} in every one of {n} plausible versions "
            "of the model"
        )
    elif worse == n:
        head = (
            f"{option} does worse than {reference} in every one of {n} plausible versions "
            "of the model"
        )
    elif tied == n:
        return f"{option} and {reference} give the same result in all {n} plausible versions"
    else:
        parts = [f"better in {better}", f"worse in {worse}"]
        if tied:
            parts.append(f"equal in {tied}")
        head = (
            f"the ranking of {option} against {reference} is not the same in every plausible "
            f"version of the model: {option} is {', '.join(parts)} of {n} versions"
        )
    clear = f"clearly (beyond the luck of the replicates) better in {r['clearly_better']}"
    clear += f" and clearly worse in {r['clearly_worse']}"
    return f"{head}, {size}; {clear}."


def deciding_words(found: list[dict[str, Any]]) -> str:
    """Which constants go with the difference, in words (empty: none stands out)."""
    if not found:
        return ""
    named = ", ".join(
        f"{f['constant']} ({'higher' if f['rho'] > 0 else 'lower'} values favour it, "
        f"rho {f['rho']:+.2f})"
        for f in found
    )
    return f"The constants that go with the difference most across versions: {named}."
