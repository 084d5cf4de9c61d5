"""Mechanism 1, churn: reorganisations and turnover replace posts and reset structures."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import churn


def snapshot(m):
    t = m.ties
    return {
        "a": t.a.copy(),
        "b": t.b.copy(),
        "trust": t.trust.copy(),
        "alive": t.alive.copy(),
        "age": t.age.copy(),
        "cross": t.cross.copy(),
    }


OLD_RULE = {  # no ties taken over, no practitioner moved: every post hit changes hands
    "churn.inherit_share": 0.0,
    "churn.transfer_share": 0.0,
    "churn.newcomer_within_trust": 0.3,
}


def test_reorganisation_replaces_the_stated_share_and_drops_their_ties(base, cfg, make, begin):
    sc = cfg(base, {"environment.staff_turnover": 0.0, "staff.ties_within": 6.0}, OLD_RULE)
    m = make(sc)
    assert np.all(m.staff.tenure > 0)  # every holder has been in post a while at month 0
    before = snapshot(m)
    begin(m)
    churn.step(m, forced_severity=0.5)

    s, t = m.staff, m.ties
    gone = s.tenure == 0.0
    n = s.n
    tolerance = 4.0 * np.sqrt(n * 0.5 * 0.5)
    assert abs(gone.sum() - 0.5 * n) <= tolerance
    assert m.recorded("reorganisation") == 1.0
    assert m.recorded("staff_replaced") == gone.sum()

    # every old tie of a replaced post is gone; what touches a newcomer is a new colleague tie
    touching = t.alive & (gone[t.a] | gone[t.b])
    assert not (touching & t.cross).any(), "newcomers have no cross-agency ties"
    assert np.all(t.age[touching] == 0.0)
    assert np.all(s.agency[t.a[touching]] == s.agency[t.b[touching]])
    assert np.allclose(t.trust[touching], 0.3)
    old = before["alive"] & (gone[before["a"]] | gone[before["b"]])
    assert (old & before["cross"]).any() and (old & ~before["cross"]).any()
    reused = t.alive[: old.size] & old  # freed slots are reused for the new colleague ties
    assert np.all(t.age[: old.size][reused] == 0.0)
    assert not t.cross[: old.size][reused].any()
    # newcomers get about `ties_within` colleague ties each (self-draws are dropped)
    new_ties = int(touching.sum())
    assert 4.0 * gone.sum() <= new_ties <= 8.0 * gone.sum()

    # ties between posts that did not change hands are untouched
    size = before["alive"].size
    kept = before["alive"] & ~(gone[before["a"]] | gone[before["b"]])
    assert np.all(t.alive[:size][kept])
    assert np.array_equal(t.a[:size][kept], before["a"][kept])
    assert np.array_equal(t.trust[:size][kept], before["trust"][kept])


def test_newcomers_start_afresh(base, cfg, make, begin):
    sc = cfg(
        base,
        dynamics={
            "churn.newcomer_role_clarity": 0.2,
            "churn.transfer_share": 0.0,
            "frontline.goodwill_base": 0.5,
            "alignment.base_alignment": 0.15,
        },
    )
    m = make(sc)
    s = m.staff
    s.role_clarity[:] = 0.9
    s.goodwill[:] = 0.9
    s.alignment[:] = 0.9
    s.joint_share[:] = 0.3
    begin(m)
    churn.step(m, forced_severity=0.5)
    gone = s.tenure == 0.0
    assert gone.any()
    assert np.allclose(s.role_clarity[gone], 0.2)
    assert np.allclose(s.goodwill[gone], 0.5)
    assert np.allclose(s.alignment[gone], 0.15)
    assert np.all(s.joint_share[gone] == 0.0)
    assert np.allclose(s.role_clarity[~gone], 0.9)


def test_without_churn_or_turnover_nothing_changes(base, cfg, make, begin):
    sc = cfg(base, {"environment.policy_churn": 0.0, "environment.staff_turnover": 0.0})
    m = make(sc)
    tenure = m.staff.tenure.copy()
    alive = m.ties.alive.copy()
    priorities = m.agencies.priorities.copy()
    for _ in range(12):
        begin(m)
        churn.step(m)
        assert m.recorded("reorganisation") == 0.0
        assert m.recorded("staff_replaced") == 0.0
    assert np.array_equal(m.staff.tenure, tenure)
    assert np.array_equal(m.ties.alive, alive)
    assert np.array_equal(m.agencies.priorities, priorities)


def test_turnover_replaces_staff_at_the_stated_yearly_rate(base, cfg, make, begin):
    rate = 1.0
    sc = cfg(base, {"environment.policy_churn": 0.0, "environment.staff_turnover": rate})
    m = make(sc)
    months = 24
    replaced = 0.0
    for _ in range(months):
        begin(m)
        churn.step(m)
        assert m.recorded("reorganisation") == 0.0
        replaced += m.recorded("staff_replaced")
    trials = months * m.staff.n
    p = 1.0 - np.exp(-rate / 12.0)
    assert abs(replaced - trials * p) <= 4.0 * np.sqrt(trials * p * (1 - p))


def test_reorganisations_happen_at_the_stated_yearly_rate(base, cfg, make, begin):
    sc = cfg(base, {"environment.policy_churn": 6.0, "environment.churn_severity": 0.0})
    m = make(cfg(sc, months=240))
    count = 0.0
    for _ in range(240):
        begin(m)
        churn.step(m)
        count += m.recorded("reorganisation")
    p = 1.0 - np.exp(-6.0 / 12.0)
    assert abs(count - 240 * p) <= 4.0 * np.sqrt(240 * p * (1 - p))


def test_restructure_resets_structures_by_severity(base, cfg, make):
    sc = cfg(
        base,
        dynamics={
            "churn.reform_months": 18.0,
            "churn.full_reform_severity": 0.5,
            "churn.priority_reshuffle": 0.5,
        },
    )
    m = make(sc)
    b = m.board
    b.goal_clarity, b.learning, b.efficiency, b.reform_left = 0.8, 0.6, 1.4, 0.0
    old = m.agencies.priorities.copy()
    reshuffle = np.full_like(old, 1.0 / m.n_issues)
    churn.restructure(m, 0.4, reshuffle)
    assert b.goal_clarity == pytest.approx(0.8 * 0.6)
    assert b.learning == pytest.approx(0.6 * 0.6)
    assert b.efficiency == pytest.approx(1.0 + 0.4 * 0.6)
    assert b.reform_left == pytest.approx(18.0 * 0.8)
    mix = 0.4 * 0.5
    want = (1 - mix) * old + mix * reshuffle
    assert np.allclose(m.agencies.priorities, want / want.sum(axis=1, keepdims=True))
    assert np.allclose(m.agencies.priorities.sum(axis=1), 1.0)
    # a longer re-forming already under way is not shortened
    b.reform_left = 30.0
    churn.restructure(m, 0.1, reshuffle)
    assert b.reform_left == 30.0


def test_restructure_of_the_twin_touches_only_priorities(base, make):
    twin = make(base, partnership=False)
    clarity = twin.board.goal_clarity
    old = twin.agencies.priorities.copy()
    churn.restructure(twin, 1.0, np.full_like(old, 1.0 / twin.n_issues))
    assert twin.board.goal_clarity == clarity
    assert twin.board.reform_left == 0.0
    assert not np.allclose(twin.agencies.priorities, old)


def test_the_chair_leaving_with_the_post_leaves_a_vacancy(base, cfg, make):
    sc = cfg(base, dynamics={"churn.leader_vacancy_months": 4.0})
    m = make(sc)
    leader = m.board.leader
    assert leader >= 0
    gone = np.zeros(m.staff.n, bool)
    gone[leader] = True
    churn.replace_posts(m, gone, np.ones(m.staff.n))
    assert m.board.leader == -1
    assert m.board.vacancy_left == 4.0


def test_a_newcomer_is_a_champion_with_the_scenario_share(base, cfg, make):
    m = make(cfg(base, {"staff.champions": 1.0}))
    gone = np.ones(m.staff.n, bool)
    churn.replace_posts(m, gone, np.zeros(m.staff.n))
    assert np.array_equal(m.staff.champion, m.staff.frontline)
    churn.replace_posts(m, gone, np.ones(m.staff.n))
    assert not m.staff.champion.any()


def test_draws_are_made_whether_or_not_they_are_used(base, cfg, make, begin):
    quiet = make(cfg(base, {"environment.policy_churn": 0.0, "environment.staff_turnover": 0.0}))
    busy = make(cfg(base, {"environment.policy_churn": 12.0, "environment.staff_turnover": 1.0}))
    for _ in range(6):
        for m in (quiet, busy):
            begin(m)
            churn.step(m)
    for name in ("churn", "turnover", "reshuffle"):
        assert np.array_equal(quiet.streams.state(name), busy.streams.state(name))


def test_the_reshuffle_is_a_flat_dirichlet():
    """Rows on the simplex; each share of a flat Dirichlet over k is Beta(1, k - 1)."""
    from scipy import stats

    from sim.core.draws import seed_state

    state = seed_state(np.random.SeedSequence(3))
    for k in (2, 4, 9):
        g = churn.dirichlet_ones(state, 20_000, k)
        assert np.all(g >= 0) and np.allclose(g.sum(axis=1), 1.0)
        for j in range(k):
            assert stats.kstest(g[:, j], "beta", args=(1, k - 1)).pvalue > 1e-4


def test_restructured_priorities_equal_the_numpy_formula_to_the_last_bit(base, make):
    m = make(base)
    old = m.agencies.priorities.copy()
    reshuffle = np.random.default_rng(1).dirichlet(np.ones(m.n_issues), m.n_agencies)
    churn.restructure(m, 0.3, reshuffle)
    mix = 0.3 * m.dyn.churn.priority_reshuffle
    pr = (1.0 - mix) * old + mix * reshuffle
    assert np.array_equal(m.agencies.priorities, pr / pr.sum(axis=1, keepdims=True))
