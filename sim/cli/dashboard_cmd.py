"""``partnersim dashboard``: the live workshop dashboard in the browser.

``partnersim dashboard [SCENARIO] [--port P]`` checks the scenario (a library name such
as ``high_churn``, or a path to a scenario file; default ``baseline``), then serves the
page on http://127.0.0.1:P/ until Ctrl-C. A bad scenario, or one with more staff than
the dashboard can step and draw (``sim.limits.MAX_DASHBOARD_STAFF``, lifted by
``--allow-large``), raises ``ScenarioError`` (exit 2) before anything starts; a taken
port or a missing dashboard install exits 2 with a one-line message.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from typing import Any

from sim.cli.options import add_allow_large, scenario_path
from sim.cli.sizing import check_dashboard
from sim.scenario.loader import ScenarioError, load_scenario

EXIT_BAD_INPUT = 2
DEFAULT_PORT = 8765
INSTALL_HINT = "pip install -e '.[dashboard]'"


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"port must be a whole number, got {text!r}") from None
    if not 1024 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port must be from 1024 to 65535, got {value}")
    return value


def add_parser(sub: Any) -> None:
    """Add the ``dashboard`` subcommand to an argparse subparsers object."""
    d = sub.add_parser(
        "dashboard",
        help="open the live workshop dashboard in the browser",
        description="Serve the workshop dashboard on this machine (offline): step a "
        "partnership month by month, move its levers, apply shocks, compare two copies "
        "side by side. Open the printed address in a browser.",
    )
    d.add_argument(
        "scenario",
        nargs="?",
        default="baseline",
        metavar="SCENARIO",
        help="library name (e.g. high_churn) or scenario file (default: baseline)",
    )
    d.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})"
    )
    add_allow_large(d)


def run(args: argparse.Namespace) -> int:
    """Check the scenario, then serve the dashboard until interrupted; return the status."""
    path = scenario_path(args.scenario)
    scenario = load_scenario(path)  # a bad file fails here, with every problem listed
    check_dashboard(scenario, path, args.allow_large)  # too many staff to step and draw
    # found, not imported: Solara reads its settings on import, after serve() sets them
    missing = [name for name in ("solara", "uvicorn") if importlib.util.find_spec(name) is None]
    if missing:
        print(
            f"partnersim dashboard: {', '.join(missing)} not installed; run {INSTALL_HINT}",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    from sim.dashboard.server import serve

    try:
        serve(path, args.port)
    except OSError as exc:
        print(f"partnersim dashboard: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run ``dashboard`` on its own: ``python -m sim.cli.dashboard_cmd [SCENARIO] [--port P]``."""
    parser = argparse.ArgumentParser(prog="partnersim")
    add_parser(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["dashboard", *(sys.argv[1:] if argv is None else argv)])
    try:
        return run(args)
    except ScenarioError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    sys.exit(main())
