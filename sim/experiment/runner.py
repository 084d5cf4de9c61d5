"""Run a scenario's replicates and write its results folder.

The folder holds ``manifest.json`` (``"kind": "run"``, resolved scenario, seeds, versions,
commit, hash), ``timeseries.parquet`` (tidy), ``summary.json`` and ``figures/*.png``; with
draws of the constants (``--uncertainty N``) also ``draws.parquet`` (each draw's constants),
and ``summary.json`` keeps random futures and plausible assumptions apart under
``"uncertainty"``.
Writing follows :mod:`sim.experiment.folder`: the folder is claimed (locked, and refused if
it holds another kind of result), marked incomplete and cleared of the old run's outputs,
then every file is written atomically and the manifest last, with ``"complete": true``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from tqdm import tqdm

from sim.core.run import ReplicateResult, simulate
from sim.experiment.assumptions import drawn_scenarios, draws_table, uncertainty_record
from sim.experiment.folder import begin, claim, finish
from sim.experiment.io import git_commit, package_versions, write_json, write_parquet
from sim.experiment.spread import spreads
from sim.experiment.summary import summarise
from sim.experiment.table import tidy
from sim.scenario.loader import scenario_hash
from sim.scenario.schema import Scenario

OLD_OUTPUTS = (
    "timeseries.parquet",
    "summary.json",
    "figures/*.png",
    "draws.parquet",
    "brief.html",
    "timeseries.csv",
    "summary.csv",
)
"""What a rerun removes first: the run's files and those made from them (a brief, CSV),
which would otherwise describe the old run (e.g. figures after a rerun with no figures)."""


def run_replicates(
    scenario: Scenario, progress: bool = True, on_done: Callable[[int], None] | None = None
) -> list[ReplicateResult]:
    """Simulate replicates ``0 .. scenario.replicates - 1`` (with a progress bar)."""
    results = []
    bar = tqdm(
        total=scenario.replicates, desc=scenario.name, unit="run", disable=not progress, leave=False
    )
    for rep in range(scenario.replicates):
        results.append(simulate(scenario, rep))
        bar.update()
        if on_done:
            on_done(rep)
    bar.close()
    return results


def run_drawn(
    scenario: Scenario, draws: int, progress: bool = True, workers: int = 1
) -> tuple[np.ndarray, list[ReplicateResult]]:
    """``draws`` draws of the constants (:mod:`sim.experiment.assumptions`), each with
    replicates ``0 .. scenario.replicates - 1``; returns the unit design and the runs,
    ordered draw by draw. Results do not depend on ``workers``."""
    from sim.experiment.batch import Job, run_jobs

    design, (drawn,) = drawn_scenarios([scenario], draws)
    jobs = [Job(drawn[d], r, draw=d) for d in range(draws) for r in range(scenario.replicates)]
    return design, run_jobs(jobs, workers=workers, progress=progress, desc=scenario.name)


def uncertainty_summary(results: list[ReplicateResult], draws: int) -> dict[str, Any]:
    """The headline measures across random futures and across plausible assumptions."""
    from sim.experiment.compare import PAIRED, per_replicate

    months = results[0].series["outcome_index"].size
    m = per_replicate(results, (1, months))
    return {key: spreads(m[key], draws) for key in PAIRED}


def write_results(
    scenario: Scenario,
    results: list[ReplicateResult],
    out: Path,
    figures: bool = True,
    design: np.ndarray | None = None,
) -> dict[str, Any]:
    """Write the results folder for ``scenario``; return the summary.

    Claims ``out`` (see :func:`sim.experiment.folder.claim`; a caller may hold the claim
    already), marks it incomplete, removes :data:`OLD_OUTPUTS`, writes the data and writes
    ``manifest.json`` last. ``design``: the unit design of the draws the runs come from
    (None: no draws). Raises :class:`ScenarioError` for a folder that cannot be
    written (another kind of result, another live writer, an unsafe path, an OS error).
    """
    with claim(out, "run", command=f"partnersim run ({scenario.name})"):
        begin(out, remove=OLD_OUTPUTS)
        write_parquet(out / "timeseries.parquet", tidy(scenario.name, results))
        summary = {"scenario": scenario.name, **summarise(results)}
        draws = 0 if design is None else design.shape[0]
        files = ["timeseries.parquet", "summary.json"]
        if design is not None:
            summary["uncertainty"] = uncertainty_summary(results, draws)
            write_parquet(out / "draws.parquet", draws_table(scenario, design))
            files.append("draws.parquet")
        write_json(out / "summary.json", summary)
        if figures:
            from sim.viz.figures import draw_all

            files += [
                str(p.relative_to(out)) for p in draw_all(results, scenario.name, out / "figures")
            ]
        manifest = {
            "kind": "run",
            "scenario": scenario.model_dump(mode="json", by_alias=True),
            "scenario_hash": scenario_hash(scenario),
            "seed": scenario.seed,
            "replicates": list(range(scenario.replicates)),
            "months": scenario.months,
            "uncertainty": uncertainty_record(scenario, draws),
            "seed_derivation": "numpy SeedSequence(seed, spawn_key=(replicate, crc32(stream)))",
            "files": files,
            "versions": package_versions(),
            "git_commit": git_commit(),
        }
        finish(out, manifest)
    return summary
