"""The pattern report's three tables (calibration, held-out, mechanism checks), its
headline that counts only validation patterns, and the role of every pattern in
``patterns.json``; built from a small set of made-up results, not from model runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli.main import build_parser
from sim.patterns import knockouts
from sim.patterns.base import Check, PatternResult, Settings, new_figure
from sim.patterns.report import write_report


def fake(number: int, prefix: str = "", passed: bool = True, why: str | None = None):
    fig, (ax,) = new_figure(1)
    ax.plot([0, 1], [0, 1])
    checks = [
        Check("first statistic", "> 0", "+1", True),
        Check("second statistic", "> 0", "+1" if passed else "-1", passed),
    ]
    return PatternResult(
        number,
        f"title {prefix}{number}",
        f"source {prefix}{number}",
        "design",
        checks,
        fig,
        8,
        expected_failure=why,
        notes=[f"note {prefix}{number}"],
        label=f"{prefix}{number}",
    )


@pytest.fixture
def report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for label in ("1", "2", "H1", "H2"):
        monkeypatch.delitem(knockouts.MECHANISM_CHECKS, label, raising=False)
    monkeypatch.setitem(knockouts.MECHANISM_CHECKS, "9", "follows from one rule")
    monkeypatch.setitem(
        knockouts.KNOCKOUTS,
        "1",
        knockouts.Knockout("the trust loop", (("dynamics.trust.gain", 0.0),), "no gain"),
    )
    for label in ("2", "9", "H1", "H2"):
        monkeypatch.delitem(knockouts.KNOCKOUTS, label, raising=False)
    results = [
        fake(1),
        fake(2, passed=False, why="a calibration reason"),
        fake(9),
        fake(1, "H"),
        fake(2, "H", passed=False, why="a held-out finding"),
    ]
    out = tmp_path / "report"
    write_report(results, out, Settings(quick=True, workers=1), 60.0)
    return out


def test_three_tables_in_order_with_each_pattern_in_its_own(report: Path) -> None:
    md = (report / "patterns.md").read_text()
    heads = ["## Calibration patterns", "## Held-out patterns", "## Mechanism checks"]
    where = [md.index(h) for h in heads]
    assert where == sorted(where)
    calibration, held_out, mechanism = (
        md[where[0] : where[1]],
        md[where[1] : where[2]],
        md[where[2] : md.index("## 1. title 1")],
    )
    assert "| 1 | title 1 |" in calibration and "| 2 | title 2 |" in calibration
    assert "| 9 |" not in calibration and "| H1 |" not in calibration
    assert "| H1 | title H1 |" in held_out and "| H2 | title H2 |" in held_out
    assert "| 9 | title 9 | mechanism check (not counted): follows from one rule |" in mechanism
    assert "| 1 | title 1 | calibration (validation) | dynamics.trust.gain=0.0 |" in calibration
    assert "| H1 | title H1 | held-out (validation) | — |" in held_out
    assert "fail (known: see notes)" in calibration and "fail (found: see notes)" in held_out


def test_the_headline_counts_validation_patterns_only(report: Path) -> None:
    md = (report / "patterns.md").read_text()
    assert (
        "2 of 4 validation patterns pass (1 of 2 calibration, 1 of 2 held-out); "
        "1 of 1 mechanism checks pass (not counted)"
    ) in md
    page = (report / "patterns.html").read_text()
    assert page.count("<table>") == 3
    for h in ("Calibration patterns", "Held-out patterns", "Mechanism checks"):
        assert f"<h2>{h}</h2>" in page
    assert "2 of 4 validation patterns pass" in page


def test_json_gives_every_pattern_its_label_role_and_knockout(report: Path) -> None:
    record = json.loads((report / "patterns.json").read_text())
    got = {p["label"]: (p["number"], p["role"], p["knockout"]) for p in record["patterns"]}
    assert got == {
        "1": (1, "calibration", {"dynamics.trust.gain": 0.0}),
        "2": (2, "calibration", None),
        "9": (9, "mechanism check", None),
        "H1": (1, "held-out", None),
        "H2": (2, "held-out", None),
    }
    assert record["headline"].startswith("2 of 4 validation patterns pass")
    figures = sorted(p.name for p in (report / "figures").iterdir())
    assert figures == [
        "pattern_01.png",
        "pattern_02.png",
        "pattern_09.png",
        "pattern_H1.png",
        "pattern_H2.png",
    ]


def test_only_takes_calibration_numbers_and_held_out_labels() -> None:
    args = build_parser().parse_args(["patterns", "--only", "11,h3, 1"])
    assert args.only == ["1", "11", "H3"]


@pytest.mark.parametrize("bad", ["12", "H8", "H0", "x", ","])
def test_only_refuses_an_unknown_label(bad: str, capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["patterns", "--only", bad])
    assert exc.value.code == 2
    assert "pattern numbers run from 1 to 11 and held-out labels from H1 to H7" in (
        capsys.readouterr().err
    )
