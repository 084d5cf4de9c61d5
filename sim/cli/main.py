"""The ``partnersim`` command line: check and run scenarios, survey a scenario library.

Exit status: 0 success; 1 a sweep in which every run failed; 2 bad input (every problem
printed, one per line, no traceback); 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sim.cli import (
    analyse_cmd,
    compare_cmd,
    dashboard_cmd,
    report_cmd,
    robustness_cmd,
    sweep_cmd,
)
from sim.cli.options import add_run_size, add_uncertainty, positive, run_size, scenario_path
from sim.cli.sizing import check_library, check_run
from sim.scenario.loader import Problem, ScenarioError, load_scenario

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors also exit 2, tidily
        self.print_usage(sys.stderr)
        print(f"{self.prog}: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_BAD_INPUT)


def _version() -> str:
    """The installed package's version ("unknown" when run from a source tree without it)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("partnersim")
    except PackageNotFoundError:
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (also used to generate the CLI reference)."""
    p = _Parser(
        prog="partnersim",
        description="Agent-based model of public-health partnerships: when they "
        "deliver outcomes and when they decay into facades.",
    )
    p.add_argument("--version", action="version", version=f"partnersim {_version()}")
    sub = p.add_subparsers(dest="command", required=True, parser_class=_Parser)

    c = sub.add_parser("check", help="validate a scenario file and print its problems")
    c.add_argument(
        "scenario", type=Path, help="scenario YAML file, or a library name (e.g. high_churn)"
    )

    r = sub.add_parser("run", help="run a scenario's replicates and write its results folder")
    r.add_argument(
        "scenario", type=Path, help="scenario YAML file, or a library name (e.g. high_churn)"
    )
    add_run_size(r, "the scenario's")
    r.add_argument("--out", type=Path, help="results folder (default: results/<scenario name>)")
    add_uncertainty(r)
    r.add_argument(
        "--workers", type=positive("workers"), default=1, help="worker processes (default: 1)"
    )
    r.add_argument("--no-figures", action="store_true", help="skip the PNG figures")
    r.add_argument("--quiet", action="store_true", help="no progress bar")
    lib = sub.add_parser(
        "library", help="run every scenario in a folder and print a table of their regimes"
    )
    lib.add_argument(
        "folder", type=Path, nargs="?", default=Path("scenarios"), help="default: scenarios/"
    )
    add_run_size(lib, "each file's")
    lib.add_argument("--out", type=Path, help="also write the table to this Markdown file")
    lib.add_argument("--quiet", action="store_true", help="no progress bar")

    pat = sub.add_parser(
        "patterns",
        help="test the model against the evidence patterns and write the pattern report",
    )
    pat.add_argument("--quick", action="store_true", help="few replicates (what CI runs)")
    pat.add_argument("--out", type=Path, help="report folder (default: results/patterns)")
    pat.add_argument(
        "--workers", type=positive("workers"), help="worker processes (default: all CPUs)"
    )
    pat.add_argument(
        "--only",
        type=_pattern_list,
        help="comma-separated pattern labels: calibration 1-11, held-out H1-H7, e.g. 1,4,H3",
    )
    pat.add_argument("--quiet", action="store_true", help="no progress bars")
    pat.add_argument(
        "--base",
        type=Path,
        default=None,
        help="scenario every design builds on, dynamics: overrides included "
        "(default: scenarios/baseline.yaml)",
    )
    pat.add_argument(
        "--set",
        dest="sets",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="set a key path of the base scenario, e.g. dynamics.trust.gain=0 (a "
        "knock-out); repeatable; VALUE is read as YAML",
    )

    compare_cmd.add_parser(sub)
    robustness_cmd.add_parser(sub)
    sweep_cmd.add_parser(sub)
    analyse_cmd.add_parser(sub)
    report_cmd.add_parsers(sub)
    dashboard_cmd.add_parser(sub)
    return p


CALIBRATION_PATTERNS = 11  # patterns 1-11: sim/patterns/catalog.py
HELD_OUT_PATTERNS = 7  # H1-H7: sim/patterns/heldout.py


def _pattern_list(text: str) -> list[str]:
    """``--only``: pattern labels, calibration "1".."11" and held-out "H1".."H7"."""
    labels = sorted({x.strip().upper() for x in text.split(",") if x.strip()})
    allowed = {str(n) for n in range(1, CALIBRATION_PATTERNS + 1)} | {
        f"H{n}" for n in range(1, HELD_OUT_PATTERNS + 1)
    }
    bad = [x for x in labels if x not in allowed]
    if bad or not labels:
        raise argparse.ArgumentTypeError(
            f"pattern numbers run from 1 to {CALIBRATION_PATTERNS} and held-out labels from "
            f"H1 to H{HELD_OUT_PATTERNS}; got {text!r}"
        )
    return labels


def cmd_check(args: argparse.Namespace) -> int:
    """Validate a scenario; print 'ok' and its hash, or its problems."""
    from sim.scenario.loader import scenario_hash

    args.scenario = scenario_path(args.scenario)
    scenario = load_scenario(args.scenario)
    print(
        f"{args.scenario}: ok (scenario '{scenario.name}', {scenario.months} months, "
        f"{scenario.replicates} replicates, hash {scenario_hash(scenario)[:12]})"
    )
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Run a scenario and write its results folder."""
    from sim.experiment.folder import claim, safe_name
    from sim.experiment.runner import run_drawn, run_replicates, write_results

    notices: list[str] = []  # interventions cut at a --months horizon
    args.scenario = scenario_path(args.scenario)
    scenario = load_scenario(args.scenario, run_size(args), notices)
    for line in notices:
        print(line, file=sys.stderr)
    check_run(scenario, args.scenario, args.allow_large, draws=args.uncertainty)
    out = args.out or Path("results") / safe_name(scenario.name)
    with claim(out, "run", command=f"partnersim run {args.scenario}"):
        design = None
        if args.uncertainty:
            design, results = run_drawn(
                scenario, args.uncertainty, progress=not args.quiet, workers=args.workers
            )
        else:
            results = run_replicates(scenario, progress=not args.quiet)
        summary = write_results(scenario, results, out, figures=not args.no_figures, design=design)
    print(format_summary(summary, out, figures=not args.no_figures))
    return 0


def cmd_library(args: argparse.Namespace) -> int:
    """Run every scenario in a folder; print (and optionally write) the regime table."""
    from sim.experiment.folder import check_file_destination
    from sim.experiment.io import atomic_write
    from sim.experiment.library import library_paths, markdown_table, run_loaded

    if args.out:
        check_file_destination(args.out)  # before any run
    if not args.folder.is_dir():
        raise ScenarioError([Problem(str(args.folder), "folder", "is not a folder")])
    paths = library_paths(args.folder)
    if not paths:
        raise ScenarioError([Problem(str(args.folder), "folder", "holds no *.yaml scenario")])
    notices: list[str] = []  # interventions cut at a --months horizon
    loaded = [(path, load_scenario(path, run_size(args), notices)) for path in paths]
    for line in notices:
        print(line, file=sys.stderr)
    check_library(loaded, args.folder, args.allow_large)
    table = markdown_table(run_loaded(loaded, progress=not args.quiet))
    print(table)
    if args.out:
        atomic_write(args.out, lambda tmp: tmp.write_text(table + "\n", encoding="utf-8"))
        print(f"table written to {args.out}")
    return 0


def cmd_patterns(args: argparse.Namespace) -> int:
    """Run the calibration and held-out pattern experiments and write the report."""
    import time

    from sim.experiment.batch import default_workers
    from sim.experiment.folder import claim
    from sim.patterns.base import Settings
    from sim.patterns.catalog import PATTERNS
    from sim.patterns.heldout import HELD_OUT
    from sim.patterns.report import headline, write_report

    overrides = tuple(_key_value(item) for item in args.sets)
    base = args.base or Settings().base
    settings = Settings(
        quick=args.quick,
        workers=args.workers or default_workers(),
        progress=not args.quiet,
        base=base,
        overrides=overrides,
    )
    load_scenario(base, dict(overrides))  # bad base or --set: one line each, exit 2
    chosen = [p for p in [*PATTERNS, *HELD_OUT] if not args.only or p.label in args.only]
    out = args.out or Path("results") / "patterns"
    start = time.perf_counter()
    results = []
    with claim(out, "patterns", command="partnersim patterns"):
        for pattern in chosen:
            result = pattern.run(settings)
            result.label = pattern.label
            result.expected_failure = pattern.expected_failure
            results.append(result)
            print(f"pattern {result.label:>2s}: {result.verdict:4s}  {result.title}", flush=True)
        paths = write_report(results, out, settings, time.perf_counter() - start)
    print(f"{headline(results)}; report: {paths['html']} and {paths['markdown']}")
    return 0


def _key_value(item: str) -> tuple[str, Any]:
    """``KEY=VALUE`` of ``--set`` as (key path, value read as YAML)."""
    import yaml

    key, sep, text = item.partition("=")
    key = key.strip()
    if not sep or not key or any(not part for part in key.split(".")):
        raise ScenarioError(
            [Problem("--set", item[:80], "expected KEY=VALUE, e.g. dynamics.trust.gain=0")]
        )
    try:
        value = yaml.safe_load(text) if text.strip() else ""
    except yaml.YAMLError:
        raise ScenarioError([Problem("--set", key, "VALUE is not valid YAML")]) from None
    return key, value


def format_summary(summary: dict, out: Path, figures: bool = True) -> str:
    """A short readable summary of a run (with draws of the constants: the added value
    across plausible assumptions beside its spread from luck)."""
    added = summary["added_value_per_year"]
    ground = summary["ground_value_per_year"]
    final = summary["regime_share_final"]
    timew = summary["regime_share_time_weighted"]
    first = summary["months_to_first_delivering"]

    def band(d: dict) -> str:
        return f"{d['median']:+.2f} (10-90% of runs: {d['p10']:+.2f} to {d['p90']:+.2f})"

    unc = summary.get("uncertainty")
    runs = summary["replicates"]
    draws = len(unc["added_value_per_year"]["draw_means"]) if unc else 0
    size = f"{runs // draws} replicates in each of {draws} draws" if draws else f"{runs} replicates"
    lines = [
        f"Scenario '{summary['scenario']}': {size} x {summary['months']} months",
        f"  added value of the partnership:  {band(added)} % of need a year, over the "
        "same area without a board",
        f"  value of joint work on the ground: {band(ground)} % of need a year, over no "
        "joint working",
        f"  board still in place at the end: {summary['board_alive_final']:.0%} of runs",
        "  regime at the end:   " + ", ".join(f"{g} {v:.0%}" for g, v in final.items()),
        "  share of months:     " + ", ".join(f"{g} {v:.0%}" for g, v in timew.items()),
        "  first 'delivering':  "
        + (
            f"month {first['median']:.0f} (median; {first['share_reaching']:.0%} of runs)"
            if first["median"] is not None
            else "never"
        ),
    ]
    if unc:
        a = unc["added_value_per_year"]["assumptions"]
        f = unc["added_value_per_year"]["random_futures"]
        lines.insert(
            2,
            f"    across {draws} plausible versions of the model: {a['p10']:+.2f} to "
            f"{a['p90']:+.2f} (10-90% of the versions' means); from luck within a version: "
            f"{f['p10']:+.2f} to {f['p90']:+.2f} (typical version)",
        )
    files = "timeseries.parquet, summary.json, manifest.json"
    files += ", draws.parquet" if unc else ""
    files += ", figures/" if figures else ""
    lines.append(f"  results in {out}/ ({files})")
    return "\n".join(lines)


COMMANDS = {
    "check": cmd_check,
    "run": cmd_run,
    "library": cmd_library,
    "patterns": cmd_patterns,
    "compare": compare_cmd.run,
    "robustness": robustness_cmd.run,
    "sweep": sweep_cmd.run,
    "analyse": analyse_cmd.run,
    "report": report_cmd.run_report,
    "export": report_cmd.run_export,
    "dashboard": dashboard_cmd.run,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``partnersim``; with no arguments it prints the help."""
    parser = build_parser()
    if not (sys.argv[1:] if argv is None else list(argv)):
        parser.print_help()
        return 0
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # last resort: a file the command could not read or write
        where = exc.filename if exc.filename else f"partnersim {args.command}"
        print(f"{where}: {exc.strerror or type(exc).__name__}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(
            "interrupted; files already written are complete, nothing is half-written",
            file=sys.stderr,
        )
        return 130


if __name__ == "__main__":
    sys.exit(main())
