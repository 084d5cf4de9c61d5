"""``partnersim compare``: options side by side on the same replicates and random luck.

``partnersim compare A.yaml B.yaml [C.yaml ...]`` runs every scenario on the same
replicates (common random numbers) and prints, per scenario, the added value of the
partnership (% of need a year over the board-less twin) beside the value of joint work on
the ground, the added value by the horizon, the total effect (secondary) and the regime
shares, and for each later scenario its paired difference from the first, led by added
value.
``--branch-at MONTH`` runs one shared history of the first scenario to MONTH and lets
each scenario take over from there. Bad input raises ``ScenarioError`` (exit 2).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sim.cli.options import add_run_size, add_uncertainty, run_size, whole
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
        "scenarios",
        type=Path,
        nargs="+",
        metavar="SCENARIO",
        help="scenario YAML files or library names (2+)",
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
    add_uncertainty(c)
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
    from sim.cli.options import scenario_path

    args.scenarios = [scenario_path(s) for s in args.scenarios]
    from sim.experiment.compare import compare, write_comparison
    from sim.experiment.folder import claim

    scenarios = _load(args.scenarios, run_size(args))
    check_compare(
        scenarios,
        args.scenarios,
        args.replicates,
        args.workers,
        args.allow_large,
        draws=args.uncertainty,
    )
    out = args.out or default_out([sc.name for sc in scenarios], args.branch_at)
    command = "partnersim compare " + " ".join(str(p) for p in args.scenarios)
    with claim(out, "compare", command=command):
        comparison = compare(
            scenarios,
            workers=args.workers,
            progress=not args.quiet,
            branch_at=args.branch_at,
            sources=[str(p) for p in args.scenarios],
            uncertainty=args.uncertainty,
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


def _cell(p: dict[str, float], digits: int = 2) -> str:
    return f"{p['median']:+.{digits}f} [{p['p10']:+.{digits}f}, {p['p90']:+.{digits}f}]"


def _paired_line(d: dict[str, Any], key: str, n: int, unit: str, digits: int = 2) -> str:
    p = d[key]
    return (
        f"{_signed(p, unit, digits=digits)}; higher in {p['replicates_higher']} of {n} "
        f"paired runs, lower in {p['replicates_lower']}, level in {p['replicates_level']}"
    )


def _robust_lines(d: dict[str, Any], reference: str) -> list[str]:
    from sim.experiment.spread import deciding_words, ranking_words

    unc = d["uncertainty"]["added_value_per_year"]
    f, a = unc["random_futures"], unc["assumptions"]
    out = [
        "      across plausible assumptions: "
        + ranking_words(d["scenario"], reference, unc, "% of need a year"),
        f"      added value difference: {a['p10']:+.2f} to {a['p90']:+.2f} across "
        f"assumptions (10-90% of draw means), {f['p10']:+.2f} to {f['p90']:+.2f} across random "
        "futures (10-90% within a draw, median over draws)",
    ]
    words = deciding_words(unc.get("deciding", []))
    return out + ([f"      {words}"] if words else [])


def format_comparison(record: dict[str, Any], out: Path | None = None, figures: bool = True) -> str:
    """A readable table of a ``comparison.json`` record (and where its folder is).

    The headline per option is the added value of the partnership (% of need a year over
    the compared months) beside the value of joint work on the ground; the total effect
    is a secondary column, named as such. Paired differences lead with added value.
    """
    labels = [s["label"] for s in record["scenarios"]]
    reference = record["reference"]
    n = len(record["replicates"])
    runs = n * max((record.get("uncertainty") or {}).get("draws", 0), 1)
    months = record["months"]
    lo, hi = record["window"]["first_month"], record["window"]["last_month"]
    lines = [
        f"Comparison of {len(labels)} scenarios: {n} paired replicates x {months} "
        f"months, seed {record['seed']} (replicate r of every scenario has the same random "
        "luck)",
    ]
    draws = (record.get("uncertainty") or {}).get("draws", 0)
    if draws:
        lines.append(
            f"Each replicate ran in {draws} plausible versions of the model (draws of "
            f"{record['uncertainty']['constants_varied']} constants across their plausible "
            "ranges); the ranges below pool all draws unless they say otherwise."
        )
    if record["branch_at"] is not None:
        lines.append(
            f"Branched after month {record['branch_at']}: months 1-{record['branch_at']} are one "
            f"shared history of {reference}; each scenario takes over from month "
            f"{record['branch_at'] + 1}."
        )
    width = max(12, *(len(label) for label in labels))
    cols = (
        ("added value", "% of need a year", "added_value_per_year_in_window"),
        ("joint work on the ground", "% of need a year", "ground_value_per_year_in_window"),
        ("added value by the horizon", f"% of need, month {months}", "added_value_cumulative"),
        ("total effect*", "index points, last 12 months", "final_effect"),
    )
    rows = [
        [label, *(_cell(record["summaries"][label][key]) for _, _, key in cols)] for label in labels
    ]
    table = [["scenario", *(c[0] for c in cols)], ["", *(c[1] for c in cols)], *rows]
    widths = [max(len(r[k]) for r in table) for k in range(len(table[0]))]
    over = f"{n} replicates" if runs == n else f"{runs} runs ({runs // n} draws x {n} replicates)"
    lines += ["", f"What each option adds, months {lo}-{hi}: median [10-90%] over {over}"]
    lines += [
        "  ".join(f"{v:<{w}}" for v, w in zip(r, widths, strict=True)).rstrip() for r in table
    ]
    lines += [
        "",
        f"Share of months {lo}-{hi} in each regime (all replicates)",
        f"{'scenario':<{width}}  " + "  ".join(f"{g:>10}" for g in REGIMES),
    ]
    for label in labels:
        shares = record["summaries"][label]["regime_share_in_window"]
        lines.append(f"{label:<{width}}  " + "  ".join(f"{shares[g]:>10.0%}" for g in REGIMES))
    lines += ["", f"Paired differences against {reference} (same replicate, same luck):"]
    for d in record["differences"]:
        lines.append(
            f"  {d['scenario']} vs {reference}: added value "
            + _paired_line(d, "added_value_per_year", runs, " % of need a year")
        )
        lines.append(
            "      joint work on the ground "
            + _signed(d["ground_value_per_year"], " % of need a year", digits=2)
        )
        lines.append(
            f"      added value by month {months} "
            + _signed(d["added_value_cumulative"], " % of need", digits=2)
        )
        total = _signed(d["final_effect"], " index points", digits=2)
        lines.append(f"      total effect*, last 12 months {total}")
        outcome = _signed(d["final_outcome_index"], " points", digits=2)
        lines.append(f"      final outcome index {outcome}")
        regimes = ", ".join(
            f"{g} {_bracket(d['regime_share'][g], 100, 0)}"
            for g in REGIMES
            if any(d["regime_share"][g][k] != 0 for k in ("median", "p10", "p90"))
        )
        lines.append(
            "      share of months, percentage points, median [p10, p90]: "
            + (regimes or "no difference")
        )
        if "uncertainty" in d:
            lines += _robust_lines(d, reference)
    for note in record["notes"]:
        lines.append(f"note: {note}")
    lines += [
        "Added value: what the partnership (board, chair, shared targets, protocol) adds over "
        "the same area without a board, in % of need averted a year.",
        "Joint work on the ground: what practitioners working across agencies add without a "
        "board, over no joint working.",
        "* Total effect (partnership and ground work vs no joint working): outcome index minus "
        "that of the same area with no joint working.",
        "Model output under assumed constants, not a forecast; [ ] are 10-90% ranges across "
        + ("runs (draws x replicates)." if runs > n else "replicates."),
    ]
    if out is not None:
        files = "comparison.json, timeseries.parquet, manifest.json" + (
            ", figures/" if figures else ""
        )
        lines.append(f"Results in {out}/ ({files})")
    return "\n".join(lines)
