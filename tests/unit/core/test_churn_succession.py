"""Churn's succession rules: newcomers take over part of their predecessors' ties,
a reorganisation moves practitioners rather than replacing them, and a facilitative chair
in post buffers the board's losses."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import churn, leadership
from sim.core.draws import seed_state
from sim.core.network import empty_ties

NO_TURNOVER = {"environment.staff_turnover": 0.0, "staff.ties_within": 6.0}


def snapshot(t):
    return {k: getattr(t, k).copy() for k in ("a", "b", "trust", "alive", "cross", "age")}


def half_the_posts(m) -> np.ndarray:
    gone = np.zeros(m.staff.n, bool)
    gone[::2] = True
    return gone


def test_inherit_share_zero_drops_every_tie_of_the_post_as_before(base, cfg, make):
    m = make(cfg(base, NO_TURNOVER, {"churn.inherit_share": 0.0}))
    old = m.ties
    gone = half_the_posts(m)
    expected = old.alive & ~(gone[old.a] | gone[old.b])
    before = m.streams.state("succession").copy()
    churn.inherit_ties(old, gone, 0.0, 0.5, m.streams.state("succession"))
    assert np.array_equal(old.alive, expected)
    assert np.array_equal(m.streams.state("succession"), before)  # nothing drawn


def test_inherit_share_zero_reproduces_the_old_replacement_exactly(base, cfg, make):
    """With no inheritance, replacing posts equals dropping their ties and adding fresh
    colleague ties from the ``newcomers`` stream, as the model did before the rule."""
    sc = cfg(base, NO_TURNOVER, {"churn.inherit_share": 0.0, "churn.newcomer_within_trust": 0.3})
    m, ref = make(sc), make(sc)
    gone = half_the_posts(m)
    churn.replace_posts(m, gone, np.ones(m.staff.n))
    ref.ties.drop_touching(gone)
    from sim.core.network import add_within_ties_k

    add_within_ties_k(ref.w, np.flatnonzero(gone), 6.0, 0.3, ref.streams.state("newcomers"))
    ref.ties.pull()
    for key, value in snapshot(ref.ties).items():
        assert np.array_equal(getattr(m.ties, key), value), key


def test_full_inheritance_at_full_trust_leaves_the_network_unchanged(base, cfg, make):
    sc = cfg(base, NO_TURNOVER, {"churn.inherit_share": 1.0, "churn.inherit_trust": 1.0})
    m = make(sc)
    before = snapshot(m.ties)
    gone = half_the_posts(m)
    churn.replace_posts(m, gone, np.ones(m.staff.n))
    t = m.ties
    assert t.a.size == before["a"].size  # no fresh colleague ties were added
    for key in ("a", "b", "trust", "alive", "cross"):
        assert np.array_equal(getattr(t, key), before[key]), key
    touched = before["alive"] & (gone[before["a"]] | gone[before["b"]])
    assert touched.any()
    assert np.all(t.age[touched] == 0.0)  # new people: the relationship starts again
    assert np.array_equal(t.age[~touched], before["age"][~touched])


def test_an_inherited_tie_carries_the_predecessors_trust_times_the_discount():
    # 3 posts; ties 0-1, 0-2, 1-2; posts 0 and 1 change hands
    ties = empty_ties(8)
    ties.add(np.array([0, 0, 1]), np.array([1, 2, 2]), np.array([0.8, 0.6, 0.4]), np.ones(3, bool))
    ties.age[:3] = 30.0
    gone = np.array([True, True, False])
    churn.inherit_ties(ties, gone, 1.0, 0.5, seed_state(np.random.SeedSequence(0)))
    assert ties.trust[:3] == pytest.approx([0.8 * 0.25, 0.6 * 0.5, 0.4 * 0.5])
    assert np.all(ties.age[:3] == 0.0)


def test_the_share_of_ties_inherited_is_the_stated_chance_per_new_end():
    n_ties = 20000
    ties = empty_ties(2 * n_ties + 8)
    # ties 0..n-1 have one end gone (post 0), ties n..2n-1 both ends gone (posts 1, 2)
    a = np.r_[np.zeros(n_ties, np.int32), np.ones(n_ties, np.int32)]
    b = np.r_[np.full(n_ties, 3, np.int32), np.full(n_ties, 2, np.int32)]
    ties.add(a, b, 0.5, np.ones(2 * n_ties, bool))
    gone = np.array([True, True, True, False])
    churn.inherit_ties(ties, gone, 0.4, 1.0, seed_state(np.random.SeedSequence(3)))
    one, two = ties.alive[:n_ties].mean(), ties.alive[n_ties : 2 * n_ties].mean()
    assert one == pytest.approx(0.4, abs=4 * np.sqrt(0.4 * 0.6 / n_ties))
    assert two == pytest.approx(0.16, abs=4 * np.sqrt(0.16 * 0.84 / n_ties))


def test_newcomers_make_fresh_colleague_ties_only_for_the_share_not_inherited(base, cfg, make):
    counts = {}
    for share in (0.0, 0.75):
        dyn = {
            "churn.inherit_share": share,
            "churn.inherit_trust": 0.9,  # inherited colleague ties: 0.54, fresh ones: 0.3
            "churn.newcomer_within_trust": 0.3,
            "network.within_trust": 0.6,
        }
        m = make(cfg(base, NO_TURNOVER, dyn))
        gone = half_the_posts(m)
        churn.replace_posts(m, gone, np.ones(m.staff.n))
        t = m.ties
        fresh = t.alive & ~t.cross & (gone[t.a] | gone[t.b]) & np.isclose(t.trust, 0.3)
        counts[share] = int(fresh.sum())
    assert counts[0.0] > 100
    assert counts[0.75] / counts[0.0] == pytest.approx(0.25, abs=0.06)


def moved_world(base, cfg, make, share: float, severity: float = 0.5):
    sc = cfg(base, NO_TURNOVER, {"churn.transfer_share": share, "churn.inherit_share": 0.0})
    m = make(sc)
    s = m.staff
    s.role_clarity[:] = 0.9
    s.goodwill[:] = 0.8
    s.alignment[:] = 0.7
    s.joint_share[:] = 0.3
    return m


def test_a_full_transfer_moves_every_practitioner_hit_and_keeps_their_ties(base, cfg, make, begin):
    m = moved_world(base, cfg, make, 1.0)
    s = m.staff
    before = snapshot(m.ties)
    begin(m)
    churn.step(m, forced_severity=0.5)
    new_post = s.tenure == 0.0
    replaced = new_post & (s.goodwill != 0.8)
    moved = new_post & ~replaced
    assert moved.any() and replaced.any()
    assert np.all(s.frontline[moved]) and not s.frontline[replaced].any()
    assert m.recorded("staff_replaced") == replaced.sum()
    # moved practitioners keep ties, goodwill and joint work, and relearn their role
    size = before["alive"].size
    theirs = before["alive"] & (moved[before["a"]] | moved[before["b"]])
    theirs &= ~(replaced[before["a"]] | replaced[before["b"]])
    assert theirs.any()
    assert np.all(m.ties.alive[:size][theirs])
    assert np.array_equal(m.ties.trust[:size][theirs], before["trust"][theirs])
    assert np.allclose(s.goodwill[moved], 0.8) and np.allclose(s.joint_share[moved], 0.3)
    assert np.allclose(s.role_clarity[moved], m.dyn.churn.newcomer_role_clarity)
    assert np.allclose(s.alignment[moved], m.dyn.alignment.base_alignment)


def test_the_transfer_share_splits_the_frontline_posts_hit():
    rng = np.random.default_rng(5)
    draw = rng.random(100_000)
    frontline = rng.random(draw.size) < 0.8
    hit0, moved0 = churn.reorganisation_hits(draw, frontline, 0.3, 0.0)
    assert not moved0.any()
    hit, moved = churn.reorganisation_hits(draw, frontline, 0.3, 0.6)
    assert np.array_equal(hit, hit0)  # the same posts are hit whatever the transfer share
    assert not moved[~frontline].any() and not moved[~hit].any()
    n = int((hit & frontline).sum())
    assert moved.sum() / n == pytest.approx(0.6, abs=4 * np.sqrt(0.24 / n))


def test_the_transfer_share_uses_no_random_number_of_its_own(base, cfg, make, begin):
    none, full = (moved_world(base, cfg, make, share) for share in (0.0, 1.0))
    for m in (none, full):
        begin(m)
        churn.step(m, forced_severity=0.5)
    # (the newcomers' own draws differ: there are fewer newcomers when more are moved)
    for name in ("churn", "turnover", "reshuffle"):
        assert np.array_equal(none.streams.state(name), full.streams.state(name))


def chair(base, cfg, make, begin, style: str, buffer: float):
    sc = cfg(
        base,
        {"partnership.leadership.style": style, "partnership.leadership.strength": 0.8},
        {
            "leadership.buffer": buffer,
            "leadership.ramp_months": 6.0,
            "churn.reform_months": 18.0,
            "churn.full_reform_severity": 0.5,
            "churn.priority_reshuffle": 0.5,
        },
    )
    m = make(sc)
    begin(m)
    leadership.step(m)
    b = m.board
    b.goal_clarity, b.learning, b.efficiency, b.reform_left = 0.8, 0.6, 1.4, 0.0
    return m


def test_a_facilitative_chair_in_post_absorbs_the_stated_share_of_the_losses(
    base, cfg, make, begin
):
    m = chair(base, cfg, make, begin, "facilitative", 0.5)
    assert leadership.cushion(m) == pytest.approx(0.5 * 0.8)
    reshuffle = np.full_like(m.agencies.priorities, 1.0 / m.n_issues)
    churn.restructure(m, 0.4, reshuffle, chair_stays=True)
    kept = 1.0 - 0.4
    b = m.board
    assert b.goal_clarity == pytest.approx(0.8 * (1 - 0.4 * kept))
    assert b.learning == pytest.approx(0.6 * (1 - 0.4 * kept))
    assert b.efficiency == pytest.approx(1.0 + 0.4 * (1 - 0.4 * kept))
    assert b.reform_left == pytest.approx(18.0 * 0.8 * kept)


@pytest.mark.parametrize(
    ("style", "buffer", "stays"),
    [("facilitative", 0.0, True), ("directive", 0.5, True), ("facilitative", 0.5, False)],
)
def test_no_buffer_without_a_facilitative_chair_who_stays(
    base, cfg, make, begin, style, buffer, stays
):
    m = chair(base, cfg, make, begin, style, buffer)
    reshuffle = np.full_like(m.agencies.priorities, 1.0 / m.n_issues)
    churn.restructure(m, 0.4, reshuffle, chair_stays=stays)
    b = m.board
    assert b.goal_clarity == pytest.approx(0.8 * 0.6)
    assert b.reform_left == pytest.approx(18.0 * 0.8)


def test_a_chair_who_leaves_in_the_reorganisation_buffers_nothing(base, cfg, make, begin):
    m = chair(base, cfg, make, begin, "facilitative", 1.0)
    m.levers = m.levers.model_copy(
        update={"environment": m.levers.environment.model_copy(update={"staff_turnover": 0.0})}
    )
    leader = m.board.leader
    # severity 1 hits every post: the chair's strategic post changes hands
    churn.step(m, forced_severity=1.0)
    assert m.board.leader == -1 and m.staff.tenure[leader] == 0.0
    assert m.board.reform_left == pytest.approx(18.0)
    assert m.board.goal_clarity == pytest.approx(0.0)
    m2 = chair(base, cfg, make, begin, "facilitative", 1.0)
    churn.restructure(m2, 1.0, np.full_like(m2.agencies.priorities, 0.25), chair_stays=True)
    assert m2.board.reform_left == pytest.approx(18.0 * 0.2)
