"""Mechanism 11, monitoring: meaningful monitoring teaches, target-chasing adds pressure."""

from __future__ import annotations

import itertools

import pytest

from sim.core import lifecycle, monitoring

DYN = {
    "learning.learning_rate": 0.05,
    "learning.max_efficiency_gain": 0.5,
    "learning.chase_pressure": 0.15,
    "learning.forget_rate": 0.02,
}


def monitored(
    base, cfg, make, begin, focus: float, quality: float = 0.8, partnership=True, dynamics=None
):
    sc = cfg(base, {"partnership.monitoring_focus": focus}, {**DYN, **(dynamics or {})})
    m = make(sc, partnership=partnership)
    m.board.monitoring = quality
    m.board.learning = 0.0
    m.board.efficiency = 1.0
    begin(m)
    return m


def test_meaningful_monitoring_teaches(base, cfg, make, begin):
    m = monitored(base, cfg, make, begin, focus=1.0)
    monitoring.step(m)
    rate = 0.05 * 0.8 * 1.0
    assert m.board.learning == pytest.approx(rate)
    assert m.board.efficiency == pytest.approx(1.0 + rate * 0.5)
    assert m.board.chase == 0.0
    for _ in range(400):
        monitoring.step(m)
    assert m.board.learning == pytest.approx(1.0, abs=1e-3)
    assert m.board.efficiency == pytest.approx(1.5, abs=1e-3)
    assert m.recorded("learning") == m.board.learning
    assert m.recorded("joint_efficiency") == m.board.efficiency


def test_target_chasing_teaches_nothing_and_adds_pressure(base, cfg, make, begin):
    m = monitored(base, cfg, make, begin, focus=0.0)
    for _ in range(24):
        monitoring.step(m)
    assert m.board.learning == 0.0
    assert m.board.efficiency == 1.0
    assert m.board.chase == pytest.approx(0.15 * 0.8)
    assert m.recorded("chase_pressure") == pytest.approx(0.15 * 0.8)


def test_learning_grows_with_the_meaningful_share(base, cfg, make, begin):
    learnt = []
    for focus in (0.0, 0.3, 0.7, 1.0):
        m = monitored(base, cfg, make, begin, focus=focus)
        for _ in range(12):
            monitoring.step(m)
        learnt.append(m.board.learning)
    assert all(a < b for a, b in itertools.pairwise(learnt))


def test_no_structure_no_learning(base, cfg, make, begin):
    m = monitored(base, cfg, make, begin, focus=1.0, quality=0.0)
    monitoring.step(m)
    assert m.board.learning == 0.0 and m.board.chase == 0.0


@pytest.mark.parametrize("where", ["twin", "dissolved"])
@pytest.mark.parametrize("rate", [0.02, 0.1])
def test_without_a_board_learnt_effectiveness_is_forgotten(base, cfg, make, begin, where, rate):
    forget = {"learning.forget_rate": rate}
    m = monitored(base, cfg, make, begin, 0.0, partnership=where != "twin", dynamics=forget)
    if where == "dissolved":
        lifecycle.dissolve(m)
    m.board.efficiency = 1.4
    m.board.chase = 0.3
    monitoring.step(m)
    assert m.board.efficiency == pytest.approx(1.4 + rate * (1.0 - 1.4))
    assert m.board.chase == 0.0
