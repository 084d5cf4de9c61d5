"""Run the command-line tool as a user would: a fresh process, from the project's root."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(*args: str | Path, timeout: float = 600) -> subprocess.CompletedProcess:
    """``partnersim ARGS...`` in a new Python process; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "sim.cli.main", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
    )
