"""``partnersim robustness`` end to end: the results folder, the table, exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from sim.cli.robustness_cmd import default_out
from tests.e2e.clirun import cli as run_cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "baseline.yaml"
FAST = ("--months", "24", "--replicates", "2", "--trajectories", "2", "--quiet")
NARROW = """
uncertainty:
  scale: 0
  ranges:
    issues.efficacy: [0.5, 1.5]
    regimes.value_z: [1.5, 3.0]
    dynamics.frontline.routine_tie_rate: [0.01, 0.2]
"""


def cli(*args: str | Path) -> subprocess.CompletedProcess:
    return run_cli("robustness", *args)


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    path = tmp_path / "small.yaml"
    path.write_text(f"extends: {BASE}\nname: small\n{NARROW}")
    return path


def test_a_screening_writes_a_complete_folder_and_prints_the_ranking(
    small: Path, tmp_path: Path
) -> None:
    out = tmp_path / "rob"
    res = cli(small, *FAST, "--out", out)
    assert res.returncode == 0, res.stderr
    assert "Which assumptions move the added value per year of small" in res.stdout
    assert "% of need a year per full plausible range" in res.stdout
    assert "not a variance decomposition" in res.stdout and str(out) in res.stdout
    table = [line.split() for line in res.stdout.splitlines() if line[:4].strip().isdigit()]
    assert [row[1] for row in table][-1] == "regimes.value_z"  # mu* exactly 0: last
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "robustness" and manifest["complete"] is True
    assert manifest["files"] == ["robustness.json", "robustness.csv", "figures/robustness.png"]
    for name in manifest["files"]:
        assert (out / name).is_file()
    record = json.loads((out / "robustness.json").read_text())
    assert record["design"]["points"] == 2 * (3 + 1) and record["design"]["runs"] == 16
    assert {r["constant"] for r in record["ranges"]} == {
        "issues.efficacy",
        "regimes.value_z",
        "dynamics.frontline.routine_tie_rate",
    }
    assert "versions" in record and record["points_ahead"] is None
    csv = pd.read_csv(out / "robustness.csv")
    assert list(csv["rank"]) == [1, 2, 3]


def test_two_scenarios_screen_the_paired_difference(small: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(f"extends: {small}\nname: other\npartnership:\n  shared_targets: 0.6\n")
    res = cli(small, other, *FAST, "--out", tmp_path / "pair")
    assert res.returncode == 0, res.stderr
    assert "paired difference other - small" in res.stdout
    assert "other has more added value than small at" in res.stdout
    record = json.loads((tmp_path / "pair" / "robustness.json").read_text())
    ahead = record["points_ahead"]
    assert sum(ahead.values()) == record["design"]["points"]
    assert set(record["regime_shares"]) == {"small", "other"}


def test_default_folder_names_both_scenarios() -> None:
    assert default_out(["baseline"]) == Path("results/robustness_baseline")
    assert default_out(["a", "b"]) == Path("results/robustness_a_vs_b")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((ROOT / "scenarios" / "no_such.yaml",), "no_such.yaml"),
        ((BASE, "--trajectories", "0"), "trajectories must be >= 1"),
        ((BASE, BASE, BASE), "give one or two scenario files"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(args: tuple, expected: str, tmp_path: Path) -> None:
    out = tmp_path / "never"
    res = cli(*args, "--quiet", "--out", out)
    assert res.returncode == 2
    # argparse's own errors come after its usage text (first line "usage:", then indented)
    lines = res.stderr.splitlines()
    errors = [line for line in lines if line and not line.startswith(("usage:", " "))]
    assert len(errors) == 1 and expected in errors[0], res.stderr
    assert "Traceback" not in res.stderr and not out.exists()


def test_a_job_over_the_limits_is_refused_before_anything_runs(tmp_path: Path) -> None:
    out = tmp_path / "never"
    res = cli(BASE, "--trajectories", "100000", "--quiet", "--out", out)
    assert res.returncode == 2
    assert "job too big" in res.stderr and "--trajectories" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and not out.exists()


def test_a_scenario_with_nothing_uncertain_is_refused(tmp_path: Path) -> None:
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(f"extends: {BASE}\nuncertainty:\n  scale: 0\n")
    res = cli(fixed, "--quiet", "--out", tmp_path / "never")
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        f"{fixed}: uncertainty: no constant varies (every range is a point); widen "
        "uncertainty.scale or uncertainty.ranges"
    ]
    assert not (tmp_path / "never").exists()
