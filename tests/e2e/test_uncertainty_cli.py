"""``--uncertainty N`` end to end: run and compare write the draws, report states how robust
the ranking is across plausible versions of the model, and bad input is one line."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.e2e.clirun import cli

ROOT = Path(__file__).resolve().parents[2]
SIZE = ("--replicates", "2", "--months", "24", "--quiet")


def headline(brief: Path) -> str:
    page = brief.read_text(encoding="utf-8")
    start = page.index('<div class="headline">')
    return re.sub(r"<[^>]+>", "", page[start : page.index("</div>", start)])


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("unc") / "cmp"
    res = cli(
        "compare",
        "scenarios/baseline.yaml",
        "scenarios/facilitative_leadership.yaml",
        "--uncertainty",
        "4",
        *SIZE,
        "--no-figures",
        "--out",
        str(out),
    )
    assert res.returncode == 0, res.stderr
    return out


def test_compare_keeps_both_kinds_of_uncertainty(compared: Path) -> None:
    record = json.loads((compared / "comparison.json").read_text())
    assert record["uncertainty"]["draws"] == 4
    diff = record["differences"][0]["uncertainty"]["added_value_per_year"]
    r = diff["ranking"]
    assert r["better"] + r["worse"] + r["tied"] == 4
    assert len(diff["draw_means"]) == 4
    table = pq.read_table(compared / "timeseries.parquet")
    keys = set(zip(*(table.column(c).to_pylist() for c in ("draw", "replicate")), strict=True))
    assert keys == {(d, r) for d in range(4) for r in range(2)}
    draws = pq.read_table(compared / "draws.parquet")
    assert draws.num_rows == 8  # 4 draws x 2 options


def test_the_brief_states_the_ranking_across_plausible_versions(
    compared: Path, tmp_path: Path
) -> None:
    res = cli("report", str(compared), "--out", str(tmp_path / "brief.html"))
    assert res.returncode == 0, res.stderr
    text = headline(tmp_path / "brief.html")
    record = json.loads((compared / "comparison.json").read_text())
    r = record["differences"][0]["uncertainty"]["added_value_per_year"]["ranking"]
    lead, trail = ("facilitative leadership", "baseline")
    wins = r["better"]
    if r["worse"] > r["better"]:
        lead, trail, wins = trail, lead, r["worse"]
    count = "all 4" if wins == 4 else f"{wins} of 4"
    assert f"{lead} does better than {trail} in {count} plausible versions" in text
    assert ("The ranking is not the same in every version" in text) == (wins < 4)
    assert "across 4 plausible versions of the model" in text


def test_an_option_against_itself_is_the_same_in_every_version(tmp_path: Path) -> None:
    out = tmp_path / "self"
    base = "scenarios/baseline.yaml"
    res = cli("compare", base, base, "--uncertainty", "3", *SIZE, "--no-figures", "--out", str(out))
    assert res.returncode == 0, res.stderr
    assert "give the same result in all 3 plausible versions" in res.stdout
    res = cli("report", str(out), "--out", str(tmp_path / "brief.html"))
    assert res.returncode == 0, res.stderr
    assert "give the same result in all 3 plausible versions" in headline(tmp_path / "brief.html")


def test_run_writes_draws_and_reports_them(tmp_path: Path) -> None:
    out = tmp_path / "run"
    res = cli("run", "scenarios/baseline.yaml", "--uncertainty", "3", *SIZE, "--out", str(out))
    assert res.returncode == 0, res.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] is True and manifest["uncertainty"]["draws"] == 3
    assert "draws.parquet" in manifest["files"]
    res = cli("report", str(out), "--out", str(tmp_path / "brief.html"))
    assert res.returncode == 0, res.stderr
    assert "across 3 plausible versions of the model" in headline(tmp_path / "brief.html")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--uncertainty", "-1"), "draws must be >= 0"),
        (("--uncertainty", "many"), "draws must be a whole number"),
        (("--uncertainty", "2", "--branch-at", "6"), "cannot be combined with --branch-at"),
    ],
)
def test_bad_uncertainty_options_give_one_line_and_exit_2(
    tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "bad"
    res = cli(
        "compare",
        "scenarios/baseline.yaml",
        "scenarios/baseline.yaml",
        *args,
        *SIZE,
        "--out",
        str(out),
    )
    assert res.returncode == 2, res.stderr
    assert message in res.stderr and "Traceback" not in res.stderr
    assert not (out / "manifest.json").exists()


def test_analyse_on_a_comparison_names_the_command_that_reads_it(compared: Path) -> None:
    res = cli("analyse", str(compared))
    assert res.returncode == 2
    assert "holds a comparison" in res.stderr
    assert "read it with partnersim report or partnersim export" in res.stderr


def test_report_without_out_writes_the_brief_into_the_results_folder(compared: Path) -> None:
    brief = compared / "brief.html"
    brief.unlink(missing_ok=True)
    res = cli("report", str(compared))
    assert res.returncode == 0, res.stderr
    assert brief.is_file() and f"written to {brief}" in res.stdout
