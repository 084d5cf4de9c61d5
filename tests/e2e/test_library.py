"""Every scenario in the library loads, asks a question, and runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

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
    assert np.isfinite(res.series["partnership_effect"]).all()


def test_a_command_line_horizon_cuts_a_library_timeline_with_a_notice() -> None:
    from sim.experiment.library import run_library

    (path,) = [p for p in LIBRARY if p.stem == "stable_three_years"]
    notices: list[str] = []
    (row,) = run_library([path], {"months": 30, "replicates": 1}, progress=False, notices=notices)
    assert row.summary["months"] == 30
    assert notices == [
        f"{path}: interventions[0]: set window months 12-48 cut at month 30, the --months horizon"
    ]
