"""``partnersim sweep`` end to end: a sweep killed mid-way resumes to exactly the results of
an uninterrupted one."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sim.experiment.sweep import load_runs
from sim.experiment.sweepparts import load_series
from tests.e2e.clirun import cli

ROOT = Path(__file__).resolve().parents[2]
MONTHS = 240  # long enough (about 0.1 s a run with its spin-up) that an interrupt sent
# once a few parts exist lands while runs are still going, on a fast machine too
SWEEP = f"""
name: killable
base: {ROOT / "scenarios" / "baseline.yaml"}
parameters:
  environment.policy_churn: {{levels: [0.0, 0.5, 1.0, 2.0]}}
  partnership.formality: {{low: 0.0, high: 1.0, steps: 4}}
design: {{kind: grid}}
replicates: 2
months: {MONTHS}
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
    for folder in (whole, killed):  # each finished folder is merged: one file of runs
        assert [p.name for p in (folder / "parts").iterdir()] == ["runs.parquet"]
        assert [p.name for p in (folder / "series").iterdir()] == ["series.parquet"]
    series = load_series(killed)
    pd.testing.assert_frame_equal(series, load_series(whole))
    assert len(series) == 32 * (MONTHS // 12) and not series.duplicated(["key", "month"]).any()
    assert {"added_value", "added_value_rate", "ground_value"} <= set(series.columns)
    assert {"added_value_per_year", "ground_value_per_year", "share_organic"} <= set(b.columns)


def test_a_bad_sweep_file_exits_2_without_traceback(tmp_path: Path) -> None:
    sweep = tmp_path / "bad.yaml"
    sweep.write_text(SWEEP.replace("replicates: 2", "replicates: many"))
    res = subprocess.run(
        sweep_cmd(sweep, tmp_path / "out"), capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert res.returncode == 2
    assert "replicates" in res.stderr and "Traceback" not in res.stderr


def _children(pid: int) -> set[int]:
    """PIDs whose parent is ``pid`` (read from /proc; no psutil needed)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _as_in_a_terminal() -> None:
    """In the child, before exec: SIGINT at its default, as for a command typed in a
    terminal. A test suite started in the background of a shell without job control
    ignores SIGINT (POSIX), a child inherits that, and Python then installs no Ctrl-C
    handler, so the interrupt under test would never arrive."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(sweep: Path, out: Path, parts: int = 4) -> subprocess.Popen:
    proc = subprocess.Popen(
        sweep_cmd(sweep, out, "--workers", "2"),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=_as_in_a_terminal,
    )
    deadline = time.time() + 300
    while time.time() < deadline:
        found = list((out / "parts").glob("part-*.parquet")) if out.exists() else []
        if len(found) >= parts:
            return proc
        time.sleep(0.05)
    raise AssertionError("the sweep wrote no parts")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_exit_when_the_sweep_is_killed(tmp_path: Path) -> None:
    sweep = tmp_path / "killable.yaml"
    sweep.write_text(SWEEP)
    proc = _start(sweep, tmp_path / "out")
    workers = _children(proc.pid)
    assert len(workers) >= 2, workers  # two workers (and the resource tracker)
    os.kill(proc.pid, signal.SIGKILL)  # the parent only, as an OOM killer would
    proc.wait()
    deadline = time.time() + 5
    while time.time() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    left = [p for p in workers if _alive(p)]
    for pid in left:  # do not leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} of {len(workers)} child processes outlived the sweep"


@pytest.mark.parametrize("parts", [1, 4], ids=["workers-starting", "mid-run"])
def test_ctrl_c_stops_a_sweep_cleanly_and_it_resumes(tmp_path: Path, parts: int) -> None:
    sweep = tmp_path / "killable.yaml"
    sweep.write_text(SWEEP)
    out = tmp_path / "out"
    proc = _start(sweep, out, parts)
    os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert "interrupted" in err
    for part in (out / "parts").glob("part-*.parquet"):
        pq.read_table(part)
    assert '"complete": false' in (out / "manifest.json").read_text()
    resumed = subprocess.run(
        sweep_cmd(sweep, out, "--workers", "2"), capture_output=True, text=True, cwd=ROOT
    )
    assert resumed.returncode == 0, resumed.stderr
    got = runs(out)
    assert got["key"].is_unique and len(got) == 32


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
def test_workers_of_every_process_pool_exit_with_their_parent() -> None:
    """The pool compare, patterns and library use (``batch.process_pool``) too."""
    code = (
        "import sys, time\n"
        "from sim.experiment.batch import process_pool\n"
        "pool = process_pool(2)\n"
        "print('ready', flush=True)\n"
        "time.sleep(120)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    assert proc.stdout.readline().strip() == "ready"
    workers = _children(proc.pid)
    assert len(workers) >= 2, workers
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 60  # a worker still importing notices once it is done
    while time.time() < deadline and any(_alive(p) for p in workers):
        time.sleep(0.1)
    left = [p for p in workers if _alive(p)]
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    assert not left, f"{len(left)} of {len(workers)} child processes outlived their parent"


def _snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("steps: 2", "steps: 3"), "holds a different sweep ('small'): another design"),
        (("name: small", "name: renamed"), "holds the sweep 'small', not 'renamed'"),
    ],
    ids=["other-design", "other-name"],
)
def test_another_sweep_is_refused_before_any_resuming_and_touches_nothing(
    tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    text = (
        SWEEP.replace("name: killable", "name: small")
        .replace("[0.0, 0.5, 1.0, 2.0]", "[0.0, 1.0]")
        .replace("steps: 4", "steps: 2")
        .replace(f"months: {MONTHS}", "months: 12")
    )
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text(text)
    second.write_text(text.replace(*change))
    out = tmp_path / "out"
    done = cli("sweep", first, "--out", out, "--quiet", "--workers", "1")
    assert done.returncode == 0, done.stderr
    before = _snapshot(out)
    refused = cli("sweep", second, "--out", out, "--quiet", "--workers", "1")
    assert refused.returncode == 2, refused.stderr
    assert "resum" not in refused.stderr + refused.stdout
    lines = refused.stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and str(out) in lines[0], refused.stderr
    assert _snapshot(out) == before


def test_export_and_analyse_read_a_merged_folder_as_its_parts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same sweep folder before compaction (parts, as older versions left it) and
    after: export writes the same CSV files, analyse the same report."""
    from sim.experiment import sweep as sweep_mod
    from sim.experiment.sweepfile import load_sweep
    from sim.experiment.sweepparts import compact

    text = SWEEP.replace(f"months: {MONTHS}", "months: 24").replace("series: {every: 12}", "")
    (tmp_path / "s.yaml").write_text(text)
    with monkeypatch.context() as m:
        m.setattr(sweep_mod, "compact", lambda out: None)
        sweep_mod.run_sweep(
            load_sweep(tmp_path / "s.yaml"), tmp_path / "a" / "sweep", progress=False, chunk_size=3
        )
    parts, merged = tmp_path / "a" / "sweep", tmp_path / "b" / "sweep"
    shutil.copytree(parts, merged)
    compact(merged)
    assert len(list((parts / "parts").iterdir())) == 11  # the two timed runs, then 10 of 3
    assert [p.name for p in (merged / "parts").iterdir()] == ["runs.parquet"]
    for folder in (parts, merged):
        assert cli("export", folder, "--out", folder.parent / "csv").returncode == 0
        assert cli("analyse", folder, "--quiet").returncode == 0
    for name in ("sweep_runs.csv", "sweep_design.csv"):
        a = (parts.parent / "csv" / name).read_bytes()
        assert a == (merged.parent / "csv" / name).read_bytes(), name
    assert (parts / "analysis.md").read_text() == (merged / "analysis.md").read_text()
