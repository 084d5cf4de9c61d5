"""Speed and memory of the partnership model against an idiomatic Mesa loop.

What is measured (all printed, nothing written to disk):

1. **Model rate**: staff-months per second of ``PartnershipModel(..., with_agents=False)``
   stepped month by month, for scenarios built from ``scenarios/baseline.yaml`` with every
   agency's strategic and frontline counts scaled so the total staff is about N.
   Construction time (which includes the unreported spin-up months,
   ``dynamics.start.spin_up_months``) is reported separately and kept out of the rate. The
   same is measured for ``TwinRun`` (the partnership plus its two twins), which is what a
   real run pays.
2. **Mesa rate**: agent-steps per second of a plain ``mesa.Model`` with N trivial agents
   stepped with ``self.agents.shuffle_do("step")``, and the ratio model rate / Mesa rate.
   Target: at 10,000 staff the model runs at least 10x the idiomatic Mesa rate.
3. **Cost growth**: live ties, and seconds per month per tie and per staff. Cost should
   grow with the number of ties (about linear in staff), not with staff squared; the
   ``exp`` column is the log-log slope of time per month against staff between sizes
   (about 1 means linear, 2 would mean quadratic).
4. **Memory**: peak resident memory of ``sim.core.run.simulate`` (model + twins) at
   100,000 staff over 120 months, measured in a fresh subprocess (``VmHWM`` on Linux,
   else ``ru_maxrss``; see :func:`peak_rss_kib`).
   Target: fits in 2 GiB.

Usage::

    .venv/bin/python benchmarks/bench_model.py            # full run (a few minutes)
    .venv/bin/python benchmarks/bench_model.py --quick    # smoke check, seconds
"""

from __future__ import annotations

import argparse
import math
import platform
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import mesa

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_run
import bench_sweep

from sim.core.model import PartnershipModel
from sim.core.run import TwinRun, simulate
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.yaml"
DEFAULT_SIZES = [100, 1_000, 10_000, 100_000, 1_000_000]
BIG = 100_000  # above this size: one repeat of 12 months, the partnership model alone
QUICK_SIZES = [100, 1_000]
MESA_BUDGET = 2_000_000  # agent-steps per Mesa measurement (caps steps at large N)
TARGET_N, TARGET_RATIO, TARGET_MIB = 10_000, 10.0, 2048
TARGET_TIE_SLOPE = 1.15  # log-log slope of time per month against live ties


def scaled_scenario(n: int, months: int) -> Scenario:
    """The baseline scenario with every agency scaled so total staff is about ``n``."""
    base = load_scenario(BASELINE)
    total = sum(a.strategic + a.frontline for a in base.agencies)
    f = n / total
    agencies = [
        a.model_copy(
            update={
                "strategic": max(1, round(a.strategic * f)),
                "frontline": round(a.frontline * f),
            }
        )
        for a in base.agencies
    ]
    return base.model_copy(update={"agencies": agencies, "months": months})


@dataclass
class ModelTiming:
    """Timing of one model configuration at one size."""

    staff: int
    ties: int
    build_s: float  # construction, best of the repeats
    month_s: float  # seconds per simulated month, best of the repeats


def time_model(sc: Scenario, months: int, repeats: int, twin: bool) -> ModelTiming:
    """Best-of-``repeats`` construction and per-month step time."""
    best_build = best_month = math.inf
    staff = ties = 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        if twin:
            run = TwinRun(sc, 0, with_agents=False)
            model = run.model
        else:
            run = model = PartnershipModel(sc, replicate=0, world="partnership", with_agents=False)
        t1 = time.perf_counter()
        for _ in range(months):
            run.step()
        t2 = time.perf_counter()
        best_build = min(best_build, t1 - t0)
        best_month = min(best_month, (t2 - t1) / months)
        staff, ties = model.staff.n, int(model.ties.alive.sum())
    return ModelTiming(staff, ties, best_build, best_month)


class TrivialAgent(mesa.Agent):
    """An agent whose step is one trivial update."""

    def __init__(self, model: mesa.Model):
        super().__init__(model)
        self.x = 0.0

    def step(self) -> None:
        self.x += self.random.random()


class TrivialModel(mesa.Model):
    """An idiomatic Mesa model: N trivial agents, shuffled and stepped each tick."""

    def __init__(self, n: int, seed: int = 1):
        super().__init__(rng=seed)
        for _ in range(n):
            TrivialAgent(self)

    def step(self) -> None:
        self.agents.shuffle_do("step")


def time_mesa(n: int, steps: int) -> float:
    """Agent-steps per second of :class:`TrivialModel` (construction excluded)."""
    model = TrivialModel(n)
    model.step()  # warm-up
    t0 = time.perf_counter()
    for _ in range(steps):
        model.step()
    return n * steps / (time.perf_counter() - t0)


def peak_rss_kib() -> int:
    """Peak resident memory of this process in KiB.

    On Linux this is ``VmHWM`` from ``/proc/self/status``: ``ru_maxrss`` of a child started
    by ``subprocess`` also carries the parent's peak across ``exec``, so it would report
    the benchmark's own peak. Elsewhere, ``ru_maxrss`` (KiB on Linux, bytes on macOS).
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def memory_child(n: int, months: int) -> None:
    """Run in a fresh interpreter: one full replicate, then print peak RSS in KiB."""
    sc = scaled_scenario(n, months)
    before = peak_rss_kib()
    t0 = time.perf_counter()
    simulate(sc, 0)
    wall = time.perf_counter() - t0
    print(f"{before} {peak_rss_kib()} {wall:.3f}")


def measure_memory(n: int, months: int) -> tuple[float, float, float]:
    """Peak RSS (MiB) before and after a replicate run in a subprocess, and its wall time."""
    cmd = [sys.executable, __file__, "--memory-child", str(n), "--months", str(months)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.split()
    before, peak, wall = int(out[-3]), int(out[-2]), float(out[-1])
    return before / 1024, peak / 1024, wall


def fmt_rate(x: float) -> str:
    return f"{x / 1e6:8.2f} M" if x >= 1e6 else f"{x / 1e3:8.1f} k"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes, few months (smoke check)")
    p.add_argument("--sizes", type=int, nargs="+", help="staff sizes (default 100 .. 100000)")
    p.add_argument("--months", type=int, help="months per timed run (default 120; quick 12)")
    p.add_argument("--memory-staff", type=int, help="staff for the memory run (0 to skip)")
    p.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    p.add_argument("--before", type=Path, help="earlier checkout to compare (sections 5-8)")
    p.add_argument(
        "--patterns",
        choices=["none", "quick", "full"],
        default="none",
        help="also time `partnersim patterns` against --before (section 8)",
    )
    p.add_argument("--no-sweep", action="store_true", help="skip the sweep section (9)")
    args = p.parse_args(argv)
    months = args.months or (12 if args.quick else 120)
    if args.memory_child:
        memory_child(args.memory_child, months)
        return
    sizes = args.sizes or (QUICK_SIZES if args.quick else DEFAULT_SIZES)
    mem_n = args.memory_staff if args.memory_staff is not None else max(sizes)

    print(f"partnersim benchmark: python {platform.python_version()}, mesa {mesa.__version__}")
    print(f"scenario: {BASELINE.relative_to(ROOT)} scaled; {months} months per timed run\n")

    rows = []
    for n in sizes:
        n_months = months if n <= BIG else min(months, 12)
        sc = scaled_scenario(n, n_months)
        reps = 3 if n <= 10_000 else 1
        solo = time_model(sc, n_months, reps, twin=False)
        pair = solo if n > BIG else time_model(sc, n_months, reps, twin=True)
        steps = max(10, min(120, MESA_BUDGET // n))
        mesa_rate = time_mesa(solo.staff, steps)
        rows.append((n, solo, pair, mesa_rate))
        print(f"  done N={n:,} (staff {solo.staff:,}, ties {solo.ties:,})", file=sys.stderr)

    print("1-2. Speed (staff-months/s, construction excluded) vs idiomatic Mesa (agent-steps/s)")
    head = (
        f"{'staff':>8} {'build s':>8} {'+twins s':>8} {'model':>10} {'model+twins':>11}"
        f" {'mesa':>10} {'x mesa':>7} {'x mesa tw':>9}"
    )
    print(head)
    print("-" * len(head))
    for _, solo, pair, mesa_rate in rows:
        r_solo = solo.staff / solo.month_s
        r_pair = solo.staff / pair.month_s
        print(
            f"{solo.staff:>8,} {solo.build_s:>8.2f} {pair.build_s:>8.2f} {fmt_rate(r_solo):>10}"
            f" {fmt_rate(r_pair):>11} {fmt_rate(mesa_rate):>10}"
            f" {r_solo / mesa_rate:>7.1f} {r_pair / mesa_rate:>9.1f}"
        )
    print(f"target: at {TARGET_N:,} staff, model >= {TARGET_RATIO:.0f}x the Mesa rate")
    at_target = [(solo, m) for n, solo, _, m in rows if n == TARGET_N]
    if at_target:
        solo, mesa_rate = at_target[0]
        ratio = solo.staff / solo.month_s / mesa_rate
        verdict = "PASS" if ratio >= TARGET_RATIO else "MISS"
        print(f"{verdict}: {ratio:.1f}x the Mesa rate at {solo.staff:,} staff\n")
    else:
        print(f"NOT MEASURED: no run at {TARGET_N:,} staff (sizes {sizes}); run without --quick\n")

    print("3. Cost growth (partnership model alone; model+twins in brackets)")
    head = (
        f"{'staff':>8} {'ties':>9} {'ties/staff':>10} {'ms/month':>17}"
        f" {'us/month/tie':>13} {'us/month/staff':>15} {'exp':>5}"
    )
    print(head)
    print("-" * len(head))
    prev: ModelTiming | None = None
    for _, solo, pair, _ in rows:
        exp = (
            f"{math.log(solo.month_s / prev.month_s) / math.log(solo.staff / prev.staff):5.2f}"
            if prev
            else f"{'-':>5}"
        )
        ms = f"{solo.month_s * 1e3:.3f} ({pair.month_s * 1e3:.3f})"
        print(
            f"{solo.staff:>8,} {solo.ties:>9,} {solo.ties / solo.staff:>10.2f} {ms:>17}"
            f" {solo.month_s / max(solo.ties, 1) * 1e6:>13.3f}"
            f" {solo.month_s / solo.staff * 1e6:>15.3f} {exp}"
        )
        prev = solo
    print("exp: log-log slope of time per month against staff (1 = linear, 2 = quadratic)")
    print(f"(sizes above {BIG:,} staff: one run of 12 months, partnership model alone)")
    solos = [solo for _, solo, _, _ in rows]
    big = [s for s in solos if s.staff >= 10_000]
    if len(big) >= 2 and big[-1].staff >= 900_000:
        lo, hi = big[0], big[-1]
        slope = math.log(hi.month_s / lo.month_s) / math.log(hi.ties / lo.ties)
        print(
            f"{'PASS' if slope <= TARGET_TIE_SLOPE else 'MISS'}: time per month grows as "
            f"ties^{slope:.2f} from {lo.staff:,} to {hi.staff:,} staff "
            f"(target: in proportion to ties, exponent <= {TARGET_TIE_SLOPE})\n"
        )
    else:
        print("NOT MEASURED: cost growth up to 1,000,000 staff (run without --quick)\n")

    if mem_n > 0:
        what = f"{mem_n:,} staff, {months} months, fresh process"
        print(f"4. Memory: simulate() (model + twins), {what}")
        before, peak, wall = measure_memory(mem_n, months)
        print(f"peak RSS after imports and scenario load: {before:8.1f} MiB")
        print(f"peak RSS of the whole run:               {peak:8.1f} MiB ({peak / 1024:.2f} GiB)")
        print(f"wall time of the run (incl. build):      {wall:8.1f} s")
        print(f"target: <= {TARGET_MIB} MiB (2 GiB) at 100,000 staff over 120 months")
        if mem_n >= 100_000 and months >= 120:
            print(f"{'PASS' if peak <= TARGET_MIB else 'MISS'}: {peak:.0f} MiB")
        else:
            print(
                f"NOT MEASURED at the target size ({mem_n:,} staff, {months} months here); "
                "run with --memory-staff 100000 --months 120"
            )
    print()
    run_args = ["--patterns", args.patterns, "--repeats", "3" if args.quick else "10"]
    if args.before:
        run_args += ["--before", str(args.before)]
    bench_run.main(run_args)
    print()
    print("9. Sweeps (benchmarks/bench_sweep.py)")
    if args.no_sweep:
        print("NOT MEASURED: sweep targets (run without --no-sweep)")
    else:
        bench_sweep.main(["--quick"] if args.quick else [])


if __name__ == "__main__":
    main()
