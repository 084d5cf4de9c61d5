"""The parts of a sweep folder: run rows written atomically in chunks, and read back.

``parts/part-<hash>.parquet`` holds one chunk of run rows (``key``, ``point``, ``draw``
in a sweep with ``uncertainty: N`` draws, ``replicate``, ``status``, ``error``,
``seconds``, the varied values, then :data:`OUTPUTS`); ``series/`` the same chunk's kept
monthly series, written first, so a run part implies its series part. A sweep without
draws writes no ``draw`` column; :func:`load_runs` then gives every run draw 0. A run key
may appear in more than one part after ``--retry-failed``: a successful row wins over a
failed one wherever the folder is read.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.core.regimes import REGIMES
from sim.experiment.io import write_parquet

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


def done_keys(out: Path, include_failed: bool = True) -> set[str]:
    """Keys of the runs already written in ``out/parts`` (complete parts only); failed
    runs count as done unless ``include_failed`` is false."""
    keys: set[str] = set()
    for part in sorted((out / "parts").glob("part-*.parquet")):
        t = pq.read_table(part, columns=["key", "status"]).to_pydict()
        keys.update(
            k for k, st in zip(t["key"], t["status"], strict=True) if include_failed or st == "ok"
        )
    return keys


def tidy_folder(out: Path) -> None:
    """Remove temporary files of a killed sweep and series parts without their run part."""
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
    for part in sorted((out / "parts").glob("part-*.parquet")):
        t = pq.read_table(part, columns=["key", "status"]).to_pydict()
        for key, st in zip(t["key"], t["status"], strict=True):
            if status.get(key) != "ok":  # a successful retry wins over a failure
                status[key] = st
    ok = sum(st == "ok" for st in status.values())
    return ok, len(status) - ok


def first_error(out: Path) -> str | None:
    """The error of the first failed run in ``out`` (in part order), or ``None``."""
    for part in sorted((out / "parts").glob("part-*.parquet")):
        t = pq.read_table(part, columns=["status", "error"]).to_pydict()
        for status, error in zip(t["status"], t["error"], strict=True):
            if status != "ok":
                return str(error)
    return None


def load_runs(out: Path) -> pd.DataFrame:
    """Every run row of a sweep folder, one per key (a successful row over a failed one),
    sorted by point, draw and replicate; a ``draw`` column (0 for every run of a sweep
    without draws) follows ``point``."""
    parts = sorted((out / "parts").glob("part-*.parquet"))
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
