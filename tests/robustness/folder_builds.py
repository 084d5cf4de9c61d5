"""Real results folders, built once per test session, for the folder corpus and fuzzing.

``built(tmp_path_factory)`` returns ``{"run": ..., "compare": ..., "sweep": ...}``: a small
run, a small comparison and a four-point sweep, written by the CLI itself, each read once
by its readers in this process (:func:`warm`). Tests copy a folder with :func:`copy`
before damaging it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.robustness.conftest import SCENARIOS, run_cli

BUILD_SECONDS = 120.0
SIZE = ("--replicates", "2", "--months", "24", "--quiet", "--no-figures")
SWEEP = f"""\
name: tiny
base: {SCENARIOS / "baseline.yaml"}
parameters:
  environment.policy_churn: {{levels: [0.0, 1.0]}}
  partnership.formality: {{levels: [0.2, 0.8]}}
design: {{kind: grid}}
replicates: 1
months: 12
"""


def _build(root: Path) -> None:
    base, other = SCENARIOS / "baseline.yaml", SCENARIOS / "facilitative_leadership.yaml"
    steps = [
        ("run", str(base), *SIZE, "--out", root / "run"),
        ("compare", str(base), str(other), *SIZE, "--out", root / "compare"),
    ]
    (root / "tiny.yaml").write_text(SWEEP, encoding="utf-8")
    steps.append(
        ("sweep", root / "tiny.yaml", "--out", root / "sweep", "--quiet", "--workers", "1")
    )
    for args in steps:
        outcome = run_cli(*args, seconds=BUILD_SECONDS)
        assert outcome.code == 0, (args, outcome.err[:500])


def built(tmp_path_factory) -> dict[str, Path]:
    """The session's real folders (built on first use)."""
    root = tmp_path_factory.getbasetemp() / "real_folders"
    if not (root / "sweep" / "manifest.json").exists():
        shutil.rmtree(root, ignore_errors=True)
        root.mkdir(parents=True)
        _build(root)
    warm_copy = root / "warm"
    if not warm_copy.exists():
        shutil.copytree(root / "sweep", warm_copy / "sweep")
        warm({"run": root / "run", "sweep": warm_copy / "sweep"}, warm_copy)
    return {kind: root / kind for kind in ("run", "compare", "sweep")}


def warm(folders: dict[str, Path], scratch: Path) -> None:
    """Read each intact folder once with each reader, so that the cases after it do not pay
    for first imports (matplotlib, SALib, pandas I/O) inside their time limit."""
    calls = [
        ("report", folders["run"], "--out", scratch / "warm.html"),
        ("export", folders["sweep"], "--out", scratch / "warm_csv"),
        ("analyse", folders["sweep"], "--quiet"),
    ]
    for args in calls:
        outcome = run_cli(*args, seconds=BUILD_SECONDS)
        assert outcome.code == 0, (args, outcome.err[:500])


def copy(folder: Path, where: Path) -> Path:
    """A copy of ``folder`` at ``where`` (to damage)."""
    shutil.copytree(folder, where)
    return where
