"""Writing a run's results folder: a rerun never leaves a manifest that lies; short runs
are quiet."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pandas as pd
import pytest

from sim.core.run import simulate
from sim.experiment.runner import run_replicates, write_results
from sim.scenario.loader import ScenarioError
from sim.scenario.schema import Scenario


def _manifest(out: Path) -> dict | None:
    path = out / "manifest.json"
    return json.loads(path.read_text()) if path.exists() else None


def _fail_on_manifest(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the last write, that of a complete manifest.json, fail as a kill would."""
    real = os.replace

    def replace(src, dst, *args, **kwargs):
        if Path(dst).name == "manifest.json" and json.loads(Path(src).read_text())["complete"]:
            raise KeyboardInterrupt
        return real(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", replace)


def test_interrupted_rerun_leaves_no_complete_manifest(
    small: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    write_results(small, run_replicates(small, progress=False), out, figures=False)
    assert _manifest(out)["complete"] is True
    other = small.model_copy(update={"seed": small.seed + 1, "replicates": 3})
    results = run_replicates(other, progress=False)
    _fail_on_manifest(monkeypatch)
    with pytest.raises(KeyboardInterrupt):
        write_results(other, results, out, figures=False)
    monkeypatch.undo()
    manifest = _manifest(out)
    # the data are the new run's; no manifest may call them complete with the old seed
    assert pd.read_parquet(out / "timeseries.parquet")["replicate"].nunique() == 3
    assert manifest is None or manifest["complete"] is not True


def test_rerun_without_figures_removes_the_old_figures(small: Scenario, tmp_path: Path) -> None:
    out = tmp_path / "run"
    results = run_replicates(small, progress=False)
    write_results(small, results, out, figures=True)
    assert list((out / "figures").glob("*.png"))
    write_results(small, results, out, figures=False)
    assert not list((out / "figures").glob("*.png"))
    assert _manifest(out)["complete"] is True and _manifest(out)["kind"] == "run"


def test_a_short_run_raises_no_runtime_warning(baseline: Scenario, tmp_path: Path) -> None:
    short = baseline.model_copy(update={"months": 6, "replicates": 1})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = [simulate(short, 0)]
        summary = write_results(short, results, tmp_path / "run", figures=True)
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not runtime, [f"{w.filename}:{w.lineno}: {w.message}" for w in runtime]
    assert summary["months"] == 6


def test_a_failed_write_is_one_line_and_leaves_no_complete_manifest(
    small: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    results = run_replicates(small, progress=False)
    write_results(small, results, out, figures=False)

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device", str(out / "summary.json"))

    monkeypatch.setattr("sim.experiment.runner.write_json", full)
    with pytest.raises(ScenarioError, match=r"summary\.json: cannot write: No space left"):
        write_results(small, results, out, figures=False)
    assert _manifest(out)["complete"] is False
    assert not (out / ".partnersim.lock").exists()
