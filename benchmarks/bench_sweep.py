"""Sweep benchmarks: throughput on 1 and 2 workers, Dask against the process pool, and
peak memory as the number of runs grows.

    .venv/bin/python benchmarks/bench_sweep.py            # about 4 minutes on 2 cores
    .venv/bin/python benchmarks/bench_sweep.py --quick    # smoke check, well under a minute

Every measurement runs ``partnersim sweep`` in a fresh process on a grid over policy churn
and formality built from ``scenarios/baseline.yaml`` (143 staff), so start-up of worker
processes and of the Dask cluster is included, as a user would see it. Targets: 2 workers
at least 1.8x one on a 5,000-run sweep; Dask LocalCluster at most 1.15x the time of the
process pool on the same 500-run sweep; peak memory of the sweep's parent process flat in
the number of runs.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import sys
from sim.cli.main import main
code = main(sys.argv[1:])
for line in open('/proc/self/status'):
    if line.startswith('VmHWM:'):
        print('PEAK_KIB', line.split()[1], file=sys.stderr)
sys.exit(code)
"""


def sweep_file(folder: Path, runs: int, months: int) -> Path:
    """A grid sweep of about ``runs`` runs (replicates 1)."""
    churn = max(1, int(runs**0.5))
    form = max(1, round(runs / churn))
    text = f"""
name: bench_{runs}
base: {ROOT / "scenarios" / "baseline.yaml"}
parameters:
  environment.policy_churn: {{low: 0.0, high: 2.0, steps: {max(churn, 2)}}}
  partnership.formality: {{low: 0.0, high: 1.0, steps: {max(form, 2)}}}
design: {{kind: grid}}
replicates: 1
months: {months}
"""
    path = folder / f"bench_{runs}_{months}.yaml"
    path.write_text(text)
    return path


def run(sweep: Path, out: Path, *where: str) -> tuple[float, int, float]:
    """Wall seconds, runs done and the parent's peak RSS (MiB) of one sweep command."""
    cmd = [sys.executable, "-c", CHILD, "sweep", str(sweep), "--out", str(out), "--quiet", *where]
    t0 = time.perf_counter()
    res = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - t0
    if res.returncode:
        raise SystemExit(res.stderr)
    peak = next(
        int(line.split()[1]) for line in res.stderr.splitlines() if line.startswith("PEAK_KIB")
    )
    runs = json.loads((out / "manifest.json").read_text())["runs_ok"]
    return wall, runs, peak / 1024


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes (smoke check)")
    args = p.parse_args(argv)
    n_speed, n_dask = (24, 40) if args.quick else (5000, 500)
    memory_runs = (100, 300) if args.quick else (1000, 10000)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        print(f"1. Throughput ({n_speed} runs of 120 months, baseline size; start-up included)")
        speed = sweep_file(folder, n_speed, 120)
        rates = {}
        for workers in (1, 2):
            wall, runs, _ = run(speed, folder / f"w{workers}", "--workers", str(workers))
            rates[workers] = runs / wall
            print(
                f"   {workers} worker(s): {runs} runs in {wall:6.1f} s = {runs / wall:5.2f} runs/s"
            )
        ratio = rates[2] / rates[1]
        print(f"   2 workers / 1 worker: {ratio:.2f}x  (target >= 1.8x)")
        if args.quick:
            print("NOT MEASURED at the target size (5,000 runs): run without --quick")
        else:
            print(f"{'PASS' if ratio >= 1.8 else 'MISS'}: 2 workers {ratio:.2f}x one worker")

        print(f"2. Dask LocalCluster vs process pool ({n_dask} runs, 2 workers each)")
        dask = sweep_file(folder, n_dask, 120)
        t_pool, runs_pool, _ = run(dask, folder / "pool", "--workers", "2")
        t_dask, runs_dask, _ = run(dask, folder / "dask", "--dask-local", "2")
        print(f"   process pool: {runs_pool} runs in {t_pool:6.1f} s")
        print(f"   Dask:         {runs_dask} runs in {t_dask:6.1f} s")
        print(f"   Dask / pool:  {t_dask / t_pool:.2f}x  (target <= 1.15x)")
        if args.quick:
            print("NOT MEASURED at the target size (500 runs): run without --quick")
        else:
            ok = t_dask / t_pool <= 1.15
            print(f"{'PASS' if ok else 'MISS'}: Dask {t_dask / t_pool:.2f}x the process pool")

        print("3. Peak memory of the sweep's parent process (runs of 12 months, 2 workers)")
        for n in memory_runs:
            wall, runs, peak = run(sweep_file(folder, n, 12), folder / f"m{n}", "--workers", "2")
            print(f"   {runs:6d} runs: peak {peak:6.1f} MiB, {wall:6.1f} s")


if __name__ == "__main__":
    main()
