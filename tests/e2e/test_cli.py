"""The command line end to end: check, run, outputs, exit codes, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from tests.e2e.clirun import cli

ROOT = Path(__file__).resolve().parents[2]
BASE = ROOT / "scenarios" / "baseline.yaml"


def test_check_ok() -> None:
    res = cli("check", str(BASE))
    assert res.returncode == 0
    assert "ok" in res.stdout


def test_check_misspelt_key_exit_2_no_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {BASE}\nenvironment:\n  polcy_churn: 1\n")
    res = cli("check", str(bad))
    assert res.returncode == 2
    assert "environment.polcy_churn: unknown key 'polcy_churn'" in res.stderr
    assert "policy_churn" in res.stderr
    assert "Traceback" not in res.stderr


def test_run_bad_input_writes_nothing_and_keeps_old_results(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").write_text("old")
    bad = tmp_path / "bad.yaml"
    bad.write_text(f"extends: {BASE}\nmonths: -3\n")
    res = cli("run", str(bad), "--out", str(out))
    assert res.returncode == 2
    assert "months" in res.stderr and "Traceback" not in res.stderr
    assert (out / "summary.json").read_text() == "old"


def test_run_bad_option_exit_2() -> None:
    res = cli("run", str(BASE), "--replicates", "many")
    assert res.returncode == 2
    assert "Traceback" not in res.stderr


def test_run_writes_results_and_is_byte_identical(tmp_path: Path) -> None:
    outs = []
    for k in range(2):
        out = tmp_path / f"run{k}"
        res = cli(
            "run", str(BASE), "--replicates", "3", "--months", "24", "--out", str(out), "--quiet"
        )
        assert res.returncode == 0, res.stderr
        assert "added value of the partnership" in res.stdout
        assert (
            "value of joint work on the ground" in res.stdout and "% of need a year" in res.stdout
        )
        outs.append(out)
    a, b = ((o / "timeseries.parquet").read_bytes() for o in outs)
    assert a == b
    table = pq.read_table(outs[0] / "timeseries.parquet")
    assert table.num_rows == 3 * 24
    for col in (
        "replicate",
        "month",
        "trust_across",
        "partnership_effect",
        "regime",
        "counterfactual_outcome_index",
        "boardless_outcome_index",
        "added_value_rate",
        "ground_value_rate",
        "added_value",
        "facade_index",
        "delivery_ratio",
    ):
        assert col in table.column_names
    manifest = json.loads((outs[0] / "manifest.json").read_text())
    assert manifest["complete"] is True
    assert manifest["scenario"]["months"] == 24 and manifest["replicates"] == [0, 1, 2]
    assert len(manifest["scenario_hash"]) == 64
    summary = json.loads((outs[0] / "summary.json").read_text())
    assert abs(sum(summary["regime_share_final"].values()) - 1) < 1e-9
    pngs = sorted(p.name for p in (outs[0] / "figures").glob("*.png"))
    assert {"outcome.png", "added_value.png", "regimes.png"} <= set(pngs)
    assert not list(outs[0].rglob("*.tmp"))


def test_different_seed_gives_different_results(tmp_path: Path) -> None:
    tables = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        assert (
            cli(
                "run",
                str(BASE),
                "--replicates",
                "2",
                "--months",
                "24",
                "--seed",
                seed,
                "--out",
                str(out),
                "--quiet",
                "--no-figures",
            ).returncode
            == 0
        )
        tables.append(pq.read_table(out / "timeseries.parquet").column("outcome_index"))
    assert tables[0] != tables[1]


def test_library_prints_and_writes_one_row_per_scenario(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    for name in ("baseline", "high_churn"):  # extends: baseline.yaml resolves beside it
        (lib / f"{name}.yaml").write_text((ROOT / "scenarios" / f"{name}.yaml").read_text())
    out = tmp_path / "table.md"
    opts = ("--replicates", "2", "--months", "12", "--quiet", "--out", str(out))
    res = cli("library", str(lib), *opts)
    assert res.returncode == 0, res.stderr
    rows = [line for line in res.stdout.splitlines() if line.startswith("| ")]
    assert [r.split("|")[1].strip() for r in rows[1:]] == ["baseline", "high_churn"]
    assert "2 replicates x 12 months" in res.stdout
    assert out.read_text().startswith(rows[0])


def test_library_of_a_missing_folder_exit_2(tmp_path: Path) -> None:
    res = cli("library", str(tmp_path / "nowhere"))
    assert res.returncode == 2
    assert "is not a folder" in res.stderr and "Traceback" not in res.stderr


def test_patterns_writes_a_report_with_a_verdict_per_pattern(tmp_path: Path) -> None:
    out = tmp_path / "report"
    res = cli("patterns", "--quick", "--only", "9", "--out", str(out), "--quiet", "--workers", "1")
    assert res.returncode == 0, res.stderr
    assert "pattern  9: pass" in res.stdout
    record = json.loads((out / "patterns.json").read_text())
    assert [p["number"] for p in record["patterns"]] == [9]
    assert record["patterns"][0]["verdict"] == "pass"
    page = (out / "patterns.html").read_text()
    assert "data:image/png;base64," in page and "re-assessed" in page
    assert "| 9 |" in (out / "patterns.md").read_text()
    assert (out / "figures" / "pattern_09.png").stat().st_size > 1000


def test_patterns_rejects_an_unknown_pattern_number() -> None:
    res = cli("patterns", "--only", "12")
    assert res.returncode == 2
    assert "pattern numbers run from 1 to 11" in res.stderr and "Traceback" not in res.stderr


def test_two_runs_into_one_folder_one_is_refused_the_other_is_described(tmp_path: Path) -> None:
    # The second run starts once the first holds the folder's lock, and the first is long
    # enough (about 8 s) to still hold it then: the outcome does not depend on timing.
    out = tmp_path / "out"
    sizes = {1: 200, 2: 2}  # seed: replicates

    def start(seed: int) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "sim.cli.main", "run", str(BASE), "--seed", str(seed),
             "--replicates", str(sizes[seed]), "--months", "120", "--out", str(out),
             "--quiet", "--no-figures"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    first = start(1)
    deadline = time.monotonic() + 120
    while not (out / ".partnersim.lock").exists():
        assert first.poll() is None, first.stderr.read() if first.stderr else ""
        assert time.monotonic() < deadline, "the first run never took the folder's lock"
        time.sleep(0.01)
    procs = [first, start(2)]
    done = [(p.pid, p.wait(timeout=600), p.stderr.read()) for p in procs]
    codes = sorted(code for _, code, _ in done)
    assert codes == [0, 2], done
    (winner,) = [pid for pid, code, _ in done if code == 0]
    (refusal,) = [err for _, code, err in done if code == 2]
    assert f"is being written by PID {winner}" in refusal and "Traceback" not in refusal
    manifest = json.loads((out / "manifest.json").read_text())
    table = pq.read_table(out / "timeseries.parquet").to_pandas()
    assert manifest["complete"] is True
    assert manifest["replicates"] == list(range(sizes[manifest["seed"]]))
    assert sorted(table["replicate"].unique()) == manifest["replicates"]
    assert not (out / ".partnersim.lock").exists()


def test_run_refuses_a_folder_holding_another_kind_of_result(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    out.mkdir()
    manifest = {"complete": True, "kind": "comparison", "scenarios": []}
    (out / "manifest.json").write_text(json.dumps(manifest))
    (out / "comparison.json").write_text("{}")
    res = cli("run", str(BASE), "--months", "6", "--replicates", "1", "--out", str(out))
    assert res.returncode == 2, res.stderr
    assert "holds a comparison (manifest kind 'comparison'), not a run" in res.stderr
    assert json.loads((out / "manifest.json").read_text()) == manifest
    assert not (out / "timeseries.parquet").exists()


def test_a_scenario_name_cannot_lead_outside_results(tmp_path: Path) -> None:
    cwd = tmp_path / "a" / "b"
    cwd.mkdir(parents=True)
    (cwd / "s.yaml").write_text(f"extends: {BASE}\nname: ../../x\n")
    res = subprocess.run(
        [sys.executable, "-m", "sim.cli.main", "run", "s.yaml", "--months", "6",
         "--replicates", "1", "--no-figures", "--quiet"],
        cwd=cwd, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert not (tmp_path / "a" / "x").exists()
    (inside,) = list((cwd / "results").iterdir())
    assert (inside / "manifest.json").exists() and inside.name not in ("..", ".")


def test_run_with_a_months_horizon_shorter_than_the_timeline_cuts_it(tmp_path: Path) -> None:
    scenario = "scenarios/stable_three_years.yaml"
    out = tmp_path / "out"
    res = cli("run", scenario, "--months", "36", "--replicates", "1", "--out", str(out),
              "--no-figures", "--quiet")  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert (
        f"{scenario}: interventions[0]: set window months 12-48 cut at month 36, the --months "
        "horizon"
    ) in res.stderr.splitlines()
    manifest = json.loads((out / "manifest.json").read_text())
    (window,) = manifest["scenario"]["interventions"]
    assert (window["from"], window["until"]) == (12, 36)


def test_library_with_a_months_horizon_shorter_than_a_timeline_cuts_it(tmp_path: Path) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    for name in ("baseline.yaml", "stable_three_years.yaml"):
        (folder / name).write_text((ROOT / "scenarios" / name).read_text())
    res = cli("library", str(folder), "--months", "36", "--replicates", "1", "--quiet")
    assert res.returncode == 0, res.stderr
    notice = f"{folder / 'stable_three_years.yaml'}: interventions[0]: set window months 12-48"
    assert [line for line in res.stderr.splitlines() if line.startswith(notice)], res.stderr
    assert "| stable_three_years |" in res.stdout


def test_compare_with_a_months_horizon_shorter_than_a_timeline_cuts_it(tmp_path: Path) -> None:
    out = str(tmp_path / "c")
    res = cli("compare", str(BASE), "scenarios/stable_three_years.yaml", "--months", "24",
              "--replicates", "1", "--out", out, "--no-figures", "--quiet")  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert (
        "scenarios/stable_three_years.yaml: interventions[0]: set window months 12-48 cut at "
        "month 24, the --months horizon"
    ) in res.stderr.splitlines()


def test_check_refuses_pipes_devices_and_nan_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (tmp_path / "zero.yaml").write_text("extends: /dev/zero\n")
    baseline = (ROOT / "scenarios" / "baseline.yaml").read_text()
    (tmp_path / "nan.yaml").write_text(baseline.replace("smoking: 0.3,", "smoking: .nan,"))
    expected = {
        fifo: f"{fifo}: is a named pipe (FIFO), not a regular file; expected a .yaml file",
        tmp_path / "zero.yaml": "extends: /dev/zero: is a character device, not a regular file",
        tmp_path / "nan.yaml": "agencies[0].priorities.smoking: .nan is not a finite number",
    }
    for path, message in expected.items():
        res = subprocess.run(
            [sys.executable, "-m", "sim.cli.main", "check", str(path)],
            capture_output=True, text=True, cwd=ROOT, timeout=60,
        )  # fmt: skip
        assert res.returncode == 2, res.stderr
        assert message in res.stderr.splitlines()[0]
        assert "Traceback" not in res.stderr


def test_version_prints_the_installed_version() -> None:
    from importlib.metadata import version

    res = cli("--version")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == f"partnersim {version('partnersim')}"


def test_no_arguments_prints_the_help_and_exits_0() -> None:
    res = cli()
    assert res.returncode == 0, res.stderr
    assert res.stdout.startswith("usage: partnersim")
    assert "compare" in res.stdout and "robustness" in res.stdout
    assert res.stderr == ""


def test_run_and_check_take_a_library_name(tmp_path: Path) -> None:
    res = cli("check", "high_churn")
    assert res.returncode == 0, res.stderr
    assert "high_churn.yaml: ok (scenario 'high_churn'" in res.stdout
    out = tmp_path / "named"
    res = cli(
        "run",
        "baseline",
        "--replicates",
        "1",
        "--months",
        "6",
        "--quiet",
        "--no-figures",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    assert '"complete": true' in (out / "manifest.json").read_text()


def test_an_unknown_library_name_says_where_it_looked() -> None:
    res = cli("run", "no_such_scenario")
    assert res.returncode == 2
    line = res.stderr.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "no_such_scenario.yaml in" in line and "scenarios" in line


def test_report_help_describes_the_default_question_as_the_brief_chooses_it() -> None:
    from types import SimpleNamespace

    from sim.report.brief import default_question

    res = cli("report", "--help")
    assert res.returncode == 0
    text = " ".join(res.stdout.split())
    assert "with two options, the second's description" in text
    assert "with more, what difference they make against the first" in text

    def opt(name: str, description: str) -> SimpleNamespace:
        return SimpleNamespace(name=name, scenario=SimpleNamespace(description=description))

    a, b, c = opt("a", "first"), opt("b", "second?"), opt("c", "third")
    assert default_question([a, b]) == "second?"
    assert default_question([a]) == "first"
    assert default_question([a, b, c]).startswith("What difference do these 2 options make")
