"""``partnersim sweep``: run or resume a sweep file on this machine or a Dask cluster."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from concurrent.futures import Executor
from pathlib import Path

from sim.cli.options import positive
from sim.experiment.folder import safe_name
from sim.scenario.loader import Problem, ScenarioError


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add the ``sweep`` subcommand."""
    p = sub.add_parser(
        "sweep",
        help="run (or resume) a sweep file; results are written in parts as runs finish, "
        "merged into parts/runs.parquet when the sweep completes",
    )
    p.add_argument("sweep", type=Path, help="sweep YAML file (see scenarios/sweeps/)")
    p.add_argument("--out", type=Path, help="sweep folder (default: results/sweeps/<name>)")
    where = p.add_mutually_exclusive_group()
    where.add_argument(
        "--workers", type=positive("workers"), help="worker processes (default: all CPUs)"
    )
    where.add_argument("--scheduler", metavar="ADDRESS", help="a Dask scheduler to run on")
    where.add_argument(
        "--dask-local",
        type=positive("workers"),
        metavar="N",
        help="start a local Dask cluster of N worker processes (loopback only)",
    )
    p.add_argument(
        "--chunk-size",
        type=positive("chunk size"),
        help="runs per written part (default: about 1 s of work, measured)",
    )
    p.add_argument(
        "--retry-failed", action="store_true", help="run again the runs recorded as failed"
    )
    p.add_argument(
        "--allow-large",
        action="store_true",
        help="run a sweep above the job-size limits (runs, output, time; see docs/limits.md)",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar")


@contextlib.contextmanager
def executor_for(args: argparse.Namespace) -> Iterator[tuple[Executor | None, int, str]]:
    """The executor the options ask for, its worker count, and a description."""
    from sim.experiment.batch import default_workers, process_pool

    if args.scheduler or args.dask_local:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise ScenarioError(
                [
                    Problem(
                        "dask",
                        "--scheduler/--dask-local",
                        'needs Dask: pip install "partnersim[dask]"',
                    )
                ]
            ) from None
        if args.dask_local:
            import logging

            import dask

            # the worker's sampling profiler competes with the model for the GIL: off
            dask.config.set({"distributed.worker.profile.enabled": False})
            cluster = LocalCluster(
                n_workers=args.dask_local,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                silence_logs=logging.CRITICAL,
            )
            client = Client(cluster)
        else:
            cluster = None
            client = Client(args.scheduler)
        try:
            workers = max(1, len(client.scheduler_info()["workers"]))
            yield client.get_executor(), workers, f"Dask ({workers} workers)"
        finally:
            client.close()
            if cluster is not None:
                cluster.close()
        return
    workers = args.workers or default_workers()
    if workers == 1:
        yield None, 1, "this process"
        return
    pool = process_pool(workers)
    try:
        yield pool, workers, f"{workers} worker processes"
    finally:
        pool.shutdown(cancel_futures=True)


def run(args: argparse.Namespace) -> int:
    """Run or resume the sweep; print where the results are.

    Exit status: 0 when the sweep is complete and at least one run succeeded; 1 when every
    run failed (the folder is complete, ``runs_ok`` 0; the first error is printed); 2 bad
    input; 130 interrupted (the parts written are intact; the same command resumes).
    """
    from sim.experiment.batch import default_workers
    from sim.experiment.sweep import done_keys, first_error, run_sweep
    from sim.experiment.sweepfile import load_sweep

    planned = args.workers or args.dask_local or (1 if args.scheduler else default_workers())
    sweep = load_sweep(args.sweep, allow_large=args.allow_large, workers=planned)
    out = args.out or Path("results") / "sweeps" / safe_name(sweep.spec.name)
    try:
        with executor_for(args) as (executor, workers, where):
            manifest = run_sweep(
                sweep,
                out,
                executor,
                workers,
                progress=not args.quiet,
                chunk_size=args.chunk_size,
                retry_failed=args.retry_failed,
                notice=lambda text: print(text, file=sys.stderr),
            )
    except KeyboardInterrupt:
        written = len(done_keys(out)) if (out / "parts").is_dir() else 0
        print(
            f"interrupted: {written} runs are written in {out}; the parts on disk are "
            "complete; run the same command again to resume",
            file=sys.stderr,
        )
        return 130
    draws = f"{manifest['draws']} draws x " if manifest.get("draws") else ""
    print(
        f"sweep '{sweep.spec.name}' ({manifest['design']['kind']}, {manifest['points']} points x "
        f"{draws}{manifest['replicates']} replicates) on {where}: {manifest['runs_ok']} runs ok, "
        f"{manifest['runs_failed']} failed, {manifest['last_session']['runs']} run now in "
        f"{manifest['last_session']['seconds']:.0f} s\nresults in {out}/ (parts/runs.parquet, "
        f"design.parquet{', draws.parquet' if draws else ''}, manifest.json); next: "
        f"partnersim analyse {out}"
    )
    if manifest["runs_ok"] == 0:
        print(
            f"partnersim sweep: every run failed ({manifest['runs_failed']} of "
            f"{manifest['runs']}); first error: {first_error(out)}; nothing to analyse. "
            "Fix the cause, then run the same command with --retry-failed",
            file=sys.stderr,
        )
        return 1
    return 0
