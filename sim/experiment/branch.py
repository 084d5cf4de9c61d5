"""Branching: continue several scenarios from one shared history.

Every replicate first runs ONE history of the first scenario to month ``M``; each scenario
then continues a deep copy of that state (all three worlds: the partnership, its
board-less twin and its twin with no joint working) to the horizon under its own levers,
applied to every world, and its own interventions after month ``M``. Only scenarios
that differ from the first in their levers and interventions can branch
(:func:`check_branchable`).
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from tqdm import tqdm

from sim.core.run import ReplicateResult, TwinRun
from sim.core.timeline import Timeline
from sim.experiment.batch import process_pool
from sim.scenario.interventions import SetLevers
from sim.scenario.levers import apply_changes, lever_paths
from sim.scenario.loader import Problem, ScenarioError
from sim.scenario.schema import SETUP_ONLY, Scenario

# Top-level keys a branched scenario may change: its name, its levers and its timeline.
BRANCHABLE = ("name", "description", "replicates", "environment", "partnership", "staff")
# Levers the model core reads only when it builds a model: changing them at a branch
# point has no effect on the months that follow.
SETUP_ONLY_LEVERS = tuple(SETUP_ONLY)


def first_difference(a: Any, b: Any, prefix: str = "") -> str | None:
    """The first key path at which two JSON-like values differ (``None`` if equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            path = f"{prefix}.{key}" if prefix else str(key)
            if key not in a or key not in b:
                return path
            found = first_difference(a[key], b[key], path)
            if found is not None:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{prefix}[{i}]")
            if found is not None:
                return found
        return prefix if len(a) != len(b) else None
    return None if a == b else prefix


def check_branchable(
    scenarios: Sequence[Scenario], sources: Sequence[str], branch_at: int
) -> list[str]:
    """Check that every scenario can branch from the first at month ``branch_at``.

    Raises :class:`ScenarioError` when ``branch_at`` is outside ``1 .. months-1`` or a
    scenario differs from the first outside its levers and interventions (naming the file
    and the first differing key path). Returns notes on what a branch leaves out:
    interventions of a later scenario that fall wholly in the shared history, and levers
    that act only when a model is built.
    """
    months = scenarios[0].months
    if not 1 <= branch_at <= months - 1:
        raise ScenarioError(
            [
                Problem(
                    "command line",
                    "--branch-at",
                    f"month {branch_at} is outside the horizon; allowed: 1..{months - 1} "
                    f"(the scenarios run {months} months)",
                )
            ]
        )
    first = _fixed_part(scenarios[0])
    problems: list[Problem] = []
    notes: list[str] = []
    for sc, source in zip(scenarios[1:], sources[1:], strict=True):
        path = first_difference(first, _fixed_part(sc))
        if path is not None:
            problems.append(
                Problem(
                    source,
                    path,
                    f"differs from {sources[0]}; only scenarios that differ in levers "
                    "(environment, partnership, staff) and interventions can branch from a "
                    "shared history (drop --branch-at to compare them from month 1)",
                )
            )
            continue
        for k, event in enumerate(sc.interventions):
            ended = event.last_month() <= branch_at
            if ended and not (isinstance(event, SetLevers) and event.until is None):
                notes.append(
                    f"{source}: interventions[{k}] ({event.action}, month "
                    f"{event.first_month()}) falls in the shared history before month "
                    f"{branch_at + 1} and is not applied"
                )
        for lever in SETUP_ONLY_LEVERS:
            if _get(sc, lever) != _get(scenarios[0], lever):
                notes.append(
                    f"{source}: {lever} differs from {sources[0]}'s but acts only when the "
                    f"model is built; it makes no difference after the branch at month {branch_at}"
                )
    if problems:
        raise ScenarioError(problems)
    return notes


def _fixed_part(sc: Scenario) -> dict[str, Any]:
    data = sc.model_dump(mode="json", by_alias=True)
    return {k: v for k, v in data.items() if k not in (*BRANCHABLE, "interventions")}


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


# -- branching ------------------------------------------------------------------------------


def timeline_after(scenario: Scenario, month: int) -> tuple[Timeline, Scenario]:
    """``scenario``'s timeline as it stands after ``month``, and its levers then.

    The returned timeline has the scenario's levers as its base and its lever changes
    (``set``) of months ``1 .. month`` as layers already started, so windows still in
    force carry on and end as in an unbranched run; its one-off events of those months are
    dropped (the shared history had its own). Its ``events`` are those due after ``month``.
    """
    earlier = [
        e for e in scenario.interventions if isinstance(e, SetLevers) and e.first_month() <= month
    ]
    later = [e for e in scenario.interventions if e.first_month() > month]
    timeline = Timeline(later, base=scenario, earlier=earlier)
    return timeline, timeline.levers_at(month)


def rebranch(run: TwinRun, scenario: Scenario) -> None:
    """Switch a running replicate to ``scenario`` from the month after ``run.month`` on.

    Every lever path whose value differs from the scenario's levers at that point (its
    base levers with its lever windows still in force) is changed in every world of
    ``run.worlds`` (the partnership, the board-less twin and the no-joint-work twin, as in
    an unbranched run, where all three share the levers), and each gets the scenario's
    timeline for the months that follow, whose base is the scenario's levers (so a window
    in force at the branch ends as it would in the scenario's own run; these are not live
    changes). The caller checks that the scenario may branch (:func:`check_branchable`).
    """
    for model in run.worlds:
        timeline, target = timeline_after(scenario, run.month)
        changes = {
            path: _get(target, path)
            for path in lever_paths(target)
            if _get(model.levers, path) != _get(target, path)
        }
        if changes:
            model.levers = apply_changes(model.levers, changes)
        model.timeline = timeline


def _branch_replicate(task: tuple[tuple[Scenario, ...], int, int]) -> list[ReplicateResult]:
    """One replicate: the first scenario to ``month``, then each scenario on a deep copy of
    it (a copy of all three worlds, so the twins share the branch's history too)."""
    scenarios, replicate, month = task
    shared = TwinRun(scenarios[0], replicate, with_agents=False)
    shared.run_to(month)
    out = []
    for sc in scenarios:
        run = copy.deepcopy(shared)
        rebranch(run, sc)
        run.run_to(sc.months)
        out.append(ReplicateResult(replicate, run.series()))
    return out


def run_branched(
    scenarios: Sequence[Scenario], month: int, workers: int, progress: bool
) -> list[list[ReplicateResult]]:
    """Every scenario's replicates, branched from the first scenario's history at ``month``
    (one list per scenario, replicates in order; identical whatever ``workers``)."""
    n = scenarios[0].replicates
    tasks = [(tuple(scenarios), r, month) for r in range(n)]
    per_rep: list[list[ReplicateResult]] = []
    bar = tqdm(
        total=n, desc=f"branch at {month}", unit="replicate", disable=not progress, leave=False
    )
    try:
        if workers <= 1 or n <= 1:
            for task in tasks:
                per_rep.append(_branch_replicate(task))
                bar.update()
        else:
            pool = process_pool(min(workers, n))
            try:
                for res in pool.map(_branch_replicate, tasks):
                    per_rep.append(res)
                    bar.update()
            finally:
                pool.shutdown(cancel_futures=True)
    finally:
        bar.close()
    return [[rep[k] for rep in per_rep] for k in range(len(scenarios))]


# -- statistics -----------------------------------------------------------------------------
