"""Run many (scenario, replicate) jobs, in this process or on a pool of worker processes.

Every job is seeded by its scenario and replicate alone, so results are identical whatever
the number of workers; they come back in the order of the jobs. The model core knows
nothing of this module.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context
from typing import Any

from tqdm import tqdm

from sim.core.run import ReplicateResult, TwinRun
from sim.scenario.schema import Scenario

Hook = Callable[[TwinRun], None]


@dataclass(frozen=True)
class Job:
    """One replicate of one scenario; ``hooks`` act on the running pair at given months.

    A hook runs after the month it is keyed by (``{48: f}`` calls ``f(run)`` once month 48
    is done). Hooks must be picklable (module-level functions or ``functools.partial``).
    """

    scenario: Scenario
    replicate: int
    hooks: tuple[tuple[int, Hook], ...] = ()
    keep: tuple[str, ...] | None = None  # series to keep (None: all)


def run_job(job: Job) -> ReplicateResult:
    """Run one job to its scenario's horizon."""
    run = TwinRun(job.scenario, job.replicate, with_agents=False)
    hooks = dict(job.hooks)
    for month in range(1, job.scenario.months + 1):
        run.step()
        if month in hooks:
            hooks[month](run)
    series = run.series()
    if job.keep is not None:
        series = {k: series[k] for k in job.keep}
    return ReplicateResult(job.replicate, series)


def default_workers() -> int:
    """Worker processes to use by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def run_jobs(
    jobs: Sequence[Job],
    workers: int = 1,
    progress: bool = True,
    desc: str = "runs",
    executor: Executor | None = None,
) -> list[ReplicateResult]:
    """Run ``jobs`` and return their results in job order."""
    bar = tqdm(total=len(jobs), desc=desc, unit="run", disable=not progress, leave=False)
    try:
        return list(_results(jobs, workers, bar, executor))
    finally:
        bar.close()


def _results(
    jobs: Sequence[Job], workers: int, bar: Any, executor: Executor | None
) -> Iterator[ReplicateResult]:
    if executor is None and (workers <= 1 or len(jobs) <= 1):
        for job in jobs:
            yield run_job(job)
            bar.update()
        return
    own = executor is None
    pool = executor or ProcessPoolExecutor(workers, mp_context=get_context("spawn"))
    try:
        chunk = max(1, len(jobs) // (4 * max(workers, 1)))
        for result in pool.map(run_job, jobs, chunksize=chunk):
            yield result
            bar.update()
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
