"""Each command's job, sized before it starts: the hooks that call :func:`sim.limits.check_job`.

Every function here raises ``ScenarioError`` (exit 2, one line) when the command's job is
over the limits in :mod:`sim.limits`, and returns otherwise. They read scenarios and the
machine's memory only: they run nothing and write nothing, so a refusal leaves every file
as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sim.limits import JobSize, check_job, scenario_job
from sim.scenario.schema import Scenario

RUN_HINT = "fewer --replicates or --months"


def check_run(scenario: Scenario, source: Path, allow_large: bool, draws: int = 0) -> None:
    """``partnersim run``: every replicate's full series (in each of ``draws`` draws of
    the constants, if any) is held, then written."""
    size = scenario_job(scenario, runs=scenario.replicates * max(draws, 1))
    hint = RUN_HINT + (", or a smaller --uncertainty" if draws else "")
    check_job(size, where=str(source), allow_large=allow_large, hint=hint)


def check_library(
    scenarios: Sequence[tuple[Path, Scenario]], folder: Path, allow_large: bool
) -> None:
    """``partnersim library``: each file alone (one scenario's replicates are held at a
    time, only a table is written), then the whole folder (its runs and time)."""
    for path, sc in scenarios:
        size = scenario_job(sc, runs_in_memory=sc.replicates, writes_series=False)
        check_job(size, where=str(path), allow_large=allow_large, hint=RUN_HINT)
    if len(scenarios) < 2:
        return
    runs = sum(sc.replicates for _, sc in scenarios)
    work = sum(sc.replicates * sc.months * _staff(sc) for _, sc in scenarios)
    months = max(sc.months for _, sc in scenarios)
    total = JobSize(
        runs=runs,
        months=months,
        staff=round(work / (runs * months)),  # same staff-months of work as the folder
        issues=max(len(sc.issues) for _, sc in scenarios),
        runs_in_memory=max(sc.replicates for _, sc in scenarios),
        writes_series=False,
    )
    hint = f"{RUN_HINT}, or fewer files in the folder"
    check_job(total, where=str(folder), allow_large=allow_large, hint=hint)


def check_compare(
    scenarios: Sequence[Scenario],
    sources: Sequence[Path],
    replicates: int | None,
    workers: int,
    allow_large: bool,
    draws: int = 0,
) -> None:
    """``partnersim compare``: every scenario runs the first's replicates and horizon (in
    each of ``draws`` draws of the constants, if any), and every run's full series is held
    until the folder is written."""
    first = scenarios[0]
    reps = first.replicates if replicates is None else replicates
    size = JobSize(
        runs=reps * len(scenarios) * max(draws, 1),
        months=first.months,
        staff=max(_staff(sc) for sc in scenarios),
        issues=max(len(sc.issues) for sc in scenarios),
        ties_per_staff=max(sc.staff.ties_within + sc.staff.ties_across for sc in scenarios),
    )
    where = str(sources[max(range(len(scenarios)), key=lambda k: _staff(scenarios[k]))])
    check_job(size, where=where, allow_large=allow_large, workers=workers, hint=RUN_HINT)


def check_dashboard(scenario: Scenario, source: Path, allow_large: bool) -> None:
    """``partnersim dashboard``: up to two copies side by side, each with its two twins (6
    worlds), the network drawn, nothing written."""
    size = scenario_job(scenario, runs=1, worlds_per_run=6, writes_series=False, drawn=True)
    hint = "a scenario with fewer staff (agencies' strategic and frontline)"
    check_job(size, where=str(source), allow_large=allow_large, hint=hint)


def _staff(scenario: Scenario) -> int:
    return sum(a.strategic + a.frontline for a in scenario.agencies)
