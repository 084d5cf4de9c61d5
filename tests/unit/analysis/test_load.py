"""Reading sweep folders: deduplication, failed runs, replicate means, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from synthetic_sweeps import bounds_params, facade_truth, grid_design, lhs_design, write_sweep

from sim.analysis.load import axis_label, load_sweep_folder, parameter_unit


def _lhs(folder: Path, **kwargs) -> Path:
    params = bounds_params(["x1", "x2", "x3"])
    x, design = lhs_design(params, 20)
    return write_sweep(folder, x, design, params, facade_truth, **kwargs)


def test_loads_runs_design_and_manifest(tmp_path: Path) -> None:
    sweep = load_sweep_folder(_lhs(tmp_path / "s", replicates=3, chunk=7))
    assert sweep.kind == "lhs"
    assert sweep.names == ["x1", "x2", "x3"]
    assert len(sweep.design) == 20
    assert len(sweep.runs) == 60 and len(sweep.ok) == 60
    assert sweep.part_files == 9
    assert sweep.duplicates == 0 and sweep.missing == 0
    assert "effect_final" in sweep.outputs and "regime_final" not in sweep.outputs
    assert {"added_value_per_year", "ground_value_per_year", "share_organic"} <= set(sweep.outputs)
    assert "x1" not in sweep.outputs and "seconds" not in sweep.outputs


def test_duplicates_across_parts_are_counted_once_keeping_the_first(tmp_path: Path) -> None:
    sweep = load_sweep_folder(_lhs(tmp_path / "s", duplicate=[(0, 0), (5, 1)]))
    assert sweep.duplicates == 2
    assert len(sweep.runs) == 40
    assert sweep.runs["key"].is_unique
    assert (sweep.runs["effect_final"] < 999).all()  # the resumed copies are ignored


def test_failed_runs_are_counted_and_excluded(tmp_path: Path) -> None:
    sweep = load_sweep_folder(_lhs(tmp_path / "s", replicates=2, failed=[(4, 1), (7, 0), (7, 1)]))
    assert len(sweep.failed) == 3
    assert len(sweep.ok) == 37
    means = sweep.point_means(["effect_final"])
    assert list(means.index) == list(range(20))
    assert means.loc[4, "n_ok"] == 1
    only = sweep.runs.query("point == 4 and replicate == 0")["effect_final"].iloc[0]
    assert means.loc[4, "effect_final"] == pytest.approx(only)
    assert means.loc[7, "n_ok"] == 0 and np.isnan(means.loc[7, "effect_final"])
    assert means.loc[0, "x1"] == sweep.design.loc[0, "x1"]


def test_replicate_means_skip_nan_outputs(tmp_path: Path) -> None:
    sweep = load_sweep_folder(_lhs(tmp_path / "s"))
    means = sweep.point_means(["delivery_ratio_final"])
    high_x2 = means["x2"] > 0.5
    assert means.loc[high_x2, "delivery_ratio_final"].isna().all()
    assert (means.loc[~high_x2, "delivery_ratio_final"] == 0.7).all()


def test_grid_levels_are_read(tmp_path: Path) -> None:
    x, design, params = grid_design({"x1": [0.0, 0.5, 1.0], "x2": [0.2, 0.8]})
    sweep = load_sweep_folder(write_sweep(tmp_path / "g", x, design, params, facade_truth))
    assert sweep.kind == "grid"
    assert sweep.parameter("x1").levels == (0.0, 0.5, 1.0)
    assert sweep.parameter("x2").bounds == (0.2, 0.8)
    assert sweep.parameter("x2").describe() == "levels 0.2, 0.8"


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a folder"):
        load_sweep_folder(tmp_path / "nowhere")


def test_no_manifest_names_the_file(tmp_path: Path) -> None:
    folder = _lhs(tmp_path / "s")
    (folder / "manifest.json").unlink()
    with pytest.raises(ValueError, match=r"manifest\.json: missing"):
        load_sweep_folder(folder)


def test_incomplete_sweep_is_refused(tmp_path: Path) -> None:
    folder = _lhs(tmp_path / "s", complete=False)
    with pytest.raises(ValueError, match=r"manifest\.json: 'complete' is not true"):
        load_sweep_folder(folder)


def test_broken_manifest(tmp_path: Path) -> None:
    folder = _lhs(tmp_path / "s")
    (folder / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"manifest\.json: cannot be read as JSON"):
        load_sweep_folder(folder)


def test_unknown_design_kind(tmp_path: Path) -> None:
    folder = _lhs(tmp_path / "s")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["design"]["kind"] = "random"
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match=r"design\.kind must be one of"):
        load_sweep_folder(folder)


def test_no_parts(tmp_path: Path) -> None:
    folder = _lhs(tmp_path / "s")
    for part in (folder / "parts").glob("*.parquet"):
        part.unlink()
    with pytest.raises(ValueError, match=r"parts: no run files"):
        load_sweep_folder(folder)


def test_unreadable_part_names_the_file(tmp_path: Path) -> None:
    folder = _lhs(tmp_path / "s")
    (folder / "parts" / "part-00001.parquet").write_bytes(b"not parquet")
    with pytest.raises(ValueError, match=r"part-00001\.parquet: cannot be read"):
        load_sweep_folder(folder)


def test_design_lacking_a_parameter_column(tmp_path: Path) -> None:
    folder = _lhs(tmp_path / "s")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["parameters"].append({"path": "x9", "low": 0, "high": 1})
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match=r"design\.parquet: lacks column\(s\) x9"):
        load_sweep_folder(folder)


def test_design_point_count_must_match_manifest(tmp_path: Path) -> None:
    folder = _lhs(tmp_path / "s")
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["points"] = 21
    (folder / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ValueError, match=r"holds 20 points but manifest\.json says 21"):
        load_sweep_folder(folder)


def test_units_come_from_the_scenario_schema() -> None:
    assert parameter_unit("environment.policy_churn") == "reorganisations per year"
    assert parameter_unit("partnership.leadership.strength") == "index 0-1"
    assert parameter_unit("no.such.key") is None
    assert axis_label("partnership.formality") == "partnership.formality [index 0-1]"
    assert axis_label("added_value_per_year") == "added_value_per_year [% of need per year]"
    assert axis_label("effect_final") == "effect_final [index points, total effect]"
    assert axis_label("share_organic") == "share_organic [share of months (0-1)]"
    assert axis_label("x1") == "x1"


def test_a_folder_with_missing_runs_is_refused_naming_how_many(tmp_path: Path) -> None:
    folder = _lhs(tmp_path / "s", replicates=2, chunk=7)  # 40 runs in parts of 7
    (folder / "parts" / "part-00002.parquet").unlink()
    with pytest.raises(ValueError, match=r"7 of 40 runs are missing") as err:
        load_sweep_folder(folder)
    assert "design point" in str(err.value) and "resume" in str(err.value)


def test_two_runs_of_one_point_and_replicate_are_refused(tmp_path: Path) -> None:
    """Rows from two model versions (two keys for one run) are never averaged together."""
    folder = _lhs(tmp_path / "s", replicates=2, chunk=7)
    part = folder / "parts" / "part-00000.parquet"
    again = pq.read_table(part).to_pandas()
    again["key"] = again["key"] + "-v2"
    again.to_parquet(folder / "parts" / "part-99998.parquet", index=False)
    with pytest.raises(ValueError, match=r"7 runs appear more than once"):
        load_sweep_folder(folder)


def test_a_sweep_of_an_earlier_partnersim_is_refused_not_read_with_old_labels(
    tmp_path: Path,
) -> None:
    """Runs without added value or the organic regime were labelled by other rules."""
    folder = _lhs(tmp_path / "s", replicates=1)
    for part in (folder / "parts").glob("*.parquet"):
        old = pq.read_table(part).to_pandas()
        old.drop(columns=["added_value_per_year", "share_organic"]).to_parquet(part, index=False)
    with pytest.raises(ValueError, match="earlier partnersim") as err:
        load_sweep_folder(folder)
    assert "added value" in str(err.value) and "organic" in str(err.value)
    assert "run the sweep again" in str(err.value)
