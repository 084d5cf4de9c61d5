"""Mechanism 5, trust: built slowly from joint work, lost quickly, fades when unused."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import trust

DYN = {
    "trust.gain": 0.1,
    "trust.loss": 0.25,
    "trust.fade": 0.1,
    "trust.drop_below": 0.05,
    "trust.board_episodes": 2.0,
    "trust.full_evidence_episodes": 2.0,
    "trust.colleague_use": 0.5,
    "trust.promise_gain": 0.0,
    "trust.promise_loss": 0.0,
    "board.commitments_per_month": 2.0,
}


def quiet(m) -> None:
    """No joint work and no board meetings this month."""
    m.episodes = np.zeros(m.ties.a.size, np.int64)
    m.successes = np.zeros(m.ties.a.size, np.int64)
    m.meeting_intensity = 0.0


def after_episodes(m, slot: int, start: float, episodes: int, wins: int, months: int) -> float:
    m.ties.trust[slot] = start
    for _ in range(months):
        quiet(m)
        m.episodes[slot] = episodes
        m.successes[slot] = wins
        trust.step(m)
    return float(m.ties.trust[slot])


@pytest.mark.parametrize(("gain", "loss"), [(0.1, 0.25), (0.05, 0.06), (0.3, 0.5)])
@pytest.mark.parametrize("months", [1, 3])
def test_trust_falls_faster_than_it_rises(base, cfg, make, tie, gain, loss, months):
    sc = cfg(base, dynamics={**DYN, "trust.gain": gain, "trust.loss": loss})
    up, down = make(sc), make(sc)
    i, j = tie(up), tie(down)
    risen = after_episodes(up, i, 0.5, episodes=4, wins=4, months=months) - 0.5
    fallen = 0.5 - after_episodes(down, j, 0.5, episodes=4, wins=0, months=months)
    assert fallen > risen > 0.0


def test_one_month_of_success_or_failure_moves_trust_by_the_stated_fractions(base, cfg, make, tie):
    sc = cfg(base, dynamics=DYN)
    m = make(sc)
    i = tie(m)
    assert after_episodes(m, i, 0.4, 2, 2, 1) == pytest.approx(0.4 + 0.1 * 0.6)
    assert after_episodes(m, i, 0.4, 2, 0, 1) == pytest.approx(0.4 - 0.25 * 0.4)
    # a month with mixed results moves trust by the weighted balance of both
    assert after_episodes(m, i, 0.4, 4, 1, 1) == pytest.approx(
        0.4 + 0.1 * 0.25 * 0.6 - 0.25 * 0.75 * 0.4
    )


def test_a_single_episode_counts_for_half_a_month_of_evidence(base, cfg, make, tie):
    sc = cfg(base, dynamics=DYN)
    m = make(sc)
    i = tie(m)
    one = after_episodes(m, i, 0.5, 1, 0, 1) - 0.5
    two = after_episodes(m, i, 0.5, 2, 0, 1) - 0.5
    assert one == pytest.approx(0.5 * two)


def test_unused_cross_agency_ties_fade(base, cfg, make, tie):
    m = make(cfg(base, dynamics=DYN))
    i = tie(m)
    m.ties.trust[i] = 0.5
    quiet(m)
    trust.step(m)
    assert m.ties.trust[i] == pytest.approx(0.5 * (1 - 0.1))
    trust.step(m)
    assert m.ties.trust[i] == pytest.approx(0.5 * (1 - 0.1) ** 2)


def test_used_ties_do_not_fade(base, cfg, make, tie):
    sc = cfg(base, dynamics={**DYN, "trust.gain": 0.2, "trust.loss": 0.2})
    m = make(sc)
    i = tie(m)
    # half the episodes succeed: at trust 0.5 gain and loss balance, and the tie is used
    assert after_episodes(m, i, 0.5, 4, 2, 3) == pytest.approx(0.5)


def test_colleague_ties_are_used_every_month(base, cfg, make):
    m = make(cfg(base, dynamics=DYN))
    t = m.ties
    within = np.flatnonzero(t.alive & ~t.cross)
    t.trust[within] = 0.5
    quiet(m)
    trust.step(m)
    assert np.allclose(t.trust[within], 0.5 + m.dyn.trust.colleague_use * 0.1 * 0.5)
    assert np.all(t.alive[within])


def test_ties_below_the_threshold_are_forgotten(base, cfg, make):
    m = make(cfg(base, dynamics=DYN))
    t, s = m.ties, m.staff
    cross = np.flatnonzero(t.alive & t.cross & s.frontline[t.a] & s.frontline[t.b])
    weak, kept = cross[0], cross[1]
    t.trust[weak] = 0.054  # fades to 0.0486, below 0.05
    t.trust[kept] = 0.06  # fades to 0.054, still above
    quiet(m)
    trust.step(m)
    assert not t.alive[weak]
    assert t.alive[kept]
    live = t.alive & t.cross
    assert m.recorded("trust_across") == pytest.approx(t.trust[live].mean())
    assert m.recorded("ties_across_per_staff") == pytest.approx(2 * live.sum() / s.n)


def test_an_untouched_network_forgets_its_cross_agency_ties(base, cfg, make):
    m = make(cfg(base, dynamics=DYN))
    cross_before = int((m.ties.alive & m.ties.cross).sum())
    within_before = int((m.ties.alive & ~m.ties.cross).sum())
    for _ in range(60):
        quiet(m)
        trust.step(m)
    assert cross_before > 0
    assert int((m.ties.alive & m.ties.cross).sum()) == 0
    assert int((m.ties.alive & ~m.ties.cross).sum()) == within_before
    assert m.recorded("trust_across") == 0.0
    assert m.recorded("trust_across_capital") == 0.0


def test_board_meetings_are_joint_work_between_managers(base, cfg, make):
    m = make(cfg(base, {"partnership.formality": 1.0}))
    t, s = m.ties, m.staff
    strategic = np.flatnonzero(~s.frontline)
    pairs = [(x, y) for x in strategic for y in strategic if x < y and s.agency[x] != s.agency[y]]
    a = np.array([p[0] for p in pairs[:40]])
    b = np.array([p[1] for p in pairs[:40]])
    t.add(a, b, 0.5, np.ones(a.size, bool))
    managers = t.alive & t.cross & ~s.frontline[t.a] & ~s.frontline[t.b]
    practitioners = t.alive & t.cross & s.frontline[t.a] & s.frontline[t.b]
    for intensity in (1.0, 0.5):
        quiet(m)
        m.meeting_intensity = intensity
        trust._board_contacts(m)
        k = m.episodes[managers]
        mean = m.dyn.trust.board_episodes * intensity
        assert abs(k.mean() - mean) <= 5.0 * np.sqrt(mean / k.size)
        assert np.all(m.successes[managers] <= k)
        assert m.episodes[practitioners].sum() == 0
    quiet(m)
    trust._board_contacts(m)  # no meetings held
    assert m.episodes.sum() == 0
    m.board.alive = False
    m.meeting_intensity = 1.0
    trust._board_contacts(m)  # no board
    assert m.episodes.sum() == 0


def test_managers_make_ties_to_other_agencies_at_board_meetings(base, cfg, make):
    rate = 0.5
    m = make(cfg(base, {"partnership.formality": 1.0}, {"board.meeting_tie_rate": rate}))
    t, s = m.ties, m.staff
    t.alive[:] = False
    for intensity in (1.0, 0.0):
        quiet(m)
        m.meeting_intensity = intensity
        made = trust._meeting_ties(m)
        live = t.alive
        assert made == int(live.sum())
        expected = rate * intensity * (~s.frontline).sum() * (1 - 1 / m.n_agencies)
        assert abs(made - expected) <= 5 * np.sqrt(expected) + 1e-9
        assert np.all(t.cross[live] & ~s.frontline[t.a[live]] & ~s.frontline[t.b[live]])
        t.alive[:] = False
    m.board.alive = False
    m.meeting_intensity = 1.0
    assert trust._meeting_ties(m) == 0  # no board, no meetings


def test_every_tie_ages_a_month(base, make):
    m = make(base)
    age = m.ties.age.copy()
    quiet(m)
    trust.step(m)
    assert np.allclose(m.ties.age, age + 1.0)


def test_the_twin_keeps_no_trust_network(base, make):
    twin = make(base, partnership=False)
    assert not twin.ties.alive.any()
    quiet(twin)
    trust.step(twin)
    assert twin.recorded("trust_across") == 0.0
    assert twin.recorded("trust_within") == 0.0


# -- promises kept and broken at the board ---------------------------------------------
PROMISES = {**DYN, "trust.promise_gain": 0.05, "trust.promise_loss": 0.2}


def after_promises(m, delivered: int, lapsed: int) -> tuple[np.ndarray, np.ndarray]:
    """Trust on strategic and on frontline cross ties after one quiet month in which the
    board had ``delivered`` and ``lapsed`` commitments the month before."""
    t, s = m.ties, m.staff
    managers = np.flatnonzero(t.alive & t.cross & ~s.frontline[t.a] & ~s.frontline[t.b])
    front = np.flatnonzero(t.alive & t.cross & s.frontline[t.a] & s.frontline[t.b])
    assert managers.size and front.size
    t.trust[managers] = 0.4
    t.trust[front] = 0.4
    m.board.delivered, m.board.lapsed = delivered, lapsed
    quiet(m)
    trust.step(m)
    return t.trust[managers], t.trust[front]


def test_broken_promises_lower_trust_on_strategic_ties_by_the_stated_fraction(base, cfg, make):
    m = make(cfg(base, dynamics=PROMISES))
    managers, front = after_promises(m, delivered=0, lapsed=2)  # a full month of lapses
    assert np.allclose(managers, 0.4 * (1 - 0.2) * (1 - 0.1))  # then the quiet month's fade
    assert np.allclose(front, 0.4 * (1 - 0.1))  # practitioners do not sit on the board
    m = make(cfg(base, dynamics=PROMISES))
    half, _ = after_promises(m, delivered=0, lapsed=1)
    assert np.allclose(half, 0.4 * (1 - 0.1 * 1) * (1 - 0.1))  # half the lapses, half the loss


def test_kept_promises_raise_trust_on_strategic_ties(base, cfg, make):
    m = make(cfg(base, dynamics=PROMISES))
    managers, front = after_promises(m, delivered=2, lapsed=0)
    assert np.allclose(managers, (0.4 + 0.05 * 0.6) * (1 - 0.1))
    assert np.allclose(front, 0.4 * (1 - 0.1))


def test_a_broken_promise_costs_more_trust_than_a_kept_one_earns(base, cfg, make):
    m = make(cfg(base, dynamics={**PROMISES, "trust.fade": 0.0}))
    managers, _ = after_promises(m, delivered=1, lapsed=1)
    assert np.all(managers < 0.4)


def test_with_both_promise_parameters_at_zero_promises_leave_trust_alone(base, cfg, make):
    m = make(cfg(base, dynamics=DYN))
    none = after_promises(m, delivered=0, lapsed=0)
    m = make(cfg(base, dynamics=DYN))
    some = after_promises(m, delivered=2, lapsed=3)
    assert np.array_equal(none[0], some[0]) and np.array_equal(none[1], some[1])


def test_without_a_board_promises_move_no_trust(base, cfg, make):
    m = make(cfg(base, dynamics=PROMISES))
    m.board.alive = False
    managers, _ = after_promises(m, delivered=0, lapsed=2)
    assert np.allclose(managers, 0.4 * (1 - 0.1))
