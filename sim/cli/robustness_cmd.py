"""``partnersim robustness``: which of the model's assumptions decide the answer.

``partnersim robustness A.yaml`` screens every constant that varies in A (Morris
elementary effects, :mod:`sim.experiment.robustness`) for its effect on A's added value
(% of need a year); ``partnersim robustness A.yaml B.yaml`` screens the paired difference
B - A on the same design points and random numbers. The job is sized before anything runs
(a refusal writes nothing); bad input raises ``ScenarioError`` (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.options import add_allow_large, positive, whole
from sim.core.regimes import REGIMES

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

DEFAULT_TRAJECTORIES = 10
DEFAULT_REPLICATES = 3
SHOWN = 10
HINT = "fewer --trajectories, --replicates or --months"


def add_parser(sub: Any) -> None:
    """Add the ``robustness`` subcommand to an argparse subparsers object."""
    c = sub.add_parser(
        "robustness",
        help="screen which uncertain constants move a scenario's added value (or B - A)",
        description="Morris screening of every constant that varies in the scenario across "
        "its plausible range: how far one-at-a-time steps move the added value of the "
        "partnership (% of need a year), or with a second scenario the paired difference "
        "B - A on the same design points and random numbers.",
    )
    c.add_argument(
        "scenarios",
        type=Path,
        nargs="+",
        metavar="SCENARIO",
        help="scenario YAML file or library name (A [B])",
    )
    c.add_argument(
        "--trajectories",
        type=whole("trajectories"),
        default=DEFAULT_TRAJECTORIES,
        help=f"Morris trajectories, each (constants + 1) points (default: {DEFAULT_TRAJECTORIES})",
    )
    c.add_argument(
        "--replicates",
        type=positive("replicates"),
        default=DEFAULT_REPLICATES,
        help=f"replicates at every point, the same random numbers at each (default: "
        f"{DEFAULT_REPLICATES})",
    )
    c.add_argument("--months", type=positive("months"), help="horizon (default: A's)")
    c.add_argument("--seed", type=positive("seed"), help="root seed (default: A's)")
    c.add_argument(
        "--workers", type=positive("workers"), default=1, help="worker processes (default: 1)"
    )
    c.add_argument(
        "--out", type=Path, help="results folder (default: results/robustness_<A>[_vs_<B>])"
    )
    c.add_argument("--quiet", action="store_true", help="no progress bar")
    add_allow_large(c)


def default_out(names: list[str]) -> Path:
    """``results/robustness_<A>`` or ``results/robustness_<A>_vs_<B>``."""
    from sim.experiment.folder import safe_name

    return Path("results") / ("robustness_" + "_vs_".join(safe_name(n) for n in names))


def load(paths: list[Path], overrides: dict[str, Any], replicates: int) -> list[Scenario]:
    """The scenarios (every file's problems at once); B takes A's seed and horizon, with a
    one-line notice on stderr for each value changed."""
    from sim.experiment.compare import align, load_all
    from sim.scenario.loader import Problem, ScenarioError

    if len(paths) > 2:
        got = ", ".join(str(p) for p in paths)
        raise ScenarioError(
            [Problem("command line", "scenarios", f"give one or two scenario files; got {got}")]
        )
    notices: list[str] | None = [] if "months" in overrides else None
    scenarios = load_all(paths, overrides, notices)
    for line in notices or []:
        print(line, file=sys.stderr)
    if len(scenarios) == 2:
        scenarios, notes = align(scenarios, [str(p) for p in paths], replicates)
        for line in notes:
            print(line, file=sys.stderr)
    return scenarios


def check_size(scenarios: list[Scenario], paths: list[Path], args: argparse.Namespace) -> None:
    """Refuse (exit 2, nothing written) a screening over the job-size limits."""
    from sim.experiment.robustness import KEEP, design_names, job_count
    from sim.limits import check_job, scenario_job

    k = len(design_names(scenarios))
    runs = job_count(args.trajectories * (k + 1), args.replicates, len(scenarios))
    big = max(
        range(len(scenarios)),
        key=lambda i: sum(a.strategic + a.frontline for a in scenarios[i].agencies),
    )
    size = scenario_job(scenarios[big], runs=runs, series_kept=len(KEEP), writes_series=False)
    check_job(
        size, where=str(paths[big]), allow_large=args.allow_large, workers=args.workers, hint=HINT
    )


def run(args: argparse.Namespace) -> int:
    """Run the screening, write its results folder and print the top of the table."""
    from sim.cli.options import scenario_path

    args.scenarios = [scenario_path(s) for s in args.scenarios]
    from sim.experiment.folder import claim
    from sim.experiment.robustness import design_names, screen, write_screening
    from sim.scenario.loader import Problem, ScenarioError

    overrides = {k: getattr(args, k) for k in ("seed", "months") if getattr(args, k) is not None}
    scenarios = load(args.scenarios, overrides, args.replicates)
    if not design_names(scenarios):
        raise ScenarioError(
            [
                Problem(
                    str(args.scenarios[0]),
                    "uncertainty",
                    "no constant varies (every range is a point); widen uncertainty.scale "
                    "or uncertainty.ranges",
                )
            ]
        )
    check_size(scenarios, args.scenarios, args)
    out = args.out or default_out([sc.name for sc in scenarios])
    command = "partnersim robustness " + " ".join(str(p) for p in args.scenarios)
    with claim(out, "robustness", command=command):
        screening = screen(
            scenarios,
            trajectories=args.trajectories,
            replicates=args.replicates,
            workers=args.workers,
            progress=not args.quiet,
            sources=[str(p) for p in args.scenarios],
        )
        record = write_screening(screening, out, command)
    print(format_record(record, out))
    return 0


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:.3g}"


def format_record(record: dict[str, Any], out: Path | None = None) -> str:
    """The top of the ranked table, the regime shares and where the folder is."""
    d = record["design"]
    lines = [
        f"Which assumptions move the {record['screened']} ({record['units']})",
        f"Morris screening: {d['trajectories']} trajectories x {d['constants_varied'] + 1} "
        f"points x {len(record['replicates'])} replicates ({d['runs']:,} runs, "
        f"{record['months']} months, seed {record['seed']}, {record['seconds']:.0f} s)",
        "",
    ]
    rows = record["table"][:SHOWN]
    head = ["rank", "constant", "mu*", "+/-", "mu", "sigma", "noise", "flag"]
    cells = [
        [
            str(r["rank"]),
            r["constant"],
            _num(r["mu_star"]),
            _num(r["mu_star_conf"]),
            _num(r["mu"]),
            _num(r["sigma"]),
            _num(r["noise_floor"]),
            r["flag"],
        ]
        for r in rows
    ]
    widths = [max(len(c[k]) for c in [head, *cells]) for k in range(len(head))]
    for c in [head, *cells]:
        lines.append(
            "  ".join(
                v.ljust(w) if k in (1, 7) else v.rjust(w)
                for k, (v, w) in enumerate(zip(c, widths, strict=True))
            ).rstrip()
        )
    clear = sum(1 for r in record["table"] if not r["flag"])
    lines.append(
        f"{clear} of {d['constants_varied']} constants move it beyond their interval and "
        "replicate noise"
    )
    lines += ["", "Share of run-months in each regime (all points and replicates)"]
    width = max(12, *(len(k) for k in record["regime_shares"]))
    lines.append(f"{'scenario':<{width}}  " + "  ".join(f"{g:>10}" for g in REGIMES))
    for label, shares in record["regime_shares"].items():
        lines.append(f"{label:<{width}}  " + "  ".join(f"{shares[g]:>10.0%}" for g in REGIMES))
    ahead = record["points_ahead"]
    if ahead is not None:
        a, b = record["scenarios"]
        lines.append(
            f"{b} has more added value than {a} at {ahead['higher']} of {d['points']} points "
            f"(less at {ahead['lower']}, equal at {ahead['equal']}; mean over replicates)"
        )
    lines += [
        "mu*: mean absolute change of the output over a step, per full plausible range; "
        "+/-: 95% bootstrap interval; noise: the mu* replicate noise alone would give.",
        "A screening of one-at-a-time steps, not a variance decomposition; model output "
        "under assumed ranges, not a forecast.",
    ]
    if out is not None:
        lines.append(
            f"Results in {out}/ (robustness.json, robustness.csv, figures/robustness.png, "
            "manifest.json)"
        )
    return "\n".join(lines)
