"""``partnersim compare`` end to end: the results folder, the table, exit codes."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from sim.cli.compare_cmd import default_out
from tests.e2e.clirun import cli as run_cli

ROOT = Path(__file__).resolve().parents[2]
SCEN = ROOT / "scenarios"
BASE = SCEN / "baseline.yaml"
SHARED = SCEN / "shared_targets.yaml"
CHURN = SCEN / "high_churn.yaml"
FAST = ("--months", "24", "--replicates", "3", "--quiet")


def cli(*args: str | Path) -> subprocess.CompletedProcess:
    return run_cli("compare", *args)


def test_compare_writes_a_complete_folder_and_a_readable_table(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    res = cli(BASE, SHARED, CHURN, *FAST, "--out", out)
    assert res.returncode == 0, res.stderr
    # the headline is the added value of the partnership, in % of need a year; the total
    # effect is secondary and named as such
    assert "shared_targets vs baseline: added value" in res.stdout
    assert "high_churn vs baseline: added value" in res.stdout
    assert "% of need a year" in res.stdout and "10-90%" in res.stdout
    assert "joint work on the ground" in res.stdout
    assert "Total effect (partnership and ground work vs no joint working)" in res.stdout
    header = next(line for line in res.stdout.splitlines() if line.startswith("scenario"))
    assert header.index("added value") < header.index("total effect")
    for regime in ("delivering", "facade", "organic", "inert", "dissolved"):
        assert regime in res.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is True
    assert manifest["replicates"] == [0, 1, 2] and manifest["branch_at"] is None
    for name in manifest["files"]:
        assert (out / name).is_file()
    figures = sorted(p.name for p in (out / "figures").glob("*.png"))
    assert figures == [
        "added_value.png",
        "paired_effect.png",
        "regime_shares.png",
        "trajectories.png",
    ]
    record = json.loads((out / "comparison.json").read_text())
    assert record["reference"] == "baseline"
    assert set(record["summaries"]) == {"baseline", "shared_targets", "high_churn"}
    assert [d["scenario"] for d in record["differences"]] == ["shared_targets", "high_churn"]
    for summary in record["summaries"].values():
        band = summary["added_value_per_year_in_window"]
        assert band["p10"] <= band["median"] <= band["p90"]
        assert "ground_value_per_year_in_window" in summary
        assert set(summary["regime_share_in_window"]) == {
            "delivering", "facade", "organic", "inert", "dissolved"
        }  # fmt: skip
    for d in record["differences"]:
        assert {"added_value_per_year", "ground_value_per_year", "final_effect"} <= set(d)
    assert record["units"]["added_value_per_year"] == "% of need per year"
    assert record["seed"] == 20070401 and "versions" in record and "git_commit" in record
    table = pq.read_table(out / "timeseries.parquet")
    assert table.num_rows == 3 * 3 * 24
    assert set(table.column("scenario").to_pylist()) == set(record["summaries"])
    assert not list(out.glob(".*.tmp"))  # no temporary files left behind


def test_compare_branching_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "branch"
    res = cli(
        BASE, SHARED, *FAST, "--branch-at", "12", "--workers", "2", "--no-figures", "--out", out
    )
    assert res.returncode == 0, res.stderr
    assert "Branched after month 12" in res.stdout
    assert not (out / "figures").exists()
    assert json.loads((out / "manifest.json").read_text())["complete"] is True
    assert json.loads((out / "comparison.json").read_text())["branch_at"] == 12
    df = pq.read_table(out / "timeseries.parquet").to_pandas()
    early = df[df.month <= 12]
    a, b = (
        early[early.scenario == name].drop(columns="scenario").reset_index(drop=True)
        for name in ("baseline", "shared_targets")
    )
    assert len(a) == 3 * 12 and a.equals(b)
    later = df[df.month > 12]
    assert (
        not later[later.scenario == "baseline"]
        .outcome_index.reset_index(drop=True)
        .equals(later[later.scenario == "shared_targets"].outcome_index.reset_index(drop=True))
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((BASE, SCEN / "no_such.yaml"), "file not found"),
        ((BASE,), "at least two scenario files"),
        ((BASE, SHARED, "--branch-at", "24"), "allowed: 1..23"),
        ((BASE, SHARED, "--branch-at", "0"), "branch month must be >= 1"),
        ((BASE, SHARED, "--replicates", "many"), "replicates must be a whole number"),
    ],
)
def test_bad_input_exits_2_without_a_traceback(args: tuple, expected: str) -> None:
    res = cli(*args, *FAST)
    assert res.returncode == 2
    assert expected in res.stderr
    assert "Traceback" not in res.stderr


def test_a_timeline_past_a_horizon_set_in_the_file_is_refused(tmp_path: Path) -> None:
    late = tmp_path / "late.yaml"
    late.write_text(
        f"extends: {BASE}\nmonths: 24\ninterventions:\n  - {{at: 30, action: dissolve}}\n"
    )
    res = cli(BASE, late, "--replicates", "2", "--quiet", "--out", tmp_path / "never")
    assert res.returncode == 2
    assert "interventions[0]" in res.stderr and "24" in res.stderr
    assert "Traceback" not in res.stderr


def test_a_scenario_that_cannot_branch_is_named_with_its_key_path(tmp_path: Path) -> None:
    other = tmp_path / "short_window.yaml"
    other.write_text(f"extends: {BASE}\nregimes:\n  window_months: 6\n")
    out = tmp_path / "never"
    res = cli(BASE, other, *FAST, "--branch-at", "6", "--out", out)
    assert res.returncode == 2
    assert f"{other}: regimes.window_months: differs from {BASE}" in res.stderr
    assert "Traceback" not in res.stderr
    assert not out.exists()


def test_default_results_folder_is_short() -> None:
    assert default_out(["baseline", "high_churn"], None) == Path(
        "results/compare_baseline_vs_high_churn"
    )
    assert default_out(["a", "b"], 24) == Path("results/compare_a_vs_b_branch24")
    many = default_out([f"scenario_number_{k}" for k in range(6)], None)
    assert many.name == "compare_scenario_number_0_vs_scenario_number_1_and_4_more"


def test_compare_refuses_a_run_folder_and_keeps_it(tmp_path: Path) -> None:
    out = tmp_path / "run"
    out.mkdir()
    manifest = {"complete": True, "scenario": {"name": "baseline"}, "seed": 1}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "summary.json").write_text("{}")
    (out / "timeseries.parquet").write_bytes(b"PAR1")
    res = cli(BASE, SHARED, *FAST, "--no-figures", "--out", out)
    assert res.returncode == 2, res.stderr
    assert "holds a run (it has timeseries.parquet and summary.json), not a comparison" in (
        res.stderr
    )
    assert "Traceback" not in res.stderr
    assert json.loads((out / "manifest.json").read_text()) == manifest
    assert not (out / "comparison.json").exists()


def test_default_folder_of_odd_names_stays_inside_results() -> None:
    out = default_out(["../../etc", "/abs/path"], None)
    assert out.parent == Path("results") and ".." not in out.parts
    assert default_out(["", "."], None).parent == Path("results")


def test_compare_takes_library_names_as_run_does(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    res = cli("baseline", "shared_targets", "--months", "6", "--replicates", "2", "--quiet",
              "--no-figures", "--out", out)  # fmt: skip
    assert res.returncode == 0, res.stderr
    names = [s["name"] for s in json.loads((out / "manifest.json").read_text())["scenarios"]]
    assert names == ["baseline", "shared_targets"]
    res = cli("baseline", "no_such_scenario", "--months", "6", "--out", tmp_path / "x")
    assert res.returncode == 2 and "Traceback" not in res.stderr
    assert "nor a library name (no_such_scenario.yaml in" in res.stderr
