"""Running the months the timeline leaves alone in one compiled call changes nothing."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.core.run import TwinRun, simulate
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[3]


def stepped(scenario, replicate: int) -> dict[str, np.ndarray]:
    run = TwinRun(scenario, replicate, with_agents=False)
    for _ in range(scenario.months):
        run.step()
    return run.series()


def test_run_ahead_equals_month_by_month_with_interventions() -> None:
    extra = [
        {"at": 7, "action": "reorganise", "severity": 0.6},
        {"at": 9, "action": "leader_leaves"},
        {"from": 20, "until": 30, "action": "set", "changes": {"partnership.formality": 0.9}},
        {"at": 41, "action": "champion_leaves", "count": 2},
    ]
    sc = load_scenario(ROOT / "scenarios" / "stable_three_years.yaml", {"months": 60})
    data = sc.model_dump(mode="json", by_alias=True)
    data["interventions"] = data.get("interventions", []) + extra
    sc = type(sc).model_validate(data)
    assert sc.interventions  # the timeline has changes to stop at
    for replicate in (0, 3):
        fast = simulate(sc, replicate).series
        slow = stepped(sc, replicate)
        assert fast.keys() == slow.keys()
        for key in fast:
            assert np.array_equal(fast[key], slow[key], equal_nan=True), key


def test_the_next_change_is_the_first_month_the_timeline_acts() -> None:
    sc = load_scenario(ROOT / "scenarios" / "stable_three_years.yaml")
    run = TwinRun(sc, 0, with_agents=False)
    timeline = run.model.timeline
    months = [m for m in range(1, sc.months + 1) if timeline.next_change(m) == m]
    assert months  # the moratorium starts and ends
    for m in range(1, sc.months + 1):
        nxt = timeline.next_change(m)
        assert nxt is None or nxt >= m
