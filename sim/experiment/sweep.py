"""Run a sweep on any ``concurrent.futures`` executor, resumably, in constant memory.

Each run (design point x replicate) has a key: a hash of the model's code fingerprint,
the resolved scenario, the replicate and the root seed. Runs are grouped in chunks of
about a second or more; the parent writes each finished chunk as one Parquet part,
atomically (temporary file, then rename), so a sweep killed at any moment leaves only
complete parts. Running the same command again reads the keys already written and runs
only the rest. A run that raises becomes a ``failed`` row with its error and the sweep
goes on. At most two chunks per worker are in flight, so memory does not grow with the
number of runs. Results do not depend on the executor or the number of workers.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from tqdm import tqdm

import sim
from sim.core.regimes import CODES, REGIMES
from sim.core.run import simulate
from sim.experiment.designs import describe, design_table
from sim.experiment.io import git_commit, package_versions, write_json, write_parquet
from sim.experiment.sweepfile import Sweep
from sim.scenario.loader import Problem, ScenarioError, scenario_hash
from sim.scenario.schema import Scenario

CHUNK_SECONDS = 1.0  # aim for chunks of about this long (at least one run)
SERIES_DEFAULT = (
    "outcome_index",
    "partnership_effect",
    "joint_work_share",
    "trust_across",
    "formal_activity",
    "delivery_ratio",
    "regime_code",
)
OUTPUTS = {  # name: meaning (every output is float64 unless stated)
    "effect_final": "partnership effect, mean of the last 12 months (outcome points)",
    "outcome_final": "outcome index, mean of the last 12 months (% fall in need)",
    "counterfactual_final": "counterfactual outcome index, mean of the last 12 months",
    "share_delivering": "share of months delivering",
    "share_facade": "share of months as a facade",
    "share_inert": "share of months inert",
    "share_dissolved": "share of months dissolved",
    "regime_final": "regime of the last month (string)",
    "joint_work_mean": "joint-work share of frontline capacity, mean over months",
    "trust_across_mean": "cross-agency trust, mean over months",
    "formal_activity_mean": "formal activity, mean over months",
    "delivery_ratio_final": "delivery ratio of the last month (NaN without commitments)",
    "facade_index_mean": "facade index, mean over months",
}


@cache
def model_fingerprint() -> str:
    """Hash of the package version and the model's source (core and scenario schema)."""
    root = Path(sim.__file__).parent
    try:
        version = metadata.version("partnersim")
    except metadata.PackageNotFoundError:
        version = "unknown"
    digest = hashlib.sha256(version.encode())
    for path in sorted([*root.glob("core/*.py"), *root.glob("scenario/*.py")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def run_key(scenario: Scenario, replicate: int) -> str:
    """Identity of one run: model code, resolved scenario, replicate, root seed."""
    text = f"{model_fingerprint()}|{scenario_hash(scenario)}|{replicate}|{scenario.seed}"
    return hashlib.sha256(text.encode()).hexdigest()[:24]


@dataclass(frozen=True)
class RunSpec:
    """One run to do (picklable: it travels to worker processes)."""

    key: str
    point: int
    replicate: int
    values: tuple[tuple[str, Any], ...]
    scenario: Scenario
    series_every: int = 0
    series_keys: tuple[str, ...] = ()


def outputs_of(series: dict[str, np.ndarray]) -> dict[str, Any]:
    """The summary outputs of one run's series."""
    codes = series["regime_code"]
    ratio = series["delivery_ratio"][-1]
    out = {
        "effect_final": float(np.mean(series["partnership_effect"][-12:])),
        "outcome_final": float(np.mean(series["outcome_index"][-12:])),
        "counterfactual_final": float(np.mean(series["counterfactual_outcome_index"][-12:])),
    }
    for name in REGIMES:
        out[f"share_{name}"] = float(np.mean(codes == CODES[name]))
    out["regime_final"] = REGIMES[int(codes[-1])]
    out["joint_work_mean"] = float(np.mean(series["joint_work_share"]))
    out["trust_across_mean"] = float(np.mean(series["trust_across"]))
    out["formal_activity_mean"] = float(np.mean(series["formal_activity"]))
    out["delivery_ratio_final"] = float(ratio) if ratio is not None else math.nan
    out["facade_index_mean"] = float(np.mean(series["facade_index"]))
    return out


def run_one(spec: RunSpec) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Run one spec; return its row and its (downsampled) series rows. Never raises."""
    row: dict[str, Any] = {"key": spec.key, "point": spec.point, "replicate": spec.replicate}
    row.update(dict(spec.values))
    start = time.perf_counter()
    series_rows: list[dict[str, Any]] = []
    try:
        series = simulate(spec.scenario, spec.replicate).series
        row.update(status="ok", error=None, **outputs_of(series))
        if spec.series_every:
            for month in range(
                spec.series_every - 1, len(series["outcome_index"]), spec.series_every
            ):
                entry = {
                    "key": spec.key,
                    "point": spec.point,
                    "replicate": spec.replicate,
                    "month": month + 1,
                }
                entry.update({k: float(series[k][month]) for k in spec.series_keys})
                series_rows.append(entry)
    except Exception as exc:  # a failing run is recorded, not fatal
        last = traceback.extract_tb(exc.__traceback__)[-1]
        row.update(
            status="failed",
            error=f"{type(exc).__name__}: {exc} ({Path(last.filename).name}:{last.lineno})",
        )
    row["seconds"] = time.perf_counter() - start
    return row, series_rows


def warm_up() -> int:
    """Import the model in a worker (sent first, so workers start while the parent measures)."""
    import sim.core.run  # noqa: F401

    return 0


def run_chunk(specs: Sequence[RunSpec]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Run a chunk of specs in order (what a worker does)."""
    rows, series = [], []
    for spec in specs:
        row, s = run_one(spec)
        rows.append(row)
        series.extend(s)
    return rows, series


class InProcessExecutor(Executor):
    """Runs each task at once in this process (the default with one worker)."""

    def submit(self, fn, /, *args, **kwargs) -> Future:  # type: ignore[override]
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)
        return future


# -- the sweep folder ------------------------------------------------------------------


def sweep_hash(sweep: Sweep) -> str:
    """Identity of a sweep's design and base (what a folder may be resumed with)."""
    text = json.dumps(
        {
            "spec": sweep.spec.model_dump(mode="json", exclude={"name", "description"}),
            "base": scenario_hash(sweep.base),
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


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


def _tidy_folder(out: Path) -> None:
    """Remove temporary files of a killed sweep and series parts without their run part."""
    for folder in (out / "parts", out / "series"):
        for tmp in folder.glob(".*.tmp"):
            tmp.unlink(missing_ok=True)
    runs = {p.name for p in (out / "parts").glob("part-*.parquet")}
    for part in (out / "series").glob("part-*.parquet"):
        if part.name not in runs:
            part.unlink()


def _manifest(sweep: Sweep, points: int, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": sweep.spec.name,
        "description": sweep.spec.description,
        "sweep_file": str(sweep.path),
        "sweep": sweep.spec.model_dump(mode="json"),
        "sweep_hash": sweep_hash(sweep),
        "base_scenario": sweep.base.model_dump(mode="json", by_alias=True),
        "base_scenario_hash": scenario_hash(sweep.base),
        "root_seed": sweep.base.seed,
        "months": sweep.base.months,
        "replicates": sweep.spec.replicates,
        "points": points,
        "runs": points * sweep.spec.replicates,
        "outputs": list(OUTPUTS),
        "output_meanings": OUTPUTS,
        "model_fingerprint": model_fingerprint(),
        "versions": package_versions(),
        "git_commit": git_commit(),
        **describe(sweep),
        **extra,
    }


def prepare(sweep: Sweep, out: Path) -> pd.DataFrame:
    """Create or reopen the sweep folder; return the design table."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        old = json.loads(manifest_path.read_text())
        if old.get("sweep_hash") != sweep_hash(sweep):
            raise ScenarioError(
                [
                    Problem(
                        str(out),
                        "--out",
                        "holds a different sweep (another design, base or seed); choose "
                        "another folder or delete this one",
                    )
                ]
            )
    elif out.exists() and any(out.iterdir()):
        raise ScenarioError(
            [Problem(str(out), "--out", "exists, is not empty and holds no sweep manifest")]
        )
    design = design_table(sweep)
    (out / "parts").mkdir(parents=True, exist_ok=True)
    (out / "series").mkdir(exist_ok=True)
    _tidy_folder(out)
    write_parquet(out / "design.parquet", pa.Table.from_pandas(design, preserve_index=False))
    if not manifest_path.exists():
        write_json(manifest_path, _manifest(sweep, len(design), {"complete": False}))
    return design


def pending_runs(sweep: Sweep, design: pd.DataFrame, done: set[str]) -> Iterator[RunSpec]:
    """Runs not yet written, in (point, replicate) order."""
    series = sweep.spec.series
    names = sweep.names
    for row in design.itertuples(index=False):
        values = {n: getattr(row, "_" + str(k + 1)) for k, n in enumerate(names)}
        scenario = sweep.scenario(values).model_copy(update={"replicates": 1})
        for rep in range(sweep.spec.replicates):
            key = run_key(scenario, rep)
            if key in done:
                continue
            yield RunSpec(
                key=key,
                point=int(row.point),
                replicate=rep,
                values=tuple((n, _scalar(v)) for n, v in values.items()),
                scenario=scenario,
                series_every=series.every if series else 0,
                series_keys=tuple(series.keys or SERIES_DEFAULT) if series else (),
            )


def _scalar(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


def _write_chunk(out: Path, rows: list[dict], series: list[dict]) -> None:
    name = "part-" + hashlib.sha256("".join(r["key"] for r in rows).encode()).hexdigest()[:20]
    if series:  # written first: a run part implies its series part is there
        write_parquet(out / "series" / f"{name}.parquet", pa.Table.from_pylist(series))
    table = pa.Table.from_pylist(rows, schema=_schema(rows))
    write_parquet(out / "parts" / f"{name}.parquet", table)


def _schema(rows: list[dict]) -> pa.Schema:
    fields = [
        ("key", pa.string()),
        ("point", pa.int64()),
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


def _chunks(specs: Iterator[RunSpec], size: int) -> Iterator[list[RunSpec]]:
    chunk: list[RunSpec] = []
    for spec in specs:
        chunk.append(spec)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def run_sweep(
    sweep: Sweep,
    out: Path,
    executor: Executor | None = None,
    workers: int = 1,
    progress: bool = True,
    chunk_size: int | None = None,
    retry_failed: bool = False,
) -> dict[str, Any]:
    """Run (or resume) ``sweep`` into ``out``; return the final manifest.

    ``executor`` defaults to running in this process; ``workers`` bounds the chunks in
    flight (two per worker). ``chunk_size`` (runs per chunk) defaults to about
    :data:`CHUNK_SECONDS` of work, measured on the first run. ``retry_failed`` runs again
    the runs recorded as failed (their new rows take precedence when the folder is read).
    """
    start = time.perf_counter()
    design = prepare(sweep, out)
    done = done_keys(out, include_failed=not retry_failed)
    total = len(design) * sweep.spec.replicates
    todo = total - len(done)
    executor = executor or InProcessExecutor()
    if todo > 1 and not isinstance(executor, InProcessExecutor):
        for _ in range(workers):
            executor.submit(warm_up)
    specs = pending_runs(sweep, design, done)
    bar = tqdm(
        total=total,
        initial=len(done),
        desc=sweep.spec.name,
        unit="run",
        disable=not progress,
        smoothing=0.05,
    )
    counts = {"ok": 0, "failed": 0}
    try:
        first = next(specs, None)
        if first is not None:
            row, series = run_one(first)  # measures the run time, to size the chunks
            _write_chunk(out, [row], series)
            _count(counts, [row])
            bar.update(1)
            size = chunk_size or max(1, math.ceil(CHUNK_SECONDS / max(row["seconds"], 1e-3)))
            rest = _chunks(specs, size)
            _run_all(executor, rest, out, max(1, 2 * workers), bar, counts)
    finally:
        bar.close()
    ok_total, failed_total = _tally(out)
    manifest = _manifest(
        sweep,
        len(design),
        {
            "complete": True,
            "runs_ok": ok_total,
            "runs_failed": failed_total,
            "last_session": {"runs": todo, "seconds": round(time.perf_counter() - start, 2)},
        },
    )
    write_json(out / "manifest.json", manifest)
    return manifest


def _run_all(
    executor: Executor,
    chunks: Iterator[list[RunSpec]],
    out: Path,
    inflight: int,
    bar: Any,
    counts: dict[str, int],
) -> None:
    running: set[Future] = set()
    for chunk in chunks:
        running.add(executor.submit(run_chunk, chunk))
        if len(running) >= inflight:
            running = _drain(running, out, bar, counts, FIRST_COMPLETED)
    while running:
        running = _drain(running, out, bar, counts, FIRST_COMPLETED)


def _drain(running: set[Future], out: Path, bar: Any, counts: dict[str, int], when: str):
    finished, running = wait(running, return_when=when)
    for future in finished:
        rows, series = future.result()
        _write_chunk(out, rows, series)
        _count(counts, rows)
        bar.update(len(rows))
    return running


def _count(counts: dict[str, int], rows: list[dict]) -> None:
    for r in rows:
        counts[r["status"]] += 1


def _tally(out: Path) -> tuple[int, int]:
    status: dict[str, str] = {}
    for part in sorted((out / "parts").glob("part-*.parquet")):
        t = pq.read_table(part, columns=["key", "status"]).to_pydict()
        for key, st in zip(t["key"], t["status"], strict=True):
            if status.get(key) != "ok":  # a successful retry wins over a failure
                status[key] = st
    ok = sum(st == "ok" for st in status.values())
    return ok, len(status) - ok


def load_runs(out: Path) -> pd.DataFrame:
    """Every run row of a sweep folder, one per key (a successful row over a failed one),
    sorted by point and replicate."""
    parts = sorted((out / "parts").glob("part-*.parquet"))
    if not parts:
        return pd.DataFrame()
    frame = pd.concat([pq.read_table(p).to_pandas() for p in parts], ignore_index=True)
    frame = one_row_per_run(frame)
    return frame.sort_values(["point", "replicate"], kind="stable").reset_index(drop=True)


def one_row_per_run(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per run key, in the rows' order: a successful row is kept over a failed one
    (as after ``--retry-failed``), otherwise the first."""
    failed_last = (frame["status"].astype(str) != "ok").to_numpy()
    frame = frame.iloc[np.argsort(failed_last, kind="stable")]
    return frame.drop_duplicates("key", keep="first").sort_index()
