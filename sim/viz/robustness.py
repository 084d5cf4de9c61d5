"""The figure of a robustness screening: which constants move the answer most.

Horizontal bars of ``mu_star`` (mean absolute elementary effect) for the top 20 constants,
largest at the top, with whiskers for the bootstrap interval and a tick for the replicate
noise floor; bars whose interval includes 0 or stays within replicate noise are drawn
pale. Built from a ``robustness.json`` record (no pyplot state).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sim.experiment.io import atomic_write

TOP = 20
CLEAR, FLAGGED, NOISE = "#1f77b4", "#aec7e8", "#7f7f7f"


def robustness_figure(record: dict[str, Any], top: int = TOP) -> Figure:
    """Bars of ``mu_star`` with ``mu_star_conf`` whiskers for the ``top`` constants."""
    rows = record["table"][:top]
    n = len(rows)
    fig = Figure(figsize=(9.0, 1.6 + 0.32 * max(n, 1)))
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(n)[::-1]
    mu = np.array([r["mu_star"] or 0.0 for r in rows])
    conf = np.array([r["mu_star_conf"] or 0.0 for r in rows])
    colours = [FLAGGED if r["flag"] else CLEAR for r in rows]
    ax.barh(y, mu, xerr=conf, color=colours, ecolor="black", capsize=2, height=0.7)
    floors = [(yy, r["noise_floor"]) for yy, r in zip(y, rows, strict=True) if r["noise_floor"]]
    if floors:
        ax.scatter(
            [f for _, f in floors],
            [yy for yy, _ in floors],
            marker="|",
            s=120,
            color=NOISE,
            zorder=3,
            label="replicate noise floor",
        )
        ax.legend(loc="lower right", fontsize=8, frameon=False)
    ax.set_yticks(y)
    ax.set_yticklabels([r["constant"] for r in rows], fontsize=8)
    ax.set_xlim(left=0)
    ax.set_xlabel(f"mu* (mean |elementary effect|), {record['units']}")
    design = record["design"]
    what = textwrap.fill(f"Which assumptions move the {record['screened']}", 80)
    ax.set_title(
        f"{what}\ntop {n} of {design['constants_varied']} constants; "
        f"{design['trajectories']} Morris trajectories x {len(record['replicates'])} replicates",
        fontsize=10,
    )
    fig.text(
        0.01,
        0.005,
        "A screening of one-at-a-time steps, not a variance decomposition. Whiskers: 95% "
        "bootstrap interval; pale bars: interval includes 0 or within replicate noise.",
        fontsize=7,
        va="bottom",
    )
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def draw_robustness(record: dict[str, Any], path: Path) -> Path:
    """Write the figure of ``record`` as a PNG at ``path``, atomically."""
    fig = robustness_figure(record)
    atomic_write(
        path, lambda tmp: fig.savefig(tmp, format="png", dpi=110, metadata={"Software": None})
    )
    return path
