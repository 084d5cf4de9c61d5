"""Sensitivity indices on synthetic sweeps whose truth is known."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from synthetic_sweeps import (
    bounds_params,
    facade_truth,
    grid_design,
    lhs_design,
    morris_design,
    sobol_design,
    write_sweep,
)

from sim.analysis.load import SweepResults, load_sweep_folder
from sim.analysis.sensitivity import replicate_noise, sensitivity

PARAMS = bounds_params(["x1", "x2", "x3"])


def _linear(params: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    x1, x2 = params["x1"].to_numpy(), params["x2"].to_numpy()
    return {"effect_final": 3.0 * x1 + 0.5 * x2 + rng.normal(0.0, 0.05, len(params))}


def _pure_noise(params: pd.DataFrame, rng: np.random.Generator) -> dict[str, np.ndarray]:
    return {"effect_final": 0.1 * params["x1"].to_numpy() + rng.normal(0.0, 1.0, len(params))}


@pytest.fixture(scope="module")
def sobol_sweep(tmp_path_factory: pytest.TempPathFactory) -> SweepResults:
    x, design = sobol_design(PARAMS, 128)
    folder = tmp_path_factory.mktemp("sobol")
    return load_sweep_folder(write_sweep(folder, x, design, PARAMS, facade_truth, replicates=2))


def test_sobol_total_index_of_the_only_driver_dominates(sobol_sweep: SweepResults) -> None:
    result = sensitivity(sobol_sweep, "effect_final")
    assert result.method == "sobol" and result.main == "ST"
    assert result.ranking()[0] == "x1"
    table = result.table
    assert table.at["x1", "ST"] > 0.8
    assert table.at["x1", "S1"] > 0.8
    assert table.at["x2", "ST"] < 0.05 and table.at["x3", "ST"] < 0.05
    assert result.points_used == result.points_total == 128 * 5


def test_indices_of_inert_parameters_are_flagged_within_noise(sobol_sweep: SweepResults) -> None:
    result = sensitivity(sobol_sweep, "effect_final")
    flagged = " ".join(result.warnings)
    assert any(w.startswith("ST of x3 (") and "is within noise" in w for w in result.warnings)
    assert "S1 of x3" in flagged
    assert "of x1 " not in flagged
    text = result.to_text()
    assert "warning: ST of x3" in text and "Sobol indices of effect_final" in text
    assert "| `x1` |" in result.to_markdown()


def test_results_are_reproducible(sobol_sweep: SweepResults) -> None:
    a = sensitivity(sobol_sweep, "effect_final").table
    b = sensitivity(sobol_sweep, "effect_final").table
    pd.testing.assert_frame_equal(a, b)


def test_failed_point_drops_its_saltelli_block(tmp_path: Path) -> None:
    x, design = sobol_design(PARAMS, 32)
    folder = write_sweep(
        tmp_path / "s", x, design, PARAMS, facade_truth, replicates=1, failed=[(7, 0)]
    )
    result = sensitivity(load_sweep_folder(folder), "effect_final")
    assert result.points_used == (32 - 1) * 5
    assert any("1 of 32 Saltelli blocks dropped" in n for n in result.notes)
    assert result.ranking()[0] == "x1"


def test_design_out_of_saltelli_order_is_refused(tmp_path: Path) -> None:
    x, design = sobol_design(PARAMS, 16)
    shuffled = x[np.random.default_rng(3).permutation(len(x))]
    folder = write_sweep(tmp_path / "s", shuffled, design, PARAMS, facade_truth)
    with pytest.raises(ValueError, match="Saltelli order"):
        sensitivity(load_sweep_folder(folder), "effect_final")


def test_morris_mu_star_ranks_the_drivers(tmp_path: Path) -> None:
    x, design = morris_design(PARAMS, 30, levels=4)
    folder = write_sweep(tmp_path / "m", x, design, PARAMS, _linear, replicates=2)
    result = sensitivity(load_sweep_folder(folder), "effect_final")
    assert result.method == "morris" and result.main == "mu_star"
    assert result.ranking() == ["x1", "x2", "x3"]
    # an elementary effect is the change over a step divided by the step as a share of the
    # range: the slope over the full range
    assert result.table.at["x1", "mu_star"] == pytest.approx(3.0, abs=0.1)
    assert result.table.at["x2", "mu_star"] == pytest.approx(0.5, abs=0.1)
    assert any(w.startswith("mu_star of x3") for w in result.warnings)
    assert not any("of x1 " in w for w in result.warnings)


def test_lhs_uses_rank_correlation(tmp_path: Path) -> None:
    x, design = lhs_design(PARAMS, 60)
    folder = write_sweep(tmp_path / "l", x, design, PARAMS, _linear)
    result = sensitivity(load_sweep_folder(folder), "effect_final")
    assert result.method == "rank" and result.main == "rho"
    assert result.ranking()[0] == "x1"
    assert result.table.at["x1", "rho"] > 0.9
    assert any(w.startswith("rho of x3") for w in result.warnings)
    assert any("screening measure" in n for n in result.notes)


def test_grid_is_decomposed_by_variance_with_rank_correlation_beside(tmp_path: Path) -> None:
    x, design, params = grid_design({"x1": [0, 0.25, 0.5, 0.75, 1], "x2": [0, 0.5, 1]})
    folder = write_sweep(tmp_path / "g", x, design, params, _linear)
    result = sensitivity(load_sweep_folder(folder), "effect_final")
    assert result.method == "anova" and result.main == "share"
    assert result.ranking()[0] == "x1"
    assert result.table.at["x1", "shape"] == "rising"
    assert result.columns() == ["share", "p", "shape", "rho"]
    assert result.table.at["x1", "rho"] > 0.9


def test_replicate_noise_is_estimated_and_warned_about(tmp_path: Path) -> None:
    x, design = lhs_design(PARAMS, 40)
    folder = write_sweep(tmp_path / "n", x, design, PARAMS, _pure_noise, replicates=4)
    sweep = load_sweep_folder(folder)
    noise = replicate_noise(sweep, "effect_final")
    assert noise.share is not None and noise.share > 0.8
    assert noise.replicates == 4
    result = sensitivity(sweep, "effect_final")
    assert any(w.startswith("replicate noise is large") for w in result.warnings)


def test_small_replicate_noise_gives_no_warning(sobol_sweep: SweepResults) -> None:
    noise = replicate_noise(sobol_sweep, "effect_final")
    assert noise.share is not None and noise.share < 0.05
    result = sensitivity(sobol_sweep, "effect_final")
    assert not any(w.startswith("replicate noise") for w in result.warnings)


def test_one_replicate_noise_cannot_be_estimated(tmp_path: Path) -> None:
    x, design = lhs_design(PARAMS, 20)
    folder = write_sweep(tmp_path / "one", x, design, PARAMS, _linear, replicates=1)
    noise = replicate_noise(load_sweep_folder(folder), "effect_final")
    assert noise.share is None
    assert "cannot be estimated" in noise.describe()


def test_constant_output_warns_instead_of_failing(sobol_sweep: SweepResults) -> None:
    result = sensitivity(sobol_sweep, "share_dissolved")
    assert any("does not vary" in w for w in result.warnings)


def test_unknown_output_is_refused(sobol_sweep: SweepResults) -> None:
    with pytest.raises(ValueError, match="not among the sweep's outputs"):
        sensitivity(sobol_sweep, "nonsense")


def test_design_must_be_whole_saltelli_blocks(tmp_path: Path) -> None:
    x, design = sobol_design(PARAMS, 16)
    folder = write_sweep(tmp_path / "s", x[:-1], design, PARAMS, facade_truth)
    with pytest.raises(ValueError, match="not a multiple"):
        sensitivity(load_sweep_folder(folder), "effect_final")


def test_point_means_follow_design_order(tmp_path: Path) -> None:
    x, design = sobol_design(PARAMS, 16)
    folder = write_sweep(tmp_path / "s", x, design, PARAMS, facade_truth, chunk=13)
    parts = sorted((folder / "parts").glob("*.parquet"))
    # rewrite the parts in reverse point order: the means must still follow the design
    frame = pd.concat([pq.read_table(p).to_pandas() for p in parts]).iloc[::-1]
    for p in parts:
        p.unlink()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), parts[0])
    means = load_sweep_folder(folder).point_means(["effect_final"])
    assert np.allclose(means["x1"].to_numpy(), x[:, 0])
