"""A finished sweep's parts are merged into ``parts/runs.parquet`` and
``series/series.parquet``: atomically, resumably, and read the same as the parts."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from sim.analysis.load import load_sweep_folder
from sim.experiment import io as io_mod
from sim.experiment import sweep as sweep_mod
from sim.experiment import sweepparts
from sim.experiment.sweep import run_sweep
from sim.experiment.sweepfile import load_sweep
from sim.experiment.sweepparts import (
    compact,
    done_keys,
    first_error,
    load_runs,
    load_series,
    tally,
)
from tests.unit.experiment.test_sweep import TINY, write

SERIES = TINY + "series: {every: 4, keys: [outcome_index]}\n"


class Killed(BaseException):
    """Stands for the process being killed at this point."""


@pytest.fixture(scope="module")
def unmerged(tmp_path_factory) -> tuple[Path, Path]:
    """A finished sweep as written before compaction (12 runs in 7 parts, with series),
    two runs failed, and its sweep file."""
    root = tmp_path_factory.mktemp("compact")
    path = write(root, SERIES)
    real = sweep_mod.simulate

    def one_fails(scenario, replicate, months=None):
        if scenario.partnership.formality == 0.5 and replicate == 1:
            raise RuntimeError("boom")
        return real(scenario, replicate, months)

    mp = pytest.MonkeyPatch()
    mp.setattr(sweep_mod, "simulate", one_fails)
    mp.setattr(sweep_mod, "compact", lambda out: None)
    try:
        run_sweep(load_sweep(path), root / "parts_only", progress=False, chunk_size=2)
    finally:
        mp.undo()
    return root / "parts_only", path


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _read(out: Path) -> dict:
    runs = load_runs(out).drop(columns=["seconds"])
    return {
        "runs": runs,
        "series": load_series(out),
        "done": done_keys(out),
        "done_ok": done_keys(out, include_failed=False),
        "tally": tally(out),
        "first_error": first_error(out),
        "analysed": load_sweep_folder(out).runs.drop(columns=["seconds"]),
    }


def _same(a: dict, b: dict) -> None:
    pd.testing.assert_frame_equal(a["runs"], b["runs"])
    pd.testing.assert_frame_equal(a["series"], b["series"])
    pd.testing.assert_frame_equal(a["analysed"], b["analysed"])
    for key in ("done", "done_ok", "tally", "first_error"):
        assert a[key] == b[key], key


def _files(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())


def test_the_unmerged_folder_is_the_old_layout(unmerged) -> None:
    folder, _ = unmerged
    assert len(list((folder / "parts").glob("part-*.parquet"))) == 6
    assert len(list((folder / "series").glob("part-*.parquet"))) == 6
    assert not (folder / "parts" / "runs.parquet").exists()


def test_merged_and_unmerged_folders_read_the_same(unmerged, tmp_path) -> None:
    folder, _ = unmerged
    merged = _copy(folder, tmp_path / "merged")
    compact(merged)
    assert _files(merged) == [
        "design.parquet",
        "manifest.json",
        "parts/runs.parquet",
        "series/series.parquet",
    ]
    before, after = _read(folder), _read(merged)
    _same(before, after)
    assert len(after["runs"]) == 12 and after["runs"]["key"].is_unique
    assert after["tally"] == (10, 2) and "boom" in after["first_error"]
    assert len(after["series"]) == 10 * 3  # the failed runs keep no series
    compact(merged)  # nothing left to merge: a no-op
    _same(after, _read(merged))


def test_a_finished_sweep_is_merged_and_resuming_it_changes_nothing(unmerged, tmp_path) -> None:
    folder, path = unmerged
    resumed = _copy(folder, tmp_path / "resumed")
    manifest = run_sweep(load_sweep(path), resumed, progress=False)
    assert manifest["last_session"]["runs"] == 0 and manifest["complete"]
    assert manifest["runs_ok"] == 10 and manifest["runs_failed"] == 2
    assert _files(resumed) == [
        "design.parquet",
        "manifest.json",
        "parts/runs.parquet",
        "series/series.parquet",
    ]
    _same(_read(folder), _read(resumed))


def test_a_retried_failure_is_merged_over_the_failed_row(unmerged, tmp_path) -> None:
    folder, path = unmerged
    out = _copy(folder, tmp_path / "retry")
    compact(out)
    manifest = run_sweep(load_sweep(path), out, progress=False, retry_failed=True)
    assert manifest["last_session"]["runs"] == 2
    assert manifest["runs_ok"] == 12 and manifest["runs_failed"] == 0
    assert [p.name for p in (out / "parts").iterdir()] == ["runs.parquet"]
    runs = load_runs(out)
    assert len(runs) == 12 and (runs["status"] == "ok").all()
    assert len(load_series(out)) == 12 * 3


def _kill_at_unlink(monkeypatch, after: int) -> None:
    """Kill the process when it is about to delete its ``after + 1``-th part."""
    real, count = Path.unlink, [0]

    def unlink(self, missing_ok=False):
        if self.name.startswith("part-"):
            if count[0] == after:
                raise Killed
            count[0] += 1
        return real(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", unlink)


def _kill_at_rename(monkeypatch, which: str) -> None:
    """Kill the process just before the merged file ``which`` is renamed into place (its
    temporary file is left behind, as a kill would leave it)."""
    real = os.replace

    def replace(src, dst):
        if Path(dst).name == which:
            shutil.copy(src, Path(src).with_name(Path(src).name + ".left"))
            raise Killed
        return real(src, dst)

    monkeypatch.setattr(io_mod.os, "replace", replace)


@pytest.mark.parametrize(
    "kill",
    [
        ("rename", "series.parquet"),
        ("rename", "runs.parquet"),
        ("unlink", 0),
        ("unlink", 3),
        ("unlink", 6),  # every run part gone, every series part left
        ("unlink", 11),
    ],
    ids=lambda k: f"{k[0]}-{k[1]}",
)
def test_a_compaction_killed_anywhere_loses_and_doubles_nothing(
    unmerged, tmp_path, monkeypatch, kill
) -> None:
    folder, path = unmerged
    reference = _read(folder)
    out = _copy(folder, tmp_path / "killed")
    with monkeypatch.context() as m:
        if kill[0] == "rename":
            _kill_at_rename(m, kill[1])
        else:
            _kill_at_unlink(m, kill[1])
        with pytest.raises(Killed):
            compact(out)
    for left in out.rglob("*.left"):  # the temporary file a kill leaves
        left.rename(left.with_name("." + left.name.removesuffix(".left")))
    if kill[0] == "unlink" and kill[1] > 0:
        assert (out / "parts" / "runs.parquet").exists()
        assert len(list((out / "parts").glob("part-*.parquet"))) == max(6 - kill[1], 0)
    state = _read(out)  # every reader, mid-way: the same rows, none twice
    _same(reference, state)
    assert state["runs"]["key"].is_unique
    assert not state["series"].duplicated(["key", "month"]).any()
    manifest = run_sweep(load_sweep(path), out, progress=False)  # resuming finishes the job
    assert manifest["last_session"]["runs"] == 0
    assert _files(out) == [
        "design.parquet",
        "manifest.json",
        "parts/runs.parquet",
        "series/series.parquet",
    ]
    _same(reference, _read(out))


def test_merged_runs_keep_the_schema_of_the_parts(unmerged, tmp_path) -> None:
    import pyarrow.parquet as pq

    folder, _ = unmerged
    out = _copy(folder, tmp_path / "schema")
    first = pq.read_schema(sorted((out / "parts").glob("part-*.parquet"))[0])
    compact(out)
    assert pq.read_schema(out / "parts" / "runs.parquet").equals(first, check_metadata=False)
    assert sweepparts.run_files(out) == [out / "parts" / "runs.parquet"]
