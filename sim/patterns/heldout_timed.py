"""Held-out patterns with a change in mid-run (H4, H5, H7 of docs/held-out-patterns.md),
and the checks and figures every held-out pattern shares.

Every held-out design numbers its replicates from :data:`FIRST` (1000), a range no
calibration run uses: 8 per condition in the quick run (1000-1007), 30 in the full run
(1000-1029), the same numbers in every condition (common random numbers). Months are
reported months (after the spin-up); a hook keyed by month ``M`` acts once month ``M``
is done, so it first shows in month ``M + 1``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sim.core.run import ReplicateResult, TwinRun
from sim.patterns.base import (
    Check,
    PatternResult,
    Runner,
    Settings,
    alive_in,
    band,
    in_month,
    keep,
    new_figure,
    over_months,
)
from sim.patterns.checks import SEED_003, above
from sim.patterns.stats import Interval, median_diff
from sim.scenario.interventions import SetLevers

FIRST = 1000  # first replicate number of every held-out design
SMOOTH = 12  # months in the running mean of the monthly series drawn in the figures
ADDED = "added value, %/yr (12-month mean)"


def replicates(settings: Settings) -> int:
    """Replicates per condition: 8 quick, 30 full."""
    return settings.reps(8, 30)


# -- checks shared by the held-out patterns ----------------------------------------------


def paired(a: np.ndarray, b: np.ndarray) -> Interval:
    """Paired median difference ``a - b`` with its 90% percentile bootstrap interval."""
    return median_diff(a, b, paired=True)


def median_interval(x: np.ndarray) -> Interval:
    """Median of ``x`` with its 90% percentile bootstrap interval (the fixed seed of
    :mod:`sim.patterns.stats`)."""
    x = np.asarray(x, float)
    return median_diff(x, np.zeros_like(x), paired=True)


def at_least_share(name: str, diff: Interval, reference: float, share: float) -> Check:
    """The difference is at least ``share`` of ``|reference|`` (a smallest effect that
    counts, relative to the size of the quantity compared)."""
    bound = share * abs(reference)
    return Check(
        f"{name}: paired median difference against {share:g} x |reference|",
        f">= {share:g} x |{reference:+.3g}| = {bound:.3g}",
        f"{diff.estimate:+.3g}",
        diff.estimate >= bound,
    )


def upper_below(name: str, diff: Interval, bound: float, bound_text: str) -> Check:
    """The upper end of the 90% interval of ``diff`` is below ``bound``."""
    return Check(
        f"paired median difference: {name}",
        f"upper end of the 90% interval < {bound:.3g} ({bound_text})",
        str(diff),
        diff.hi < bound,
    )


# -- figures -----------------------------------------------------------------------------


def smooth(x: np.ndarray, months: int = SMOOTH) -> np.ndarray:
    """Trailing running mean over ``months`` (shorter at the start)."""
    x = np.asarray(x, float)
    c = np.cumsum(np.r_[0.0, x])
    k = np.arange(1, x.size + 1)
    lo = np.maximum(k - months, 0)
    return (c[k] - c[lo]) / (k - lo)


def arms_plot(
    ax: Any,
    arms: Sequence[tuple[str, Sequence[ReplicateResult]]],
    key: str,
    label: str,
    running: bool = True,
) -> None:
    """Median over runs of series ``key``, month by month, one line per arm (a running
    mean when ``running``)."""
    for k, (name, results) in enumerate(arms):
        med = band(results, key)[0]
        ax.plot(np.arange(1, med.size + 1), smooth(med) if running else med, f"C{k}", label=name)
    ax.set_xlabel("month")
    ax.set_ylabel(label)
    ax.legend(fontsize=8)


def differences_plot(
    ax: Any,
    diffs: Sequence[tuple[str, np.ndarray]],
    label: str,
    bound: float | None = None,
    bound_label: str = "bound",
) -> None:
    """Per-replicate paired differences (dots), their median and 90% interval (bar), and
    the tolerance's ``bound`` as a dashed line."""
    for k, (_, d) in enumerate(diffs):
        iv = median_interval(d)
        jitter = np.linspace(-0.12, 0.12, d.size) if d.size > 1 else np.zeros(d.size)
        ax.plot(k + jitter, d, "o", color=f"C{k}", alpha=0.45, ms=4)
        ax.errorbar(
            k + 0.3,
            iv.estimate,
            yerr=[[iv.estimate - iv.lo], [iv.hi - iv.estimate]],
            fmt="s",
            color="k",
            capsize=4,
        )
    ax.axhline(0, color="grey", lw=1)
    if bound is not None:
        ax.axhline(bound, color="C3", ls="--", lw=1, label=f"{bound_label} {bound:.3g}")
        ax.legend(fontsize=8)
    ax.set_xticks(range(len(diffs)), [name for name, _ in diffs], fontsize=8)
    ax.set_xlim(-0.5, len(diffs) - 0.3)
    ax.set_ylabel(label)


def _with_set(scenario: Any, month: int, changes: dict[str, Any]) -> Any:
    """``scenario`` with a ``set`` of ``changes`` in force from ``month`` on."""
    step = SetLevers(action="set", from_=month, changes=changes)
    return scenario.model_copy(update={"interventions": [*scenario.interventions, step]})


# H4 -------------------------------------------------------------------------------------

H4_SWITCH = 37  # the working path formalises from this month
H4_WINDOW = (49, 120)  # a year after the arms' levers become equal


def working_path(settings: Settings) -> PatternResult:
    """A partnership that starts light and formalises later adds more, once both are
    formal, than one formal from the start."""
    runner = Runner(settings, FIRST)
    reps = replicates(settings)
    formal = runner.variant({"partnership.mandated": True, "partnership.formality": 0.5})
    light = runner.variant({"partnership.mandated": True, "partnership.formality": 0.1})
    path = _with_set(light, H4_SWITCH, {"partnership.formality": 0.5})
    res_formal, res_path = runner.run([formal, path], reps, desc="H4")
    a, b = H4_WINDOW
    y_formal = over_months(res_formal, "added_value_rate", a, b)
    y_path = over_months(res_path, "added_value_rate", a, b)
    diff = paired(y_path, y_formal)
    ref = float(np.median(y_formal))
    checks = [
        above(f"added value, months {a}-{b}, working path - formal", y_path, y_formal, True),
        at_least_share(f"added value, months {a}-{b}, working path - formal", diff, ref, 0.1),
    ]
    early = paired(
        over_months(res_path, "added_value_rate", 1, H4_SWITCH - 1),
        over_months(res_formal, "added_value_rate", 1, H4_SWITCH - 1),
    )
    notes = [
        f"Mean added value over months {a}-{b} (% of need a year), median over runs: formal "
        f"from the start {ref:+.3f}, working path {np.median(y_path):+.3f}; paired median "
        f"difference {diff}.",
        f"Before the switch (months 1-{H4_SWITCH - 1}) working path - formal: {early}.",
        f"State before the switch (months 25-{H4_SWITCH - 1}, medians, working path vs "
        "formal): "
        + "; ".join(
            f"{key} {np.median(over_months(res_path, key, 25, H4_SWITCH - 1)):.3f} vs "
            f"{np.median(over_months(res_formal, key, 25, H4_SWITCH - 1)):.3f}"
            for key in (
                "trust_across_capital",
                "ties_across_per_staff",
                "joint_work_share",
                "learning",
                "commitment",
            )
        )
        + ".",
        "Other state in months "
        f"{a}-{b} (medians, working path vs formal): "
        + "; ".join(
            f"{key} {np.median(over_months(res_path, key, a, b)):.3f} vs "
            f"{np.median(over_months(res_formal, key, a, b)):.3f}"
            for key in ("trust_across_capital", "joint_work_share", "learning", "commitment")
        )
        + ".",
    ]
    fig, axes = new_figure(2)
    arms_plot(
        axes[0],
        [("formal from the start", res_formal), ("working path", res_path)],
        "added_value_rate",
        ADDED,
    )
    axes[0].axvline(H4_SWITCH, color="grey", ls=":")
    axes[0].axvspan(a, b, color="grey", alpha=0.08)
    differences_plot(
        axes[1],
        [("working path - formal", y_path - y_formal)],
        f"added value {a}-{b}, difference",
        bound=0.1 * abs(ref),
        bound_label="smallest difference that counts",
    )
    return PatternResult(
        4,
        "Start with joint action, formalise later: once both are formal, the working path "
        "adds more than a partnership formal from the start",
        f"{SEED_003}, Conclusions ('working path'; structure 'just sufficient'); seed 002",
        f"mandated partnership; formality 0.5 throughout vs 0.1 (spin-up and months "
        f"1-{H4_SWITCH - 1}) then 0.5 from month {H4_SWITCH}; measure months {a}-{b}; "
        f"{reps} replicates each, paired; {runner.seeds(reps)}",
        checks,
        fig,
        runner.count,
        notes=notes,
        label="H4",
    )


# H5 -------------------------------------------------------------------------------------

H5_FIX = 25  # month the fix takes effect
H5_WINDOW = (61, 120)  # three years and more after the fix
H5_RELIEF = (25, 48)  # the temporary relief (reported, not judged)
H5_SHARE = 0.2  # lasting relief must stay under a fifth of what the board added before


def structural_fix(settings: Settings) -> PatternResult:
    """Making a partnership statutory, or giving it more structure and monitoring,
    gives at best temporary or minimal relief."""
    runner = Runner(settings, FIRST)
    reps = replicates(settings)
    base = runner.variant()
    arms = {
        "no fix": base,
        "statutory": _with_set(base, H5_FIX, {"partnership.mandated": True}),
        "formality 0.8": _with_set(base, H5_FIX, {"partnership.formality": 0.8}),
    }
    res = dict(zip(arms, runner.run(list(arms.values()), reps, desc="H5"), strict=True))
    kept_mask = alive_in(res["no fix"], H5_FIX - 1)
    kept = {name: keep(r, kept_mask) for name, r in res.items()}
    n_kept = int(kept_mask.sum())
    a, b = H5_WINDOW
    checks: list[Check] = []
    notes = [f"Runs with a board in month {H5_FIX - 1} (kept): {n_kept} of {reps}."]
    diffs = []
    bound = 0.0
    if n_kept == 0:
        checks.append(
            Check("runs kept (board alive in month 24)", ">= 1", "0", False),
        )
    else:
        before = over_months(kept["no fix"], "added_value_rate", 1, H5_FIX - 1)
        before_med = float(np.median(before))
        bound = max(0.0, H5_SHARE * before_med)
        notes.append(
            f"Median added value over months 1-{H5_FIX - 1} in the kept runs (before the "
            f"fix): {before_med:+.3f}; bound = {H5_SHARE:g} x that (0 if not positive) = "
            f"{bound:.3g}."
        )
        y_none = over_months(kept["no fix"], "added_value_rate", a, b)
        for name in ("statutory", "formality 0.8"):
            y_fix = over_months(kept[name], "added_value_rate", a, b)
            diff = paired(y_fix, y_none)
            diffs.append((f"{name} - no fix", y_fix - y_none))
            checks.append(
                upper_below(
                    f"added value, months {a}-{b}, {name} - no fix",
                    diff,
                    bound,
                    f"{H5_SHARE:g} x the median added value of months 1-{H5_FIX - 1}",
                )
            )
            relief = paired(
                over_months(kept[name], "added_value_rate", *H5_RELIEF),
                over_months(kept["no fix"], "added_value_rate", *H5_RELIEF),
            )
            notes.append(
                f"{name} - no fix: months {a}-{b} {diff}; months "
                f"{H5_RELIEF[0]}-{H5_RELIEF[1]} (temporary relief, not judged) {relief}."
            )
        alive = {
            name: float(np.mean(in_month(r, "board_alive", 120) > 0.5)) for name, r in kept.items()
        }
        notes.append(
            "Share of kept runs with a board in month 120 (not judged): "
            + ", ".join(f"{name} {v:.0%}" for name, v in alive.items())
            + "."
        )
    fig, axes = new_figure(2)
    if n_kept:
        arms_plot(axes[0], list(kept.items()), "added_value_rate", ADDED)
        axes[0].axvline(H5_FIX, color="grey", ls=":")
        axes[0].axvspan(a, b, color="grey", alpha=0.08)
        differences_plot(axes[1], diffs, f"added value {a}-{b}, fix - no fix", bound, "upper bound")
    return PatternResult(
        5,
        "Structural fixes give at best temporary or minimal relief",
        f"{SEED_003}, Discussion, final lesson ('temporary or minimal relief at best')",
        f"baseline; from month {H5_FIX} a set of partnership.mandated: true, or of "
        f"partnership.formality: 0.8, vs no fix; runs whose board has dissolved by month "
        f"{H5_FIX - 1} (read from the no-fix arm) left out of every arm ({n_kept} of {reps} "
        f"kept); measure months {a}-{b}; {reps} replicates each, paired; "
        f"{runner.seeds(reps)}",
        checks,
        fig,
        runner.count,
        notes=notes,
        label="H5",
    )


# H7 -------------------------------------------------------------------------------------

H7_MONTH = 25  # the investment first shows in this month (the hook runs after month 24)
H7_SHARE = 0.5  # share of its headroom by which every cross-agency tie's trust is raised
H7_WINDOW = (61, 120)
H7_PERSIST = 1 / 3  # the late trust gain must be at least this share of the first gain


def invest_in_relationships(run: TwinRun) -> None:
    """A one-off investment in cross-agency relationships, in the partnership's world
    only: every live cross-agency tie gains :data:`H7_SHARE` of its headroom of trust
    (the size stated in docs/held-out-patterns.md, H7, before the pattern was run).
    Draws no random numbers."""
    ties = run.model.ties
    cross = ties.live(-1)
    ties.trust[cross] += H7_SHARE * (1.0 - ties.trust[cross])


def relationship_investment(settings: Settings) -> PatternResult:
    """Investing once in cross-agency relationships leaves trust, joint work and added
    value higher years later."""
    runner = Runner(settings, FIRST)
    reps = replicates(settings)
    sc = runner.variant()
    (res_none,) = runner.run([sc], reps, desc="H7")
    (res_inv,) = runner.run([sc], reps, hooks=[(H7_MONTH - 1, invest_in_relationships)], desc="H7")
    a, b = H7_WINDOW
    checks = []
    for key in ("joint_work_share", "added_value_rate"):
        checks.append(
            above(
                f"{key}, months {a}-{b}, investment - none",
                over_months(res_inv, key, a, b),
                over_months(res_none, key, a, b),
                paired=True,
            )
        )
    first = paired(
        in_month(res_inv, "trust_across_capital", H7_MONTH),
        in_month(res_none, "trust_across_capital", H7_MONTH),
    )
    late = paired(
        over_months(res_inv, "trust_across_capital", a, b),
        over_months(res_none, "trust_across_capital", a, b),
    )
    bound = H7_PERSIST * first.estimate
    checks.append(
        Check(
            f"trust_across_capital gain, months {a}-{b} against month {H7_MONTH} (paired "
            "median differences, investment - none)",
            f">= 1/3 of the month-{H7_MONTH} gain ({first.estimate:+.3g}) = {bound:.3g}",
            f"{late.estimate:+.3g}",
            late.estimate >= bound,
        )
    )
    notes = [
        f"Cross-agency trust capital, investment - none: month {H7_MONTH} {first}; "
        f"months {a}-{b} {late}."
    ]
    for key in ("joint_work_share", "added_value_rate", "trust_across", "ties_across_per_staff"):
        notes.append(
            f"{key}, investment - none, paired median: months 25-36 "
            f"{paired(over_months(res_inv, key, 25, 36), over_months(res_none, key, 25, 36))}; "
            f"months {a}-{b} "
            f"{paired(over_months(res_inv, key, a, b), over_months(res_none, key, a, b))}."
        )
    fig, axes = new_figure(3)
    arms = [("no investment", res_none), (f"investment in month {H7_MONTH}", res_inv)]
    arms_plot(axes[0], arms, "trust_across_capital", "cross-agency trust per staff", False)
    arms_plot(axes[1], arms, "joint_work_share", "joint-work share (12-month mean)")
    arms_plot(axes[2], arms, "added_value_rate", ADDED)
    for ax in axes:
        ax.axvline(H7_MONTH, color="grey", ls=":")
        ax.axvspan(a, b, color="grey", alpha=0.08)
    return PatternResult(
        7,
        "Investing once in cross-agency relationships leaves trust, joint work and added "
        "value higher years later",
        f"seed 002 ('trust and relationships'); {SEED_003}, Conclusions ('Invest in "
        "building trust and relationships'); seed 000 ('creating a cultural shift')",
        f"baseline vs the same with every cross-agency tie of the partnership's world "
        f"raised by {H7_SHARE:g} of its trust headroom at the start of month {H7_MONTH} "
        f"(an assumed size, stated before the pattern was run); measures months {a}-{b}; "
        f"{reps} replicates each, paired; {runner.seeds(reps)}",
        checks,
        fig,
        runner.count,
        notes=notes,
        label="H7",
    )
