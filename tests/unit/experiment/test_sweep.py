"""Sweeps: designs, run keys, resumption, failed runs, and results that do not depend on
the executor."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.core.regimes import REGIMES
from sim.experiment import sweep as sweep_mod
from sim.experiment.designs import design_table
from sim.experiment.sweep import OUTPUTS, load_runs, outputs_of, run_sweep
from sim.experiment.sweepfile import load_sweep
from sim.experiment.sweepparts import load_series
from sim.scenario.loader import ScenarioError

ROOT = Path(__file__).resolve().parents[3]
BASE = ROOT / "scenarios" / "baseline.yaml"

TINY = f"""
name: tiny
base: {BASE}
parameters:
  environment.policy_churn: {{levels: [0.0, 1.0]}}
  partnership.formality: {{low: 0.0, high: 1.0, steps: 3}}
design: {{kind: grid}}
replicates: 2
months: 12
"""


def write(tmp_path: Path, text: str, name: str = "sweep.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def runs_of(out: Path) -> pd.DataFrame:
    frame = load_runs(out).drop(columns=["seconds"])
    return frame.sort_values("key").reset_index(drop=True)


def test_grid_is_the_full_factorial_in_file_order(tmp_path):
    sweep = load_sweep(write(tmp_path, TINY))
    table = design_table(sweep)
    assert list(table.columns) == ["point", "environment.policy_churn", "partnership.formality"]
    assert table["point"].tolist() == list(range(6))
    assert table.iloc[:, 1:].values.tolist() == [
        [0.0, 0.0],
        [0.0, 0.5],
        [0.0, 1.0],
        [1.0, 0.0],
        [1.0, 0.5],
        [1.0, 1.0],
    ]


@pytest.mark.parametrize(
    ("design", "points"),
    [
        ("{kind: lhs, samples: 7, seed: 3}", 7),
        ("{kind: sobol, base_samples: 8, seed: 3}", 8 * 4),
        ("{kind: morris, trajectories: 3, num_levels: 4, seed: 3}", 3 * 3),
    ],
)
def test_sampled_designs_stay_in_range_and_are_reproducible(tmp_path, design, points):
    text = TINY.replace("{levels: [0.0, 1.0]}", "{low: 0.0, high: 2.0}").replace(
        "{kind: grid}", design
    )
    sweep = load_sweep(write(tmp_path, text))
    one, two = design_table(sweep), design_table(sweep)
    assert len(one) == points
    pd.testing.assert_frame_equal(one, two)
    assert one["environment.policy_churn"].between(0, 2).all()
    assert one["partnership.formality"].between(0, 1).all()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            "partnership.formality: {low: 0.0, high: 1.0, steps: 3}",
            "partnership.formalty: {low: 0.0, high: 1.0}",
        ),
    ],
)
def test_bad_sweep_files_name_the_key_path(tmp_path, change, message):
    sweep_file = write(tmp_path, TINY.replace(change, message))
    with pytest.raises(ScenarioError) as err:
        load_sweep(sweep_file)
    text = str(err.value)
    assert "parameters.partnership.formalty" in text and "not a lever" in text


def test_out_of_range_levels_and_levels_in_a_sampled_design_are_rejected(tmp_path):
    bad = write(tmp_path, TINY.replace("{levels: [0.0, 1.0]}", "{levels: [0.0, 99.0]}"))
    with pytest.raises(ScenarioError, match=r"parameters\.environment\.policy_churn"):
        load_sweep(bad)
    sampled = write(
        tmp_path, TINY.replace("{kind: grid}", "{kind: lhs, samples: 4}"), "sampled.yaml"
    )
    with pytest.raises(ScenarioError, match="needs low/high"):
        load_sweep(sampled)
    odd = write(
        tmp_path,
        TINY.replace("{levels: [0.0, 1.0]}", "{low: 0.0, high: 1.0}").replace(
            "{kind: grid}", "{kind: sobol, base_samples: 6}"
        ),
        "odd.yaml",
    )
    with pytest.raises(ScenarioError, match="power of 2"):
        load_sweep(odd)


def test_every_run_is_written_once_and_resuming_runs_nothing_more(tmp_path, monkeypatch):
    chunks: list[int] = []
    real_write = sweep_mod.write_chunk

    def counted(out, rows, series):
        chunks.append(len(rows))
        real_write(out, rows, series)

    monkeypatch.setattr(sweep_mod, "write_chunk", counted)
    sweep = load_sweep(write(tmp_path, TINY))
    out = tmp_path / "out"
    first = run_sweep(sweep, out, progress=False, chunk_size=5)
    assert first["complete"] and first["runs_ok"] == 12 and first["runs_failed"] == 0
    assert chunks == [2, 5, 5]  # the two timed runs, then chunks of 5
    # the finished sweep's parts are merged into one file
    assert [p.name for p in (out / "parts").iterdir()] == ["runs.parquet"]
    runs = load_runs(out)
    assert runs["key"].is_unique and len(runs) == 12
    assert sorted(zip(runs.point, runs.replicate, strict=True)) == [
        (p, r) for p in range(6) for r in range(2)
    ]
    again = run_sweep(sweep, out, progress=False)
    assert again["last_session"]["runs"] == 0 and chunks == [2, 5, 5]
    assert [p.name for p in (out / "parts").iterdir()] == ["runs.parquet"]
    pd.testing.assert_frame_equal(load_runs(out), runs)


def test_chunks_are_sized_on_the_faster_of_the_two_timed_runs(tmp_path, monkeypatch):
    # the first run in a process also loads the compiled kernels: sized on it alone, the
    # chunks of a sweep of 35 ms runs came out a handful of runs long
    chunks: list[int] = []
    real_write, real_run = sweep_mod.write_chunk, sweep_mod.run_one
    seconds = iter([0.5, 0.1])

    def timed(spec):
        row, series = real_run(spec)
        row["seconds"] = next(seconds, 0.1)
        return row, series

    def counted(out, rows, series):
        chunks.append(len(rows))
        real_write(out, rows, series)

    monkeypatch.setattr(sweep_mod, "write_chunk", counted)
    monkeypatch.setattr(sweep_mod, "run_one", timed)
    monkeypatch.setattr(sweep_mod, "CHUNK_SECONDS", 0.4)
    run_sweep(load_sweep(write(tmp_path, TINY)), tmp_path / "out", progress=False)
    assert chunks == [2, 4, 4, 2]  # 0.4 s / 0.1 s = 4 runs a chunk (not 1, from 0.5 s)


def test_run_rows_carry_added_value_ground_value_and_five_regime_shares(tmp_path):
    sweep = load_sweep(write(tmp_path, TINY))
    out = tmp_path / "out"
    manifest = run_sweep(sweep, out, progress=False)
    assert manifest["outputs"] == list(OUTPUTS)
    runs = load_runs(out)
    for name in OUTPUTS:
        assert name in runs.columns
    shares = runs[[f"share_{g}" for g in REGIMES]]
    assert len(REGIMES) == 5 and np.allclose(shares.sum(axis=1), 1.0)
    assert runs["regime_final"].isin(REGIMES).all()
    assert runs["board_months"].between(0, 12).all()
    assert runs["board_alive_final"].isin([0.0, 1.0]).all()
    # the row of point 4 (churn 1, formality 0.5), replicate 1, from that run's series
    spec = sweep.scenario({"environment.policy_churn": 1.0, "partnership.formality": 0.5})
    series = sweep_mod.simulate(spec.model_copy(update={"replicates": 1}), 1).series
    assert set(outputs_of(series)) == set(OUTPUTS)
    row = runs.query("point == 4 and replicate == 1").iloc[0]
    assert row["added_value_per_year"] == pytest.approx(series["added_value_rate"].mean())
    assert row["ground_value_per_year"] == pytest.approx(series["ground_value_rate"].mean())
    assert row["added_value_cumulative"] == pytest.approx(series["added_value"][-1])
    assert row["effect_final"] == pytest.approx(series["partnership_effect"][-12:].mean())
    assert "total effect" in OUTPUTS["effect_final"]


def test_a_folder_of_another_sweep_is_not_resumed(tmp_path):
    out = tmp_path / "out"
    run_sweep(load_sweep(write(tmp_path, TINY)), out, progress=False)
    other = load_sweep(write(tmp_path, TINY.replace("replicates: 2", "replicates: 3"), "b.yaml"))
    with pytest.raises(ScenarioError, match="holds a different sweep"):
        run_sweep(other, out, progress=False)


def test_a_run_that_raises_is_recorded_and_the_sweep_goes_on(tmp_path, monkeypatch):
    real = sweep_mod.simulate

    def flaky(scenario, replicate, months=None):
        if scenario.partnership.formality == 0.5 and replicate == 1:
            raise RuntimeError("boom")
        return real(scenario, replicate, months)

    monkeypatch.setattr(sweep_mod, "simulate", flaky)
    out = tmp_path / "out"
    manifest = run_sweep(load_sweep(write(tmp_path, TINY)), out, progress=False, chunk_size=4)
    assert manifest["runs_ok"] == 10 and manifest["runs_failed"] == 2
    runs = load_runs(out)
    failed = runs[runs.status == "failed"]
    assert set(failed["partnership.formality"]) == {0.5}
    assert set(failed["replicate"]) == {1}
    assert failed["error"].str.startswith("RuntimeError: boom").all()
    assert failed["effect_final"].isna().all()
    assert runs[runs.status == "ok"]["effect_final"].notna().all()


def test_results_are_identical_in_process_and_on_two_worker_processes(tmp_path):
    sweep = load_sweep(write(tmp_path, TINY))
    run_sweep(sweep, tmp_path / "seq", progress=False, chunk_size=3)
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        run_sweep(sweep, tmp_path / "par", pool, workers=2, progress=False, chunk_size=2)
    pd.testing.assert_frame_equal(runs_of(tmp_path / "seq"), runs_of(tmp_path / "par"))


def test_results_are_identical_on_a_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    sweep = load_sweep(write(tmp_path, TINY))
    run_sweep(sweep, tmp_path / "seq", progress=False, chunk_size=3)
    with (
        distributed.LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        run_sweep(
            sweep, tmp_path / "dask", client.get_executor(), workers=2, progress=False, chunk_size=2
        )
    pd.testing.assert_frame_equal(runs_of(tmp_path / "seq"), runs_of(tmp_path / "dask"))


def test_series_are_kept_downsampled_when_asked(tmp_path):
    sweep = load_sweep(write(tmp_path, TINY + "series: {every: 4, keys: [outcome_index]}\n"))
    out = tmp_path / "out"
    run_sweep(sweep, out, progress=False)
    assert [p.name for p in (out / "series").iterdir()] == ["series.parquet"]
    series = load_series(out)
    assert sorted(series["month"].unique()) == [4, 8, 12]
    assert len(series) == 12 * 3
    assert list(series.columns) == ["key", "point", "replicate", "month", "outcome_index"]
    assert np.isfinite(series["outcome_index"]).all()


def test_failed_runs_can_be_run_again_and_the_success_is_kept(tmp_path, monkeypatch):
    real = sweep_mod.simulate

    def flaky(scenario, replicate, months=None):
        if replicate == 1:
            raise RuntimeError("transient")
        return real(scenario, replicate, months)

    sweep = load_sweep(write(tmp_path, TINY))
    out = tmp_path / "out"
    monkeypatch.setattr(sweep_mod, "simulate", flaky)
    assert run_sweep(sweep, out, progress=False)["runs_failed"] == 6
    monkeypatch.setattr(sweep_mod, "simulate", real)
    assert run_sweep(sweep, out, progress=False)["last_session"]["runs"] == 0  # failed = done
    again = run_sweep(sweep, out, progress=False, retry_failed=True)
    assert again["last_session"]["runs"] == 6
    assert again["runs_ok"] == 12 and again["runs_failed"] == 0
    runs = load_runs(out)
    assert len(runs) == 12 and (runs["status"] == "ok").all()
    clean = tmp_path / "clean"
    run_sweep(sweep, clean, progress=False)
    pd.testing.assert_frame_equal(runs_of(out), runs_of(clean))
