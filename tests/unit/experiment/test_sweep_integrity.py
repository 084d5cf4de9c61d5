"""Sweep folders that cannot lie: repeated design points keep their own runs, a folder is
never resumed with other model code, a resumed sweep is marked incomplete until it ends,
series keys are checked up front and a sweep in which every run failed says so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli.main import main
from sim.experiment import sweep as sweep_mod
from sim.experiment.designs import design_table
from sim.experiment.sweep import SERIES_DEFAULT, load_runs, run_sweep
from sim.experiment.sweepcheck import series_names
from sim.experiment.sweepfile import load_sweep
from sim.scenario.loader import ScenarioError
from tests.unit.experiment.test_sweep import TINY, write


def assert_every_point_has_its_runs(out: Path, points: int, replicates: int) -> None:
    runs = load_runs(out)
    pairs = sorted(zip(runs.point, runs.replicate, strict=True))
    assert pairs == [(p, r) for p in range(points) for r in range(replicates)]
    design = design_table(load_sweep(out.parent / "sweep.yaml")).set_index("point")
    for name in design.columns:  # each row carries its own point's values
        assert (runs[name].to_numpy() == design.loc[runs["point"], name].to_numpy()).all()


# -- item 3: repeated design points ------------------------------------------------------


def test_a_morris_design_with_repeated_points_gives_every_point_its_runs(tmp_path):
    text = TINY.replace("{levels: [0.0, 1.0]}", "{low: 0.0, high: 2.0}").replace(
        "{kind: grid}", "{kind: morris, trajectories: 6, num_levels: 2, seed: 1}"
    )
    sweep = load_sweep(write(tmp_path, text))
    design = design_table(sweep)
    assert design.drop(columns="point").duplicated().any(), "the test needs repeated points"
    out = tmp_path / "out"
    manifest = run_sweep(sweep, out, progress=False)
    assert manifest["runs_ok"] == len(design) * 2
    assert_every_point_has_its_runs(out, len(design), 2)


def test_a_grid_with_repeated_levels_gives_every_point_its_runs(tmp_path):
    text = TINY.replace("{levels: [0.0, 1.0]}", "{levels: [0.5, 0.5]}")
    sweep = load_sweep(write(tmp_path, text))
    out = tmp_path / "out"
    manifest = run_sweep(sweep, out, progress=False)
    assert manifest["runs_ok"] == 12 and manifest["runs"] == 12
    assert_every_point_has_its_runs(out, 6, 2)
    assert load_runs(out)["key"].is_unique


# -- item 4: resuming after the model code changed ---------------------------------------


def test_resuming_with_other_model_code_is_refused_and_mixes_nothing(tmp_path, monkeypatch):
    sweep = load_sweep(write(tmp_path, TINY))
    out = tmp_path / "out"
    run_sweep(sweep, out, progress=False)
    held = json.loads((out / "manifest.json").read_text())["model_fingerprint"]
    parts = sorted((out / "parts").glob("*.parquet"))
    monkeypatch.setattr(sweep_mod, "model_fingerprint", lambda: "0123456789abcdef")
    with pytest.raises(ScenarioError) as err:
        run_sweep(sweep, out, progress=False)
    text = str(err.value)
    assert held in text and "0123456789abcdef" in text
    assert "--out" in text and "delete" in text
    assert sorted((out / "parts").glob("*.parquet")) == parts
    assert json.loads((out / "manifest.json").read_text())["complete"] is True


def test_a_resumed_sweep_is_marked_incomplete_until_it_ends(tmp_path, monkeypatch):
    real = sweep_mod.simulate

    def flaky(scenario, replicate, months=None):
        if replicate == 1:
            raise RuntimeError("transient")
        return real(scenario, replicate, months)

    def interrupted(scenario, replicate, months=None):
        raise KeyboardInterrupt

    sweep = load_sweep(write(tmp_path, TINY))
    out = tmp_path / "out"
    monkeypatch.setattr(sweep_mod, "simulate", flaky)
    assert run_sweep(sweep, out, progress=False)["complete"] is True
    monkeypatch.setattr(sweep_mod, "simulate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep, out, progress=False, retry_failed=True)
    assert json.loads((out / "manifest.json").read_text())["complete"] is False


# -- item 6: series keys, and a sweep in which every run failed --------------------------


def test_a_series_key_typo_is_refused_when_the_file_is_read(tmp_path):
    path = write(tmp_path, TINY + "series: {every: 3, keys: [outcome_idx]}\n")
    with pytest.raises(ScenarioError) as err:
        load_sweep(path)
    text = str(err.value)
    assert "series.keys" in text and "outcome_idx" in text
    assert "outcome_index" in text and "partnership_effect" in text  # the valid keys


def test_valid_series_keys_are_exactly_the_series_a_run_records(tmp_path):
    sweep = load_sweep(write(tmp_path, TINY))
    recorded = set(sweep_mod.simulate(sweep.base, 0, months=1).series)
    assert set(series_names(sweep.base)) == recorded
    assert set(SERIES_DEFAULT) <= recorded


def test_the_measures_of_the_three_worlds_can_be_kept_as_series(tmp_path):
    keys = ["added_value", "added_value_rate", "ground_value_rate", "boardless_outcome_index"]
    text = TINY + f"series: {{every: 6, keys: [{', '.join(keys)}, added_value_window]}}\n"
    assert load_sweep(write(tmp_path, text)).spec.series.keys[:4] == keys


def test_a_series_no_longer_recorded_is_refused_saying_what_replaced_it(tmp_path):
    text = TINY + "series: {every: 3, keys: [outcome_index, joint_work_window, nosuch]}\n"
    with pytest.raises(ScenarioError) as err:
        load_sweep(write(tmp_path, text))
    problems = {p.path: p.message for p in err.value.problems}
    assert set(problems) == {"series.keys[1]", "series.keys[2]"}
    assert "no longer recorded" in problems["series.keys[1]"]
    assert "added_value_window" in problems["series.keys[1]"]
    assert "unknown series 'nosuch'" in problems["series.keys[2]"]


def test_a_sweep_in_which_every_run_failed_exits_1(tmp_path, monkeypatch, capsys):
    def broken(scenario, replicate, months=None):
        raise RuntimeError("model broke")

    monkeypatch.setattr(sweep_mod, "simulate", broken)
    out = tmp_path / "out"
    code = main(["sweep", str(write(tmp_path, TINY)), "--out", str(out), "--workers", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert "every run failed" in err and "RuntimeError: model broke" in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is True
    assert manifest["runs_ok"] == 0 and manifest["runs_failed"] == 12


# -- item 16: clearer messages -------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "valid"),
    [
        ("replicates: 2", "replicate: 2", "replicate", "replicates"),
        ("{kind: grid}", "{kind: lhs, sampels: 10}", "design: unknown key 'sampels'", "samples"),
        ("{levels: [0.0, 1.0]}", "{level: [0.0, 1.0]}", "level", "levels"),
    ],
    ids=["top-level", "inside-design", "inside-a-parameter"],
)
def test_a_misspelt_key_lists_the_valid_keys_and_echoes_no_file(tmp_path, old, new, where, valid):
    secret = "do-not-echo-" + "x" * 200
    text = TINY.replace(old, new) + f"description: {secret}\n"
    with pytest.raises(ScenarioError) as err:
        load_sweep(write(tmp_path, text))
    message = str(err.value)
    assert where in message and "valid keys" in message and valid in message
    assert secret not in message and "do-not-echo" not in message


def test_a_missing_required_key_does_not_echo_the_file(tmp_path):
    secret = "do-not-echo-" + "y" * 200
    text = TINY.replace("parameters:", "paramters:") + f"description: {secret}\n"
    with pytest.raises(ScenarioError) as err:
        load_sweep(write(tmp_path, text))
    message = str(err.value)
    assert "paramters" in message and "parameters" in message
    assert "do-not-echo" not in message


def test_a_key_both_fixed_and_swept_is_refused(tmp_path):
    text = TINY + "fixed: {partnership.formality: 0.3}\n"
    with pytest.raises(ScenarioError) as err:
        load_sweep(write(tmp_path, text))
    assert "fixed.partnership.formality" in str(err.value)
    assert "also swept" in str(err.value)


# -- the folder: its kind and its writer --------------------------------------------------


def test_a_sweep_refuses_a_run_folder_and_one_another_process_is_writing(tmp_path):
    import os
    import socket

    sweep = load_sweep(write(tmp_path, TINY))
    run_folder = tmp_path / "a_run"
    run_folder.mkdir()
    (run_folder / "manifest.json").write_text('{"kind": "run", "complete": true}')
    with pytest.raises(ScenarioError, match="holds a run"):
        run_sweep(sweep, run_folder, progress=False)
    assert not (run_folder / "parts").exists()

    busy = tmp_path / "busy"
    busy.mkdir()
    lock = {"pid": os.getppid(), "host": socket.gethostname(), "command": "partnersim sweep x"}
    (busy / ".partnersim.lock").write_text(json.dumps(lock))
    with pytest.raises(ScenarioError, match=f"being written by PID {os.getppid()}"):
        run_sweep(sweep, busy, progress=False)
    assert not (busy / "parts").exists()


def test_a_folder_keyed_by_an_earlier_version_is_not_resumed(tmp_path):
    sweep = load_sweep(write(tmp_path, TINY))
    out = tmp_path / "out"
    run_sweep(sweep, out, progress=False)
    manifest = json.loads((out / "manifest.json").read_text())
    del manifest["run_key_scheme"]  # as written before the design point joined the key
    (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ScenarioError, match="run-key scheme 1"):
        run_sweep(sweep, out, progress=False)
