"""Interventions on the timeline: lever changes and their reversion, shocks."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import leadership, timeline
from sim.scenario.interventions import (
    ChampionLeaves,
    Dissolve,
    LeaderLeaves,
    Reorganise,
    SetLevers,
)


def with_events(sc, *events):
    return sc.model_copy(update={"interventions": list(events)})


def apply_through_one(m, month: int):
    """Apply what the timeline has due in ``month`` (1-based), as the monthly step does."""
    m.month = month
    m.recorder.month = month - 1
    return m.timeline.apply(m)


def apply_through(m, months: int) -> list:
    """Apply the timeline month by month; return what each month returned."""
    return [apply_through_one(m, month) for month in range(1, months + 1)]


def test_a_set_window_changes_a_lever_and_reverts_it(base, cfg, make):
    sc = cfg(base, {"environment.target_pressure": 0.5, "partnership.formality": 0.5})
    event = SetLevers.model_validate(
        {
            "action": "set",
            "from": 3,
            "until": 5,
            "changes": {"environment.target_pressure": 0.9, "partnership.formality": 0.1},
        }
    )
    m = make(with_events(sc, event))
    seen = []
    for month in range(1, 9):
        apply_through_one(m, month)
        seen.append((m.levers.environment.target_pressure, m.levers.partnership.formality))
    assert seen == [(0.5, 0.5)] * 2 + [(0.9, 0.1)] * 3 + [(0.5, 0.5)] * 3
    assert m.spec.environment.target_pressure == 0.5  # the scenario itself is untouched


def test_a_set_without_until_stays_in_force(base, cfg, make):
    sc = cfg(base, {"partnership.shared_targets": 0.1})
    event = SetLevers.model_validate(
        {"action": "set", "at": 2, "changes": {"partnership.shared_targets": 0.7}}
    )
    m = make(with_events(sc, event))
    apply_through(m, 1)
    assert m.levers.partnership.shared_targets == 0.1
    for month in range(2, 30):
        apply_through_one(m, month)
        assert m.levers.partnership.shared_targets == 0.7


def test_a_set_window_acts_on_the_running_model(base, cfg, make):
    sc = cfg(
        base,
        {"environment.target_pressure": 0.0},
        {"targets.gap_weight": 0.0, "targets.adjust_months": 3.0, "learning.chase_pressure": 0.0},
        months=12,
    )
    event = SetLevers.model_validate(
        {"action": "set", "from": 4, "until": 6, "changes": {"environment.target_pressure": 1.0}}
    )
    m = make(with_events(sc, event))
    m.agencies.pressure[:] = 0.0
    for _ in range(12):
        m.step()
    pressure = m.recorder.data["target_pressure"]
    assert np.all(np.diff(pressure[3:6]) > 0)  # rising while the window is open
    assert pressure[6] < pressure[5]  # falling again once it has closed
    assert m.levers.environment.target_pressure == 0.0


def test_leader_leaves_empties_the_chair(base, cfg, make):
    sc = cfg(base, dynamics={"churn.leader_vacancy_months": 4.0}, months=12)
    m = make(with_events(sc, LeaderLeaves(action="leader_leaves", at=2)))
    m.step()
    assert m.board.leader >= 0
    assert m.recorder.data["leader_present"][0] == 1.0
    m.step()
    assert m.board.leader == -1
    assert m.recorder.data["leader_present"][1] == 0.0
    assert m.board.leader_strength == 0.0
    assert m.board.vacancy_left == pytest.approx(4.0 - 1.0)
    for _ in range(4):
        m.step()
    assert m.board.leader >= 0  # the post is filled after the vacancy


def test_leader_leaves_in_the_twin_is_harmless(base, make):
    twin = make(with_events(base, LeaderLeaves(action="leader_leaves", at=1)), partnership=False)
    apply_through(twin, 2)
    leadership.step(twin)
    assert twin.board.leader == -1


def test_champion_leaves_removes_champions(base, cfg, make):
    # no tie is handed over to a successor, so the leavers' cross-agency ties all go
    sc = cfg(base, {"staff.champions": 0.5}, {"churn.inherit_share": 0.0})
    m = make(with_events(sc, ChampionLeaves(action="champion_leaves", at=1, count=3)))
    s = m.staff
    before = np.flatnonzero(s.champion)
    assert before.size > 3
    apply_through(m, 1)
    after = np.flatnonzero(s.champion)
    assert after.size == before.size - 3
    left = np.setdiff1d(before, after)
    assert left.size == 3
    assert np.all(s.tenure[left] == 0.0)  # newcomers took their posts
    t = m.ties
    assert not (t.alive & t.cross & (np.isin(t.a, left) | np.isin(t.b, left))).any()


def test_more_champions_leaving_than_there_are(base, cfg, make):
    sc = cfg(base, {"staff.champions": 0.05})
    m = make(with_events(sc, ChampionLeaves(action="champion_leaves", at=1, count=1000)))
    count = int(m.staff.champion.sum())
    assert timeline.champions_leave(make(sc), 1000) == count
    apply_through(m, 1)
    assert not m.staff.champion.any()


def test_reorganise_returns_its_severity(base, cfg, make):
    sc = cfg(base, {"environment.churn_severity": 0.3})
    m = make(
        with_events(
            sc,
            Reorganise(action="reorganise", at=2),
            Reorganise(action="reorganise", at=4, severity=0.8),
        )
    )
    assert apply_through(m, 5) == [None, 0.3, None, 0.8, None]


def test_a_forced_reorganisation_happens_in_its_month(base, cfg, make):
    sc = cfg(
        base,
        {"environment.policy_churn": 0.0, "environment.staff_turnover": 0.0},
        {"churn.reform_months": 18.0},
        months=6,
    )
    m = make(with_events(sc, Reorganise(action="reorganise", at=3, severity=0.5)))
    for _ in range(6):
        m.step()
    reorg = m.recorder.data["reorganisation"]
    replaced = m.recorder.data["staff_replaced"]
    assert list(reorg) == [0, 0, 1, 0, 0, 0]
    assert replaced[2] > 0 and replaced.sum() == replaced[2]
    assert m.recorder.data["reforming"][2] == 1.0


def test_dissolve_ends_even_a_mandated_partnership(base, cfg, make):
    sc = cfg(base, {"partnership.mandated": True}, months=6)
    m = make(with_events(sc, Dissolve(action="dissolve", at=2)))
    m.step()
    assert m.board.alive
    m.step()
    assert not m.board.alive
    assert m.board.dissolved_month == 2
    assert m.recorder.data["board_alive"][1] == 0.0


def test_austerity_changed_mid_run_cuts_capacity_from_that_month(base, cfg):
    from sim.core.model import PartnershipModel
    from sim.scenario.interventions import SetLevers

    sc = cfg(base, {"environment.austerity": 0.0}, months=24)
    cut = SetLevers.model_validate(
        {"from": 6, "action": "set", "changes": {"environment.austerity": 0.2}}
    )
    m = PartnershipModel(sc.model_copy(update={"interventions": [cut]}), 0, with_agents=False)
    for _ in range(5):
        m.step()
    assert np.allclose(m.staff.capacity, 1.0)
    m.step()
    assert np.allclose(m.staff.capacity, 0.8)
