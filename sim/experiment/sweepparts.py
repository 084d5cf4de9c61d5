"""The parts of a sweep folder: run rows written atomically in chunks, and read back.

While a sweep runs, ``parts/part-<hash>.parquet`` holds one chunk of run rows (``key``,
``point``, ``draw`` in a sweep with ``uncertainty: N`` draws, ``replicate``, ``status``,
``error``, ``seconds``, the varied values, then :data:`OUTPUTS`); ``series/`` the same
chunk's kept monthly series, written first, so a run part implies its series part. A sweep
without draws writes no ``draw`` column; :func:`load_runs` then gives every run draw 0. A
run key may appear in more than one part after ``--retry-failed``: a successful row wins
over a failed one wherever the folder is read.

Once every run has a row, :func:`compact` merges the parts into one file each,
``parts/runs.parquet`` (one row per run, in point, draw and replicate order) and
``series/series.parquet``, and only then deletes the parts. A kill at any moment leaves
the parts, the merged file, or both; every reader here reads both layouts (the merged
file first, then the parts) and keeps one row per run key (one series row per run key
and month), so the rows read are the same in each case, and a folder written before
compaction existed reads as it always did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.core.regimes import REGIMES
from sim.experiment.io import atomic_write, write_parquet

RUNS_FILE = "runs.parquet"
"""The merged run rows of a completed sweep, in ``parts/``."""
SERIES_FILE = "series.parquet"
"""The merged kept series of a completed sweep, in ``series/``."""

OUTPUTS = {  # name: meaning (every output is float64 unless stated)
    "added_value_per_year": "added value of the partnership: need averted a year over the "
    "board-less twin, mean over the reported months (% of need per year)",
    "ground_value_per_year": "value of joint work on the ground: the board-less twin's need "
    "averted a year over no joint working, mean over the reported months (% of need per year)",
    "added_value_cumulative": "the board-less twin's need the partnership has averted by the "
    "last month (% of need, log points)",
    "ground_value_cumulative": "the no-joint-work twin's need joint work on the ground has "
    "averted by the last month (% of need, log points)",
    "board_months": "months of the run the board existed (months)",
    "board_alive_final": "the board still exists in the last month (1) or not (0)",
    "effect_final": "total effect (partnership and ground work vs no joint working): outcome "
    "index minus the no-joint-work twin's, mean of the last 12 months (index points)",
    "outcome_final": "outcome index, mean of the last 12 months (% fall in need)",
    "boardless_final": "the board-less twin's outcome index, mean of the last 12 months "
    "(% fall in need)",
    "counterfactual_final": "the no-joint-work twin's outcome index, mean of the last 12 "
    "months (% fall in need)",
    **{f"share_{g}": f"share of months in regime {g} (0-1)" for g in REGIMES},
    "regime_final": "regime of the last month (string)",
    "joint_work_mean": "joint-work share of frontline capacity, mean over months",
    "trust_across_mean": "cross-agency trust, mean over months",
    "formal_activity_mean": "formal activity, mean over months",
    "delivery_ratio_final": "delivery ratio of the last month (NaN without commitments)",
    "facade_index_mean": "facade index, mean over months",
}


def run_files(out: Path) -> list[Path]:
    """The files of ``out`` that hold run rows: ``parts/runs.parquet`` (if the sweep was
    compacted) first, then the chunk parts ``parts/part-*.parquet`` in name order."""
    return _files(out / "parts", RUNS_FILE)


def series_files(out: Path) -> list[Path]:
    """The files of ``out`` that hold kept series: ``series/series.parquet`` first, then
    the chunk parts ``series/part-*.parquet`` in name order."""
    return _files(out / "series", SERIES_FILE)


def _files(folder: Path, merged: str) -> list[Path]:
    first = [folder / merged] if (folder / merged).is_file() else []
    return first + sorted(folder.glob("part-*.parquet"))


def done_keys(out: Path, include_failed: bool = True) -> set[str]:
    """Keys of the runs already written in ``out/parts`` (complete files only); failed
    runs count as done unless ``include_failed`` is false."""
    keys: set[str] = set()
    for part in run_files(out):
        t = pq.read_table(part, columns=["key", "status"]).to_pydict()
        keys.update(
            k for k, st in zip(t["key"], t["status"], strict=True) if include_failed or st == "ok"
        )
    return keys


def tidy_folder(out: Path) -> None:
    """Remove temporary files of a killed sweep and series parts without their run part
    (a chunk killed between its two writes; or, after a compaction killed while deleting
    parts, a series part whose rows are already in ``series/series.parquet``)."""
    for folder in (out / "parts", out / "series"):
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
    runs = {p.name for p in (out / "parts").glob("part-*.parquet")}
    for part in (out / "series").glob("part-*.parquet"):
        if part.name not in runs:
            part.unlink()


def write_chunk(out: Path, rows: list[dict], series: list[dict]) -> None:
    """Write one chunk's series part, then its run part, each atomically."""
    name = "part-" + hashlib.sha256("".join(r["key"] for r in rows).encode()).hexdigest()[:20]
    if series:  # written first: a run part implies its series part is there
        write_parquet(out / "series" / f"{name}.parquet", pa.Table.from_pylist(series))
    table = pa.Table.from_pylist(rows, schema=_schema(rows))
    write_parquet(out / "parts" / f"{name}.parquet", table)


def _schema(rows: list[dict]) -> pa.Schema:
    fields = [
        ("key", pa.string()),
        ("point", pa.int64()),
        *([("draw", pa.int64())] if "draw" in rows[0] else []),
        ("replicate", pa.int64()),
        ("status", pa.string()),
        ("error", pa.string()),
        ("seconds", pa.float64()),
    ]
    fixed = {f for f, _ in fields}
    for name in rows[0]:
        if name in fixed:
            continue
        if name == "regime_final":
            fields.append((name, pa.string()))
        else:
            kinds = {type(r.get(name)) for r in rows if r.get(name) is not None}
            if kinds <= {float, int}:
                fields.append((name, pa.float64()))
            elif kinds == {bool}:
                fields.append((name, pa.bool_()))
            else:
                fields.append((name, pa.string()))
    for name in OUTPUTS:
        if name not in {f for f, _ in fields}:
            fields.append((name, pa.string() if name == "regime_final" else pa.float64()))
    return pa.schema(fields)


def tally(out: Path) -> tuple[int, int]:
    """Runs ok and failed in ``out`` (one status per key; ok wins)."""
    status: dict[str, str] = {}
    for part in run_files(out):
        t = pq.read_table(part, columns=["key", "status"]).to_pydict()
        for key, st in zip(t["key"], t["status"], strict=True):
            if status.get(key) != "ok":  # a successful retry wins over a failure
                status[key] = st
    ok = sum(st == "ok" for st in status.values())
    return ok, len(status) - ok


def first_error(out: Path) -> str | None:
    """The error of the first failed run in ``out`` (in file order), or ``None``."""
    for part in run_files(out):
        t = pq.read_table(part, columns=["status", "error"]).to_pydict()
        for status, error in zip(t["status"], t["error"], strict=True):
            if status != "ok":
                return str(error)
    return None


def load_runs(out: Path) -> pd.DataFrame:
    """Every run row of a sweep folder, one per key (a successful row over a failed one),
    sorted by point, draw and replicate; a ``draw`` column (0 for every run of a sweep
    without draws) follows ``point``."""
    parts = run_files(out)
    if not parts:
        return pd.DataFrame()
    frame = pd.concat([pq.read_table(p).to_pandas() for p in parts], ignore_index=True)
    frame = with_draw(one_row_per_run(frame))
    order = ["point", "draw", "replicate"]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def with_draw(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with an int64 ``draw`` column after ``point`` (0 where the rows have none:
    a sweep without draws)."""
    if "draw" in frame.columns:
        frame = frame.assign(draw=frame["draw"].fillna(0).astype(np.int64))
    else:
        frame = frame.copy()
        frame.insert(list(frame.columns).index("point") + 1, "draw", np.int64(0))
    return frame


def one_row_per_run(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per run key, in the rows' order: a successful row is kept over a failed one
    (as after ``--retry-failed``), otherwise the first."""
    failed_last = (frame["status"].astype(str) != "ok").to_numpy()
    frame = frame.iloc[np.argsort(failed_last, kind="stable")]
    return frame.drop_duplicates("key", keep="first").sort_index()


def load_series(out: Path) -> pd.DataFrame:
    """Every kept series row of a sweep folder, one per run key and month (either layout),
    sorted by point, draw (where the sweep has draws), replicate and month; empty when
    the sweep kept no series."""
    files = series_files(out)
    if not files:
        return pd.DataFrame()
    frame = pd.concat([pq.read_table(p).to_pandas() for p in files], ignore_index=True)
    frame = frame.drop_duplicates(["key", "month"], keep="first")
    order = [c for c in ("point", "draw", "replicate", "month") if c in frame.columns]
    return frame.sort_values(order, kind="stable").reset_index(drop=True)


def compact(out: Path) -> None:
    """Merge the parts of a finished sweep into ``parts/runs.parquet`` and
    ``series/series.parquet``; then delete the parts.

    Each merged file is written atomically (a temporary file, then a rename) and holds
    the rows of the merged file already there (after a resume) and of every part: one
    run row per key (a successful row over a failed one, in point, draw and replicate
    order) and one series row per key and month. The series are merged before the runs
    and the run parts deleted before the series parts, so a series part without its run
    part (which :func:`tidy_folder` deletes) is always already merged. Killed at any
    moment, the folder keeps every row exactly once as its readers see it, and calling
    this again finishes the job. Nothing happens when there are no parts.
    """
    run_parts = sorted((out / "parts").glob("part-*.parquet"))
    series_parts = sorted((out / "series").glob("part-*.parquet"))
    if series_parts:
        atomic_write(out / "series" / SERIES_FILE, lambda tmp: _merge_series(out, tmp))
    if run_parts:
        write_parquet(out / "parts" / RUNS_FILE, _merged_runs(out))
    for part in [*run_parts, *series_parts]:
        part.unlink(missing_ok=True)


def _merged_runs(out: Path) -> pa.Table:
    """The run rows of every run file of ``out``, one per key, sorted."""
    table = pa.concat_tables([pq.read_table(p) for p in run_files(out)], promote_options="default")
    ids = pd.DataFrame(
        {
            "key": table.column("key").to_pandas(),
            "status": table.column("status").to_pandas(),
            "point": table.column("point").to_pandas(),
            "draw": table.column("draw").to_pandas() if "draw" in table.column_names else 0,
            "replicate": table.column("replicate").to_pandas(),
        }
    )
    kept = one_row_per_run(ids).sort_values(["point", "draw", "replicate"], kind="stable")
    return table.take(pa.array(kept.index.to_numpy(dtype=np.int64)))


def _merge_series(out: Path, tmp: Path) -> None:
    """Write to ``tmp`` the series rows of every series file of ``out``, streamed: the
    rows of a run key come from the first file that holds it."""
    seen: set[str] = set()
    writer: pq.ParquetWriter | None = None
    try:
        for table in _series_tables(out):
            keys = table.column("key").to_pylist()
            if seen:
                table = table.filter(pa.array([k not in seen for k in keys], pa.bool_()))
            seen.update(keys)
            if writer is None:
                writer = pq.ParquetWriter(tmp, table.schema, compression="zstd")
            writer.write_table(table.select(writer.schema.names).cast(writer.schema))
    finally:
        if writer is not None:
            writer.close()


def _series_tables(out: Path) -> Iterator[pa.Table]:
    for path in series_files(out):
        yield pq.read_table(path)
