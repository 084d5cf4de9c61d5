"""Run a scenario's replicates and write its results folder.

The folder holds ``manifest.json`` (resolved scenario, seeds, versions, commit, hash),
``timeseries.parquet`` (tidy), ``summary.json`` and ``figures/*.png``. Every file is
written atomically; the manifest is written last, with ``"complete": true``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from tqdm import tqdm

from sim.core.run import ReplicateResult, simulate
from sim.experiment.io import git_commit, package_versions, write_json, write_parquet
from sim.experiment.summary import summarise
from sim.experiment.table import tidy
from sim.scenario.loader import scenario_hash
from sim.scenario.schema import Scenario


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
    """Write the results folder for ``scenario``; return the summary."""
    out.mkdir(parents=True, exist_ok=True)
    write_parquet(out / "timeseries.parquet", tidy(scenario.name, results))
    summary = {"scenario": scenario.name, **summarise(results)}
    write_json(out / "summary.json", summary)
    if figures:
        from sim.viz.figures import draw_all

        draw_all(results, scenario.name, out / "figures")
    manifest = {
        "complete": True,
        "scenario": scenario.model_dump(mode="json", by_alias=True),
        "scenario_hash": scenario_hash(scenario),
        "seed": scenario.seed,
        "replicates": list(range(scenario.replicates)),
        "seed_derivation": "numpy SeedSequence(seed, spawn_key=(replicate, crc32(stream)))",
        "versions": package_versions(),
        "git_commit": git_commit(),
    }
    write_json(out / "manifest.json", manifest)
    return summary
