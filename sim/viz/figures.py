"""Figures of a run: key series as the median with a 10-90% band across replicates.

``draw_all`` writes one PNG per entry of :data:`PANELS`, the added-value figure
(``added_value.png``) and the regime shares (``regimes.png``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.core.regimes import CODES, REGIMES
from sim.core.run import ReplicateResult
from sim.experiment.io import atomic_write
from sim.viz.palette import NO_BOARD, NO_JOINT_WORK, PARTNERSHIP, REGIME_COLOURS

__all__ = ["REGIME_COLOURS", "VALUES", "WORLDS"]

WORLDS = (
    ("outcome_index", "with the partnership", PARTNERSHIP),
    ("boardless_outcome_index", "same area without a board", NO_BOARD),
    ("counterfactual_outcome_index", "no joint working", NO_JOINT_WORK),
)
"""The three worlds of a replicate: outcome column, plain label, colour."""

VALUES = (
    ("added_value_rate", "added value of the partnership (over no board)", PARTNERSHIP),
    ("ground_value_rate", "value of joint work on the ground (over none)", NO_BOARD),
)
"""The two headline rates (% of need per year) and their cumulative counterparts."""

CUMULATIVE = {"added_value_rate": "added_value", "ground_value_rate": "ground_value"}

PANELS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "outcome": (
        "Outcome index (% fall in need)",
        [(column, label) for column, label, _ in WORLDS],
    ),
    "partnership_effect": (
        "Total effect (outcome points over no joint working)",
        [("partnership_effect", "board and joint work on the ground together")],
    ),
    "trust": ("Trust", [("trust_within", "within agencies"), ("trust_across", "across agencies")]),
    "joint_vs_formal": (
        "Joint work vs formal activity",
        [
            ("joint_work_share", "joint-work share of frontline capacity"),
            ("formal_activity", "formal activity (0-1)"),
        ],
    ),
    "delivery": (
        "Commitments",
        [("delivery_ratio", "delivery ratio (regime window)"), ("facade_index", "facade index")],
    ),
    "pressure_alignment": (
        "Targets and alignment",
        [
            ("target_pressure", "target pressure"),
            ("alignment_vertical", "vertical alignment"),
            ("goal_clarity", "goal clarity"),
        ],
    ),
}
"""Simple panels: file stem -> (axis label, [(series, legend label)])."""

COLOURS = {column: colour for column, _, colour in WORLDS}
ZERO_LINE = ("partnership_effect",)


def _subplots(*grid: int, figsize: tuple[float, float], constrained_layout: bool = False):
    """Like ``pyplot.subplots``, without pyplot: no global state, no GUI backend."""
    fig = Figure(figsize=figsize, layout="constrained" if constrained_layout else None)
    axes = fig.subplots(*grid) if grid else fig.subplots()
    return fig, axes


def band(stack: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median, 10th and 90th percentiles of ``stack`` (replicate x month) month by month,
    over the replicates with a value; NaN (a gap in the line) in a month where no
    replicate has one, e.g. a delivery ratio before any commitment fell due."""
    stats = np.full((3, stack.shape[1]), np.nan)
    some = ~np.isnan(stack).all(axis=0)
    if some.any():
        part = stack[:, some]
        stats[0, some] = np.nanmedian(part, axis=0)
        stats[1:, some] = np.nanpercentile(part, [10, 90], axis=0)
    return stats[0], stats[1], stats[2]


def _band(
    ax: Axes, months: np.ndarray, stack: np.ndarray, label: str, colour: str | None = None
) -> None:
    med, lo, hi = band(stack)
    (line,) = ax.plot(months, med, label=label, lw=2, color=colour)
    ax.fill_between(months, lo, hi, color=line.get_color(), alpha=0.2, lw=0)


def _stack(results: list[ReplicateResult], name: str) -> np.ndarray:
    return np.stack([r.series[name] for r in results])


def _save(fig: Figure, path: Path) -> None:
    atomic_write(
        path, lambda tmp: fig.savefig(tmp, format="png", dpi=110, metadata={"Software": None})
    )


def draw_all(results: list[ReplicateResult], title: str, out_dir: Path) -> list[Path]:
    """Write one PNG per panel, the added-value figure and the regime-share chart; return
    their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    months = np.arange(1, results[0].series["outcome_index"].size + 1)
    paths = []
    for key, (ylabel, series) in PANELS.items():
        fig, ax = _subplots(figsize=(7, 4))
        for name, label in series:
            _band(ax, months, _stack(results, name), label, COLOURS.get(name))
        if key in ZERO_LINE:
            ax.axhline(0, color="black", lw=0.8)
        ax.set_xlabel("month")
        ax.set_ylabel(ylabel)
        ax.set_title(
            f"{title}: {ylabel.lower()}\nmedian and 10-90% band, {len(results)} replicates",
            fontsize=10,
        )
        ax.legend(fontsize=8, loc="best")
        ax.grid(alpha=0.3)
        fig.tight_layout()
        path = out_dir / f"{key}.png"
        _save(fig, path)
        paths.append(path)
    paths.append(draw_added_value(results, title, out_dir / "added_value.png"))
    paths.append(draw_regimes(results, title, out_dir / "regimes.png"))
    return paths


def draw_added_value(results: list[ReplicateResult], title: str, path: Path) -> Path:
    """Added value of the partnership and value of joint work on the ground over time.

    Left: this month's rate (% of need per year), median and 10-90% band across
    replicates, with a zero line. Right: the same values summed since month 0 (% of need).
    """
    months = np.arange(1, results[0].series["added_value_rate"].size + 1)
    fig, (rate, total) = _subplots(1, 2, figsize=(11, 4.2), constrained_layout=True)
    for column, label, colour in VALUES:
        _band(rate, months, _stack(results, column), label, colour)
        _band(total, months, _stack(results, CUMULATIVE[column]), label, colour)
    rate.set_ylabel("% of need per year (this month's rate)")
    rate.set_title("Value added each month", fontsize=10)
    total.set_ylabel("% of need, summed since month 0")
    total.set_title("Value added so far", fontsize=10)
    for ax in (rate, total):
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xlabel("month")
        ax.grid(alpha=0.3)
    rate.legend(fontsize=8, loc="best")
    fig.suptitle(
        f"{title}: what the partnership adds over the same area without a board\n"
        f"median and 10-90% band, {len(results)} replicates; model output under assumed "
        "constants",
        fontsize=10,
    )
    _save(fig, path)
    return path


def draw_regimes(results: list[ReplicateResult], title: str, path: Path) -> Path:
    """Stacked share of replicates in each regime, month by month."""
    codes = _stack(results, "regime_code")
    months = np.arange(1, codes.shape[1] + 1)
    shares = [(codes == CODES[g]).mean(axis=0) for g in REGIMES]
    fig, ax = _subplots(figsize=(7, 4))
    ax.stackplot(
        months, shares, labels=REGIMES, colors=[REGIME_COLOURS[g] for g in REGIMES], alpha=0.85
    )
    ax.set_ylim(0, 1)
    ax.set_xlabel("month")
    ax.set_ylabel("share of replicates")
    ax.set_title(f"{title}: regime each month ({len(results)} replicates)", fontsize=10)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    _save(fig, path)
    return path
