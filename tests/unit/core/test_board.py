"""Mechanism 3, formality: what structure buys (clarity, monitoring) and what it costs."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.core import board, lifecycle

DYN = {
    "board.meeting_share": 0.4,
    "board.reporting_share": 0.25,
    "board.cost_exponent": 1.5,
    "board.clarity_rate": 4.0,
    "board.base_clarity": 0.2,
    "board.clarity_months": 6.0,
    "board.max_delay_months": 6.0,
    "board.commitments_per_month": 2.0,
    "leadership.clarity_bonus": 0.3,
    "leadership.directive_commitments": 1.0,
}
FORMALITY = (0.0, 0.25, 0.5, 0.75, 1.0)


def stepped(base, cfg, make, begin, formality: float, levers=None, partnership=True):
    sc = cfg(base, {"partnership.formality": formality, **(levers or {})}, DYN)
    m = make(sc, partnership=partnership)
    begin(m)
    board.step(m)
    return m


def strategic_overhead(m) -> float:
    s = m.staff
    return float(s.overhead[~s.frontline].sum() / s.capacity[~s.frontline].sum())


def test_formality_consumes_strategic_capacity(base, cfg, make, begin):
    shares = []
    for f in FORMALITY:
        m = stepped(base, cfg, make, begin, f)
        s = m.staff
        assert np.allclose(s.overhead[~s.frontline], 0.4 * f**1.5 * s.capacity[~s.frontline])
        assert np.all(s.overhead[s.frontline] == 0.0)
        shares.append(strategic_overhead(m))
    assert shares[0] == 0.0
    assert all(a < b for a, b in itertools.pairwise(shares))
    # the cost grows faster than linearly
    assert shares[4] - shares[2] > shares[2] - shares[0]


def test_process_overhead_share_of_a_full_month_grows_with_formality(base, cfg, make):
    shares = []
    for f in FORMALITY:
        sc = cfg(base, {"partnership.formality": f}, DYN)
        m = make(sc)
        m.step()
        s = m.staff
        share = m.recorder.data["process_overhead_share"][0]
        assert share == pytest.approx(s.overhead.sum() / s.capacity.sum())
        shares.append(share)
    assert shares[0] == 0.0
    assert all(a < b for a, b in itertools.pairwise(shares))


def test_structure_buys_monitoring_with_diminishing_returns(base, cfg, make, begin):
    quality = [stepped(base, cfg, make, begin, f).board.monitoring for f in FORMALITY]
    assert quality == pytest.approx([1.0 - np.exp(-4.0 * f) for f in FORMALITY])
    steps = np.diff(quality)
    assert np.all(steps > 0) and np.all(np.diff(steps) < 0)


def test_goal_clarity_moves_toward_what_structure_and_the_chair_give(base, cfg, make, begin):
    sc = cfg(base, {"partnership.formality": 0.5}, DYN)
    m = make(sc)
    m.board.goal_clarity = 0.2
    m.board.leader_strength = 0.5  # directive chair at half strength
    begin(m)
    board.step(m)
    benefit = 1.0 - np.exp(-4.0 * 0.5)
    wanted = min(1.0, 0.2 + 0.8 * benefit + 0.3 * 0.5)
    assert m.board.goal_clarity == pytest.approx(0.2 + (wanted - 0.2) / 6.0)
    assert m.recorded("goal_clarity") == m.board.goal_clarity


def test_re_forming_halves_clarity_and_adds_meetings(base, cfg, make, begin):
    sc = cfg(base, {"partnership.formality": 0.5}, DYN)
    calm, busy = make(sc), make(sc)
    busy.board.reform_left = 3.0
    for m in (calm, busy):
        m.board.goal_clarity = 0.0
        m.board.leader_strength = 0.0
        begin(m)
        board.step(m)
    assert busy.board.reform_left == 2.0
    assert busy.recorded("reforming") == 1.0 and calm.recorded("reforming") == 0.0
    assert busy.board.goal_clarity == pytest.approx(0.5 * calm.board.goal_clarity)
    s = busy.staff
    assert np.allclose(s.overhead[~s.frontline], 0.4 * (0.5**1.5 + 0.5) * s.capacity[~s.frontline])


def test_meeting_time_is_capped(base, cfg, make, begin):
    sc = cfg(base, {"partnership.formality": 1.0}, {**DYN, "board.meeting_share": 1.0})
    m = make(sc)
    m.board.reform_left = 5.0
    begin(m)
    board.step(m)
    s = m.staff
    assert np.allclose(s.overhead[~s.frontline], 0.9 * s.capacity[~s.frontline])


def test_formality_slows_decisions(base, cfg, make, begin):
    for f in FORMALITY:
        assert stepped(base, cfg, make, begin, f).decision_delay == pytest.approx(6.0 * f)
    assert stepped(base, cfg, make, begin, 1.0, partnership=False).decision_delay == 0.0


def test_role_clarity_comes_from_experience_and_structure(base, cfg, make, begin):
    for f in (0.0, 1.0):
        sc = cfg(base, {"partnership.formality": f}, DYN)
        m = make(sc)
        s = m.staff
        s.tenure[:] = np.linspace(0, 48, s.n)
        s.role_clarity[:] = 0.2
        begin(m)
        board.step(m)
        d = m.dyn.board
        experience = d.tenure_clarity * (1 - np.exp(-s.tenure / d.tenure_months))
        given = d.structure_clarity * (1 - np.exp(-4.0 * f))
        target = 1 - (1 - experience) * (1 - given)
        assert np.allclose(s.role_clarity, 0.2 + (target - 0.2) / 6.0)


def test_a_mandated_board_is_attended_regardless(base, cfg, make):
    for mandated in (False, True):
        m = make(cfg(base, {"partnership.mandated": mandated}, DYN))
        m.agencies.commitment[:] = 0.1
        expected = m.dyn.board.mandate_floor if mandated else 0.1
        assert board.attendance(m) == pytest.approx(expected)


def test_commitments_made_follow_formality_and_attendance(base, cfg, make, begin):
    rates = {}
    for f in (0.25, 1.0):
        sc = cfg(base, {"partnership.formality": f}, DYN)
        m = make(sc)
        m.agencies.commitment[:] = 0.6
        m.board.leader_strength = 0.0
        begin(m)
        made = []
        for _ in range(400):
            board.step(m)
            made.append(m.board.made)
        rate = 2.0 * np.sqrt(f) * 0.6
        assert abs(np.mean(made) - rate) <= 5.0 * np.sqrt(rate / 400)
        rates[f] = np.mean(made)
    assert rates[1.0] > rates[0.25]


def test_no_structure_no_board_no_formal_activity(base, cfg, make, begin):
    m = stepped(base, cfg, make, begin, 0.0)
    assert m.board.made == 0 and m.meeting_intensity == 0.0
    assert m.board.formal_activity == 0.0
    for where in ("twin", "dissolved"):
        sc = cfg(base, {"partnership.formality": 1.0}, DYN)
        x = make(sc, partnership=where != "twin")
        if where == "dissolved":
            lifecycle.dissolve(x)
        x.board.goal_clarity = 0.6
        begin(x)
        board.step(x)
        assert x.board.made == 0
        assert x.board.formal_activity == 0.0
        assert x.board.monitoring == 0.0
        assert np.all(x.staff.overhead == 0.0)
        assert x.board.goal_clarity == pytest.approx(0.6 * (1 - 1 / 6.0))


def test_formal_activity_is_an_index(base, cfg, make, begin):
    sc = cfg(base, {"partnership.formality": 1.0, "partnership.mandated": True}, DYN)
    m = make(sc)
    m.board.reform_left = 10.0
    m.board.leader_strength = 1.0
    begin(m)
    for _ in range(100):
        board.step(m)
        assert 0.0 <= m.board.formal_activity <= 1.0
