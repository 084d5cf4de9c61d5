"""Figures of the brief: each option's median and 10-90% band across simulated futures,
returned as base64 PNG text for embedding in the page."""

from __future__ import annotations

import base64
import io
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from sim.core.regimes import REGIMES
from sim.report.options import Option
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


def _band(option: Option, column: str, smooth: int = 1) -> tuple[np.ndarray, ...]:
    """Months, median, 10th and 90th percentiles of ``column`` across replicates; with
    ``smooth`` > 1, each replicate's series is first averaged over its past ``smooth``
    months."""
    wide = option.series.pivot_table(
        index="month", columns="replicate", values=column, aggfunc="mean", dropna=False
    )
    if smooth > 1:
        wide = wide.rolling(smooth, min_periods=1).mean()
    return (
        wide.index.to_numpy(),
        wide.median(axis=1).to_numpy(),
        wide.quantile(0.1, axis=1).to_numpy(),
        wide.quantile(0.9, axis=1).to_numpy(),
    )


def figure_added_value(options: Sequence[Option]) -> str:
    """Added value of the partnership and value of joint work on the ground over time,
    median and 10-90% band per option (each replicate averaged over its past 12 months)."""
    fig = Figure(figsize=(10, 4.2), layout="constrained")
    panels = fig.subplots(1, 2, sharey=True)
    titles = (
        ("added_value_rate", "Added value of the partnership\n(over the same area, no board)"),
        ("ground_value_rate", "Value of joint work on the ground\n(over no joint working)"),
    )
    for ax, (column, title) in zip(panels, titles, strict=True):
        for k, o in enumerate(options):
            months, med, lo, hi = _band(o, column, smooth=12)
            colour = COLOURS[k % len(COLOURS)]
            ax.fill_between(months, lo, hi, color=colour, alpha=0.15, lw=0)
            style = STYLES[k % len(STYLES)]
            ax.plot(months, med, color=colour, ls=style, lw=2.2, label=o.name.replace("_", " "))
        ax.axhline(0, color="grey", lw=0.8)
        ax.set_title(title, fontsize=12)
        ax.set_xlabel("month", fontsize=12)
        ax.grid(alpha=0.3)
    panels[0].set_ylabel("% of need a year\n(mean of the past 12 months)", fontsize=12)
    panels[0].legend(fontsize=11, frameon=False)
    return _png(fig)


def figure_outcome(option: Option) -> str:
    """Outcome of the partnership beside its two twins, for one option."""
    fig = Figure(figsize=(9, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for column, label, colour in WORLDS:
        months, med, lo, hi = _band(option, column)
        ax.fill_between(months, lo, hi, color=colour, alpha=0.15, lw=0)
        ax.plot(months, med, color=colour, lw=2.2, label=label)
    ax.set_xlabel("month", fontsize=12)
    ax.set_ylabel("outcome index\n(% fall in need)", fontsize=12)
    ax.set_title(option.name.replace("_", " "), fontsize=12)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=11, frameon=False)
    return _png(fig)


def figure_regimes(options: Sequence[Option]) -> str:
    """Share of months in each regime, one bar per option."""
    fig = Figure(figsize=(9, 0.9 + 0.7 * len(options)), layout="constrained")
    ax = fig.add_subplot()
    names = [o.name.replace("_", " ") for o in options]
    left = np.zeros(len(options))
    for regime in REGIMES:
        share = np.array([o.regime_shares().get(regime, 0.0) for o in options])
        ax.barh(names, share, left=left, color=REGIME_COLOURS[regime], label=regime)
        for y, (x0, w) in enumerate(zip(left, share, strict=True)):
            if w > 0.07:
                ax.text(
                    x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", color="white", fontsize=11
                )
        left += share
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("share of months, all simulated futures", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.legend(
        ncol=len(REGIMES),
        fontsize=10,
        frameon=False,
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
    )
    return _png(fig)
