"""Figures of a comparison: scenarios side by side, each in its own colour throughout.

(a) ``added_value``: the added value of the partnership (over its board-less twin) and
the value of joint work on the ground, accumulated month by month (median and 10-90% band
across replicates); (b) ``trajectories``: outcome index and total effect (partnership and
ground work vs no joint working) over time; (c) ``regime_shares``: share of months in each
of the five regimes as stacked bars; (d) ``paired_effect``: the paired difference in added
value per year against the first scenario, median with its 10-90% interval. With a
branch month, (a) and (b) mark it. The functions build :class:`matplotlib.figure.Figure`
objects (no pyplot state).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.core.regimes import REGIMES
from sim.experiment.io import atomic_write
from sim.viz.figures import REGIME_COLOURS

if TYPE_CHECKING:
    from sim.experiment.compare import Comparison

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#17becf",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
)


def scenario_colours(labels: list[str]) -> dict[str, str]:
    """One colour per scenario label, in order (the same in every figure)."""
    return {label: PALETTE[k % len(PALETTE)] for k, label in enumerate(labels)}


def _mark_branch(ax: Axes, month: int | None) -> None:
    if month is None:
        return
    ax.axvline(month + 0.5, color="black", ls="--", lw=1)
    ax.annotate(
        f"branch after month {month}",
        xy=(month + 0.5, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(3, -12),
        textcoords="offset points",
        fontsize=8,
    )


def _bands(
    comparison: Comparison, panels: tuple[tuple[str, str], ...], title: str, zero: tuple[str, ...]
) -> Figure:
    """One panel per (series, label): each scenario's median and 10-90% band by month."""
    c = comparison
    colours = scenario_colours(c.labels)
    fig = Figure(figsize=(5.5 * len(panels), 4.2), layout="constrained")
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    months = np.arange(1, c.months + 1)
    for ax, (key, ylabel) in zip(axes, panels, strict=True):
        for label, results in zip(c.labels, c.results, strict=True):
            stack = np.stack([r.series[key] for r in results])
            colour = colours[label]
            ax.plot(months, np.median(stack, axis=0), color=colour, lw=2, label=label)
            ax.fill_between(
                months,
                np.percentile(stack, 10, axis=0),
                np.percentile(stack, 90, axis=0),
                color=colour,
                alpha=0.15,
                lw=0,
            )
        if key in zero:
            ax.axhline(0, color="black", lw=0.8)
        _mark_branch(ax, c.branch_at)
        ax.set_xlabel("month")
        ax.set_ylabel(ylabel)
        ax.set_title(ylabel, fontsize=10)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="best")
    fig.suptitle(
        f"{title}: median and 10-90% band over {c.replicates} paired replicates (seed "
        f"{c.seed}); model output under assumed constants",
        fontsize=10,
    )
    return fig


def draw_added_value(comparison: Comparison) -> Figure:
    """Added value of the partnership and value of joint work on the ground, accumulated
    month by month, per scenario: median and 10-90% band."""
    panels = (
        ("added_value", "Added value of the partnership\n(% of need averted, cumulative)"),
        ("ground_value", "Value of joint work on the ground\n(% of need averted, cumulative)"),
    )
    return _bands(comparison, panels, "Added value over time", zero=("added_value", "ground_value"))


def draw_trajectories(comparison: Comparison) -> Figure:
    """Outcome index and total effect per scenario: median and 10-90% band."""
    panels = (
        ("outcome_index", "Outcome index (% fall in need)"),
        (
            "partnership_effect",
            "Total effect: partnership and ground work\nvs no joint working (index points)",
        ),
    )
    return _bands(comparison, panels, "Outcomes", zero=("partnership_effect",))


def draw_regime_shares(comparison: Comparison) -> Figure:
    """Share of months in each of the five regimes per scenario (over the comparison
    window)."""
    c = comparison
    colours = scenario_colours(c.labels)
    fig = Figure(figsize=(max(5.0, 1.6 * len(c.labels) + 3.0), 4.2), layout="constrained")
    ax = fig.subplots()
    x = np.arange(len(c.labels))
    bottom = np.zeros(len(c.labels))
    for regime in REGIMES:
        shares = np.array([s["regime_share_in_window"][regime] for s in c.summaries])
        ax.bar(x, shares, 0.6, bottom=bottom, color=REGIME_COLOURS[regime], label=regime)
        for xi, b, v in zip(x, bottom, shares, strict=True):
            if v >= 0.06:
                ax.text(xi, b + v / 2, f"{v:.0%}", ha="center", va="center", fontsize=8, color="w")
        bottom += shares
    ax.set_xticks(x, c.labels, rotation=15 if len(c.labels) > 3 else 0)
    for tick, label in zip(ax.get_xticklabels(), c.labels, strict=True):
        tick.set_color(colours[label])
        tick.set_fontweight("bold")
    ax.set_ylim(0, 1)
    ax.set_ylabel("share of months")
    lo, hi = c.window
    ax.set_title(f"Regime of each month, months {lo}-{hi}, {c.replicates} replicates", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    return fig


def draw_paired_effect(comparison: Comparison) -> Figure:
    """Paired difference in added value per year against the first scenario, per scenario."""
    c = comparison
    colours = scenario_colours(c.labels)
    diffs = c.differences
    fig = Figure(figsize=(7.5, 1.8 + 0.7 * len(diffs)), layout="constrained")
    ax = fig.subplots()
    y = np.arange(len(diffs))[::-1]
    for yi, d in zip(y, diffs, strict=True):
        e = d["added_value_per_year"]
        colour = colours[d["scenario"]]
        ax.errorbar(
            e["median"],
            yi,
            xerr=[[e["median"] - e["p10"]], [e["p90"] - e["median"]]],
            fmt="o",
            color=colour,
            capsize=4,
            ms=7,
            lw=2,
        )
        ax.annotate(
            f"{e['median']:+.2f}",
            xy=(e["median"], yi),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            fontsize=8,
            color=colour,
        )
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(y, [d["scenario"] for d in diffs])
    for tick, d in zip(ax.get_yticklabels(), diffs, strict=True):
        tick.set_color(colours[d["scenario"]])
        tick.set_fontweight("bold")
    ax.set_ylim(-0.7, len(diffs) - 0.3)
    lo, hi = c.window
    ax.set_xlabel(
        f"scenario minus {c.labels[0]}, same replicate (% of need a year;\n"
        f"added value over the board-less twin, mean over months {lo}-{hi})"
    )
    where = f", branched after month {c.branch_at}" if c.branch_at is not None else ""
    ax.set_title(
        f"Paired difference in added value of the partnership against {c.labels[0]}\n"
        f"median and 10-90% over {c.replicates} replicates{where}",
        fontsize=10,
    )
    ax.grid(alpha=0.3, axis="x")
    return fig


def save(fig: Figure, path: Path) -> Path:
    """Write ``fig`` as a PNG atomically (the same bytes for the same figure)."""
    atomic_write(
        path, lambda tmp: fig.savefig(tmp, format="png", dpi=110, metadata={"Software": None})
    )
    return path


def draw_all(comparison: Comparison, out_dir: Path) -> list[Path]:
    """Write ``added_value.png``, ``trajectories.png``, ``regime_shares.png`` and
    ``paired_effect.png``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return [
        save(draw_added_value(comparison), out_dir / "added_value.png"),
        save(draw_trajectories(comparison), out_dir / "trajectories.png"),
        save(draw_regime_shares(comparison), out_dir / "regime_shares.png"),
        save(draw_paired_effect(comparison), out_dir / "paired_effect.png"),
    ]
