"""Run many (scenario, replicate) jobs, in this process or on a pool of worker processes.

Every job is seeded by its scenario and replicate alone, so results are identical whatever
the number of workers; they come back in the order of the jobs. The model core knows
nothing of this module.

Every process pool the project creates comes from :func:`process_pool`: its workers
ignore Ctrl-C (the parent handles it, cancels what is pending and exits cleanly) and exit
when their parent dies, even by ``kill -9`` (``prctl(PR_SET_PDEATHSIG)`` on Linux, and
everywhere a thread that checks the parent's PID every second).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
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
    """One replicate of one scenario; ``hooks`` act on the running replicate (a
    :class:`~sim.core.run.TwinRun`: the partnership and its two twins) at given months.

    A hook runs after the month it is keyed by (``{48: f}`` calls ``f(run)`` once month 48
    is done). Hooks must be picklable (module-level functions or ``functools.partial``).
    """

    scenario: Scenario
    replicate: int
    hooks: tuple[tuple[int, Hook], ...] = ()
    keep: tuple[str, ...] | None = None  # series to keep (None: all)
    draw: int = 0  # the draw of the constants ``scenario`` carries (``assumptions.py``)


def run_job(job: Job) -> ReplicateResult:
    """Run one job to its scenario's horizon."""
    run = TwinRun(job.scenario, job.replicate, with_agents=False)
    horizon = job.scenario.months
    for month, hook in sorted(dict(job.hooks).items()):
        if month <= horizon:
            run.run_to(month)
            hook(run)
    run.run_to(horizon)
    series = run.series()
    if job.keep is not None:
        series = {k: series[k] for k in job.keep}
    return ReplicateResult(job.replicate, series, job.draw)


PARENT_CHECK_SECONDS = 1.0  # how often a worker checks that its parent is alive
_PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>


def _watch_parent(parent: int) -> None:
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:  # reparented: the parent is gone
            os._exit(1)


def init_worker(parent: int) -> None:
    """Initializer of every worker process (``parent``: the PID of the process that made
    the pool): ignore SIGINT, and exit when the parent dies. On Linux the kernel sends
    SIGTERM on the parent's death (``PR_SET_PDEATHSIG``; it fires when the thread that
    started the worker ends, so pools are made and fed from the main thread); elsewhere,
    and as a fallback, a daemon thread exits within :data:`PARENT_CHECK_SECONDS`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGTERM), 0, 0, 0)
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # died before the watch was set
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _ready() -> int:
    return 0


def process_pool(workers: int) -> ProcessPoolExecutor:
    """A pool of ``workers`` spawned worker processes, all started before it is returned.

    Workers run :func:`init_worker`. They are started with SIGINT ignored in this process
    (a spawned interpreter inherits it and never installs Python's Ctrl-C handler), so a
    Ctrl-C while they start cannot print their tracebacks either. Shut it down with
    ``shutdown(cancel_futures=True)``.
    """
    main = threading.current_thread() is threading.main_thread()
    old = signal.signal(signal.SIGINT, signal.SIG_IGN) if main else None
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=get_context("spawn"),
            initializer=init_worker,
            initargs=(os.getpid(),),
        )
        for _ in range(workers):  # each submit to a pool without an idle worker starts one
            pool.submit(_ready)
    finally:
        if main:
            signal.signal(signal.SIGINT, old)
    return pool


_SHARED: dict[int, ProcessPoolExecutor] = {}


def shared_pool(workers: int) -> ProcessPoolExecutor:
    """This process's pool of ``workers`` workers, started on the first call and kept for
    the next ones (a broken pool is replaced); its workers exit with this process.

    For callers that run many small batches, such as the pattern experiments: starting a
    pool of spawned workers costs seconds, as much as hundreds of runs. Results do not
    depend on it: every job is seeded by its scenario and replicate alone.
    """
    pool = _SHARED.get(workers)
    if pool is None or getattr(pool, "_broken", False) or getattr(pool, "_shutdown_thread", False):
        pool = _SHARED[workers] = process_pool(workers)
    return pool


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
    pool = executor or process_pool(min(workers, len(jobs)))
    try:
        chunk = max(1, len(jobs) // (4 * max(workers, 1)))
        for result in pool.map(run_job, jobs, chunksize=chunk):
            yield result
            bar.update()
    finally:
        if own:
            pool.shutdown(cancel_futures=True)
