"""Which assumptions decide the answer: a Morris screening of the model's constants.

``partnersim robustness A.yaml [B.yaml]`` moves every constant that varies in the
scenario (:func:`sim.experiment.assumptions.varied`) one at a time along Morris
trajectories (SALib, ``num_levels`` 4) on the unit cube of those constants, and measures
how far each step moves the headline answer:

* one scenario: its added value, ``added_value_per_year`` (mean of the series
  ``added_value_rate`` over the run, % of need a year);
* two scenarios: the paired difference B - A of that added value.

Design. The unit points come from ``SALib.sample.morris.sample`` (bounds ``[0, 1]`` for
each varied constant), seeded by a generator of the scenario's root seed and the named
stream ``"robustness"`` (:data:`SEED_DERIVATION`; no global random state). Each point is
completed to a full-length point over :func:`~sim.scenario.uncertainty.constants` (a
constant that does not vary gets 0.5: its range is a point) and mapped through the
scenario's effective ranges with :func:`~sim.experiment.assumptions.draw_values` and
:func:`~sim.experiment.assumptions.apply_values`. With B the *same* unit points map
through B's ranges: point ``p`` of B is the same plausible version of the model as point
``p`` of A. Every point runs the same replicates with the same random numbers (replicate
``r`` is ``Job(scenario, r)``), so a step changes the constants and nothing else.

Analysis. ``SALib.analyze.morris.analyze`` on the replicate means gives, per constant,
``mu_star`` (mean absolute elementary effect), its bootstrap interval ``mu_star_conf``,
``mu`` and ``sigma``, all in % of need a year per full plausible range (an elementary
effect is the output's change over a step divided by the step as a share of the range).
Replicate noise: each replicate alone gives elementary effects (same steps, its own
random numbers); their spread across replicates is the noise left in the averaged effect
of that step (standard error ``sd / sqrt(R)``; common random numbers are accounted for,
since both ends of a step share them). A constant with no effect would still show a
``mu_star`` of about ``sqrt(2 / pi)`` times that standard error, averaged over its steps:
its ``noise_floor``. A constant is flagged ``"interval includes 0"`` when
``mu_star - mu_star_conf <= 0`` and ``"within replicate noise"`` when
``mu_star - mu_star_conf <= noise_floor``. This is a screening of elementary effects,
not a variance decomposition.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.regimes import CODES, REGIMES
from sim.core.streams import stream_key
from sim.experiment.assumptions import apply_values, draw_values, varied
from sim.experiment.batch import Job, run_jobs
from sim.scenario.schema import Scenario
from sim.scenario.uncertainty import Effective, constants, scenario_ranges

STREAM = "robustness"
SEED_DERIVATION = (
    "numpy SeedSequence(seed, spawn_key=(crc32('robustness'),)).spawn(2): the first "
    "child seeds the Morris sample, the second the bootstrap of mu_star_conf"
)
NUM_LEVELS = 4
OUTPUT = "added_value_per_year"
UNITS = "% of need a year per full plausible range"
KEEP = ("added_value_rate", "regime_code")
NUM_RESAMPLES = 1000
CONF_LEVEL = 0.95
FILL = 0.5
"""Unit value of a constant that does not vary (its range is a point, so any value maps
to it)."""

FLAG_ZERO = "interval includes 0"
FLAG_NOISE = "within replicate noise"


@dataclass(frozen=True)
class Design:
    """Morris trajectories on the unit cube of the varied constants.

    ``names``: the varied constants' key paths (the columns, in the order of
    :func:`constants`); ``unit``: one row per point, ``trajectories * (k + 1)`` rows.
    """

    names: list[str]
    unit: np.ndarray
    trajectories: int
    seed: int

    @property
    def points(self) -> int:
        """Design points (rows)."""
        return int(self.unit.shape[0])


def _generators(seed: int) -> tuple[np.random.Generator, np.random.Generator]:
    """The Morris sample's and the bootstrap's generators of root ``seed``."""
    sample, boot = np.random.SeedSequence(seed, spawn_key=(stream_key(STREAM),)).spawn(2)
    return np.random.default_rng(sample), np.random.default_rng(boot)


def design_names(scenarios: Sequence[Scenario]) -> list[str]:
    """Constants that vary in any of ``scenarios``, in the order of :func:`constants`."""
    paths = {e.constant.path for sc in scenarios for e in varied(sc)}
    return [c.path for c in constants() if c.path in paths]


def morris_design(scenarios: Sequence[Scenario], trajectories: int) -> Design:
    """The Morris design of ``scenarios`` (seeded by the first one's root seed)."""
    from SALib.sample import morris

    names = design_names(scenarios)
    if not names:
        raise ValueError("no constant varies in the scenario (every range is a point)")
    seed = scenarios[0].seed
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    unit = morris.sample(problem, trajectories, num_levels=NUM_LEVELS, seed=_generators(seed)[0])
    return Design(names, np.asarray(unit, dtype=float), trajectories, seed)


def full_points(design: Design) -> np.ndarray:
    """The design's points as full-length rows over :func:`constants` (others at 0.5)."""
    order = [c.path for c in constants()]
    full = np.full((design.points, len(order)), FILL)
    for j, name in enumerate(design.names):
        full[:, order.index(name)] = design.unit[:, j]
    return full


def point_scenarios(scenario: Scenario, design: Design) -> list[Scenario]:
    """``scenario`` at every design point, mapped through its own effective ranges."""
    ranges = scenario_ranges(scenario)
    return [apply_values(scenario, draw_values(ranges, row)) for row in full_points(design)]


def jobs_of(points: Sequence[Scenario], replicates: int) -> list[Job]:
    """Every point's replicates (point-major), keeping only the series needed."""
    return [Job(sc, r, keep=KEEP, draw=p) for p, sc in enumerate(points) for r in range(replicates)]


def job_count(design_points: int, replicates: int, options: int) -> int:
    """Runs of a screening."""
    return design_points * replicates * options


@dataclass
class Screening:
    """A finished screening: the design, the runs' outputs and the Morris table.

    ``values[k]``: option ``k``'s added value per year, points x replicates;
    ``output``: what was screened per point and replicate (A's value, or B - A);
    ``regime_months[k]``: option ``k``'s run-months in each regime, over all runs.
    """

    labels: list[str]
    sources: list[str]
    scenarios: list[Scenario]
    design: Design
    replicates: int
    months: int
    values: list[np.ndarray]
    output: np.ndarray
    regime_months: list[dict[str, int]]
    table: pd.DataFrame
    noise: dict[str, Any]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def paired(self) -> bool:
        """Whether this screens the difference B - A."""
        return len(self.labels) == 2


def step_effects(design: Design, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Elementary effects of every step, for each column of ``y`` (points x replicates).

    Returns ``(column, effects)``: the design column each step moves (trajectories x k)
    and the effects (trajectories x k x replicates), each the output's change over the
    step divided by the step in the unit of the range.
    """
    k = len(design.names)
    x = design.unit.reshape(design.trajectories, k + 1, k)
    yy = y.reshape(design.trajectories, k + 1, -1)
    dx = np.diff(x, axis=1)  # trajectories x k steps x k columns
    column = np.abs(dx).argmax(axis=2)
    step = np.take_along_axis(dx, column[:, :, None], axis=2)[:, :, 0]
    effects = np.diff(yy, axis=1) / step[:, :, None]
    return column, effects


def noise_floors(design: Design, y: np.ndarray) -> np.ndarray | None:
    """Per constant, the ``mu_star`` replicate noise alone would give (None: one replicate).

    For each step, the elementary effects of the single replicates spread about their
    mean; ``sd / sqrt(R)`` is the standard error of the averaged effect, and a step with
    no true effect would show ``sqrt(2 / pi)`` times it as its absolute effect. The floor
    of a constant is that, averaged over its steps.
    """
    if y.shape[1] < 2:
        return None
    column, effects = step_effects(design, y)
    se = effects.std(axis=2, ddof=1) / math.sqrt(y.shape[1])
    expected = math.sqrt(2.0 / math.pi) * se
    k = len(design.names)
    floors = np.zeros(k)
    for j in range(k):
        floors[j] = float(expected[column == j].mean())
    return floors


def morris_table(design: Design, y: np.ndarray) -> pd.DataFrame:
    """The ranked Morris table of ``y`` (points x replicates; averaged over replicates)."""
    from SALib.analyze import morris

    names = design.names
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = morris.analyze(
            problem,
            design.unit,
            y.mean(axis=1),
            num_resamples=NUM_RESAMPLES,
            conf_level=CONF_LEVEL,
            num_levels=NUM_LEVELS,
            seed=_generators(design.seed)[1],
        )
    table = pd.DataFrame(
        {k: np.asarray(si[k], dtype=float) for k in ("mu_star", "mu_star_conf", "mu", "sigma")},
        index=pd.Index(names, name="constant"),
    )
    floors = noise_floors(design, y)
    table["noise_floor"] = np.nan if floors is None else floors
    low = table["mu_star"] - table["mu_star_conf"]
    flag = np.where(low <= 0, FLAG_ZERO, "")
    if floors is not None:
        flag = np.where((flag == "") & (low <= table["noise_floor"]), FLAG_NOISE, flag)
    table["flag"] = flag
    table["order"] = np.arange(len(names))
    table = table.sort_values(["mu_star", "order"], ascending=[False, True], kind="stable")
    table.insert(0, "rank", np.arange(1, len(names) + 1))
    return table.drop(columns="order")


def _regime_months(results: Sequence[Any]) -> dict[str, int]:
    codes = np.concatenate([r.series["regime_code"] for r in results])
    return {g: int((codes == CODES[g]).sum()) for g in REGIMES}


def screen(
    scenarios: Sequence[Scenario],
    *,
    trajectories: int,
    replicates: int,
    workers: int = 1,
    progress: bool = True,
    sources: Sequence[str] | None = None,
) -> Screening:
    """Run the screening of one scenario, or of B - A for two (already aligned: the
    same seed and horizon)."""
    start = time.perf_counter()
    scenarios = list(scenarios)
    design = morris_design(scenarios, trajectories)
    jobs: list[Job] = []
    for sc in scenarios:
        jobs += jobs_of(point_scenarios(sc, design), replicates)
    results = run_jobs(jobs, workers=workers, progress=progress, desc="robustness")
    per = design.points * replicates
    values, regimes = [], []
    for k in range(len(scenarios)):
        chunk = results[k * per : (k + 1) * per]
        values.append(
            np.array([float(np.mean(r.series["added_value_rate"])) for r in chunk]).reshape(
                design.points, replicates
            )
        )
        regimes.append(_regime_months(chunk))
    output = values[1] - values[0] if len(scenarios) == 2 else values[0]
    table = morris_table(design, output)
    floors = table["noise_floor"]
    noise = {
        "replicates": replicates,
        "within_point_sd": float(np.sqrt(np.mean(output.var(axis=1, ddof=1))))
        if replicates > 1
        else None,
        "noise_floor_median": float(floors.median()) if replicates > 1 else None,
        "method": "per step, the elementary effects of the single replicates (same step, "
        "each its own random numbers); sd / sqrt(replicates) is the standard error of the "
        "averaged effect; noise_floor = sqrt(2/pi) x that, averaged over the constant's "
        "steps: the mu_star of a constant without effect",
    }
    notes = []
    if replicates < 2:
        notes.append("one replicate: replicate noise cannot be estimated; no noise flags")
    return Screening(
        labels=labels_of(scenarios),
        sources=list(sources) if sources else [sc.name for sc in scenarios],
        scenarios=scenarios,
        design=design,
        replicates=replicates,
        months=scenarios[0].months,
        values=values,
        output=output,
        regime_months=regimes,
        table=table,
        noise=noise,
        seconds=time.perf_counter() - start,
        notes=notes,
    )


def labels_of(scenarios: Sequence[Scenario]) -> list[str]:
    """The scenarios' names; a second scenario of the same name as the first is
    ``<name> (B)``."""
    names = [sc.name for sc in scenarios]
    if len(names) == 2 and names[0] == names[1]:
        names[1] += " (B)"
    return names


def regime_shares(s: Screening) -> dict[str, dict[str, float]]:
    """Each option's share of run-months in each regime, over all its runs."""
    out = {}
    for label, months in zip(s.labels, s.regime_months, strict=True):
        total = sum(months.values()) or 1
        out[label] = {g: months[g] / total for g in REGIMES}
    return out


def points_ahead(s: Screening) -> dict[str, int] | None:
    """With B: the points where B's mean added value is above, below or equal to A's."""
    if not s.paired:
        return None
    d = s.output.mean(axis=1)
    return {"higher": int((d > 0).sum()), "lower": int((d < 0).sum()), "equal": int((d == 0).sum())}


def _ranges_used(s: Screening) -> list[dict[str, Any]]:
    by = {
        label: {e.constant.path: e for e in scenario_ranges(sc)}
        for label, sc in zip(s.labels, s.scenarios, strict=True)
    }
    out = []
    for name in s.design.names:
        entry: dict[str, Any] = {"constant": name}
        for label in s.labels:
            e: Effective = by[label][name]
            entry[label] = {"low": e.low, "high": e.high, "value": e.value}
        out.append(entry)
    return out


def _finite(x: float) -> float | None:
    return None if not math.isfinite(x) else float(x)


def table_rows(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The ranked table as JSON rows."""
    rows = []
    for name, row in table.iterrows():
        rows.append(
            {
                "rank": int(row["rank"]),
                "constant": str(name),
                **{
                    k: _finite(float(row[k]))
                    for k in ("mu_star", "mu_star_conf", "mu", "sigma", "noise_floor")
                },
                "flag": str(row["flag"]),
            }
        )
    return rows


def record(s: Screening) -> dict[str, Any]:
    """What ``robustness.json`` holds."""
    from sim.experiment.io import git_commit, package_versions

    what = (
        f"paired difference {s.labels[1]} - {s.labels[0]} of added value per year"
        if s.paired
        else f"added value per year of {s.labels[0]}"
    )
    return {
        "scenarios": s.labels,
        "sources": s.sources,
        "output": OUTPUT,
        "screened": what,
        "units": UNITS,
        "definition": "mean over months 1..months of added_value_rate (% of need a year), "
        "averaged over the replicates at each point"
        + ("; B - A per replicate" if s.paired else ""),
        "months": s.months,
        "replicates": list(range(s.replicates)),
        "seed": s.design.seed,
        "design": {
            "method": "morris (SALib)",
            "trajectories": s.design.trajectories,
            "num_levels": NUM_LEVELS,
            "points": s.design.points,
            "constants_varied": len(s.design.names),
            "runs": job_count(s.design.points, s.replicates, len(s.labels)),
            "unit_cube": "bounds [0, 1] per varied constant, mapped through each "
            "scenario's effective ranges (the same unit points for every scenario)",
            "fill": f"constants that do not vary: unit value {FILL} (their range is a point)",
            "seed_derivation": SEED_DERIVATION,
            "bootstrap": {"num_resamples": NUM_RESAMPLES, "conf_level": CONF_LEVEL},
        },
        "ranges": _ranges_used(s),
        "table": table_rows(s.table),
        "flags": {
            FLAG_ZERO: "mu_star - mu_star_conf <= 0",
            FLAG_NOISE: "mu_star - mu_star_conf <= noise_floor",
        },
        "noise": s.noise,
        "regime_shares": regime_shares(s),
        "points_ahead": points_ahead(s),
        "output_summary": {
            "mean": float(s.output.mean()),
            "p10_of_points": float(np.percentile(s.output.mean(axis=1), 10)),
            "p90_of_points": float(np.percentile(s.output.mean(axis=1), 90)),
        },
        "seconds": round(s.seconds, 1),
        "notes": s.notes,
        "caveat": "a screening of elementary effects along Morris trajectories: it ranks "
        "constants by how far one-at-a-time steps move the output; not a variance "
        "decomposition, and a constant's effect depends on where the others stand",
        "versions": package_versions(),
        "git_commit": git_commit(),
    }


CSV_COLUMNS = ["rank", "constant", "mu_star", "mu_star_conf", "mu", "sigma", "noise_floor", "flag"]
FILES = ["robustness.json", "robustness.csv", "figures/robustness.png"]


def write_screening(s: Screening, out: Path, command: str) -> dict[str, Any]:
    """Write the results folder (claimed, marked incomplete, files atomically, manifest
    last with ``complete: true``); return the ``robustness.json`` record."""
    from sim.experiment.folder import begin, claim, finish
    from sim.experiment.io import atomic_write, write_json
    from sim.scenario.loader import scenario_hash
    from sim.viz.robustness import draw_robustness

    with claim(out, "robustness", command=command):
        begin(out, remove=FILES)
        rec = record(s)
        write_json(out / "robustness.json", rec)
        frame = s.table.reset_index()[CSV_COLUMNS]
        atomic_write(out / "robustness.csv", lambda tmp: frame.to_csv(tmp, index=False))
        (out / "figures").mkdir(exist_ok=True)
        draw_robustness(rec, out / "figures" / "robustness.png")
        finish(
            out,
            {
                "kind": "robustness",
                "scenarios": [sc.model_dump(mode="json", by_alias=True) for sc in s.scenarios],
                "scenario_hashes": [scenario_hash(sc) for sc in s.scenarios],
                "sources": s.sources,
                "seed": s.design.seed,
                "months": s.months,
                "replicates": list(range(s.replicates)),
                "trajectories": s.design.trajectories,
                "seed_derivation": SEED_DERIVATION,
                "files": FILES,
                "versions": rec["versions"],
                "git_commit": rec["git_commit"],
            },
        )
    return rec
