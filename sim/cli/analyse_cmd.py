"""``partnersim analyse SWEEP_DIR``: sensitivity indices, PRIM rules and phase diagrams.

Reads a finished sweep folder, prints the indices, the scenario-discovery rules and where
the figures are, and writes ``analysis.md`` and ``figures/`` into the folder. A folder
that is not a complete sweep (or an unknown ``--output`` / ``--pair``) gives a one-line
message on stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Add the ``analyse`` command to the ``partnersim`` subcommands ``sub``."""
    a = sub.add_parser(
        "analyse",
        help="analyse a finished sweep: sensitivity indices, PRIM rules, phase diagrams",
        description="Analyse a finished sweep folder; write analysis.md and figures/ into it.",
    )
    a.add_argument("sweep_dir", type=Path, metavar="SWEEP_DIR", help="sweep folder")
    a.add_argument(
        "--output",
        help="output whose sensitivity is analysed and drawn (default: "
        "added_value_per_year, the added value of the partnership in %% of need a year; "
        "effect_final is the total effect)",
    )
    a.add_argument(
        "--pair",
        nargs=2,
        metavar=("X", "Y"),
        help="two parameters (key paths) for the phase diagrams "
        "(default: the two most influential)",
    )
    a.add_argument("--quiet", action="store_true", help="print only where the report is")


def run(args: argparse.Namespace) -> int:
    """Run ``analyse``; return the exit status (0 ok, 2 bad folder or option)."""
    from sim.analysis.load import DEFAULT_OUTPUT, SweepError
    from sim.analysis.report import analyse

    try:
        result = analyse(args.sweep_dir, output=args.output or DEFAULT_OUTPUT, pair=args.pair)
    except (SweepError, OSError) as exc:
        print(f"partnersim analyse: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.quiet:
        print(f"report: {result.report}")
    else:
        print(result.text())
    return 0
