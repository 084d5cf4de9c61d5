"""Variance decomposition over a grid: main effects see a hump that rank correlation
misses; interactions, residual noise and the shape of each parameter's level means."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synthetic_sweeps import grid_design, write_sweep

from sim.analysis.load import load_sweep_folder
from sim.analysis.sensitivity import sensitivity
from sim.analysis.variance import decompose, has_levels, shape

X1 = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
X2 = [0.0, 0.5, 1.0]
NOISE = 0.2


def _hump(params: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """y = 4 x1 (1 - x1) + noise: highest at x1 0.4-0.6, the same at both ends; x2 does
    nothing."""
    x1 = params["x1"].to_numpy()
    y = 4 * x1 * (1 - x1) + rng.normal(0.0, NOISE, len(params))
    return {"added_value_per_year": y, "effect_final": -y}


def _interaction(params: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """y = 4 (x1 - 0.5)(x2 - 0.5) + noise: no main effect at all, only the pair's."""
    x1, x2 = params["x1"].to_numpy(), params["x2"].to_numpy()
    y = 4 * (x1 - 0.5) * (x2 - 0.5) + rng.normal(0.0, 0.05, len(params))
    return {"added_value_per_year": y}


def _linear(params: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    x1 = params["x1"].to_numpy()
    return {"added_value_per_year": 3 * x1 + rng.normal(0.0, NOISE, len(params))}


def _noise(params: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"added_value_per_year": rng.normal(0.0, 1.0, len(params))}


def _sweep(tmp_path: Path, outputs, replicates: int = 4, **kw):
    x, design, params = grid_design({"x1": X1, "x2": X2})
    folder = write_sweep(tmp_path / "g", x, design, params, outputs, replicates=replicates, **kw)
    return load_sweep_folder(folder)


def test_a_hump_is_named_with_where_it_peaks_and_not_called_noise(tmp_path: Path) -> None:
    result = sensitivity(_sweep(tmp_path, _hump), "added_value_per_year")
    assert result.method == "anova" and result.main == "share"
    assert result.ranking()[0] == "x1"
    assert result.table.at["x1", "share"] > 0.6 and result.table.at["x1", "p"] < 0.001
    assert result.table.at["x1", "shape"] == "hump, highest at 0.4-0.6"
    text = result.to_text()
    assert "hump, highest at 0.4-0.6" in text
    assert "x1 is non-monotone: hump, highest at 0.4-0.6" in text
    assert not any(w.startswith(("share of x1", "rho of x1")) for w in result.warnings)
    # x2 does nothing: its share is flagged, and its level means are flat
    assert any(w.startswith("share of x2 (") and "within noise" in w for w in result.warnings)
    assert result.table.at["x2", "shape"] == "flat"


def test_rank_correlation_alone_misses_the_hump(tmp_path: Path) -> None:
    """The secondary rho column: a symmetric hump has no rank correlation, which is why
    a grid is decomposed instead."""
    result = sensitivity(_sweep(tmp_path, _hump), "added_value_per_year")
    rho, conf = result.table.at["x1", "rho"], result.table.at["x1", "rho_conf"]
    assert abs(rho) < 0.3 and rho - conf < 0 < rho + conf


def test_a_dip_is_named_with_where_it_bottoms_out(tmp_path: Path) -> None:
    result = sensitivity(_sweep(tmp_path, _hump), "effect_final")
    assert result.table.at["x1", "shape"] == "dip, lowest at 0.4-0.6"


def test_a_monotone_effect_is_rising_and_shares_add_up_to_one(tmp_path: Path) -> None:
    sweep = _sweep(tmp_path, _linear)
    result = sensitivity(sweep, "added_value_per_year")
    assert result.table.at["x1", "shape"] == "rising"
    assert result.table.at["x1", "rho"] > 0.9
    d = result.decomposition
    total = sum(e.share for e in d.mains.values()) + sum(e.share for e in d.pairs.values())
    assert total + d.higher + d.residual == pytest.approx(1.0)
    assert d.higher == 0.0  # two parameters: nothing above the pair


def test_the_decomposition_matches_the_textbook_two_way_anova(tmp_path: Path) -> None:
    sweep = _sweep(tmp_path, _hump)
    d = decompose(sweep.ok, sweep.design, sweep.names, "added_value_per_year", resamples=0)
    runs = sweep.ok
    y = runs["added_value_per_year"]
    grand = y.mean()
    ss_total = ((y - grand) ** 2).sum()
    a = runs.groupby("x1")["added_value_per_year"].transform("mean")
    b = runs.groupby("x2")["added_value_per_year"].transform("mean")
    cell = runs.groupby(["x1", "x2"])["added_value_per_year"].transform("mean")
    assert d.mains["x1"].share == pytest.approx(((a - grand) ** 2).sum() / ss_total)
    assert d.mains["x2"].share == pytest.approx(((b - grand) ** 2).sum() / ss_total)
    pair = ((cell - a - b + grand) ** 2).sum() / ss_total
    assert d.pairs[("x1", "x2")].share == pytest.approx(pair)
    assert d.residual == pytest.approx(((y - cell) ** 2).sum() / ss_total)


def test_a_pure_interaction_is_found_in_the_pair_not_the_mains(tmp_path: Path) -> None:
    result = sensitivity(_sweep(tmp_path, _interaction), "added_value_per_year")
    pair = result.decomposition.pairs[("x1", "x2")]
    assert pair.share > 0.9 and pair.p < 0.001
    assert re.search(r"interaction x1 x x2: share (0\.9\d|1\.00) \+/- ", result.to_text())
    assert all(result.table["share"] < 0.05)


def test_noise_alone_is_within_noise_everywhere(tmp_path: Path) -> None:
    result = sensitivity(_sweep(tmp_path, _noise), "added_value_per_year")
    for name in ("x1", "x2"):
        assert any(w.startswith(f"share of {name} (") for w in result.warnings)
        assert result.table.at[name, "shape"] == "flat"
    assert any(w.startswith("interaction x1 x x2") for w in result.warnings)


def test_one_run_per_point_tests_against_the_interaction(tmp_path: Path) -> None:
    result = sensitivity(_sweep(tmp_path, _hump, replicates=1), "added_value_per_year")
    assert result.method == "anova"
    assert any("highest-order interaction stands in for the noise" in n for n in result.notes)
    assert result.table.at["x1", "p"] < 0.001
    assert not np.isfinite(result.decomposition.pairs[("x1", "x2")].p)


def test_a_grid_point_without_a_run_falls_back_to_rank_correlation(tmp_path: Path) -> None:
    sweep = _sweep(tmp_path, _hump, replicates=1, failed=[(4, 0)])
    result = sensitivity(sweep, "added_value_per_year")
    assert result.method == "rank"
    assert any("without a successful run" in n for n in result.notes)


def test_the_decomposition_is_reproducible(tmp_path: Path) -> None:
    sweep = _sweep(tmp_path, _hump)
    a = sensitivity(sweep, "added_value_per_year")
    b = sensitivity(sweep, "added_value_per_year")
    pd.testing.assert_frame_equal(a.table, b.table)
    assert a.to_text() == b.to_text()


def test_only_a_full_factorial_has_levels() -> None:
    x, _, _ = grid_design({"x1": X1, "x2": X2})
    design = pd.DataFrame(x, columns=["x1", "x2"])
    assert has_levels(design, ["x1", "x2"])
    assert not has_levels(design.iloc[:-1], ["x1", "x2"])  # a cell missing
    lhs = pd.DataFrame({"x1": np.linspace(0, 1, 20), "x2": np.linspace(1, 0, 20)})
    assert not has_levels(lhs, ["x1", "x2"])


def test_a_rise_within_noise_is_not_a_hump() -> None:
    levels = np.array([0.0, 0.5, 1.0])
    small = shape(levels, np.array([0.0, 0.1, 0.0]), np.full(3, 0.01), 0.95)
    assert small.kind == "flat"
    clear = shape(levels, np.array([0.0, 1.0, 0.0]), np.full(3, 0.01), 0.95)
    assert clear.words() == "hump, highest at 0.5"
