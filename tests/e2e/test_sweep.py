"""``partnersim sweep`` end to end: a sweep killed mid-way resumes to exactly the results of
an uninterrupted one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from sim.experiment.sweep import load_runs

ROOT = Path(__file__).resolve().parents[2]
SWEEP = f"""
name: killable
base: {ROOT / "scenarios" / "baseline.yaml"}
parameters:
  environment.policy_churn: {{levels: [0.0, 0.5, 1.0, 2.0]}}
  partnership.formality: {{low: 0.0, high: 1.0, steps: 4}}
design: {{kind: grid}}
replicates: 2
months: 60
series: {{every: 12}}
"""


def sweep_cmd(sweep: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "sim.cli.main",
        "sweep",
        str(sweep),
        "--out",
        str(out),
        "--quiet",
        "--chunk-size",
        "1",
        *extra,
    ]


def runs(out: Path) -> pd.DataFrame:
    return load_runs(out).drop(columns=["seconds"]).sort_values("key").reset_index(drop=True)


def test_a_killed_sweep_resumes_to_the_uninterrupted_result(tmp_path: Path) -> None:
    sweep = tmp_path / "killable.yaml"
    sweep.write_text(SWEEP)
    whole, killed = tmp_path / "whole", tmp_path / "killed"
    done = subprocess.run(
        sweep_cmd(sweep, whole, "--workers", "1"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr

    proc = subprocess.Popen(
        sweep_cmd(sweep, killed, "--workers", "2"),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.time() + 300
    while time.time() < deadline:
        parts = list((killed / "parts").glob("part-*.parquet")) if killed.exists() else []
        if len(parts) >= 4:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)  # the whole process group: parent and workers
    proc.wait()
    parts = list((killed / "parts").glob("part-*.parquet"))
    assert 4 <= len(parts) < 32, "the sweep should have been killed mid-way"
    for part in parts:
        pq.read_table(part)  # every part on disk is complete
    assert '"complete": false' in (killed / "manifest.json").read_text()

    resumed = subprocess.run(
        sweep_cmd(sweep, killed, "--workers", "2"),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert "resuming" in resumed.stderr
    a, b = runs(whole), runs(killed)
    assert b["key"].is_unique and len(b) == 32
    pd.testing.assert_frame_equal(a, b)
    assert not list((killed / "parts").glob(".*.tmp"))
    series = pd.concat(pd.read_parquet(p) for p in (killed / "series").glob("part-*.parquet"))
    assert len(series) == 32 * 5 and not series.duplicated(["key", "month"]).any()


def test_a_bad_sweep_file_exits_2_without_traceback(tmp_path: Path) -> None:
    sweep = tmp_path / "bad.yaml"
    sweep.write_text(SWEEP.replace("replicates: 2", "replicates: many"))
    res = subprocess.run(
        sweep_cmd(sweep, tmp_path / "out"), capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert res.returncode == 2
    assert "replicates" in res.stderr and "Traceback" not in res.stderr
