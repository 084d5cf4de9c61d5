"""Option types and option groups shared by the ``partnersim`` commands."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sim.limits import LIFT_FLAG

RUN_SIZE = ("replicates", "seed", "months")
LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"


def whole(kind: str, minimum: int = 1) -> Callable[[str], int]:
    """An argparse type: a whole number of at least ``minimum``, with a clear error."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{kind} must be a whole number, got {text!r}"
            ) from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{kind} must be >= {minimum}")
        return value

    return parse


def positive(kind: str) -> Callable[[str], int]:
    """A whole number of at least 1 (at least 0 for a seed)."""
    return whole(kind, 0 if kind == "seed" else 1)


def add_run_size(parser: argparse.ArgumentParser, default: str) -> None:
    """``--replicates``, ``--seed`` and ``--months``; ``default`` says whose value they
    override when absent (e.g. "the scenario's")."""
    parser.add_argument(
        "--replicates", type=positive("replicates"), help=f"replicates (default: {default})"
    )
    parser.add_argument("--seed", type=positive("seed"), help=f"root seed (default: {default})")
    parser.add_argument(
        "--months", type=positive("months"), help=f"horizon in months (default: {default})"
    )
    add_allow_large(parser)


def add_uncertainty(parser: argparse.ArgumentParser) -> None:
    """``--uncertainty N``: N draws of the model's constants (``args.uncertainty``, 0: none)."""
    parser.add_argument(
        "--uncertainty",
        type=whole("draws", 0),
        default=0,
        metavar="N",
        help="also run N draws of the model's constants across their plausible ranges, "
        "each with every replicate (default: 0, the scenario's own constants)",
    )


def add_allow_large(parser: argparse.ArgumentParser) -> None:
    """``--allow-large``: run a job over the soft size limits (``args.allow_large``)."""
    parser.add_argument(
        LIFT_FLAG,
        action="store_true",
        help="run a job over the size limits on output, runs and time (docs/limits.md); "
        "the machine's memory still applies",
    )


def run_size(args: argparse.Namespace) -> dict[str, Any]:
    """The run-size options given on the command line, as scenario overrides."""
    return {k: getattr(args, k) for k in RUN_SIZE if getattr(args, k, None) is not None}


def scenario_path(scenario: str | Path) -> Path:
    """The scenario file for a path, or for a library name (``baseline``, ``high_churn``)
    looked up in ``scenarios/`` of the working folder, then of the project. Raises
    ``ScenarioError`` naming both folders when neither holds it."""
    from sim.scenario.loader import Problem, ScenarioError

    path = Path(scenario)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return path
    folders = list(dict.fromkeys((Path.cwd() / "scenarios", LIBRARY)))
    for folder in folders:
        candidate = folder / f"{scenario}.yaml"
        if candidate.exists():
            return candidate
    looked = " and ".join(str(f) for f in folders)
    raise ScenarioError(
        [
            Problem(
                str(scenario),
                "SCENARIO",
                f"no such scenario file, nor a library name ({scenario}.yaml in {looked})",
            )
        ]
    )
