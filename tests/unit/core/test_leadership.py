"""Mechanism 4, leadership: the chair's strength, vacancies, brokering and direction."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import board, leadership, lifecycle

DYN = {
    "leadership.ramp_months": 6.0,
    "leadership.broker_rate": 0.3,
    "leadership.newcomer_months": 12.0,
    "leadership.directive_commitments": 1.0,
    "board.commitments_per_month": 2.0,
    "trust.new_tie_trust": 0.25,
}


def chaired(base, cfg, make, style: str, strength: float = 1.0, **levers):
    sc = cfg(
        base,
        {
            "partnership.leadership.style": style,
            "partnership.leadership.strength": strength,
            **levers,
        },
        DYN,
    )
    return make(sc)


def with_newcomers(m, count: int = 40) -> np.ndarray:
    """Mark ``count`` practitioners as newcomers (everyone else is long in post)."""
    s = m.staff
    s.tenure[:] = 36.0
    newcomers = np.flatnonzero(s.frontline)[::3][:count]
    s.tenure[newcomers] = 0.0
    # every newcomer stays short of cross-agency ties whatever the chair does
    m.levers = m.levers.model_copy(
        update={"staff": m.levers.staff.model_copy(update={"ties_across": 50.0})}
    )
    return newcomers


def test_a_facilitative_chair_brokers_ties_for_newcomers(base, cfg, make, begin):
    m = chaired(base, cfg, make, "facilitative", 1.0)
    newcomers = with_newcomers(m)
    s, t = m.staff, m.ties
    front = np.flatnonzero(s.frontline)
    other = 1.0 - np.bincount(s.agency[front], minlength=m.n_agencies) / front.size
    expected_per_month = 0.3 * 1.0 * other[s.agency[newcomers]].sum()
    begin(m)
    months, brokered = 60, 0.0
    for _ in range(months):
        born = ~t.alive.copy()
        leadership.step(m)
        t = m.ties
        fresh = t.alive & np.r_[born, np.ones(t.a.size - born.size, bool)]
        assert m.recorded("ties_brokered") == fresh.sum()
        brokered += fresh.sum()
        is_new = np.isin(t.a[fresh], newcomers) | np.isin(t.b[fresh], newcomers)
        assert np.all(is_new)
        assert np.all(t.cross[fresh])
        assert np.all(s.agency[t.a[fresh]] != s.agency[t.b[fresh]])
        assert np.all(s.frontline[t.a[fresh]] & s.frontline[t.b[fresh]])
        assert np.allclose(t.trust[fresh], 0.25)
    mean = months * expected_per_month
    assert abs(brokered - mean) <= 5.0 * np.sqrt(mean)


@pytest.mark.parametrize("style", ["directive", "absent"])
def test_other_chairs_broker_no_ties(base, cfg, make, begin, style):
    m = chaired(base, cfg, make, style, 1.0)
    with_newcomers(m)
    begin(m)
    for _ in range(12):
        leadership.step(m)
        assert m.recorded("ties_brokered") == 0.0


def test_a_directive_chair_raises_commitments_made(base, cfg, make, begin):
    means = {}
    for style in ("directive", "facilitative"):
        m = chaired(base, cfg, make, style, 1.0, **{"partnership.formality": 1.0})
        m.agencies.commitment[:] = 0.5
        begin(m)
        leadership.step(m)
        assert m.board.leader_strength == 1.0
        made = []
        for _ in range(500):
            board.step(m)
            made.append(m.board.made)
        means[style] = float(np.mean(made))
    # formula: per month 2 * sqrt(formality) * attendance * (1 + 1.0 * direction)
    for style, rate in (("directive", 2.0 * 0.5 * 2.0), ("facilitative", 2.0 * 0.5)):
        assert abs(means[style] - rate) <= 5.0 * np.sqrt(rate / 500)
    assert means["directive"] > 1.5 * means["facilitative"]


def test_direction_and_facilitation_belong_to_their_styles(base, cfg, make, begin):
    for style in ("facilitative", "directive", "absent"):
        m = chaired(base, cfg, make, style, 0.7)
        begin(m)
        leadership.step(m)
        strength = m.board.leader_strength
        assert strength == pytest.approx(0.0 if style == "absent" else 0.7)
        assert leadership.facilitation(m) == (strength if style == "facilitative" else 0.0)
        assert leadership.direction(m) == (strength if style == "directive" else 0.0)
        assert m.recorded("leader_present") == float(style != "absent")


def test_a_vacancy_is_filled_and_the_new_chair_ramps_up(base, cfg, make, begin):
    m = chaired(base, cfg, make, "directive", 0.6)
    m.board.leader = -1
    m.board.vacancy_left = 2.0
    begin(m)
    leadership.step(m)
    assert m.board.leader == -1 and m.recorded("leader_present") == 0.0
    assert m.board.leader_strength == 0.0
    leadership.step(m)
    assert m.board.leader >= 0 and not m.staff.frontline[m.board.leader]
    assert m.recorded("leader_present") == 1.0
    assert m.board.leader_strength == 0.0  # appointed this month, not yet in role
    strengths = []
    for _ in range(8):
        leadership.step(m)
        strengths.append(m.board.leader_strength)
    assert strengths == pytest.approx([0.6 * min(1.0, k / 6.0) for k in range(1, 9)])


def test_without_a_ramp_a_new_chair_is_at_full_strength(base, cfg, make, begin):
    sc = cfg(
        base,
        {"partnership.leadership.strength": 0.8},
        {**DYN, "leadership.ramp_months": 0.0},
    )
    m = make(sc)
    m.board.leader = -1
    m.board.vacancy_left = 0.0
    begin(m)
    leadership.step(m)
    assert m.board.leader >= 0
    assert m.board.leader_strength == pytest.approx(0.8)


def test_the_chair_is_a_manager(base, make):
    for replicate in range(10):
        m = make(base, replicate=replicate)
        assert not m.staff.frontline[m.board.leader]


def test_no_board_no_chair(base, cfg, make, begin):
    m = chaired(base, cfg, make, "facilitative", 1.0)
    with_newcomers(m)
    lifecycle.dissolve(m)
    twin = make(m.levers, partnership=False)
    for x in (m, twin):
        begin(x)
        leadership.step(x)
        assert x.board.leader_strength == 0.0
        assert x.recorded("leader_present") == 0.0
        assert x.recorded("ties_brokered") == 0.0
        assert leadership.facilitation(x) == 0.0


def test_a_chair_is_drawn_evenly_among_the_strategic_posts():
    """Chi-square over many draws: every strategic post equally likely, no other post."""
    from scipy import stats

    from sim.core.draws import seed_state
    from sim.core.world import PARAMS, STATE

    p = np.zeros(1, PARAMS)
    p[0]["leadership_ramp_months"] = 6.0
    frontline = np.ones(40, bool)
    frontline[[3, 8, 20, 21, 33]] = False
    state = seed_state(np.random.SeedSequence(4))
    picks = []
    for i in range(5_000):
        s = np.zeros(1, STATE)
        leadership._appoint(frontline, state, p, s, i % 2 == 0)
        picks.append(s[0]["leader"])
        assert s[0]["leader_tenure"] == (6.0 if i % 2 == 0 else 0.0)
    counts = np.bincount(picks, minlength=40)
    assert set(np.flatnonzero(counts)) == {3, 8, 20, 21, 33}
    assert stats.chisquare(counts[~frontline]).pvalue > 1e-4


def test_appointing_in_a_running_model_draws_from_the_leadership_stream(base, make):
    m = make(base)
    stream = m.streams.state("leadership")
    others = {n: m.streams.state(n).copy() for n in ("churn", "ties", "frontline")}
    before = stream.copy()
    strategic = set(np.flatnonzero(~m.staff.frontline))
    for _ in range(20):
        leadership.appoint(m)
        assert m.board.leader in strategic
        assert m.board.leader_tenure == 0.0
    assert not np.array_equal(stream, before)
    for name, state in others.items():
        assert np.array_equal(m.streams.state(name), state), name
