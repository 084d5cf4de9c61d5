"""``partnersim report`` (a brief for non-modellers) and ``partnersim export`` (CSV).

``export`` writes each folder's time series (and a run's summary); of a ``compare`` folder
it also writes the comparison as flat tables (:mod:`sim.report.tables`): ``effects``,
``differences``, ``regimes`` and ``paired_runs``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from sim.scenario.loader import Problem, ScenarioError

if TYPE_CHECKING:
    import pandas as pd


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` and ``export`` subcommands."""
    r = sub.add_parser(
        "report", help="write a self-contained HTML brief from results folders (run or compare)"
    )
    r.add_argument(
        "results", type=Path, nargs="+", help="results folders; the first is the reference option"
    )
    r.add_argument(
        "--out", type=Path, help="HTML file (default: brief.html in the first results folder)"
    )
    r.add_argument(
        "--question",
        help="the question the brief answers (default: with two options, the second's "
        "description; with more, what difference they make against the first; with one, its "
        "description)",
    )
    e = sub.add_parser(
        "export",
        help="write the tables of results or sweep folders as CSV for spreadsheets (of a "
        "compare folder also: effects, differences, regimes, paired_runs)",
    )
    e.add_argument("results", type=Path, nargs="+", help="results or sweep folders")
    e.add_argument("--out", type=Path, help="folder for the CSV files (default: each folder)")


def _write_text(path: Path, text: str, encoding: str) -> None:
    from sim.experiment.io import atomic_write

    try:
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding=encoding))
    except OSError as exc:
        raise ScenarioError(
            [Problem(str(path), "--out", f"cannot write: {exc.strerror or exc}")]
        ) from None


def run_report(args: argparse.Namespace) -> int:
    """Write the brief."""
    from sim.experiment.folder import check_file_destination
    from sim.report.brief import render
    from sim.report.options import load_options

    if args.out is None:
        args.out = args.results[0] / "brief.html"
    check_file_destination(args.out)
    options = load_options(args.results)
    page = render(options, args.question)
    _write_text(args.out, page, "utf-8")
    print(f"brief of {len(options)} option(s) written to {args.out}")
    return 0


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The tables of one complete results or sweep folder (ScenarioError if damaged)."""
    import pandas as pd

    from sim.experiment.folder import kind_of, read_manifest
    from sim.report.files import guarded, read_json_object, read_parquet

    read_manifest(folder, ("run", "compare", "sweep"))
    tables: dict[str, pd.DataFrame] = {}
    if kind_of(folder) == "sweep":
        from sim.experiment.sweep import load_runs

        parts = folder / "parts"
        for part in sorted(parts.glob("*.parquet")):
            read_parquet(part, ("key", "point", "replicate", "status"))
        tables["runs"] = guarded(parts, "sweep runs", lambda: load_runs(folder))
        tables["design"] = read_parquet(folder / "design.parquet", ("point",))
        return tables
    tables["timeseries"] = read_parquet(
        folder / "timeseries.parquet", ("scenario", "replicate", "month")
    )
    if (folder / "summary.json").exists() or kind_of(folder) == "run":
        summary = read_json_object(folder / "summary.json")
        tables["summary"] = pd.json_normalize(summary, sep=".")
    if kind_of(folder) == "compare":
        from sim.report.tables import comparison_tables

        tables.update(comparison_tables(folder))
    return tables


def run_export(args: argparse.Namespace) -> int:
    """Write CSV files (UTF-8 with a byte-order mark, so that Excel reads them as UTF-8).

    Every folder is read and checked before anything is written."""
    from sim.experiment.folder import check_destination

    if args.out is not None:
        check_destination(args.out)
        if args.out.exists() and not args.out.is_dir():
            raise ScenarioError([Problem(str(args.out), "--out", "is not a folder")])
    read = [(folder, _tables(folder)) for folder in args.results]
    written = []
    for folder, tables in read:
        out = args.out or folder
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ScenarioError(
                [Problem(str(out), "--out", f"cannot write: {exc.strerror or exc}")]
            ) from None
        prefix = f"{folder.name}_" if args.out else ""
        for name, table in tables.items():
            if "regime" in table.columns:
                table = table.assign(regime=table["regime"].astype(str))
            path = out / f"{prefix}{name}.csv"
            _write_text(path, table.to_csv(index=False), "utf-8-sig")
            written.append(path)
    for path in written:
        print(f"wrote {path}")
    return 0
