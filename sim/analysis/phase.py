"""Phase diagrams: how the regimes and the added value vary over two parameters.

Grid designs: one cell per pair of swept levels, the *median* over the runs in the cell
(all other parameters and replicates pooled). Sampled designs (lhs, sobol, morris): each
parameter's range is cut into ``bins`` equal intervals and each cell shows the *mean*
over the runs that fall in it. Cells without a successful run are hatched. The cells of
a small diagram are labelled with their values, every label of a panel with the same
number of decimals, chosen from the panel's range (:func:`label_decimals`).

:func:`draw_phase` writes two figures: the five regime shares (time-weighted share of
months in ``delivering``, ``facade``, ``organic``, ``inert``, ``dissolved``) and one
output, by default the added value of the partnership (``added_value_per_year``, % of
need per year).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.colors import LinearSegmentedColormap, TwoSlopeNorm
from matplotlib.figure import Figure

from sim.analysis.load import DEFAULT_OUTPUT, REGIMES, SweepError, SweepResults, axis_label
from sim.experiment.io import atomic_write

SHARES = tuple(f"share_{r}" for r in REGIMES)
MAX_GRID_LEVELS = 20
"""A grid parameter with more distinct values than this is binned like a sampled one."""


@dataclass
class PhaseGrid:
    """Cell statistics over parameters ``x`` and ``y``.

    ``cells[q]`` is a ``(len(y_values), len(x_values))`` array for quantity ``q`` (rows
    follow ``y``); ``counts`` holds the number of runs per cell. For binned grids
    ``x_edges``/``y_edges`` are the bin edges and ``*_values`` the bin centres; for
    level grids the edges are ``None`` and ``*_values`` the swept levels.
    """

    x: str
    y: str
    x_values: np.ndarray
    y_values: np.ndarray
    x_edges: np.ndarray | None
    y_edges: np.ndarray | None
    statistic: str
    cells: dict[str, np.ndarray]
    counts: np.ndarray

    @property
    def binned(self) -> bool:
        """Whether either axis is binned (else both are swept grid levels)."""
        return self.x_edges is not None or self.y_edges is not None


def _subplots(*grid: int, figsize: tuple[float, float], constrained_layout: bool = False):
    """Like ``pyplot.subplots``, without pyplot: no global state, no GUI backend."""
    fig = Figure(figsize=figsize, layout="constrained" if constrained_layout else None)
    axes = fig.subplots(*grid) if grid else fig.subplots()
    return fig, axes


def _levels(values: pd.Series) -> np.ndarray:
    return np.unique(values.to_numpy(dtype=float))


def _index(values: np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.clip(np.searchsorted(edges, values, side="right") - 1, 0, edges.size - 2)


def phase_grid(
    sweep: SweepResults,
    x: str,
    y: str,
    quantities: Sequence[str] = (*SHARES, DEFAULT_OUTPUT),
    *,
    bins: int = 8,
) -> PhaseGrid:
    """Statistics of ``quantities`` per cell of parameters ``x`` and ``y`` (successful runs).

    Raises ``SweepError`` (a ``ValueError``) when ``x`` or ``y`` is not a varied
    parameter, when they are the same, or when a quantity is not a column of the runs.
    """
    for name in (x, y):
        if name not in sweep.names:
            raise SweepError(
                f"{name!r} is not a varied parameter; choose from {', '.join(sweep.names)}"
            )
    if x == y:
        raise SweepError("a phase diagram needs two different parameters")
    quantities = list(dict.fromkeys(quantities))
    lacking = [q for q in quantities if q not in sweep.runs.columns]
    if lacking:
        raise SweepError(f"the sweep's runs have no column(s) {', '.join(lacking)}")
    runs = sweep.ok
    xs, ys = runs[x].to_numpy(dtype=float), runs[y].to_numpy(dtype=float)
    grid = sweep.kind == "grid"
    axes = []
    for name, vals in ((x, xs), (y, ys)):
        levels = _levels(sweep.design[name])
        if grid and levels.size <= MAX_GRID_LEVELS:
            idx = np.searchsorted(levels, vals)
            idx = np.clip(idx, 0, levels.size - 1)
            # snap to the nearest level (guards against float noise in the run rows)
            below = np.clip(idx - 1, 0, levels.size - 1)
            idx = np.where(np.abs(vals - levels[below]) < np.abs(vals - levels[idx]), below, idx)
            axes.append((levels, None, idx))
        else:
            low, high = sweep.parameter(name).bounds
            if not high > low:
                low, high = float(np.min(vals)), float(np.max(vals))
                high = high if high > low else low + 1.0
            edges = np.linspace(low, high, bins + 1)
            axes.append(((edges[:-1] + edges[1:]) / 2, edges, _index(vals, edges)))
    (x_values, x_edges, xi), (y_values, y_edges, yi) = axes
    statistic = "median" if x_edges is None and y_edges is None else "mean"
    shape = (y_values.size, x_values.size)
    counts = np.zeros(shape, dtype=np.int64)
    np.add.at(counts, (yi, xi), 1)
    frame = pd.DataFrame({"_xi": xi, "_yi": yi})
    for q in quantities:
        frame[q] = runs[q].to_numpy(dtype=float)
    grouped = frame.groupby(["_yi", "_xi"])[list(quantities)].agg(statistic)
    cells = {}
    for q in quantities:
        arr = np.full(shape, np.nan)
        for (r, c), v in grouped[q].items():
            arr[int(r), int(c)] = v
        cells[q] = arr
    return PhaseGrid(x, y, x_values, y_values, x_edges, y_edges, statistic, cells, counts)


def _tick(v: float) -> str:
    return f"{v:.3g}"


def label_decimals(span: float) -> int:
    """Decimals of every cell label of a panel whose values reach ``span`` in absolute
    value (its colour scale): about three significant digits for the largest value
    (span 11: one decimal; 2: two; 0.05: four), at least none."""
    if not np.isfinite(span) or span <= 0:
        return 2
    return max(0, 2 - math.floor(math.log10(span)))


def cell_labels(values: np.ndarray, span: float) -> np.ndarray:
    """The cell labels of ``values``, all with :func:`label_decimals` of ``span``
    decimals (empty for a cell without a value; no ``-0.00``)."""
    digits = label_decimals(span)
    out = np.full(values.shape, "", dtype=object)
    for idx, v in np.ndenumerate(values):
        if np.isfinite(v):
            out[idx] = f"{round(float(v), digits) + 0.0:.{digits}f}"
    return out


def _draw(
    ax: Axes, grid: PhaseGrid, values: np.ndarray, cmap, norm, annotate: bool, span: float
) -> matplotlib.collections.QuadMesh:
    """Draw ``values`` on ``ax``; with ``annotate``, label every cell with the same number
    of decimals (:func:`cell_labels` of ``span``, the panel's largest absolute value)."""
    masked = np.ma.masked_invalid(values)
    ax.set_facecolor("white")  # cells without a run show the hatched background
    ax.patch.set_hatch("xx")
    ax.patch.set_edgecolor("#bbbbbb")
    # level axes are drawn as evenly spaced cells labelled with the levels
    xe = grid.x_edges if grid.x_edges is not None else np.arange(grid.x_values.size + 1) - 0.5
    ye = grid.y_edges if grid.y_edges is not None else np.arange(grid.y_values.size + 1) - 0.5
    mesh = ax.pcolormesh(xe, ye, masked, cmap=cmap, norm=norm, shading="flat")
    if grid.x_edges is None:
        ax.set_xticks(np.arange(grid.x_values.size), [_tick(v) for v in grid.x_values])
    if grid.y_edges is None:
        ax.set_yticks(np.arange(grid.y_values.size), [_tick(v) for v in grid.y_values])
    if annotate:
        labels = cell_labels(values, span)
        xc = (xe[:-1] + xe[1:]) / 2
        yc = (ye[:-1] + ye[1:]) / 2
        for r in range(values.shape[0]):
            for c in range(values.shape[1]):
                if np.isfinite(values[r, c]):
                    red, green, blue, _ = cmap(norm(values[r, c]))
                    dark = 0.299 * red + 0.587 * green + 0.114 * blue < 0.5
                    ax.text(
                        xc[c],
                        yc[r],
                        labels[r, c],
                        ha="center",
                        va="center",
                        fontsize=7,
                        color="white" if dark else "black",
                    )
    ax.set_xlabel(axis_label(grid.x))
    ax.set_ylabel(axis_label(grid.y))
    return mesh


def _save(fig: Figure, path: Path) -> Path:
    atomic_write(
        path, lambda tmp: fig.savefig(tmp, format="png", dpi=110, metadata={"Software": None})
    )
    return path


def slug(path: str) -> str:
    """A file-name-safe form of a key path (``partnership.formality`` stays readable)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", path)


def _cells_note(grid: PhaseGrid) -> str:
    per = grid.counts[grid.counts > 0]
    runs = f"{per.min()}-{per.max()}" if per.size and per.min() != per.max() else f"{per.max()}"
    return f"{grid.statistic} over {runs} runs per cell; hatched: no run"


def plot_regimes(grid: PhaseGrid, path: Path) -> Path:
    """Five panels, one per regime share, on a 0-1 scale; written to ``path`` (PNG)."""
    from sim.viz.figures import REGIME_COLOURS

    fig, axes = _subplots(2, 3, figsize=(16, 9), constrained_layout=True)
    annotate = grid.counts.size <= 100
    panels = axes.ravel()
    for ax in panels[len(REGIMES) :]:
        ax.set_axis_off()
    for ax, regime in zip(panels, REGIMES, strict=False):
        cmap = LinearSegmentedColormap.from_list(regime, ["#ffffff", REGIME_COLOURS[regime]])
        mesh = _draw(
            ax,
            grid,
            grid.cells[f"share_{regime}"],
            cmap,
            matplotlib.colors.Normalize(0.0, 1.0),
            annotate,
            1.0,
        )
        ax.set_title(f"{regime}")
        fig.colorbar(mesh, ax=ax, label=f"{grid.statistic} share of months in {regime} (0-1)")
    fig.suptitle(f"Regime shares over {grid.x} and {grid.y}\n({_cells_note(grid)})")
    return _save(fig, path)


def plot_effect(grid: PhaseGrid, path: Path, quantity: str = DEFAULT_OUTPUT) -> Path:
    """One panel of ``quantity`` (a diverging scale centred on 0); written to ``path``."""
    values = grid.cells[quantity]
    finite = values[np.isfinite(values)]
    span = float(np.max(np.abs(finite))) if finite.size else 1.0
    span = span if span > 0 else 1.0
    fig, ax = _subplots(figsize=(7, 5.5), constrained_layout=True)
    mesh = _draw(
        ax,
        grid,
        values,
        matplotlib.colormaps["RdBu"],
        TwoSlopeNorm(0.0, -span, span),
        grid.counts.size <= 100,
        span,
    )
    fig.colorbar(mesh, ax=ax, label=f"{grid.statistic} {axis_label(quantity)}")
    ax.set_title(f"{quantity} over {grid.x} and {grid.y}\n({_cells_note(grid)})", fontsize=10)
    return _save(fig, path)


def draw_phase(
    sweep: SweepResults,
    x: str,
    y: str,
    out_dir: Path,
    *,
    effect: str = DEFAULT_OUTPUT,
    bins: int = 8,
) -> list[Path]:
    """Write ``phase_regimes_<x>__<y>.png`` and ``phase_<effect>_<x>__<y>.png`` to
    ``out_dir``; return their paths."""
    grid = phase_grid(sweep, x, y, (*SHARES, effect), bins=bins)
    stem = f"{slug(x)}__{slug(y)}"
    return [
        plot_regimes(grid, out_dir / f"phase_regimes_{stem}.png"),
        plot_effect(grid, out_dir / f"phase_{slug(effect)}_{stem}.png", effect),
    ]
