"""Run a sweep on any ``concurrent.futures`` executor, resumably, in constant memory.

Each run (design point x replicate, or design point x draw x replicate with
``uncertainty: N``) has a key: a hash of the model's code fingerprint, the resolved
scenario, the design point, the draw (only with draws), the replicate and the root seed (a
design that repeats a point, as Morris and grids with repeated levels do, still gets one
run per point, draw and replicate). Runs are grouped in chunks of
about a second or more; the parent writes each finished chunk as one Parquet part,
atomically (temporary file, then rename), so a sweep killed at any moment leaves only
complete parts. Running the same command again reads the keys already written and runs
only the rest, provided the folder holds the same sweep run by the same model code (the
code's fingerprint and the run-key scheme are in the manifest; another is refused, never
mixed). The folder is claimed for the whole sweep (:func:`sim.experiment.folder.claim`: a
lock, kind ``sweep``) and its manifest says ``complete: false`` until the last run is
written. A run that raises becomes a ``failed`` row with its error and the sweep
goes on. At most two chunks per worker are in flight, so memory does not grow with the
number of runs. Results do not depend on the executor or the number of workers. Once
every run has a row, the parts are merged into ``parts/runs.parquet`` and
``series/series.parquet`` (:func:`sim.experiment.sweepparts.compact`: atomic, resumable,
and every reader reads either layout), so a finished folder holds a handful of files
whatever the number of runs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import math
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from tqdm import tqdm

import sim
from sim.core.regimes import CODES, REGIMES
from sim.core.run import simulate
from sim.experiment.assumptions import apply_values
from sim.experiment.designs import describe, design_table
from sim.experiment.folder import LOCK, begin, claim, finish
from sim.experiment.io import git_commit, package_versions, write_json, write_parquet
from sim.experiment.sweepdraws import sweep_draws, sweep_draws_table, sweep_uncertainty_record
from sim.experiment.sweepfile import Sweep
from sim.experiment.sweepparts import (  # noqa: F401 - load_runs and one_row_per_run re-exported
    OUTPUTS,
    compact,
    done_keys,
    first_error,
    load_runs,
    one_row_per_run,
    tally,
    tidy_folder,
    write_chunk,
)
from sim.scenario.loader import Problem, ScenarioError, scenario_hash
from sim.scenario.schema import Scenario

CHUNK_SECONDS = 1.0  # aim for chunks of about this long (at least one run)
RUN_KEY_SCHEME = 2
"""Version of what a run key hashes (2: the design point was added; a sweep with draws
adds the draw, leaving the keys of a sweep without draws as they were); in the manifest."""
SERIES_DEFAULT = (
    "outcome_index",
    "added_value",
    "ground_value",
    "added_value_rate",
    "partnership_effect",
    "joint_work_share",
    "trust_across",
    "formal_activity",
    "delivery_ratio",
    "regime_code",
)


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


def run_key(scenario: Scenario, point: int, replicate: int, draw: int | None = None) -> str:
    """Identity of one run: model code, resolved scenario, design point, draw of the
    constants (``None``: a sweep without draws, whose keys leave it out), replicate, root
    seed. The point is part of it: two design points with equal values are two runs."""
    where = f"{point}|{replicate}" if draw is None else f"{point}|d{draw}|{replicate}"
    text = f"{model_fingerprint()}|{scenario_hash(scenario)}|{where}|{scenario.seed}"
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
    draw: int | None = None  # the draw of the constants (None: a sweep without draws)

    def ids(self) -> dict[str, Any]:
        """The run's key, point, draw (with draws only) and replicate, as row columns."""
        out: dict[str, Any] = {"key": self.key, "point": self.point}
        if self.draw is not None:
            out["draw"] = self.draw
        out["replicate"] = self.replicate
        return out


def outputs_of(series: dict[str, np.ndarray]) -> dict[str, Any]:
    """The summary outputs of one run's series (named and described in :data:`OUTPUTS`).

    Rates are means over the reported months (% of need per year: a longer run does not
    inflate them); cumulative values are those of the last month; regime shares are the
    share of months in each of the five regimes.
    """
    codes = series["regime_code"]
    ratio = series["delivery_ratio"][-1]
    alive = series["board_alive"] >= 0.5
    out = {
        "added_value_per_year": float(np.mean(series["added_value_rate"])),
        "ground_value_per_year": float(np.mean(series["ground_value_rate"])),
        "added_value_cumulative": float(series["added_value"][-1]),
        "ground_value_cumulative": float(series["ground_value"][-1]),
        "board_months": float(alive.sum()),
        "board_alive_final": float(alive[-1]),
        "effect_final": float(np.mean(series["partnership_effect"][-12:])),
        "outcome_final": float(np.mean(series["outcome_index"][-12:])),
        "boardless_final": float(np.mean(series["boardless_outcome_index"][-12:])),
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
    row: dict[str, Any] = spec.ids()
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
                entry = {**spec.ids(), "month": month + 1}
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
    # a sweep without draws leaves ``uncertainty`` out: its folders keep their identity
    skip = {"name", "description"} | (set() if sweep.spec.uncertainty else {"uncertainty"})
    text = json.dumps(
        {
            "spec": sweep.spec.model_dump(mode="json", exclude=skip),
            "base": scenario_hash(sweep.base),
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _manifest(sweep: Sweep, points: int, extra: dict[str, Any]) -> dict[str, Any]:
    draws = sweep.spec.uncertainty
    return {
        "kind": "sweep",
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
        "draws": draws,
        "points": points,
        "runs": points * max(draws, 1) * sweep.spec.replicates,
        "outputs": list(OUTPUTS),
        "output_meanings": OUTPUTS,
        "model_fingerprint": model_fingerprint(),
        "run_key_scheme": RUN_KEY_SCHEME,
        "uncertainty": sweep_uncertainty_record(sweep),
        "versions": package_versions(),
        "git_commit": git_commit(),
        **describe(sweep),
        **extra,
    }


def _refuse(out: Path, message: str) -> ScenarioError:
    return ScenarioError([Problem(str(out), "--out", message)])


def check_resumable(sweep: Sweep, out: Path, old: Any) -> None:
    """Refuse to resume the folder ``out`` whose manifest is ``old`` unless it holds this
    sweep (same design, base and seed), run by this model code with this run-key scheme:
    its rows and new ones would otherwise be mixed. A sweep of another name is refused
    too, even with the same design: a folder holds one named sweep."""
    if not isinstance(old, dict):
        raise _refuse(out, "its manifest.json cannot be read; choose another --out or delete it")
    held_name = old.get("name")
    if old.get("sweep_hash") != sweep_hash(sweep):
        which = f" ('{held_name}')" if isinstance(held_name, str) else ""
        raise _refuse(
            out,
            f"holds a different sweep{which}: another design, base or seed; choose another "
            "folder or delete this one",
        )
    if isinstance(held_name, str) and held_name != sweep.spec.name:
        raise _refuse(
            out,
            f"holds the sweep '{held_name}', not '{sweep.spec.name}'; choose another folder "
            "or delete this one",
        )
    held, code = old.get("model_fingerprint"), model_fingerprint()
    ways = (
        "its runs cannot be mixed with new ones: write to a new --out folder, or delete "
        f"{out} to run the sweep again from scratch"
    )
    if held != code:
        raise _refuse(
            out, f"holds runs of other model code (fingerprint {held}; this code is {code}); {ways}"
        )
    scheme = old.get("run_key_scheme", 1)
    if scheme != RUN_KEY_SCHEME:
        raise _refuse(
            out,
            f"holds runs keyed by an earlier partnersim (run-key scheme {scheme}; this one "
            f"uses {RUN_KEY_SCHEME}); {ways}",
        )


def prepare(sweep: Sweep, out: Path) -> pd.DataFrame:
    """Create or reopen the sweep folder (already claimed); return the design table.

    A folder with a manifest must pass :func:`check_resumable`; its manifest is then
    marked ``complete: false`` before anything else is written."""
    manifest_path = out / "manifest.json"
    if manifest_path.exists():
        try:
            old = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = None
        check_resumable(sweep, out, old)
        begin(out)
    elif any(p.name != LOCK and not p.name.startswith(LOCK + ".") for p in out.iterdir()):
        raise _refuse(out, "exists, is not empty and holds no sweep manifest")
    design = design_table(sweep)
    (out / "parts").mkdir(parents=True, exist_ok=True)
    (out / "series").mkdir(exist_ok=True)
    tidy_folder(out)
    write_parquet(out / "design.parquet", pa.Table.from_pandas(design, preserve_index=False))
    if sweep.spec.uncertainty:
        unit, _ = sweep_draws(sweep)
        write_parquet(out / "draws.parquet", sweep_draws_table(sweep, unit))
    if not manifest_path.exists():
        write_json(manifest_path, _manifest(sweep, len(design), {"complete": False}))
    return design


def pending_runs(sweep: Sweep, design: pd.DataFrame, done: set[str]) -> Iterator[RunSpec]:
    """Runs not yet written, in (point, draw, replicate) order."""
    series = sweep.spec.series
    names = sweep.names
    _, draws = sweep_draws(sweep)
    for row in design.itertuples(index=False):
        values = {n: getattr(row, "_" + str(k + 1)) for k, n in enumerate(names)}
        scenario = sweep.scenario(values).model_copy(update={"replicates": 1})
        versions: list[tuple[int | None, Scenario]] = [(None, scenario)]
        if draws:
            versions = [(d, apply_values(scenario, drawn)) for d, drawn in enumerate(draws)]
        for draw, version in versions:
            for rep in range(sweep.spec.replicates):
                key = run_key(version, int(row.point), rep, draw)
                if key in done:
                    continue
                yield RunSpec(
                    key=key,
                    point=int(row.point),
                    replicate=rep,
                    values=tuple((n, _scalar(v)) for n, v in values.items()),
                    scenario=version,
                    series_every=series.every if series else 0,
                    series_keys=tuple(series.keys or SERIES_DEFAULT) if series else (),
                    draw=draw,
                )


def _scalar(value: Any) -> Any:
    return value.item() if hasattr(value, "item") else value


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
    notice: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run (or resume) ``sweep`` into ``out``; return the final manifest.

    ``executor`` defaults to running in this process; ``workers`` bounds the chunks in
    flight (two per worker). ``chunk_size`` (runs per chunk) defaults to about
    :data:`CHUNK_SECONDS` of work, measured on the first run. ``retry_failed`` runs again
    the runs recorded as failed (their new rows take precedence when the folder is read).
    ``notice`` gets one-line notices (e.g. how many runs a resumed sweep already holds).
    Refuses (:class:`ScenarioError`) a folder of another kind, one another process is
    writing, and one :func:`check_resumable` refuses, before anything is printed or
    written. Once every run has a row the parts are merged (:func:`compact`); the
    manifest then says ``complete: true`` (``runs_ok`` may be 0: every run failed).
    """
    start = time.perf_counter()
    with claim(out, "sweep", command=f"partnersim sweep {sweep.path}"):
        design = prepare(sweep, out)
        done = done_keys(out, include_failed=not retry_failed)
        total = len(design) * max(sweep.spec.uncertainty, 1) * sweep.spec.replicates
        todo = total - len(done)
        if done and notice is not None:
            notice(f"resuming: {len(done)} of {total} runs already in {out}")
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
            # the first two runs are run here and timed, to size the chunks: the first one
            # also loads the compiled kernels, so the faster of the two is the run's cost
            timed = list(itertools.islice(specs, 2))
            if timed:
                rows, series = [], []
                for spec in timed:
                    row, kept = run_one(spec)
                    rows.append(row)
                    series.extend(kept)
                write_chunk(out, rows, series)
                _count(counts, rows)
                bar.update(len(rows))
                seconds = max(min(r["seconds"] for r in rows), 1e-3)
                size = chunk_size or max(1, math.ceil(CHUNK_SECONDS / seconds))
                rest = _chunks(specs, size)
                _run_all(executor, rest, out, max(1, 2 * workers), bar, counts)
        finally:
            bar.close()
        compact(out)
        ok_total, failed_total = tally(out)
        manifest = _manifest(
            sweep,
            len(design),
            {
                "runs_ok": ok_total,
                "runs_failed": failed_total,
                "last_session": {"runs": todo, "seconds": round(time.perf_counter() - start, 2)},
            },
        )
        finish(out, manifest)
    return {**manifest, "complete": True}


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
    failed = [f for f in finished if f.exception() is not None]
    for future in finished:  # every finished chunk is written before a failure is raised
        if future.exception() is None:
            rows, series = future.result()
            write_chunk(out, rows, series)
            _count(counts, rows)
            bar.update(len(rows))
    if failed:
        failed[0].result()  # raises (e.g. the KeyboardInterrupt a chunk was stopped by)
    return running


def _count(counts: dict[str, int], rows: list[dict]) -> None:
    for r in rows:
        counts[r["status"]] += 1
