"""``partnersim report`` (a brief for non-modellers) and ``partnersim export`` (CSV)."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.scenario.loader import Problem, ScenarioError


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` and ``export`` subcommands."""
    r = sub.add_parser(
        "report", help="write a self-contained HTML brief from results folders (run or compare)"
    )
    r.add_argument(
        "results", type=Path, nargs="+", help="results folders; the first is the reference option"
    )
    r.add_argument("--out", type=Path, default=Path("brief.html"), help="default: brief.html")
    r.add_argument(
        "--question",
        help="the question the brief answers (default: the first option's description)",
    )
    e = sub.add_parser(
        "export", help="write the tables of results or sweep folders as CSV for spreadsheets"
    )
    e.add_argument("results", type=Path, nargs="+", help="results or sweep folders")
    e.add_argument("--out", type=Path, help="folder for the CSV files (default: each folder)")


def run_report(args: argparse.Namespace) -> int:
    """Write the brief."""
    from sim.experiment.io import atomic_write
    from sim.report.brief import render
    from sim.report.options import load_options

    options = load_options(args.results)
    page = render(options, args.question)
    atomic_write(args.out, lambda tmp: tmp.write_text(page, encoding="utf-8"))
    print(f"brief of {len(options)} option(s) written to {args.out}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    """Write CSV files (UTF-8 with a byte-order mark, so that Excel reads them as UTF-8)."""
    import pandas as pd

    from sim.experiment.io import atomic_write

    written = []
    for folder in args.results:
        if not folder.is_dir():
            raise ScenarioError([Problem(str(folder), "", "is not a folder")])
        out = args.out or folder
        tables: dict[str, pd.DataFrame] = {}
        if (folder / "timeseries.parquet").exists():
            tables["timeseries"] = pd.read_parquet(folder / "timeseries.parquet")
        if (folder / "summary.json").exists():
            tables["summary"] = pd.json_normalize(
                pd.read_json(folder / "summary.json", typ="series").to_dict(), sep="."
            )
        if (folder / "parts").is_dir():
            from sim.experiment.sweep import load_runs

            tables["runs"] = load_runs(folder)
            tables["design"] = pd.read_parquet(folder / "design.parquet")
        if not tables:
            raise ScenarioError(
                [Problem(str(folder), "", "holds no results (timeseries.parquet or parts/)")]
            )
        prefix = f"{folder.name}_" if args.out else ""
        for name, table in tables.items():
            if "regime" in table.columns:
                table = table.assign(regime=table["regime"].astype(str))
            path = out / f"{prefix}{name}.csv"
            text = table.to_csv(index=False)
            atomic_write(path, lambda tmp, t=text: tmp.write_text(t, encoding="utf-8-sig"))
            written.append(path)
    for path in written:
        print(f"wrote {path}")
    return 0
