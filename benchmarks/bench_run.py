"""What a user waits for: one baseline run, the first run after installing, a whole
``partnersim run`` and the pattern run, each against the same measure of another checkout.

``bench_model.py`` calls :func:`main` (its sections 5-8); run alone::

    .venv/bin/python benchmarks/bench_run.py                      # this checkout
    .venv/bin/python benchmarks/bench_run.py --before /path/to/old-checkout
    .venv/bin/python benchmarks/bench_run.py --patterns quick     # + partnersim patterns --quick

``--before PATH`` measures a checkout of an earlier version the same way, in fresh processes
with ``PYTHONPATH=PATH`` and this venv, so both figures come from the same machine in the
same session. Every measurement of a command is the wall time of a fresh process, as a user
sees it.

Targets:

- a baseline-size run with every world it simulates (the partnership and its two twins, the
  spin-up included), 120 months, on one core: at most 25 ms (best of the replicates);
- compiled kernels are cached on disk: the first run in a fresh process with the cache
  warm costs no compilation, and a cold ``partnersim run`` of the baseline is not slower
  than before;
- the pattern run at least 8x faster than before.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "scenarios" / "baseline.yaml"
TARGET_RUN_MS = 25.0
TARGET_PATTERN_SPEEDUP = 8.0

# one baseline replicate, timed in the process that runs it (after a first, untimed one)
RUN_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from sim.scenario.loader import load_scenario
from sim.core.run import simulate
t1 = time.perf_counter()
sc = load_scenario(sys.argv[1])
t2 = time.perf_counter()
simulate(sc, 0)
t3 = time.perf_counter()
best = float("inf")
for r in range(1, int(sys.argv[2]) + 1):
    t = time.perf_counter()
    simulate(sc, r)
    best = min(best, time.perf_counter() - t)
print(json.dumps({"import": t1 - t0, "first": t3 - t2, "best": best}))
"""


CLI_CHILD = "import sys; from sim.cli.main import main; sys.exit(main(sys.argv[1:]))"


def _env(pythonpath: Path | None, cache: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    if cache is not None:
        env["NUMBA_CACHE_DIR"] = str(cache)
    return env


def run_child(code: Path | None, repeats: int, cache: Path | None = None) -> dict[str, float]:
    """Import time, first-run time and best later run (s) of a baseline replicate in a fresh
    process; ``code``: a checkout to import ``sim`` from (default this one)."""
    cwd = code or ROOT
    out = subprocess.run(
        [sys.executable, "-c", RUN_CHILD, str(BASELINE), str(repeats)],
        capture_output=True,
        text=True,
        check=True,
        cwd=cwd,
        env=_env(code, cache),
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def best_run(
    before: Path | None, repeats: int, rounds: int
) -> tuple[dict[str, float], dict[str, float] | None]:
    """:func:`run_child` of this checkout and of ``before``, alternating (this, before,
    this, before...) for ``rounds`` rounds so that both see the same load on a shared
    machine; the best of each. Without ``before``, one round of this checkout."""
    now: dict[str, float] | None = None
    old: dict[str, float] | None = None
    for _ in range(rounds if before else 1):
        got = run_child(None, repeats)
        now = got if now is None or got["best"] < now["best"] else now
        if before:
            got = run_child(before, repeats)
            old = got if old is None or got["best"] < old["best"] else old
    assert now is not None
    return now, old


def command_seconds(args: list[str], code: Path | None, cache: Path | None = None) -> float:
    """Wall seconds of ``partnersim ARGS`` in a fresh process (``code``: checkout)."""
    cmd = [
        sys.executable,
        "-c",
        "import sys; from sim.cli.main import main; sys.exit(main(sys.argv[1:]))",
    ]
    t0 = time.perf_counter()
    subprocess.run(
        [*cmd, *args],
        capture_output=True,
        check=True,
        cwd=code or ROOT,
        env=_env(code, cache),
    )
    return time.perf_counter() - t0


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--before", type=Path, help="checkout of an earlier version to compare")
    p.add_argument("--repeats", type=int, default=10, help="timed baseline replicates")
    p.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="with --before: rounds of the baseline run alternating the two checkouts",
    )
    p.add_argument(
        "--patterns",
        choices=["none", "quick", "full"],
        default="none",
        help="also time `partnersim patterns` (quick: --quick; full: the whole run)",
    )
    args = p.parse_args(argv)
    before = args.before.resolve() if args.before else None

    print("5. One baseline run: partnership + board-less twin + no-joint-work twin,")
    print("   spin-up + 120 months, one process (best of the replicates after a first one;")
    print(f"   with --before, {args.rounds} rounds alternating the two checkouts, best of all)")
    now, old = best_run(before, args.repeats, args.rounds)
    line = f"   this checkout: {now['best'] * 1e3:8.1f} ms"
    if old is not None:
        line += f"   before: {old['best'] * 1e3:8.1f} ms ({old['best'] / now['best']:.1f}x)"
    print(line)
    ms = now["best"] * 1e3
    print(f"{verdict(ms <= TARGET_RUN_MS)}: {ms:.1f} ms per baseline run (target <= 25 ms)\n")

    print("6. Compilation: the first baseline run in a fresh process")
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp)
        cold = run_child(None, 1, cache=cache)
        warm = run_child(None, 1, cache=cache)
    print(f"   cold cache (compiles, then writes the cache): {cold['first']:6.2f} s")
    print(f"   warm cache (loads compiled kernels):           {warm['first']:6.2f} s")
    print(f"   import of the model:                           {warm['import']:6.2f} s")
    if before:
        old = run_child(before, 1)
        print(f"   before (no compilation):                      {old['first']:6.2f} s")
        print(
            f"{verdict(warm['first'] <= old['first'])}: first run with the cache warm "
            f"{warm['first']:.2f} s vs {old['first']:.2f} s before\n"
        )
    else:
        print("NOT MEASURED: cold start against the earlier version (pass --before PATH)\n")

    print("7. A whole `partnersim run scenarios/baseline.yaml` (10 replicates, figures)")
    with tempfile.TemporaryDirectory() as tmp:
        new_s = command_seconds(["run", str(BASELINE), "--out", f"{tmp}/now", "--quiet"], None)
        text = f"   this checkout: {new_s:6.2f} s"
        if before:
            old_s = command_seconds(
                ["run", str(BASELINE), "--out", f"{tmp}/old", "--quiet"], before
            )
            text += f"   before: {old_s:6.2f} s"
        print(text)
    if before:
        print(
            f"{verdict(new_s <= old_s)}: a cold `partnersim run` {new_s:.2f} s vs {old_s:.2f} s\n"
        )
    else:
        print("NOT MEASURED: against the earlier version (pass --before PATH)\n")

    if args.patterns == "none":
        print("8. Pattern run: NOT MEASURED (pass --patterns quick|full, with --before PATH)")
        return
    flag = ["--quick"] if args.patterns == "quick" else []
    print(f"8. `partnersim patterns {' '.join(flag)}` on 2 workers")
    with tempfile.TemporaryDirectory() as tmp:
        new_s = command_seconds(["patterns", *flag, "--out", f"{tmp}/now", "--quiet"], None)
        print(f"   this checkout: {new_s / 60:6.2f} min")
        if before:
            old_s = command_seconds(["patterns", *flag, "--out", f"{tmp}/old", "--quiet"], before)
            speedup = old_s / new_s
            print(f"   before:        {old_s / 60:6.2f} min ({speedup:.1f}x)")
            print(
                f"{verdict(speedup >= TARGET_PATTERN_SPEEDUP)}: pattern run {speedup:.1f}x "
                f"faster (target >= {TARGET_PATTERN_SPEEDUP:.0f}x)"
            )
        else:
            print("NOT MEASURED: speed-up against the earlier version (pass --before PATH)")


if __name__ == "__main__":
    main()
