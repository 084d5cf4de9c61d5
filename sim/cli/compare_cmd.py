"""``partnersim compare``: options side by side on the same replicates and random luck.

``partnersim compare A.yaml B.yaml [C.yaml ...]`` runs every scenario on the same
replicates (common random numbers) and prints, per scenario, the final partnership effect
and the regime shares, and for each later scenario its paired difference from the first.
``--branch-at MONTH`` runs one shared history of the first scenario to MONTH and lets
each scenario take over from there. Bad input raises ``ScenarioError`` (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.options import add_run_size, run_size, whole
from sim.cli.sizing import check_compare
from sim.core.regimes import REGIMES

if TYPE_CHECKING:
    from sim.scenario.schema import Scenario

MAX_NAME = 60


def add_parser(sub: Any) -> None:
    """Add the ``compare`` subcommand to an argparse subparsers object."""
    c = sub.add_parser(
        "compare",
        help="run scenarios on the same replicates and compare each with the first",
        description="Run two or more scenarios on the same replicates and random numbers "
        "(same locality, same luck) and report each one's paired difference from the first.",
    )
    c.add_argument(
        "scenarios", type=Path, nargs="+", metavar="SCENARIO", help="scenario YAML files (2+)"
    )
    add_run_size(c, "the first's")
    c.add_argument(
        "--out", type=Path, help="results folder (default: results/compare_<A>_vs_<B>...)"
    )
    c.add_argument(
        "--workers", type=whole("workers"), default=1, help="worker processes (default: 1)"
    )
    c.add_argument(
        "--branch-at",
        type=whole("branch month"),
        metavar="MONTH",
        help="run the first scenario to MONTH once, then branch every scenario from that state",
    )
    c.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    c.add_argument("--quiet", action="store_true", help="no progress bar")


def default_out(names: list[str], branch_at: int | None) -> Path:
    """``results/compare_<A>_vs_<B>...``, shortened when there are many scenarios."""
    from sim.experiment.folder import safe_name

    safe = [safe_name(n) for n in names]
    stem = "_vs_".join(safe)
    if len(stem) > MAX_NAME and len(safe) > 2:
        stem = f"{safe[0]}_vs_{safe[1]}_and_{len(safe) - 2}_more"
    stem = stem[:MAX_NAME]
    if branch_at is not None:
        stem += f"_branch{branch_at}"
    return Path("results") / f"compare_{stem}"


def _load(paths: list[Path], overrides: dict[str, Any]) -> list[Scenario]:
    """The scenarios; a ``--months`` horizon shorter than a file's timeline cuts it, with a
    one-line notice on stderr for each intervention cut or dropped."""
    from sim.experiment.compare import load_scenarios

    notices: list[str] | None = [] if "months" in overrides else None
    scenarios = load_scenarios(paths, overrides, notices)
    for line in notices or []:
        print(line, file=sys.stderr)
    return scenarios


def run(args: argparse.Namespace) -> int:
    """Run the comparison, write its results folder and print the table."""
    from sim.experiment.compare import compare, write_comparison
    from sim.experiment.folder import claim

    scenarios = _load(args.scenarios, run_size(args))
    check_compare(scenarios, args.scenarios, args.replicates, args.workers, args.allow_large)
    out = args.out or default_out([sc.name for sc in scenarios], args.branch_at)
    command = "partnersim compare " + " ".join(str(p) for p in args.scenarios)
    with claim(out, "compare", command=command):
        comparison = compare(
            scenarios,
            workers=args.workers,
            progress=not args.quiet,
            branch_at=args.branch_at,
            sources=[str(p) for p in args.scenarios],
        )
        record = write_comparison(comparison, out, figures=not args.no_figures)
    print(format_comparison(record, out, figures=not args.no_figures))
    return 0


def _signed(p: dict[str, float], unit: str = "", scale: float = 1.0, digits: int = 1) -> str:
    return (
        f"{p['median'] * scale:+.{digits}f}{unit} (10-90%: {p['p10'] * scale:+.{digits}f} "
        f"to {p['p90'] * scale:+.{digits}f})"
    )


def _bracket(p: dict[str, float], scale: float = 1.0, digits: int = 1) -> str:
    return (
        f"{p['median'] * scale:+.{digits}f} [{p['p10'] * scale:+.{digits}f}, "
        f"{p['p90'] * scale:+.{digits}f}]"
    )


def format_comparison(record: dict[str, Any], out: Path | None = None, figures: bool = True) -> str:
    """A readable table of a ``comparison.json`` record (and where its folder is)."""
    labels = [s["label"] for s in record["scenarios"]]
    reference = record["reference"]
    n = len(record["replicates"])
    lo, hi = record["window"]["first_month"], record["window"]["last_month"]
    lines = [
        f"Comparison of {len(labels)} scenarios: {n} paired replicates x {record['months']} "
        f"months, seed {record['seed']} (replicate r of every scenario has the same random "
        "luck)",
    ]
    if record["branch_at"] is not None:
        lines.append(
            f"Branched after month {record['branch_at']}: months 1-{record['branch_at']} are one "
            f"shared history of {reference}; each scenario takes over from month "
            f"{record['branch_at'] + 1}."
        )
    width = max(12, *(len(label) for label in labels))
    lines += [
        "",
        f"{'scenario':<{width}}  {'effect, last 12 months':<24}  share of months {lo}-{hi} in "
        "each regime",
        f"{'':<{width}}  {'median [p10, p90]':<24}  " + "  ".join(f"{g:>10}" for g in REGIMES),
    ]
    for label in labels:
        s = record["summaries"][label]
        e = s["final_effect"]
        eff = f"{e['median']:+.1f} [{e['p10']:+.1f}, {e['p90']:+.1f}]"
        shares = "  ".join(f"{s['regime_share_in_window'][g]:>10.0%}" for g in REGIMES)
        lines.append(f"{label:<{width}}  {eff:<24}  {shares}")
    lines += ["", f"Paired differences against {reference} (same replicate, same luck):"]
    for d in record["differences"]:
        e = d["final_effect"]
        lines.append(
            f"  {d['scenario']} vs {reference}: effect {_signed(e, ' points')}; "
            f"higher in {e['replicates_higher']} of {n} replicates, lower in "
            f"{e['replicates_lower']}"
        )
        lines.append(f"      final outcome index {_signed(d['final_outcome_index'], ' points')}")
        regimes = ", ".join(
            f"{g} {_bracket(d['regime_share'][g], 100, 0)}"
            for g in REGIMES
            if any(d["regime_share"][g][k] != 0 for k in ("median", "p10", "p90"))
        )
        lines.append(
            "      share of months, percentage points, median [p10, p90]: "
            + (regimes or "no difference")
        )
    for note in record["notes"]:
        lines.append(f"note: {note}")
    lines.append(
        "Effect: outcome index minus its counterfactual (no partnership), in outcome points."
    )
    if out is not None:
        files = "comparison.json, timeseries.parquet, manifest.json" + (
            ", figures/" if figures else ""
        )
        lines.append(f"Results in {out}/ ({files})")
    return "\n".join(lines)
