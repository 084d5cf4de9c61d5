"""Read a finished sweep folder into tables of runs and of design points.

A sweep folder holds ``manifest.json`` (written last, with ``"complete": true``),
``design.parquet`` (one row per design point: ``point`` plus one column per varied
parameter, named by its key path) and its run rows in ``parts/``: ``runs.parquet`` in a
folder compacted when its sweep completed, ``part-*.parquet`` chunks in one written
before compaction existed (or whose compaction was killed: then both, read together). A
sweep with ``uncertainty: N`` runs every point in ``N`` draws of the model's other
constants, each with every replicate, and its rows carry a ``draw`` column; without
draws every run is draw 0. A run key may appear in more than one file (after a resumed
sweep, or a killed compaction): one row per key is kept (a successful one over a failed
one, else the first, ``runs.parquet`` before the parts in name order). Failed runs are
counted and kept in :attr:`SweepResults.runs` but excluded from every statistic
(:attr:`SweepResults.ok`, :meth:`SweepResults.point_means`, which averages each point
over its draws and replicates).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

from sim.core.regimes import REGIMES
from sim.experiment.sweep import one_row_per_run
from sim.experiment.sweepparts import run_files, with_draw

KINDS = ("grid", "lhs", "sobol", "morris")
"""Design kinds a sweep may declare in ``manifest.json``."""


class SweepError(ValueError):
    """A sweep folder, or a request about it, that cannot be analysed (message says why)."""


RUN_META = ("key", "point", "draw", "replicate", "status", "error", "seconds")
"""Columns of a run row that are neither parameters nor outputs."""

DEFAULT_OUTPUT = "added_value_per_year"
"""The output analysed unless another is asked for: the added value of the partnership."""

OUTPUT_UNITS = {
    "added_value_per_year": "% of need per year",
    "ground_value_per_year": "% of need per year",
    "added_value_cumulative": "% of need",
    "ground_value_cumulative": "% of need",
    "board_months": "months",
    "board_alive_final": "share of runs (0-1)",
    "effect_final": "index points, total effect",
    "outcome_final": "% fall in need",
    "boardless_final": "% fall in need",
    "counterfactual_final": "% fall in need",
    **{f"share_{g}": "share of months (0-1)" for g in REGIMES},
    "joint_work_mean": "share of frontline capacity (0-1)",
    "trust_across_mean": "index 0-1",
    "formal_activity_mean": "index 0-1",
    "delivery_ratio_final": "ratio (0-1)",
    "facade_index_mean": "index 0-1",
}
"""Units of the sweep's output columns (their meanings: ``sim.experiment.sweepparts``)."""

NEW_OUTPUTS = {
    "added_value_per_year": "the added value of the partnership",
    "share_organic": "the organic regime",
}
"""Outputs a sweep run by an earlier partnersim lacks (its regimes were judged by other
rules), and what they measure: such a folder is refused, not analysed with old labels."""


@dataclass(frozen=True)
class Parameter:
    """One varied parameter: its key path and either a range or a list of levels."""

    path: str
    low: float | None = None
    high: float | None = None
    levels: tuple[float, ...] | None = None

    @property
    def bounds(self) -> tuple[float, float]:
        """``(low, high)``; for a list of levels, its smallest and largest level."""
        if self.levels:
            return float(min(self.levels)), float(max(self.levels))
        return float(self.low), float(self.high)  # type: ignore[arg-type]

    def describe(self) -> str:
        """The swept values in words, e.g. ``0 to 2`` or ``levels 0.1, 0.5, 0.9``."""
        if self.levels:
            return "levels " + ", ".join(f"{v:g}" for v in self.levels)
        return f"{self.low:g} to {self.high:g}"


@dataclass
class SweepResults:
    """A finished sweep: its manifest, design points and (deduplicated) run rows."""

    folder: Path
    manifest: dict[str, Any]
    kind: str
    parameters: list[Parameter]
    design: pd.DataFrame
    runs: pd.DataFrame
    duplicates: int = 0
    part_files: int = 0
    _cache: dict[tuple[str, ...], pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def names(self) -> list[str]:
        """Key paths of the varied parameters, in manifest order."""
        return [p.path for p in self.parameters]

    @property
    def ok(self) -> pd.DataFrame:
        """Runs with status ``ok`` (the only ones used in statistics)."""
        return self.runs[self.runs["status"] == "ok"]

    @property
    def failed(self) -> pd.DataFrame:
        """Runs whose status is not ``ok``."""
        return self.runs[self.runs["status"] != "ok"]

    @property
    def replicates(self) -> int:
        """Replicates per design point, as declared in the manifest."""
        return int(self.manifest.get("replicates", 1))

    @property
    def draws(self) -> int:
        """Draws of the model's other constants per design point (0: none, every run is
        draw 0), as declared in the manifest."""
        return manifest_draws(self.manifest)

    @property
    def missing(self) -> int:
        """Runs the manifest promises (points x draws x replicates) that no part holds
        (:func:`load_sweep_folder` refuses a folder where this is not 0)."""
        return len(missing_runs(self.runs, len(self.design), self.replicates, self.draws))

    @property
    def outputs(self) -> list[str]:
        """Numeric output columns present in the run rows."""
        skip = set(RUN_META) | set(self.names)
        return [
            c
            for c in self.runs.columns
            if c not in skip and pd.api.types.is_numeric_dtype(self.runs[c])
        ]

    def parameter(self, path: str) -> Parameter:
        """The parameter with key path ``path`` (``KeyError`` if it was not varied)."""
        for p in self.parameters:
            if p.path == path:
                return p
        raise KeyError(path)

    def point_means(self, outputs: Sequence[str] | None = None) -> pd.DataFrame:
        """Outputs averaged over each design point's runs, in design order.

        One row per design point (index ``point``, 0..P-1, every point present), with the
        parameter columns from ``design.parquet``, ``n_ok`` (successful runs: replicates,
        or draws x replicates in a sweep with draws) and the mean over the point's
        successful runs of each output, every draw and replicate alike (NaN where a point
        has none; NaN outputs of single runs are skipped).
        """
        cols = list(outputs) if outputs is not None else self.outputs
        key = tuple(cols)
        if key not in self._cache:
            ok = self.ok
            means = ok.groupby("point")[cols].mean()
            counts = ok.groupby("point").size().rename("n_ok")
            table = self.design.set_index("point")[self.names]
            table = table.join(counts).join(means)
            table["n_ok"] = table["n_ok"].fillna(0).astype(np.int64)
            self._cache[key] = table
        return self._cache[key].copy()


def _read_manifest(folder: Path) -> dict[str, Any]:
    """The manifest of a complete sweep folder (see
    :func:`sim.experiment.folder.read_manifest`); :class:`SweepError` naming what is wrong."""
    from sim.experiment.folder import read_manifest
    from sim.scenario.loader import ScenarioError

    try:
        return read_manifest(folder, ("sweep",))
    except ScenarioError as exc:
        raise SweepError(str(exc.problems[0])) from None


def _parameters(manifest: dict[str, Any], where: Path) -> list[Parameter]:
    raw = manifest.get("parameters")
    if not isinstance(raw, list) or not raw:
        raise SweepError(f"{where}: 'parameters' must be a non-empty list")
    out = []
    for k, item in enumerate(raw):
        if not isinstance(item, dict) or not isinstance(item.get("path"), str):
            raise SweepError(f"{where}: parameters[{k}] needs a 'path'")
        if item.get("levels") is not None:
            levels = item["levels"]
            if not isinstance(levels, list) or not levels:
                raise SweepError(f"{where}: parameters[{k}].levels must be a non-empty list")
            try:
                out.append(Parameter(item["path"], levels=tuple(float(v) for v in levels)))
            except (TypeError, ValueError):
                raise SweepError(f"{where}: parameters[{k}].levels must be numbers") from None
        else:
            try:
                low, high = float(item["low"]), float(item["high"])
            except (KeyError, TypeError, ValueError):
                raise SweepError(
                    f"{where}: parameters[{k}] ({item['path']}) needs numeric "
                    "'low' and 'high', or 'levels'"
                ) from None
            out.append(Parameter(item["path"], low=low, high=high))
    names = [p.path for p in out]
    if len(set(names)) != len(names):
        raise SweepError(f"{where}: a parameter path appears twice")
    return out


def _read_design(folder: Path, names: list[str], points: Any) -> pd.DataFrame:
    path = folder / "design.parquet"
    if not path.is_file():
        raise SweepError(f"{path}: missing")
    try:
        design = pq.read_table(path).to_pandas()
    except Exception as exc:  # pyarrow raises several kinds
        raise SweepError(f"{path}: cannot be read as Parquet ({exc})") from None
    lacking = [c for c in ["point", *names] if c not in design.columns]
    if lacking:
        raise SweepError(f"{path}: lacks column(s) {', '.join(lacking)}")
    design = design[["point", *names]].sort_values("point").reset_index(drop=True)
    if not np.array_equal(design["point"].to_numpy(), np.arange(len(design))):
        raise SweepError(f"{path}: 'point' must number the rows 0..P-1, each once")
    if isinstance(points, int) and points != len(design):
        raise SweepError(f"{path}: holds {len(design)} points but manifest.json says {points}")
    for name in names:
        design[name] = design[name].astype(np.float64)
    return design


def _read_parts(folder: Path, names: list[str], n_points: int) -> tuple[pd.DataFrame, int]:
    parts_dir = folder / "parts"
    files = run_files(folder) if parts_dir.is_dir() else []
    if not files:
        raise SweepError(
            f"{parts_dir}: no run files (runs.parquet or part-*.parquet); nothing to analyse"
        )
    frames = []
    for path in files:
        try:
            frame = pq.read_table(path).to_pandas()
        except Exception as exc:  # pyarrow raises several kinds
            raise SweepError(f"{path}: cannot be read as Parquet ({exc})") from None
        lacking = [c for c in ("key", "point", "replicate", "status", *names) if c not in frame]
        if lacking:
            raise SweepError(f"{path}: lacks column(s) {', '.join(lacking)}")
        if len(frame):
            points = frame["point"].to_numpy()
            if points.min() < 0 or points.max() >= n_points:
                raise SweepError(f"{path}: 'point' outside the design (0..{n_points - 1})")
        frames.append(frame)
    runs = pd.concat(frames, ignore_index=True)
    if runs.empty:
        raise SweepError(f"{parts_dir}: the run files hold no rows; nothing to analyse")
    return runs, len(files)


def manifest_draws(manifest: dict[str, Any]) -> int:
    """Draws per design point a sweep manifest declares (0: none, or a folder written
    before sweeps had draws)."""
    draws = manifest.get("draws", 0)
    return draws if isinstance(draws, int) and not isinstance(draws, bool) else -1


def missing_runs(
    runs: pd.DataFrame, points: int, replicates: int, draws: int = 0
) -> list[tuple[int, int, int]]:
    """The (point, draw, replicate) runs of the design that no run row holds, in order
    (draw 0 only in a sweep without draws)."""
    have = set(
        zip(
            runs["point"].astype(int),
            runs["draw"].astype(int),
            runs["replicate"].astype(int),
            strict=True,
        )
    )
    return [
        (p, d, r)
        for p in range(points)
        for d in range(max(draws, 1))
        for r in range(replicates)
        if (p, d, r) not in have
    ]


def _check_every_run_once(
    runs: pd.DataFrame, folder: Path, points: int, replicates: int, draws: int
) -> None:
    """Refuse run rows that do not give every design point each of its draws and
    replicates once."""
    twice = int(runs[["point", "draw", "replicate"]].duplicated().sum())
    if twice:
        raise SweepError(
            f"{folder / 'parts'}: {twice} runs appear more than once under different keys "
            "(rows from another model version or sweep); refusing to mix them: run the "
            "sweep again into a new folder"
        )
    outside = runs[(runs["replicate"] < 0) | (runs["replicate"] >= replicates)]
    if len(outside):
        raise SweepError(
            f"{folder / 'parts'}: {len(outside)} rows have a replicate outside "
            f"0..{replicates - 1} (the manifest says {replicates} replicates)"
        )
    outside = runs[(runs["draw"] < 0) | (runs["draw"] >= max(draws, 1))]
    if len(outside):
        said = f"{draws} draws, 0..{draws - 1}" if draws else "no draws: every run is draw 0"
        raise SweepError(
            f"{folder / 'parts'}: {len(outside)} rows have a draw outside the manifest's ({said})"
        )
    missing = missing_runs(runs, points, replicates, draws)
    if missing:
        lacking = len({p for p, _, _ in missing})
        p, d, r = missing[0]
        first = f"first point {p}" + (f" draw {d}" if draws else "") + f" replicate {r}"
        total = points * max(draws, 1) * replicates
        raise SweepError(
            f"{folder / 'parts'}: {len(missing)} of {total} runs are missing "
            f"({lacking} design point{'s' if lacking != 1 else ''} lack runs, {first}); "
            "the indices would be wrong: resume the sweep (the same partnersim sweep "
            "command), then analyse"
        )


def load_sweep_folder(folder: Path | str) -> SweepResults:
    """Read the sweep folder ``folder``.

    Raises :class:`SweepError` (a ``ValueError``) naming the offending file when the
    folder is not a complete sweep: no folder, no ``manifest.json`` or ``complete`` not
    true, an unknown design kind, a missing or malformed ``design.parquet``, no run
    rows in ``parts/``, runs of an earlier partnersim (without the outputs of
    :data:`NEW_OUTPUTS`), a design point lacking any of its runs (each draw x replicate),
    or two run rows (two keys) for one point, draw and replicate. Rows without a ``draw``
    column (a sweep without draws) are draw 0.
    Duplicate run keys across parts are dropped (a successful row is kept over a failed
    one, as after ``partnersim sweep --retry-failed``; otherwise the first, in file name
    order) and counted in :attr:`SweepResults.duplicates`.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise SweepError(f"{folder}: not a folder")
    manifest = _read_manifest(folder)
    where = folder / "manifest.json"
    design_info = manifest.get("design")
    kind = design_info.get("kind") if isinstance(design_info, dict) else None
    if kind not in KINDS:
        raise SweepError(f"{where}: design.kind must be one of {', '.join(KINDS)}; got {kind!r}")
    parameters = _parameters(manifest, where)
    names = [p.path for p in parameters]
    design = _read_design(folder, names, manifest.get("points"))
    runs, n_files = _read_parts(folder, names, len(design))
    lacking = [what for name, what in NEW_OUTPUTS.items() if name not in runs.columns]
    if lacking:
        raise SweepError(
            f"{folder / 'parts'}: the runs were made by an earlier partnersim, without "
            f"{' or '.join(lacking)} (its regimes followed other rules); run the sweep again "
            "into a new folder (partnersim sweep FILE --out NEW_FOLDER) and analyse that"
        )
    before = len(runs)
    draws = manifest_draws(manifest)
    if draws < 0:
        raise SweepError(f"{where}: 'draws' must be a whole number of at least 0")
    if draws and "draw" not in runs.columns:
        raise SweepError(
            f"{folder / 'parts'}: the run files have no 'draw' column but the manifest "
            f"says {draws} draws per point"
        )
    runs = with_draw(one_row_per_run(runs).reset_index(drop=True))
    runs = runs.sort_values(["point", "draw", "replicate"], kind="stable").reset_index(drop=True)
    runs["status"] = runs["status"].astype(str)
    replicates = manifest.get("replicates", 1)
    if not isinstance(replicates, int) or isinstance(replicates, bool) or replicates < 1:
        raise SweepError(f"{where}: 'replicates' must be a whole number of at least 1")
    _check_every_run_once(runs, folder, len(design), replicates, draws)
    return SweepResults(
        folder=folder,
        manifest=manifest,
        kind=kind,
        parameters=parameters,
        design=design,
        runs=runs,
        duplicates=before - len(runs),
        part_files=n_files,
    )


def parameter_unit(path: str) -> str | None:
    """The unit of scenario key path ``path`` from the scenario schema, if it has one."""
    import typing

    try:
        from pydantic import BaseModel

        from sim.scenario.schema import Scenario
    except ImportError:  # pragma: no cover - the schema ships with the package
        return None
    model: Any = Scenario
    parts = path.split(".")
    for k, part in enumerate(parts):
        if part.isdigit():
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        info = model.model_fields.get(part)
        if info is None:
            return None
        if k == len(parts) - 1:
            extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
            unit = extra.get("unit")
            return str(unit) if unit else None
        model = info.annotation
        args = typing.get_args(model)
        if args and typing.get_origin(model) in (list, tuple):
            model = args[0]
    return None


def axis_label(path: str) -> str:
    """``path`` followed by its unit in brackets where the unit is known."""
    unit = OUTPUT_UNITS.get(path) or parameter_unit(path)
    return f"{path} [{unit}]" if unit else path


def fmt(value: float, digits: int = 3) -> str:
    """A number with ``digits`` significant digits; ``nan`` for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "nan"
    return f"{value:.{digits}g}"
