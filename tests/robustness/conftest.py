"""Shared helpers for the robustness suite: run the CLI in-process with a time limit."""

from __future__ import annotations

import contextlib
import io
import signal
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sim.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
CASE_SECONDS = 5.0  # every bad-input case must end within this


class Hang(TimeoutError):
    """A case ran past :data:`CASE_SECONDS`."""


@dataclass(frozen=True)
class Outcome:
    """What one CLI call did."""

    code: int
    out: str
    err: str

    @property
    def first_error_line(self) -> str:
        lines = [line for line in self.err.splitlines() if line.strip()]
        return lines[0] if lines else ""


@contextlib.contextmanager
def time_limit(seconds: float = CASE_SECONDS) -> Iterator[None]:
    """Raise :class:`Hang` in this (main) thread if the block runs past ``seconds``."""

    def _alarm(signum, frame):  # pragma: no cover - only on a hang
        raise Hang(f"took longer than {seconds} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def run_cli(*args: str | Path, seconds: float = CASE_SECONDS) -> Outcome:
    """Call ``partnersim ARGS`` in this process; fail the test if it runs past ``seconds``.

    An exception that escapes ``main`` (a traceback for a user) fails the test too.
    """
    out, err = io.StringIO(), io.StringIO()
    try:
        with time_limit(seconds), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main([str(a) for a in args])
            except SystemExit as exc:  # argparse errors
                code = int(exc.code or 0)
    except Hang:
        pytest.fail(f"partnersim {' '.join(map(str, args))} hung (> {seconds} s)")
    return Outcome(code, out.getvalue(), err.getvalue())


def assert_refused(result: Outcome, first_line: str, max_line_chars: int = 400) -> None:
    """Exit 2, no traceback, ``first_line`` in the first line of stderr, short lines only
    (no file contents or expanded values echoed)."""
    assert result.code == 2, (result.code, result.err[:500])
    assert "Traceback" not in result.err
    assert first_line in result.first_error_line, result.err[:500]
    longest = max((len(line) for line in result.err.splitlines()), default=0)
    assert longest <= max_line_chars, f"an error line of {longest} characters"
