"""Compile every kernel once, so that the first real run loads them from the disk cache.

numba compiles a kernel the first time it is called and caches the machine code beside
the module (``__pycache__``, or ``NUMBA_CACHE_DIR``); later processes, worker processes of
a sweep included, load it. The set-up (``.ci/bootstrap.sh``) runs this module once after
installing: ``python -m sim.core.warmup``.
"""

from __future__ import annotations

import time
from pathlib import Path

from sim.core.run import simulate
from sim.scenario.loader import load_scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"


def warm(months: int = 2) -> float:
    """Run a short baseline replicate (all three worlds); return the seconds it took."""
    start = time.perf_counter()
    scenario = load_scenario(BASELINE)
    simulate(scenario.model_copy(update={"months": months}), 0)
    return time.perf_counter() - start


def main() -> None:
    """Compile (or load) every kernel and say how long it took."""
    print(f"partnersim: model kernels ready in {warm():.1f} s")


if __name__ == "__main__":
    main()
