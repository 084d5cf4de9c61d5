"""Mechanism 12, lifecycle: commitment to the partnership, and dissolution."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import lifecycle

DYN = {
    "lifecycle.commitment_months": 6.0,
    "lifecycle.power_cost": 0.5,
    "lifecycle.dissolve_below": 0.3,
    "lifecycle.patience_months": 12,
    "leadership.power_evening": 0.5,
    "board.commitments_per_month": 2.0,
    "frontline.max_joint_share": 0.5,
    "lifecycle.joint_value_output": 0.05,
    "lifecycle.pressure_disengagement": 0.0,
    "lifecycle.neutral_commitment": 0.45,
    "lifecycle.value_relationships": 0.5,
    "lifecycle.value_delivery": 0.3,
    "lifecycle.value_joint": 0.2,
    "lifecycle.lapse_cost": 0.0,
    "lifecycle.initial_enthusiasm": 0.0,
    "lifecycle.fatigue_per_lapse": 0.0,
}


def partnership(base, cfg, make, mandated: bool, **levers):
    sc = cfg(base, {"partnership.mandated": mandated, **levers}, DYN, months=120)
    return make(sc)


def live_month(m, begin, commitment: float) -> None:
    """One month in which the members' commitment is forced to ``commitment``."""
    begin(m)
    m.agencies.commitment[:] = commitment
    lifecycle.step(m)


def test_a_mandated_partnership_never_dissolves(base, cfg, make, begin):
    m = partnership(base, cfg, make, mandated=True)
    for _ in range(100):
        live_month(m, begin, 0.0)
        assert m.recorded("commitment") < 0.3
        assert m.board.alive
        assert m.recorded("board_alive") == 1.0
    assert m.board.low_commitment_months == 100


def test_a_committed_voluntary_partnership_does_not_dissolve(base, cfg, make, begin):
    m = partnership(base, cfg, make, mandated=False)
    for _ in range(110):
        live_month(m, begin, 1.0)
        assert m.board.low_commitment_months == 0
    assert m.board.alive


def test_a_disengaged_board_lasts_patience_months_on_average_with_no_set_date(
    base, cfg, make, begin
):
    """Dissolution is a monthly hazard of 1/patience while commitment is low: the wait is
    geometric (mean 12 months here), so disengaged boards do not all go in the same month."""
    m = partnership(base, cfg, make, mandated=False)
    waits = []
    for _ in range(400):
        m.board.alive, m.board.low_commitment_months = True, 0
        m.month = 0  # each wait reuses the 120 recorded months
        while m.board.alive and m.month < 100:
            live_month(m, begin, 0.0)
        assert m.board.dissolved_month == m.month
        waits.append(m.month)
    waits = np.array(waits)
    assert waits.mean() == pytest.approx(12.0, abs=1.5)  # 400 geometric waits: sd of mean 0.6
    assert waits.min() <= 2 and waits.max() >= 30
    assert m.recorded("board_alive") == 0.0


def test_no_board_dissolves_during_the_spin_up(base, cfg, make, begin):
    m = partnership(base, cfg, make, mandated=False)
    m.warming = True
    for _ in range(120):
        live_month(m, begin, 0.0)
        assert m.board.alive
    assert m.board.low_commitment_months == 120


def test_a_task_bound_partnership_dissolves_when_its_task_is_done(base, cfg, make, begin):
    levers = {"partnership.task_bound": True, "partnership.task_goal": 15.0}
    m = partnership(base, cfg, make, mandated=True, **levers)
    for index in (5.0, 10.0, 14.9):
        begin(m)
        m.record("outcome_index", index)
        lifecycle.step(m)
        assert m.board.alive
    begin(m)
    m.record("outcome_index", 15.0)
    lifecycle.step(m)
    assert not m.board.alive


def test_dissolution_ends_meetings_commitments_and_the_chair(base, cfg, make, begin):
    m = partnership(base, cfg, make, mandated=False)
    m.board.pending[:] = 3
    begin(m)
    lifecycle.dissolve(m)
    assert not m.board_active
    assert m.board.leader == -1
    assert m.board.pending.sum() == 0
    assert m.board.dissolved_month == m.month
    lifecycle.step(m)
    assert m.recorded("commitment") == 0.0 and m.recorded("board_alive") == 0.0


def bare(m) -> None:
    """No relationships, deliveries, joint work or meetings: only the cost of pooling power."""
    m.ties.alive[:] = False
    m.board.delivered = 0
    m.staff.joint_output[:] = 0.0
    m.staff.overhead[:] = 0.0


def test_pooling_power_costs_the_powerful_most(base, cfg, make, begin):
    levers = {"partnership.formality": 0.6, "partnership.shared_targets": 0.4}
    m = partnership(base, cfg, make, mandated=False, **levers)
    m.board.leader_strength = 0.0
    bare(m)
    m.agencies.commitment[:] = 0.5
    begin(m)
    lifecycle.step(m)
    power = m.agencies.power
    wanted = np.clip(0.45 - 0.5 * power * 0.6, 0.0, 1.0)  # formality 0.6 is ceded
    assert np.allclose(m.agencies.commitment, 0.5 + (wanted - 0.5) / 6.0)
    order = np.argsort(power)
    assert np.all(np.diff(m.agencies.commitment[order]) <= 0.0)


@pytest.mark.parametrize("shared", [0.0, 0.5, 1.0])
def test_own_targets_at_risk_pull_members_away_unless_targets_are_shared(
    base, cfg, make, begin, shared
):
    levers = {"partnership.formality": 0.0, "partnership.shared_targets": shared}
    dyn = {**DYN, "lifecycle.pressure_disengagement": 0.4}
    m = make(cfg(base, {"partnership.mandated": False, **levers}, dyn, months=120))
    bare(m)
    m.agencies.pressure[:] = np.linspace(0.0, 1.0, m.n_agencies)
    m.agencies.commitment[:] = 0.5
    begin(m)
    lifecycle.step(m)
    wanted = 0.45 - 0.4 * m.agencies.pressure * (1 - shared)
    assert np.allclose(m.agencies.commitment, 0.5 + (wanted - 0.5) / 6.0)


def test_a_facilitative_chair_evens_out_power(base, cfg, make, begin):
    committed = {}
    for style in ("directive", "facilitative"):
        levers = {"partnership.leadership.style": style, "partnership.formality": 1.0}
        m = partnership(base, cfg, make, mandated=False, **levers)
        m.board.leader_strength = 1.0
        bare(m)
        m.agencies.commitment[:] = 0.5
        begin(m)
        lifecycle.step(m)
        committed[style] = m.agencies.commitment.copy()
    assert np.all(committed["facilitative"] > committed["directive"])


def test_relationships_deliveries_and_joint_work_build_commitment(base, cfg, make, begin):
    means = []
    for good in (False, True):
        m = partnership(base, cfg, make, mandated=False)
        t, s = m.ties, m.staff
        t.trust[t.cross] = 0.9 if good else 0.1
        m.board.delivered = 2 if good else 0
        s.joint_output[:] = np.where(s.frontline, 0.5 if good else 0.0, 0.0)
        s.overhead[:] = 0.0
        m.agencies.commitment[:] = 0.5
        begin(m)
        lifecycle.step(m)
        means.append(m.recorded("commitment"))
    assert means[1] > means[0]


def test_commitment_stays_within_bounds(base, cfg, make, begin):
    m = partnership(base, cfg, make, mandated=True)
    for good in (True, False):
        m.ties.trust[m.ties.cross] = 1.0 if good else 0.0
        for _ in range(60):
            m.board.delivered = 10 if good else 0
            m.staff.overhead[:] = 0.0 if good else 0.9
            lifecycle.step(m)
            assert np.all((m.agencies.commitment >= 0.0) & (m.agencies.commitment <= 1.0))
    assert m.board.alive


# -- broken promises and partnership fatigue -------------------------------------------


def promised(base, cfg, make, begin, lapsed: int, months: int = 1, **dynamics) -> object:
    """A bare voluntary partnership after ``months`` months with ``lapsed`` lapses each."""
    sc = cfg(base, {"partnership.mandated": False}, {**DYN, **dynamics}, months=120)
    m = make(sc)
    m.board.leader_strength = 0.0
    bare(m)
    m.agencies.commitment[:] = 0.5
    for _ in range(months):
        begin(m)
        m.board.lapsed = lapsed
        lifecycle.step(m)
    return m


def test_broken_promises_cost_every_member_commitment(base, cfg, make, begin):
    kept = promised(base, cfg, make, begin, lapsed=0, **{"lifecycle.lapse_cost": 0.2})
    broken = promised(base, cfg, make, begin, lapsed=2, **{"lifecycle.lapse_cost": 0.2})
    half = promised(base, cfg, make, begin, lapsed=1, **{"lifecycle.lapse_cost": 0.2})
    one = kept.agencies.commitment
    # commitment moves a sixth of the way toward what it wants; no clipping at these levels
    assert np.allclose(broken.agencies.commitment, one - 0.2 / 6.0)
    assert np.allclose(half.agencies.commitment, one - 0.1 / 6.0)


def test_enthusiasm_adds_to_commitment_and_lapses_drain_it_for_good(base, cfg, make, begin):
    dyn = {"lifecycle.initial_enthusiasm": 0.1, "lifecycle.fatigue_per_lapse": 0.1}
    flat = promised(base, cfg, make, begin, lapsed=0)
    keen = promised(base, cfg, make, begin, lapsed=0, **dyn)
    assert np.allclose(keen.agencies.commitment, flat.agencies.commitment + 0.1 / 6.0)
    assert keen.enthusiasm == pytest.approx(0.1)  # no lapse, no fatigue
    tired = promised(base, cfg, make, begin, lapsed=3, months=4, **dyn)
    assert tired.enthusiasm == pytest.approx(0.1 * 0.9**12)
    # months of kept promises do not bring it back
    for _ in range(12):
        begin(tired)
        tired.board.lapsed = 0
        tired.board.delivered = 2
        lifecycle.step(tired)
    assert tired.enthusiasm == pytest.approx(0.1 * 0.9**12)


def test_the_spin_up_does_not_drain_enthusiasm(base, cfg, make, begin):
    dyn = {"lifecycle.initial_enthusiasm": 0.1, "lifecycle.fatigue_per_lapse": 0.1}
    sc = cfg(base, {"partnership.mandated": True}, {**DYN, **dyn}, months=120)
    m = make(sc)
    m.warming = True
    for _ in range(5):
        begin(m)
        m.board.lapsed = 3
        lifecycle.step(m)
    assert m.enthusiasm == pytest.approx(0.1)


def test_promise_and_fatigue_parameters_at_zero_leave_commitment_alone(base, cfg, make, begin):
    calm = promised(base, cfg, make, begin, lapsed=0, months=6)
    broken = promised(base, cfg, make, begin, lapsed=4, months=6)
    assert np.array_equal(calm.agencies.commitment, broken.agencies.commitment)
    assert calm.enthusiasm == broken.enthusiasm == 0.0
