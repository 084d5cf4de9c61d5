"""Mechanism 7, vertical alignment and the register of commitments."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import alignment, lifecycle

DYN = {
    "alignment.base_alignment": 0.15,
    "alignment.align_months": 6.0,
    "alignment.delivery_rate": 0.35,
    "alignment.commitment_effort": 0.02,
    "alignment.commitment_months": 12.0,
    "leadership.alignment_link": 0.4,
    "alignment.info_link": 0.5,
    "board.commitment_horizon": 12,
}


def model(base, cfg, make, begin, levers=None, dynamics=None, partnership=True, joint=0.0):
    sc = cfg(
        base,
        {
            "partnership.information_sharing": 0.0,
            "partnership.leadership.style": "facilitative",
            **(levers or {}),
        },
        {**DYN, **(dynamics or {})},
    )
    m = make(sc, partnership=partnership)
    m.board.made = 0
    begin(m)
    m.record("joint_work_share", joint)
    return m


def test_practitioners_align_through_a_link_between_levels(base, cfg, make, begin):
    m = model(
        base,
        cfg,
        make,
        begin,
        {"partnership.information_sharing": 1.0},
        {"leadership.alignment_link": 1.0},
    )
    s = m.staff
    m.board.goal_clarity = 1.0
    m.board.leader_strength = 0.5  # link = min(1, 1.0 * 0.5 + 0.5 * 1.0) = 1
    s.role_clarity[:] = 1.0
    s.alignment[:] = 0.15
    alignment.step(m)
    assert np.allclose(s.alignment, 0.15 + (1.0 - 0.15) / 6.0)
    assert m.vertical_alignment == pytest.approx(s.alignment[s.frontline].mean())
    assert m.recorded("alignment_vertical") == m.vertical_alignment


def test_a_directive_chair_does_not_link_board_and_frontline(base, cfg, make, begin):
    m = model(
        base,
        cfg,
        make,
        begin,
        {"partnership.leadership.style": "directive"},
        {"leadership.alignment_link": 1.0},
    )
    s = m.staff
    m.board.goal_clarity = 1.0
    m.board.leader_strength = 1.0
    s.role_clarity[:] = 1.0
    s.alignment[:] = 0.15
    alignment.step(m)
    assert np.allclose(s.alignment[s.frontline], 0.15)  # no information sharing, no link
    assert np.all(s.alignment[~s.frontline] > 0.15)  # managers still follow clear goals


def test_without_a_link_practitioners_stay_isolated(base, cfg, make, begin):
    m = model(base, cfg, make, begin)
    s = m.staff
    m.board.goal_clarity = 0.8
    m.board.leader_strength = 0.0
    s.role_clarity[:] = 1.0
    s.alignment[:] = 0.15
    for _ in range(60):
        alignment.step(m)
    assert np.allclose(s.alignment[s.frontline], 0.15)
    # managers align with the board as far as its goals are clear
    assert np.allclose(s.alignment[~s.frontline], 0.8, atol=1e-3)


@pytest.mark.parametrize("info_link", [0.5, 0.2])
def test_frontline_alignment_scales_with_clarity_link_and_role_clarity(
    base, cfg, make, begin, info_link
):
    sharing = {"partnership.information_sharing": 0.6}
    m = model(base, cfg, make, begin, sharing, {"alignment.info_link": info_link})
    s = m.staff
    m.board.goal_clarity = 0.7
    m.board.leader_strength = 0.5
    s.role_clarity[:] = np.linspace(0, 1, s.n)
    s.alignment[:] = 0.15
    alignment.step(m)
    link = min(1.0, 0.4 * 0.5 + info_link * 0.6)
    target = 0.15 + 0.85 * 0.7 * link * s.role_clarity
    front = s.frontline
    assert np.allclose(s.alignment[front], 0.15 + (target[front] - 0.15) / 6.0)


def test_without_a_board_alignment_relaxes_to_its_base(base, cfg, make, begin):
    m = model(base, cfg, make, begin)
    lifecycle.dissolve(m)
    m.staff.alignment[:] = 0.9
    alignment.step(m)
    assert np.allclose(m.staff.alignment, 0.9 + (0.15 - 0.9) / 6.0)


def test_commitments_are_not_delivered_without_joint_work(base, cfg, make, begin):
    m = model(base, cfg, make, begin, joint=0.0)
    m.staff.alignment[:] = 1.0
    pending = np.arange(12, dtype=np.int64)
    m.board.pending = pending.copy()
    m.board.made = 3
    alignment.step(m)
    assert m.board.delivered == 0
    assert m.board.lapsed == 11  # the oldest commitments reach their horizon
    assert np.array_equal(m.board.pending, np.r_[3, pending[:-1]])
    assert m.recorded("commitments_open") == 3 + pending[:-1].sum()


def test_an_undelivered_commitment_lapses_after_its_horizon(base, cfg, make, begin):
    m = model(base, cfg, make, begin, joint=0.0, dynamics={"board.commitment_horizon": 5})
    m.board.pending = np.zeros(5, np.int64)
    m.board.made = 2
    alignment.step(m)
    m.board.made = 0
    lapsed_at = None
    for month in range(1, 10):
        alignment.step(m)
        if m.board.lapsed:
            lapsed_at = month
            assert m.board.lapsed == 2
            break
    assert lapsed_at == 5
    assert m.board.pending.sum() == 0


def test_aligned_practitioners_with_joint_work_deliver(base, cfg, make, begin):
    m = model(
        base,
        cfg,
        make,
        begin,
        {"partnership.information_sharing": 1.0},
        {"alignment.delivery_rate": 1.0, "leadership.alignment_link": 1.0},
        joint=1.0,
    )
    s = m.staff
    m.board.goal_clarity = 1.0
    m.board.leader_strength = 1.0
    s.role_clarity[:] = 1.0
    s.alignment[:] = 1.0
    m.board.pending = np.full(12, 2, np.int64)
    m.board.commitment_effort = np.zeros(m.n_issues)
    alignment.step(m)
    assert m.board.delivered == 24
    assert m.board.lapsed == 0
    assert m.recorded("commitments_delivered") == 24.0
    focus = m.agencies.focus.mean(axis=0)
    assert np.allclose(m.board.commitment_effort, 0.02 * 24 * focus)


def test_delivery_grows_with_alignment(base, cfg, make, begin):
    delivered = {}
    for level in (0.3, 0.9):
        m = model(
            base,
            cfg,
            make,
            begin,
            dynamics={"alignment.delivery_rate": 1.0, "alignment.align_months": 1e6},
            joint=1.0,
        )
        m.staff.alignment[:] = level
        total = 0
        for _ in range(200):
            m.board.pending = np.full(12, 5, np.int64)
            alignment.step(m)
            total += m.board.delivered
        delivered[level] = total / (200 * 60)
        assert delivered[level] == pytest.approx(level, abs=0.03)
    assert delivered[0.9] > delivered[0.3]


def test_delivered_commitments_keep_acting_then_fade(base, cfg, make, begin):
    m = model(base, cfg, make, begin)
    m.board.commitment_effort = np.full(m.n_issues, 0.1)
    alignment.step(m)
    assert np.allclose(m.board.commitment_effort, 0.1 * np.exp(-1.0 / 12.0))


def test_the_twin_has_no_register(base, cfg, make, begin):
    twin = model(base, cfg, make, begin, partnership=False)
    alignment.step(twin)
    assert twin.recorded("alignment_vertical") == 0.0
    assert twin.recorded("commitments_open") == 0.0
