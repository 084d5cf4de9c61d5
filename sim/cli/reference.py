"""The command-line reference, generated from the ``partnersim`` parser itself.

``python -m sim.reference`` writes it to ``docs/cli-reference.md`` with the other generated
documents, and ``--check`` (run by the test suite) fails when it is out of date.
"""

from __future__ import annotations

import argparse
import functools

WIDTH = 10_000  # no wrapping: the text depends neither on the terminal nor on the Python version


def _fixed_width(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = functools.partial(argparse.HelpFormatter, width=WIDTH)


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps subparsers only here
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def cli_reference() -> str:
    """Markdown: the main help, then each command's help, in the order they are declared."""
    from sim.cli.main import build_parser

    parser = build_parser()
    _fixed_width(parser)
    commands = _subcommands(parser)
    lines = [
        "# Command-line reference",
        "",
        "<!-- Generated from the `partnersim` parser by `python -m sim.reference`; do not edit."
        " -->",
        "",
        "Exit status: 0 success; 2 bad input (every problem printed, one per line, no "
        "traceback); 130 interrupted.",
        "",
        "```text",
        parser.format_help().rstrip(),
        "```",
    ]
    for name, sub in commands.items():
        _fixed_width(sub)
        lines += ["", f"## `partnersim {name}`", "", "```text", sub.format_help().rstrip(), "```"]
    return "\n".join(lines) + "\n"
