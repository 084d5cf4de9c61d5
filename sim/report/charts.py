"""Figures of the brief: each option's median and 10-90% band across simulated futures, the
paired difference between options run by run, and where the runs end, returned as base64
PNG text for embedding in the page. Time runs in years; the options' timeline changes
(``interventions``) are shaded and labelled."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.core.regimes import REGIMES
from sim.report.options import RUN, Option, difference, windows
from sim.viz.figures import REGIME_COLOURS

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
WORLDS = (
    ("outcome_index", "with the partnership", "#1f77b4"),
    ("boardless_outcome_index", "same area without a board", "#ff7f0e"),
    ("counterfactual_outcome_index", "same area with no joint working", "#7f7f7f"),
)
STYLES = ["-", "--", "-.", ":"]
"""Line styles by option, so that options drawn on top of each other stay visible."""


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return base64.b64encode(buf.getvalue()).decode()


def _name(o: Option) -> str:
    return o.name.replace("_", " ")


def mark_windows(ax: Axes, options: Sequence[Option], label: bool = True) -> None:
    """Shade each option's intervention windows (a one-off event is a thin band) and, with
    ``label``, name them at the top of the panel; windows shared by several options are
    drawn once, named after the first."""
    seen: set[tuple[int, int, str]] = set()
    for k, o in enumerate(options):
        for first, last, what in windows(o.scenario):
            if (first, last, what) in seen:
                continue
            seen.add((first, last, what))
            colour = COLOURS[k % len(COLOURS)]
            x0, x1 = (first - 1) / 12, last / 12
            ax.axvspan(x0, x1, color=colour, alpha=0.08, lw=0)
            ax.axvline(x0, color=colour, lw=0.8, ls=":")
            if label:
                ax.text(
                    x0 + 0.05,
                    0.98,
                    f"{_name(o)}: {what}\n(months {first}-{last})"
                    if last > first
                    else f"{_name(o)}: {what}\n(month {first})",
                    transform=ax.get_xaxis_transform(),
                    ha="left",
                    va="top",
                    fontsize=8.5,
                    color=colour,
                    bbox={"facecolor": "white", "alpha": 0.75, "lw": 0, "pad": 1.5},
                )


def _band(option: Option, column: str, smooth: int = 1) -> tuple[np.ndarray, ...]:
    """Months, median, 10th and 90th percentiles of ``column`` across runs (each simulated
    future, a (draw, replicate) pair, counted once); with
    ``smooth`` > 1, each replicate's series is first averaged over its past ``smooth``
    months."""
    wide = option.series.pivot_table(
        index="month", columns=RUN, values=column, aggfunc="mean", dropna=False
    )
    if smooth > 1:
        wide = wide.rolling(smooth, min_periods=1).mean()
    return (
        wide.index.to_numpy(),
        wide.median(axis=1).to_numpy(),
        wide.quantile(0.1, axis=1).to_numpy(),
        wide.quantile(0.9, axis=1).to_numpy(),
    )


def figure_added_value(options: Sequence[Option], size: tuple[float, float] = (10, 4.2)) -> str:
    """Added value of the partnership and value of joint work on the ground over time (in
    years), median and 10-90% band per option (each replicate averaged over its past 12
    months), the options' intervention windows shaded."""
    fig = Figure(figsize=size, layout="constrained")
    panels = fig.subplots(1, 2, sharey=True)
    titles = (
        ("added_value_rate", "Added value of the partnership\n(over the same area, no board)"),
        ("ground_value_rate", "Value of joint work on the ground\n(over no joint working)"),
    )
    for ax, (column, title) in zip(panels, titles, strict=True):
        for k, o in enumerate(options):
            months, med, lo, hi = _band(o, column, smooth=12)
            colour = COLOURS[k % len(COLOURS)]
            ax.fill_between(months / 12, lo, hi, color=colour, alpha=0.15, lw=0)
            style = STYLES[k % len(STYLES)]
            ax.plot(months / 12, med, color=colour, ls=style, lw=2.2, label=_name(o))
        ax.axhline(0, color="grey", lw=0.8)
        mark_windows(ax, options, label=column == "added_value_rate")
        ax.set_title(title, fontsize=12)
        ax.set_xlabel("year", fontsize=12)
        ax.grid(alpha=0.3)
    panels[0].set_ylabel("% of need a year\n(mean of the past 12 months)", fontsize=12)
    panels[0].legend(fontsize=11, frameon=False, loc="lower left")
    return _png(fig)


def figure_outcome(option: Option) -> str:
    """Outcome of the partnership beside its two twins, for one option."""
    fig = Figure(figsize=(9, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for column, label, colour in WORLDS:
        months, med, lo, hi = _band(option, column)
        ax.fill_between(months / 12, lo, hi, color=colour, alpha=0.15, lw=0)
        ax.plot(months / 12, med, color=colour, lw=2.2, label=label)
    mark_windows(ax, [option])
    ax.set_xlabel("year", fontsize=12)
    ax.set_ylabel("outcome index\n(% fall in need)", fontsize=12)
    ax.set_title(option.name.replace("_", " "), fontsize=12)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=11, frameon=False, loc="lower right")
    return _png(fig)


def figure_paired(options: Sequence[Option]) -> str:
    """Each option after the first minus the first, on the partnership's added value a year:
    one dot per simulated future when the two ran on common random numbers (the same luck),
    with the median (bar) and the 10-90% range (line); without common random numbers only
    the range, which then compares the two spreads."""
    ref = options[0]
    others = list(options[1:])
    fig = Figure(figsize=(8, 0.95 + 0.55 * len(others)), layout="constrained")
    ax = fig.add_subplot()
    rng = np.random.default_rng(0)  # vertical jitter of the dots only: drawing, not results
    for y, o in enumerate(others):
        d = difference(o, ref)
        colour = COLOURS[(y + 1) % len(COLOURS)]
        if d["values"] is not None:
            values = np.asarray(d["values"], dtype=float)
            jitter = rng.uniform(-0.18, 0.18, values.size)
            ax.scatter(values, y + jitter, s=28, color=colour, alpha=0.75, lw=0, zorder=3)
        ax.plot([d["p10"], d["p90"]], [y + 0.32, y + 0.32], color="#333", lw=2, zorder=2)
        ax.plot([d["median"]] * 2, [y + 0.2, y + 0.44], color="#333", lw=2.5, zorder=2)
    ax.axvline(0, color="grey", lw=1)
    ax.set_yticks(range(len(others)), [f"{_name(o)}\nminus {_name(ref)}" for o in others])
    ax.set_ylim(len(others) - 0.5, -0.6)
    ax.set_xlabel(
        "difference in the partnership's added value, points (% of need a year)", fontsize=10
    )
    ax.tick_params(labelsize=10)
    ax.grid(alpha=0.3, axis="x")
    return _png(fig)


def figure_regimes(options: Sequence[Option]) -> str:
    """Where the runs end (share of runs in each regime in the last month) beside the share
    of months spent in each regime on the way, one bar per option."""
    fig = Figure(figsize=(10, 1.1 + 0.7 * len(options)), layout="constrained")
    panels = fig.subplots(1, 2, sharey=True)
    names = [_name(o) for o in options]
    measures = (
        (lambda o: {r: n / len(o.runs) for r, n in o.end_regimes().items()}, "at the end"),
        (Option.regime_shares, "on the way"),
    )
    for ax, (measure, title) in zip(panels, measures, strict=True):
        left = np.zeros(len(options))
        shares = [measure(o) for o in options]
        for regime in REGIMES:
            share = np.array([s.get(regime, 0.0) for s in shares])
            ax.barh(names, share, left=left, color=REGIME_COLOURS[regime], label=regime)
            for y, (x0, w) in enumerate(zip(left, share, strict=True)):
                if w > 0.07:
                    ax.text(
                        x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", color="white",
                        fontsize=10,
                    )  # fmt: skip
            left += share
        ax.set_xlim(0, 1)
        ax.set_title(title, fontsize=11)
        ax.tick_params(labelsize=10)
    panels[0].invert_yaxis()
    panels[0].set_xlabel("share of simulated futures, last month", fontsize=10)
    panels[1].set_xlabel("share of months, all simulated futures", fontsize=10)
    fig.legend(
        *panels[0].get_legend_handles_labels(),
        ncol=len(REGIMES),
        fontsize=10,
        frameon=False,
        loc="outside upper center",
    )
    return _png(fig)
