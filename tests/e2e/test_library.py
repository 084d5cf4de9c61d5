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
