"""Same scenario and replicate, same run; another replicate, another run."""

from __future__ import annotations

import numpy as np

from sim.core.model import PartnershipModel
from sim.core.run import simulate
from sim.scenario.interventions import LeaderLeaves, Reorganise, SetLevers


def same(x: np.ndarray, y: np.ndarray) -> bool:
    return np.array_equal(x, y, equal_nan=True)


def test_simulate_twice_gives_identical_series(small):
    one = simulate(small, 0).series
    two = simulate(small, 0).series
    assert one.keys() == two.keys()
    for key in one:
        assert one[key].shape == (small.months,), key
        assert same(one[key], two[key]), key


def test_another_replicate_gives_another_run(small):
    one = simulate(small, 0).series
    two = simulate(small, 1).series
    assert not same(one["outcome_index"], two["outcome_index"])
    assert not same(one["users"], two["users"])


def test_another_seed_gives_another_run(small):
    one = simulate(small, 0).series
    other = simulate(small.model_copy(update={"seed": small.seed + 1}), 0).series
    assert not same(one["outcome_index"], other["outcome_index"])


def test_interventions_are_deterministic(small):
    events = [
        Reorganise(action="reorganise", at=5, severity=0.6),
        LeaderLeaves(action="leader_leaves", at=10),
        SetLevers.model_validate(
            {"action": "set", "from": 12, "until": 20, "changes": {"partnership.formality": 0.9}}
        ),
    ]
    sc = small.model_copy(update={"interventions": events})
    one = simulate(sc, 1).series
    two = simulate(sc, 1).series
    for key in one:
        assert same(one[key], two[key]), key
    assert not same(one["staff_replaced"], simulate(small, 1).series["staff_replaced"])


def test_mesa_agent_views_do_not_change_the_run(small):
    with_views = PartnershipModel(small, 0, world="partnership", with_agents=True)
    bare = PartnershipModel(small, 0, world="partnership", with_agents=False)
    with_views.run()
    bare.run()
    assert with_views.month == bare.month == small.months
    for key, values in bare.recorder.data.items():
        assert same(with_views.recorder.data[key], values), key
    assert len(with_views.staff_agents) == bare.staff.n
    agent = with_views.staff_agents[3]
    assert agent.tenure == with_views.staff.tenure[3]


def test_a_shorter_run_is_the_start_of_a_longer_one(small):
    full = simulate(small, 0).series
    part = simulate(small, 0, months=12).series
    for key in ("outcome_index", "trust_across", "joint_work_share", "staff_replaced"):
        assert same(part[key], full[key][:12]), key


def test_stepping_past_the_horizon_changes_nothing(small):
    m = PartnershipModel(small.model_copy(update={"months": 6}), 0, with_agents=False)
    for _ in range(6):
        m.step()
    assert not m.running
    snapshot = {k: v.copy() for k, v in m.recorder.data.items()}
    m.step()
    assert m.month == 6
    for key, values in snapshot.items():
        assert same(m.recorder.data[key], values), key
