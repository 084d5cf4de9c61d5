"""Sweeps with ``uncertainty: N``: every design point also runs N draws of the model's
other constants, each crossed with the replicates; without draws nothing changes."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from sim.analysis.load import load_sweep_folder
from sim.analysis.sensitivity import replicate_noise, sensitivity
from sim.cli.main import main
from sim.experiment import sweep as sweep_mod
from sim.experiment.designs import design_table
from sim.experiment.sweep import load_runs, model_fingerprint, pending_runs, run_sweep, sweep_hash
from sim.experiment.sweepdraws import held_constants, sweep_draws
from sim.experiment.sweepfile import load_sweep
from sim.scenario.loader import ScenarioError, scenario_hash
from sim.scenario.uncertainty import constant
from tests.unit.experiment.test_sweep import TINY, runs_of, write

# a lever and a mechanism constant: the constant is held at the sweep's value in every draw
HELD = TINY.replace(
    "partnership.formality: {low: 0.0, high: 1.0, steps: 3}",
    "dynamics.trust.gain: {levels: [0.01, 0.03, 0.05]}",
)
DRAWN = HELD + "uncertainty: 2\n"
OTHER = "dynamics.trust.fade"  # a constant the sweep leaves to the draws


def test_without_draws_the_runs_and_their_keys_are_those_of_a_sweep_before_draws(tmp_path):
    plain = load_sweep(write(tmp_path, TINY))
    zero = load_sweep(write(tmp_path, TINY + "uncertainty: 0\n", "zero.yaml"))
    assert sweep_hash(zero) == sweep_hash(plain)  # a folder written before draws resumes
    run_sweep(plain, tmp_path / "plain", progress=False, chunk_size=5)
    manifest = run_sweep(zero, tmp_path / "zero", progress=False, chunk_size=5)
    assert manifest["draws"] == 0 and manifest["runs"] == 12 and manifest["uncertainty"] is None
    assert not (tmp_path / "zero" / "draws.parquet").exists()
    part = sorted((tmp_path / "zero" / "parts").glob("*.parquet"))[0]
    assert pq.read_schema(part).names[:6] == [
        "key",
        "point",
        "replicate",
        "status",
        "error",
        "seconds",
    ]
    pd.testing.assert_frame_equal(runs_of(tmp_path / "plain"), runs_of(tmp_path / "zero"))
    runs = load_runs(tmp_path / "zero")
    assert (runs["draw"] == 0).all()
    design = design_table(zero)
    for row in runs.itertuples():  # keyed as before draws: code, scenario, point, replicate
        values = design.iloc[row.point, 1:].to_dict()
        scenario = zero.scenario(values).model_copy(update={"replicates": 1})
        text = (
            f"{model_fingerprint()}|{scenario_hash(scenario)}|{row.point}|{row.replicate}|"
            f"{scenario.seed}"
        )
        assert row.key == hashlib.sha256(text.encode()).hexdigest()[:24]


def test_two_draws_double_the_runs_with_a_draw_column_whatever_the_workers(tmp_path):
    plain = load_sweep(write(tmp_path, HELD))
    sweep = load_sweep(write(tmp_path, DRAWN, "drawn.yaml"))
    assert sweep_hash(sweep) != sweep_hash(plain)
    run_sweep(plain, tmp_path / "plain", progress=False)
    manifest = run_sweep(sweep, tmp_path / "seq", progress=False, chunk_size=3)
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        run_sweep(sweep, tmp_path / "par", pool, workers=2, progress=False, chunk_size=2)
    seq, before = runs_of(tmp_path / "seq"), runs_of(tmp_path / "plain")
    pd.testing.assert_frame_equal(seq, runs_of(tmp_path / "par"))
    assert len(seq) == 2 * len(before) == 24 and seq["key"].is_unique
    assert manifest["runs"] == manifest["runs_ok"] == 24 and manifest["draws"] == 2
    part = sorted((tmp_path / "seq" / "parts").glob("*.parquet"))[0]
    assert pq.read_schema(part).names[:4] == ["key", "point", "draw", "replicate"]
    triples = sorted(zip(seq.point, seq.draw, seq.replicate, strict=True))
    assert triples == [(p, d, r) for p in range(6) for d in range(2) for r in range(2)]
    # the draws change the constants, so the outputs: no draw reproduces the plain runs
    for d in (0, 1):
        mine = seq[seq.draw == d].sort_values(["point", "replicate"])
        assert not np.allclose(
            mine["trust_across_mean"].to_numpy(),
            before.sort_values(["point", "replicate"])["trust_across_mean"].to_numpy(),
        )
    record = manifest["uncertainty"]
    assert record["draws"] == 2 and record["held_by_sweep"] == ["dynamics.trust.gain"]
    table = pq.read_table(tmp_path / "seq" / "draws.parquet").to_pandas()
    assert table["draw"].tolist() == [0, 1]
    assert "dynamics.trust.gain" not in table and OTHER in table
    assert json.loads((tmp_path / "seq" / "manifest.json").read_text())["complete"] is True


def test_a_constant_the_sweep_varies_keeps_its_value_in_every_draw(tmp_path):
    sweep = load_sweep(write(tmp_path, DRAWN))
    assert held_constants(sweep) == ["dynamics.trust.gain"]
    unit, draws = sweep_draws(sweep)
    assert unit.shape[0] == 2 and all("dynamics.trust.gain" not in d for d in draws)
    design = design_table(sweep)
    specs = list(pending_runs(sweep, design, set()))
    assert len(specs) == 24
    for spec in specs:
        point_gain = design.loc[spec.point, "dynamics.trust.gain"]
        assert spec.scenario.dynamics.trust.gain == pytest.approx(point_gain)
        # the same draw of every other constant at every point
        assert spec.scenario.dynamics.trust.fade == pytest.approx(draws[spec.draw][OTHER])
    decays = {spec.draw: spec.scenario.dynamics.trust.fade for spec in specs}
    assert decays[0] != decays[1]


def test_a_fixed_constant_is_held_too_even_at_its_default(tmp_path):
    default = constant(OTHER).default  # a value the draws would vary, were it not fixed
    text = DRAWN.replace("design:", f"fixed: {{{OTHER}: {default}}}\ndesign:")
    sweep = load_sweep(write(tmp_path, text))
    assert held_constants(sweep) == [OTHER, "dynamics.trust.gain"]
    specs = list(pending_runs(sweep, design_table(sweep), set()))
    assert {s.scenario.dynamics.trust.fade for s in specs} == {default}


def test_an_interrupted_sweep_with_draws_resumes_by_point_draw_and_replicate(tmp_path, monkeypatch):
    sweep = load_sweep(write(tmp_path, DRAWN))
    out = tmp_path / "out"
    real = sweep_mod.simulate
    calls = {"n": 0}

    def interrupted(scenario, replicate, months=None):
        calls["n"] += 1
        if calls["n"] > 7:  # runs go in (point, draw, replicate) order: 7 are written
            raise KeyboardInterrupt
        return real(scenario, replicate, months)

    monkeypatch.setattr(sweep_mod, "simulate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_sweep(sweep, out, progress=False, chunk_size=1)
    written = load_runs(out)
    assert (
        sorted(zip(written.point, written.draw, written.replicate, strict=True))
        == [(p, d, r) for p in range(2) for d in range(2) for r in range(2)][:7]
    )
    monkeypatch.setattr(sweep_mod, "simulate", real)
    notices: list[str] = []
    again = run_sweep(sweep, out, progress=False, notice=notices.append)
    assert notices == [f"resuming: 7 of 24 runs already in {out}"]
    assert again["last_session"]["runs"] == 17 and again["runs_ok"] == 24
    run_sweep(sweep, tmp_path / "clean", progress=False)
    pd.testing.assert_frame_equal(runs_of(out), runs_of(tmp_path / "clean"))
    assert load_sweep_folder(out).missing == 0


@pytest.mark.parametrize("value", ["-1", "two", "1.5", "true", "{scale: 2}"])
def test_a_bad_number_of_draws_is_refused_in_one_line(tmp_path, value, capsys):
    path = write(tmp_path, TINY + f"uncertainty: {value}\n")
    with pytest.raises(ScenarioError) as err:
        load_sweep(path)
    text = str(err.value)
    assert str(path) in text and "uncertainty" in text
    assert "whole number of draws" in text and "0 or more" in text
    assert main(["sweep", str(path), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and "uncertainty" in lines[0] and str(path) in lines[0]
    assert not (tmp_path / "out").exists()


def test_draws_count_in_the_size_of_the_job(tmp_path):
    path = write(tmp_path, TINY + "uncertainty: 100000\n")  # 6 x 100,000 x 2 runs
    with pytest.raises(ScenarioError, match=r"100,000 draws") as err:
        load_sweep(path)
    assert "1,000,000 runs" in str(err.value)
    load_sweep(write(tmp_path, TINY + "uncertainty: 1000\n", "fits.yaml"))


def test_point_means_average_draws_and_replicates_and_the_noise_is_split(tmp_path):
    out = tmp_path / "out"
    run_sweep(load_sweep(write(tmp_path, DRAWN)), out, progress=False)
    results = load_sweep_folder(out)
    assert results.draws == 2 and results.missing == 0
    output = "trust_across_mean"
    means = results.point_means([output])
    assert (means["n_ok"] == 4).all()
    expected = results.runs.groupby("point")[output].mean()
    np.testing.assert_allclose(means[output].to_numpy(), expected.to_numpy())
    noise = replicate_noise(results, output)
    runs = results.ok
    total = runs[output].var(ddof=1)
    in_point = runs.groupby("point")[output].var(ddof=1).mean()  # 4 runs per point
    in_draw = runs.groupby(["point", "draw"])[output].var(ddof=1).mean()  # 2 per draw
    # shares of the variance of single runs, each at most the whole (equal group sizes:
    # the pooled variance is the mean of the groups' variances)
    assert noise.share == pytest.approx(min(1.0, in_point / total))
    assert noise.replicate_share == pytest.approx(min(noise.share, in_draw / total))
    assert noise.draw_share + noise.replicate_share == pytest.approx(noise.share)
    assert noise.draw_share > 0.05  # the constants move trust: the draws differ
    text = noise.describe()
    assert "between draws of the other constants" in text and "pooled" in text
    result = sensitivity(results, output)
    assert "means over draws and replicates" in result.headline()
    assert "variation within a point: " + text in result.to_text()


def test_a_folder_lacking_a_draw_of_a_point_is_refused_naming_it(tmp_path):
    out = tmp_path / "out"
    run_sweep(load_sweep(write(tmp_path, DRAWN)), out, progress=False, chunk_size=1)
    merged = out / "parts" / "runs.parquet"
    rows = pq.read_table(merged).to_pandas()
    lost = (rows["point"] == 3) & (rows["draw"] == 1) & (rows["replicate"] == 0)
    assert lost.sum() == 1
    pq.write_table(pq.read_table(merged).filter(pa.array(~lost.to_numpy())), merged)
    with pytest.raises(ValueError, match=r"1 of 24 runs are missing.*point 3 draw 1 replicate 0"):
        load_sweep_folder(out)


def test_a_folder_whose_draw_column_is_missing_is_refused(tmp_path):
    out = tmp_path / "out"
    run_sweep(load_sweep(write(tmp_path, DRAWN)), out, progress=False)
    for part in (out / "parts").glob("*.parquet"):
        pq.write_table(pq.read_table(part).drop_columns(["draw"]), part)
    with pytest.raises(ValueError, match=r"no 'draw' column.*2 draws"):
        load_sweep_folder(out)
