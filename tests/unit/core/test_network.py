"""The staff layout, the initial trust network, and the tie pool."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.network import (
    add_cross_ties_k,
    add_within_ties_k,
    block_model_edges,
    build_staff,
    build_ties,
    empty_ties,
    to_networkx,
)


def test_posts_are_laid_out_by_agency_strategic_first(base):
    staff, first, sizes = build_staff(base)
    assert staff.n == sum(a.strategic + a.frontline for a in base.agencies)
    for k, agency in enumerate(base.agencies):
        block = slice(first[k], first[k] + sizes[k])
        assert np.all(staff.agency[block] == k)
        assert sizes[k] == agency.strategic + agency.frontline
        assert not staff.frontline[block][: agency.strategic].any()
        assert staff.frontline[block][agency.strategic :].all()
    assert np.all(np.diff(staff.agency) >= 0)


def test_the_initial_network_has_the_stated_degrees(base, cfg):
    sc = cfg(
        base,
        {"staff.ties_within": 6.0, "staff.ties_across": 3.0, "staff.initial_trust": 0.4},
        {
            "network.within_trust": 0.6,
            "network.initial_trust_sd": 0.1,
            "network.initial_trust_floor": 0.05,
            "network.tie_age_months": 60.0,
        },
    )
    staff, _, sizes = build_staff(sc)
    ties = build_ties(sc, staff, sizes, np.random.default_rng(0))
    live = ties.alive
    a, b = ties.a[live], ties.b[live]
    assert np.all(a < b)
    assert np.array_equal(ties.cross[live], staff.agency[a] != staff.agency[b])
    n = staff.n
    within = 2 * (~ties.cross[live]).sum() / n
    across = 2 * ties.cross[live].sum() / n
    assert within == pytest.approx(6.0, rel=0.25)
    assert across == pytest.approx(3.0, rel=0.25)
    assert np.all(ties.trust[live & ~ties.cross] == 0.6)
    cross_trust = ties.trust[live & ties.cross]
    assert np.all((cross_trust >= 0.05) & (cross_trust <= 1.0))
    assert cross_trust.mean() == pytest.approx(0.4, abs=0.05)
    assert np.all((ties.age[live] >= 0) & (ties.age[live] <= 60))
    assert (~ties.alive).sum() > 0  # room to grow without reallocating


def test_the_initial_network_is_reproducible(base):
    staff, _, sizes = build_staff(base)
    one = build_ties(base, staff, sizes, np.random.default_rng(4))
    two = build_ties(base, staff, sizes, np.random.default_rng(4))
    assert np.array_equal(one.a, two.a) and np.array_equal(one.trust, two.trust)


def test_the_pool_reuses_free_slots_then_grows():
    pool = empty_ties(4)
    assert pool.a.size >= 4 and not pool.alive.any()
    pool.add(np.array([3, 0]), np.array([1, 2]), 0.5, np.array([True, False]))
    assert list(pool.a[:2]) == [1, 0] and list(pool.b[:2]) == [3, 2]  # stored with a < b
    pool.alive[0] = False
    pool.add(np.array([5]), np.array([6]), 0.7, np.array([True]))
    assert pool.a[0] == 5 and pool.trust[0] == 0.7 and pool.age[0] == 0.0
    size = pool.a.size
    extra = size  # more ties than free slots
    pool.add(np.arange(extra), np.arange(extra) + size, 0.2, np.zeros(extra, bool))
    assert pool.a.size > size
    assert pool.alive.sum() == 2 + extra
    for column in (pool.b, pool.trust, pool.alive, pool.cross, pool.age):
        assert column.size == pool.a.size


def test_drop_touching_removes_every_tie_of_the_posts():
    pool = empty_ties(8)
    pool.add(np.array([0, 1, 2, 3]), np.array([1, 2, 3, 4]), 0.5, np.ones(4, bool))
    gone = np.zeros(5, bool)
    gone[2] = True
    pool.drop_touching(gone)
    live = np.flatnonzero(pool.alive)
    assert sorted(zip(pool.a[live], pool.b[live], strict=True)) == [(0, 1), (3, 4)]


def _fresh(m):
    """The model with every tie dropped (an empty pool of the same size)."""
    m.ties.alive[:] = False
    return m


def test_newcomers_are_tied_to_colleagues_only(base, make):
    m = _fresh(make(base))
    staff, pool = m.staff, m.ties
    newcomers = np.array([0, 5, 30, 60, 100])
    add_within_ties_k(m.w, newcomers, 5.0, 0.3, m.streams.state("newcomers"))
    pool.pull()
    live = pool.alive
    assert live.sum() > 0
    assert np.all(staff.agency[pool.a[live]] == staff.agency[pool.b[live]])
    assert np.all(pool.a[live] != pool.b[live])
    assert not pool.cross[live].any()
    assert np.all(pool.trust[live] == 0.3)
    assert np.all(np.isin(pool.a[live], newcomers) | np.isin(pool.b[live], newcomers))
    before = m.streams.state("newcomers").copy()
    add_within_ties_k(m.w, newcomers, 0.0, 0.3, m.streams.state("newcomers"))
    pool.pull()
    assert pool.alive.sum() == live.sum()
    assert np.array_equal(m.streams.state("newcomers"), before)  # nothing drawn


def test_cross_ties_reach_practitioners_of_other_agencies(base, make):
    m = _fresh(make(base))
    staff, pool = m.staff, m.ties
    sources = np.repeat(np.arange(0, staff.n, 7), 3)
    made = add_cross_ties_k(m.w, sources, 0.25, m.streams.state("ties"), True)
    pool.pull()
    live = pool.alive
    assert made == live.sum() > 0
    assert made <= sources.size
    assert np.all(pool.cross[live])
    assert np.all(staff.agency[pool.a[live]] != staff.agency[pool.b[live]])
    ends = np.c_[pool.a[live], pool.b[live]]
    assert np.all(staff.frontline[ends].any(axis=1))
    assert add_cross_ties_k(m.w, np.array([], np.int64), 0.25, m.streams.state("ties"), True) == 0


def test_to_networkx_shows_the_live_ties(base, make):
    m = make(base)
    graph = m.trust_graph()
    assert graph.number_of_nodes() == m.staff.n
    live = np.flatnonzero(m.ties.alive)
    pairs = {tuple(p) for p in np.c_[m.ties.a[live], m.ties.b[live]].tolist()}
    assert graph.number_of_edges() == len(pairs)  # repeated pairs collapse into one edge
    u, v = m.ties.a[live[0]], m.ties.b[live[0]]
    assert 0.0 <= graph[u][v]["trust"] <= 1.0
    assert graph.nodes[0]["agency"] == 0
    assert to_networkx(m.staff, empty_ties()).number_of_edges() == 0


def test_block_model_edges_are_distinct_pairs_with_the_block_densities():
    sizes = np.array([300, 200, 100])
    probs = np.array([[0.02, 0.005, 0.0], [0.005, 0.03, 0.01], [0.0, 0.01, 0.05]])
    a, b = block_model_edges(sizes, probs, np.random.default_rng(7))
    assert np.all(a < b)
    codes = a.astype(np.int64) * sizes.sum() + b
    assert np.unique(codes).size == codes.size  # no pair drawn twice
    block = np.repeat(np.arange(3), sizes)
    first = np.r_[0, np.cumsum(sizes)[:-1]]
    for i in range(3):
        for j in range(i, 3):
            pairs = sizes[i] * (sizes[i] - 1) / 2 if i == j else sizes[i] * sizes[j]
            got = np.sum((block[a] == i) & (block[b] == j))
            expected = probs[i, j] * pairs
            assert abs(got - expected) <= 4 * np.sqrt(expected) + 1, (i, j, got, expected)
    # every post of a block can be an end: draws are not confined to a corner of the block
    ends = np.r_[a, b]
    assert ends.min() == first[0]
    assert np.unique(ends[block[ends] == 0]).size > 0.9 * sizes[0]


def test_block_model_edges_can_fill_a_small_block_completely():
    a, b = block_model_edges(np.array([4]), np.array([[1.0]]), np.random.default_rng(0))
    assert sorted(zip(a.tolist(), b.tolist(), strict=True)) == [
        (0, 1),
        (0, 2),
        (0, 3),
        (1, 2),
        (1, 3),
        (2, 3),
    ]


def test_the_initial_network_reads_its_trust_and_ages_from_the_schema(base, cfg):
    sc = cfg(
        base,
        {"staff.initial_trust": 0.4},
        {
            "network.within_trust": 0.5,
            "network.initial_trust_sd": 0.0,
            "network.initial_trust_floor": 0.05,
            "network.tie_age_months": 12.0,
        },
    )
    staff, _, sizes = build_staff(sc)
    ties = build_ties(sc, staff, sizes, np.random.default_rng(1))
    live = ties.alive
    assert np.all(ties.trust[live & ~ties.cross] == 0.5)
    assert np.allclose(ties.trust[live & ties.cross], 0.4)
    assert ties.age[live].max() <= 12.0
    floor = cfg(sc, {"staff.initial_trust": 0.0}, {"network.initial_trust_floor": 0.1})
    ties = build_ties(floor, staff, sizes, np.random.default_rng(1))
    assert np.allclose(ties.trust[ties.alive & ties.cross], 0.1)


def test_distinct_pairs_keep_first_occurrences_in_draw_order() -> None:
    """The block model's pair codes are numpy's first occurrences (``np.unique`` with
    ``return_index``), in the order drawn; within a block pairs are ordered and self-pairs
    dropped."""
    from sim.core.network import _distinct_pairs

    rng = np.random.default_rng(4)
    for same in (False, True):
        for size in (0, 1, 5, 300):
            codes = rng.integers(0, 50, 7)
            codes = codes[np.sort(np.unique(codes, return_index=True)[1])]
            u, v = rng.integers(0, 9, size), rng.integers(0, 9, size)
            x, y = (np.minimum(u, v), np.maximum(u, v)) if same else (u, v)
            ok = x != y if same else np.ones(size, bool)
            stream = np.concatenate([codes, x[ok] * 9 + y[ok]])
            want = stream[np.sort(np.unique(stream, return_index=True)[1])]
            assert _distinct_pairs(codes, u, v, 9, same).tolist() == want.tolist()
