"""Every scenario in the library loads, asks a question, and runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.core.regimes import REGIMES
from sim.core.run import simulate
from sim.scenario.loader import load_scenario

LIBRARY = sorted((Path(__file__).resolve().parents[2] / "scenarios").glob("*.yaml"))
EXPECTED = {
    "baseline",
    "high_churn",
    "over_engineered",
    "facilitative_leadership",
    "target_driven_silos",
    "shared_targets",
    "organic_frontline",
    "stable_three_years",
}


def test_library_is_complete() -> None:
    assert {p.stem for p in LIBRARY} >= EXPECTED


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_scenario_loads_describes_and_runs(path: Path) -> None:
    sc = load_scenario(path)
    assert sc.name == path.stem
    assert len(sc.description) > 20, "a library scenario states the question it asks"
    res = simulate(sc, 0, months=24)
    for key in ("added_value_rate", "ground_value_rate", "added_value", "partnership_effect"):
        assert np.isfinite(res.series[key]).all(), key
    assert set(np.unique(res.series["regime_code"])) <= set(range(len(REGIMES)))


def test_a_command_line_horizon_cuts_a_library_timeline_with_a_notice() -> None:
    from sim.experiment.library import run_library

    (path,) = [p for p in LIBRARY if p.stem == "stable_three_years"]
    notices: list[str] = []
    (row,) = run_library([path], {"months": 30, "replicates": 1}, progress=False, notices=notices)
    assert row.summary["months"] == 30
    assert notices == [
        f"{path}: interventions[0]: set window months 12-48 cut at month 30, the --months horizon"
    ]


def test_the_library_table_leads_with_added_value_and_shows_five_regimes() -> None:
    from sim.experiment.library import dominant, markdown_table, run_library

    paths = [p for p in LIBRARY if p.stem in ("baseline", "over_engineered")]
    rows = run_library(paths, {"months": 24, "replicates": 2}, progress=False)
    table = markdown_table(rows)
    head, _, *body = [line for line in table.splitlines() if line.startswith("|")]
    columns = [c.strip() for c in head.strip("|").split("|")]
    assert columns[:4] == [
        "scenario",
        "added value, % of need a year",
        "joint work on the ground, % of need a year",
        "dominant regime",
    ]
    assert columns[4:9] == list(REGIMES) and columns[-1] == "board in place at the end"
    assert len(body) == 2
    for row, line in zip(rows, body, strict=True):
        cells = [c.strip() for c in line.strip("|").split("|")]
        shares = row.summary["regime_share_time_weighted"]
        assert cells[0] == row.name
        assert cells[3] == dominant(shares) and shares[cells[3]] == max(shares.values())
        assert sum(float(c) for c in cells[4:9]) == pytest.approx(1.0, abs=0.03)
        median = row.summary["added_value_per_year"]["median"]
        assert cells[1].startswith(f"{median:+.2f} [")
    assert "2 replicates x 24 months" in table and "assumed constants" in table
