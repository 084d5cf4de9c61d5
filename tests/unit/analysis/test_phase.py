"""Phase diagrams: cell statistics over two parameters, and the figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synthetic_sweeps import bounds_params, grid_design, lhs_design, write_sweep

from sim.analysis.load import SweepResults, load_sweep_folder
from sim.analysis.phase import SHARES, draw_phase, phase_grid

X1 = [0.0, 0.5, 1.0, 1.5]
X2 = [0.2, 0.6, 1.0]


def _plane(params: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """share_facade = x1 / 2 * x2 exactly, share_organic = x2 / 10; added value = x1 - x2
    + x3 (x3 pooled in a cell)."""
    x1, x2, x3 = (params[k].to_numpy() for k in ("x1", "x2", "x3"))
    return {
        "share_facade": x1 / 2 * x2,
        "share_delivering": (1 - x1 / 2) * 0.5,
        "share_organic": x2 / 10,
        "added_value_per_year": x1 - x2 + x3,
    }


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory: pytest.TempPathFactory) -> SweepResults:
    x, design, params = grid_design({"x1": X1, "x2": X2, "x3": [0.0, 0.1, 1.0]})
    folder = tmp_path_factory.mktemp("grid")
    return load_sweep_folder(
        write_sweep(folder, x, design, params, _plane, replicates=2, failed=[(0, 0)])
    )


def test_grid_cells_hold_the_median_over_runs(grid_sweep: SweepResults) -> None:
    grid = phase_grid(grid_sweep, "x1", "x2")
    assert grid.statistic == "median" and not grid.binned
    assert grid.x_values.tolist() == X1 and grid.y_values.tolist() == X2
    assert grid.cells["share_facade"].shape == (3, 4)  # rows follow y
    expect = np.array([[a / 2 * b for a in X1] for b in X2])
    assert np.allclose(grid.cells["share_facade"], expect)
    # x3 levels 0, 0.1, 1 pooled: the median adds 0.1
    expect_effect = np.array([[a - b + 0.1 for a in X1] for b in X2])
    assert np.allclose(grid.cells["added_value_per_year"], expect_effect)
    counts = np.full((3, 4), 6)
    counts[0, 0] = 5  # the failed run is left out
    assert (grid.counts == counts).all()
    assert len(SHARES) == 5 and "share_organic" in SHARES
    assert np.allclose(grid.cells["share_organic"], np.array([[b / 10] * 4 for b in X2]))
    shares = sum(grid.cells[s] for s in SHARES)
    assert np.allclose(shares, 1.0)


def test_sampled_designs_are_binned_and_averaged(tmp_path: Path) -> None:
    params = bounds_params(["x1", "x2", "x3"], 0.0, 2.0)
    x, design = lhs_design(params, 400, seed=5)
    sweep = load_sweep_folder(write_sweep(tmp_path / "l", x, design, params, _plane, replicates=1))
    grid = phase_grid(sweep, "x2", "x1", bins=4)
    assert grid.statistic == "mean" and grid.binned
    assert grid.x_edges.tolist() == [0.0, 0.5, 1.0, 1.5, 2.0]
    assert grid.counts.sum() == 400
    runs = sweep.ok
    cell = runs[(runs.x2 >= 1.5) & (runs.x1 < 0.5)]
    expect = cell["added_value_per_year"].mean()
    assert grid.cells["added_value_per_year"][0, 3] == pytest.approx(expect)
    assert grid.counts[0, 3] == len(cell)


def test_empty_cells_are_nan(tmp_path: Path) -> None:
    params = bounds_params(["x1", "x2"], 0.0, 1.0)
    x = np.array([[0.1, 0.1], [0.9, 0.9]])
    sweep = load_sweep_folder(
        write_sweep(tmp_path / "e", x, {"kind": "lhs"}, params, _two_param, replicates=1)
    )
    grid = phase_grid(sweep, "x1", "x2", bins=2)
    assert np.isnan(grid.cells["added_value_per_year"][0, 1]) and grid.counts[0, 1] == 0
    assert grid.cells["added_value_per_year"][0, 0] == pytest.approx(0.2)


def _two_param(params: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"added_value_per_year": params["x1"].to_numpy() + params["x2"].to_numpy()}


def test_draw_phase_writes_two_pngs(grid_sweep: SweepResults, tmp_path: Path) -> None:
    paths = draw_phase(grid_sweep, "x1", "x2", tmp_path / "figures")
    assert [p.name for p in paths] == [
        "phase_regimes_x1__x2.png",
        "phase_added_value_per_year_x1__x2.png",
    ]
    for p in paths:
        assert p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert not list((tmp_path / "figures").glob(".*tmp"))  # atomic writes leave no debris


def test_bad_pairs_are_refused(grid_sweep: SweepResults) -> None:
    with pytest.raises(ValueError, match="not a varied parameter"):
        phase_grid(grid_sweep, "x1", "nope")
    with pytest.raises(ValueError, match="two different parameters"):
        phase_grid(grid_sweep, "x1", "x1")
    with pytest.raises(ValueError, match="no column"):
        phase_grid(grid_sweep, "x1", "x2", ("missing",))


def _labels_of(monkeypatch: pytest.MonkeyPatch, draw, *args) -> list[list[str]]:
    """The cell labels of each panel of the figure ``draw(*args)`` makes (not saved)."""
    from sim.analysis import phase

    figures = []
    monkeypatch.setattr(phase, "_save", lambda fig, path: figures.append(fig) or path)
    draw(*args)
    (fig,) = figures
    return [[t.get_text() for t in ax.texts] for ax in fig.axes if ax.texts]


def _decimals(label: str) -> int:
    return len(label.split(".")[1]) if "." in label else 0


def test_every_cell_label_of_a_panel_has_the_same_decimals(
    grid_sweep: SweepResults, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.analysis.phase import plot_effect, plot_regimes

    grid = phase_grid(grid_sweep, "x1", "x2")
    # values from 0.0028 to 2 and one of -0.0004: as in a real added-value panel
    grid.cells["added_value_per_year"] = np.array(
        [[2.0, 1.7, 0.31, 0.0028], [1.98, 0.4, 0.036, 0.011], [0.8, 0.069, -0.0004, 0.1]]
    )
    (labels,) = _labels_of(monkeypatch, plot_effect, grid, tmp_path / "e.png")
    assert len(labels) == 12
    assert {_decimals(t) for t in labels} == {2}, labels
    assert "2.00" in labels and "0.00" in labels and "-0.00" not in labels
    grid.cells["added_value_per_year"] = grid.cells["added_value_per_year"] * 5.5
    (labels,) = _labels_of(monkeypatch, plot_effect, grid, tmp_path / "e.png")
    assert {_decimals(t) for t in labels} == {1} and "11.0" in labels, labels
    for panel in _labels_of(monkeypatch, plot_regimes, grid, tmp_path / "r.png"):
        assert {_decimals(t) for t in panel} == {2}, panel  # shares on a 0-1 scale


def test_label_decimals_follow_the_range() -> None:
    from sim.analysis.phase import cell_labels, label_decimals

    assert [label_decimals(s) for s in (11.0, 2.0, 1.0, 0.05, 250.0)] == [1, 2, 2, 4, 0]
    labels = cell_labels(np.array([[3.7, 11.04], [np.nan, 0.0]]), 11.04)
    assert labels.tolist() == [["3.7", "11.0"], ["", "0.0"]]
