"""One pool of workers for a process's many small batches (the pattern experiments)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.experiment.batch import Job, run_jobs, shared_pool
from sim.scenario.loader import load_scenario

BASE = Path(__file__).resolve().parents[3] / "scenarios" / "baseline.yaml"


def test_the_shared_pool_is_kept_replaced_when_shut_and_gives_the_same_results() -> None:
    pool = shared_pool(2)
    assert shared_pool(2) is pool  # kept: no second start-up
    scenario = load_scenario(BASE, {"months": 6})
    jobs = [Job(scenario, r) for r in range(3)]
    pooled = run_jobs(jobs, workers=2, progress=False, executor=pool)
    alone = run_jobs(jobs, workers=1, progress=False)
    for a, b in zip(pooled, alone, strict=True):
        assert same(a.series, b.series)
    pool.shutdown()
    fresh = shared_pool(2)
    assert fresh is not pool  # a pool shut down is not handed out again
    again = run_jobs(jobs[:2], workers=2, progress=False, executor=fresh)
    assert same(again[0].series, alone[0].series)


def same(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)
