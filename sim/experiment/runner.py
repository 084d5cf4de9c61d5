"""Run a scenario's replicates and write its results folder.

The folder holds ``manifest.json`` (``"kind": "run"``, resolved scenario, seeds, versions,
commit, hash), ``timeseries.parquet`` (tidy), ``summary.json`` and ``figures/*.png``.
Writing follows :mod:`sim.experiment.folder`: the folder is claimed (locked, and refused if
it holds another kind of result), marked incomplete and cleared of the old run's outputs,
then every file is written atomically and the manifest last, with ``"complete": true``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from sim.core.run import ReplicateResult, simulate
from sim.experiment.folder import begin, claim, finish
from sim.experiment.io import git_commit, package_versions, write_json, write_parquet
from sim.experiment.summary import summarise
from sim.experiment.table import tidy
from sim.scenario.loader import scenario_hash
from sim.scenario.schema import Scenario

OLD_OUTPUTS = (
    "timeseries.parquet",
    "summary.json",
    "figures/*.png",
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


def write_results(
    scenario: Scenario, results: list[ReplicateResult], out: Path, figures: bool = True
) -> dict[str, Any]:
    """Write the results folder for ``scenario``; return the summary.

    Claims ``out`` (see :func:`sim.experiment.folder.claim`; a caller may hold the claim
    already), marks it incomplete, removes :data:`OLD_OUTPUTS`, writes the data and writes
    ``manifest.json`` last. Raises :class:`ScenarioError` for a folder that cannot be
    written (another kind of result, another live writer, an unsafe path, an OS error).
    """
    with claim(out, "run", command=f"partnersim run ({scenario.name})"):
        begin(out, remove=OLD_OUTPUTS)
        write_parquet(out / "timeseries.parquet", tidy(scenario.name, results))
        summary = {"scenario": scenario.name, **summarise(results)}
        write_json(out / "summary.json", summary)
        files = ["timeseries.parquet", "summary.json"]
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
            "seed_derivation": "numpy SeedSequence(seed, spawn_key=(replicate, crc32(stream)))",
            "files": files,
            "versions": package_versions(),
            "git_commit": git_commit(),
        }
        finish(out, manifest)
    return summary
