"""The staff population and its trust network: initial structure and tie making.

The initial structure is a stochastic block model (drawn with numpy from the ``network``
stream, in time linear in the ties): agencies are blocks, ``staff.ties_within`` and
``staff.ties_across`` set the expected degrees, ``dynamics.network.*`` the ties' trust
and ages. After construction the ties live in a
:class:`TieState` pool of arrays; :func:`to_networkx` rebuilds a graph of the current ties
for inspection and plots.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
from numba import njit

from sim.core.draws import poisson, uniform
from sim.core.state import MANAGERS, MIXED, PRACTITIONERS, WITHIN, StaffState, TieState
from sim.core.world import World, grow_ties
from sim.scenario.schema import Scenario


def build_staff(scenario: Scenario) -> tuple[StaffState, np.ndarray, np.ndarray]:
    """Lay out the posts: agencies contiguous, strategic posts first in each agency.

    Returns the staff state (values set later by the model), and each agency's first post
    and size.
    """
    sizes = np.array([a.strategic + a.frontline for a in scenario.agencies], dtype=np.int64)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    agency = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
    n = int(sizes.sum())
    frontline = np.ones(n, bool)
    for start, a in zip(first.tolist(), scenario.agencies, strict=True):
        frontline[start : start + a.strategic] = False
    zeros = np.zeros(n)
    staff = StaffState(
        agency=agency,
        frontline=frontline,
        capacity=np.ones(n),
        tenure=zeros.copy(),
        goodwill=zeros.copy(),
        role_clarity=zeros.copy(),
        alignment=zeros.copy(),
        champion=np.zeros(n, bool),
        joint_share=zeros.copy(),
        joint_done=zeros.copy(),
        joint_output=zeros.copy(),
        overhead=zeros.copy(),
    )
    return staff, first, sizes


def build_ties(
    scenario: Scenario, staff: StaffState, sizes: np.ndarray, rng: np.random.Generator
) -> TieState:
    """Initial trust network from a seeded stochastic block model."""
    n = staff.n
    k = len(sizes)
    within = scenario.staff.ties_within
    across = scenario.staff.ties_across
    probs = np.zeros((k, k))
    for i in range(k):
        probs[i, i] = min(1.0, within / max(sizes[i] - 1, 1))
        others = n - sizes[i]
        for j in range(k):
            if i != j:
                # each post expects `across` ties spread over all posts of other agencies
                probs[i, j] = min(1.0, across / max(others, 1))
    probs = (probs + probs.T) / 2
    a, b = block_model_edges(sizes, probs, rng)
    cross = staff.agency[a] != staff.agency[b]
    init = scenario.staff.initial_trust
    net = scenario.dynamics.network
    trust = np.where(
        cross,
        np.clip(
            init + net.initial_trust_sd * rng.standard_normal(a.size),
            net.initial_trust_floor,
            1.0,
        ),
        net.within_trust,
    )
    pool = empty_ties(int(a.size * 1.25) + 64, staff.frontline)
    pool.add(a, b, trust, cross)
    # ties of long standing: an age spread so that complacency can bite from the start
    pool.age[: a.size] = rng.uniform(0, net.tie_age_months, a.size)
    return pool


def block_model_edges(
    sizes: np.ndarray, probs: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Edges ``a < b`` of a stochastic block model, in time linear in the edges drawn.

    For each pair of blocks the number of edges is binomial over the possible pairs; the
    edges are then the first distinct pairs in a stream of uniform draws, which is a uniform
    random subset of that size. So each possible pair is present independently with the
    block pair's probability, as in a stochastic block model, without visiting all pairs.
    """
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)
    parts_a: list[np.ndarray] = []
    parts_b: list[np.ndarray] = []
    for i in range(len(sizes)):
        for j in range(i, len(sizes)):
            ni, nj = int(sizes[i]), int(sizes[j])
            pairs = ni * (ni - 1) // 2 if i == j else ni * nj
            if pairs == 0 or probs[i, j] <= 0:
                continue
            want = int(rng.binomial(pairs, probs[i, j]))
            codes = np.zeros(0, np.int64)
            while codes.size < want:
                draw = int((want - codes.size) * 1.1) + 16
                u = rng.integers(0, ni, draw)
                v = rng.integers(0, nj, draw)
                codes = _distinct_pairs(codes, u, v, nj, i == j)
            a, b = _pair_ends(codes[:want], nj, first[i], first[j])
            parts_a.append(a)
            parts_b.append(b)
    if not parts_a:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    a = np.concatenate(parts_a)
    b = np.concatenate(parts_b)
    return np.minimum(a, b).astype(np.int32), np.maximum(a, b).astype(np.int32)


@njit(cache=True)
def _distinct_pairs(
    codes: np.ndarray, u: np.ndarray, v: np.ndarray, nj: int, same: bool
) -> np.ndarray:
    """``codes`` followed by the codes ``u * nj + v`` of the drawn pairs, each code kept at
    its first occurrence, in order of first draw (in one block, ``same``, the pair is
    ordered and a post paired with itself is dropped)."""
    stream = np.empty(codes.size + u.size, np.int64)
    stream[: codes.size] = codes
    k = codes.size
    for q in range(u.size):
        x, y = u[q], v[q]
        if same:
            if x == y:
                continue
            if x > y:
                x, y = y, x
        stream[k] = x * nj + y
        k += 1
    # a stable sort puts each code's first occurrence first among its equals
    order = np.argsort(stream[:k], kind="mergesort")
    keep = np.zeros(k, np.bool_)
    for r in range(k):
        if r == 0 or stream[order[r]] != stream[order[r - 1]]:
            keep[order[r]] = True
    out = np.empty(k, np.int64)
    m = 0
    for q in range(k):
        if keep[q]:
            out[m] = stream[q]
            m += 1
    return out[:m]


@njit(cache=True)
def _pair_ends(
    codes: np.ndarray, nj: int, first_i: int, first_j: int
) -> tuple[np.ndarray, np.ndarray]:
    """The posts at the two ends of each pair code (block offsets ``first_i``, ``first_j``)."""
    a = np.empty(codes.size, np.int64)
    b = np.empty(codes.size, np.int64)
    for q in range(codes.size):
        a[q] = first_i + codes[q] // nj
        b[q] = first_j + codes[q] % nj
    return a, b


def empty_ties(slots: int = 64, frontline: np.ndarray | None = None) -> TieState:
    """A tie pool with ``slots`` free slots and no ties; ``frontline`` gives post roles."""
    pool = TieState(
        a=np.zeros(0, np.int32),
        b=np.zeros(0, np.int32),
        trust=np.zeros(0),
        alive=np.zeros(0, bool),
        cross=np.zeros(0, bool),
        age=np.zeros(0),
        kind=np.zeros(0, np.int8),
        roles=frontline,
    )
    pool._grow(slots)
    return pool


def to_networkx(staff: StaffState, ties: TieState) -> nx.Graph:
    """The current trust network as a networkx graph (nodes: posts; edge attr ``trust``)."""
    graph = nx.Graph()
    graph.add_nodes_from(
        (i, {"agency": int(staff.agency[i]), "frontline": bool(staff.frontline[i])})
        for i in range(staff.n)
    )
    live = np.flatnonzero(ties.alive)
    graph.add_weighted_edges_from(
        zip(ties.a[live].tolist(), ties.b[live].tolist(), ties.trust[live].tolist(), strict=True),
        weight="trust",
    )
    return graph


# -- compiled kernels (``sim/core/world.py``): the same operations on the world ----------


@njit(cache=True)
def _make_room(w: World, k: int) -> None:
    """Grow the pool unless it has ``k`` free slots (counted up to ``k``)."""
    alive = w.tie_alive
    free = 0
    for i in range(alive.size):
        if not alive[i]:
            free += 1
            if free == k:
                return
    grow_ties(w, k - free)


@njit(cache=True)
def _put_tie(w: World, i: int, a: int, b: int, trust: float, cross: bool) -> None:
    """Tie ``a-b`` with ``trust`` into the free slot ``i``."""
    lo, hi = min(a, b), max(a, b)
    w.tie_a[i] = lo
    w.tie_b[i] = hi
    w.trust[i] = trust
    w.tie_alive[i] = True
    w.tie_cross[i] = cross
    w.tie_age[i] = 0.0
    if not cross:
        w.tie_kind[i] = WITHIN
    elif w.frontline[lo] and w.frontline[hi]:
        w.tie_kind[i] = PRACTITIONERS
    elif not w.frontline[lo] and not w.frontline[hi]:
        w.tie_kind[i] = MANAGERS
    else:
        w.tie_kind[i] = MIXED


@njit(cache=True)
def add_ties(w: World, a: np.ndarray, b: np.ndarray, trust: np.ndarray, cross: np.ndarray) -> None:
    """Add ties ``a[k]-b[k]`` with ``trust[k]`` into free slots, growing the pool when it
    is full (as :meth:`TieState.add`; the Python side pulls the grown pool)."""
    k = a.size
    if k == 0:
        return
    _make_room(w, k)
    alive = w.tie_alive  # after the pool has grown
    i = -1
    for j in range(k):
        i += 1  # the next free slot, in ascending order
        while alive[i]:
            i += 1
        _put_tie(w, i, a[j], b[j], trust[j], cross[j])


@njit(cache=True)
def add_cross_ties_k(
    w: World, sources: np.ndarray, trust: float, rng: np.ndarray, frontline: bool
) -> int:
    """Tie each post in ``sources`` to a random post of another agency: a frontline post
    (``frontline=True``) or a strategic one. Returns the number of ties made (draws that
    land in the same agency are dropped)."""
    if sources.size == 0:
        return 0
    roles, agency = w.frontline, w.agency
    pool = np.empty(roles.size, np.int64)  # the posts of the role, in post order
    size = 0
    for j in range(roles.size):
        pool[size] = j
        size += roles[j] == frontline
    if size == 0:
        return 0
    # one uniform per source, in order; the ties are made after every draw
    ends = np.empty((2, sources.size), np.int64)
    made = 0
    for q in range(sources.size):
        dst = pool[int(uniform(rng) * size)]
        if agency[dst] != agency[sources[q]]:
            ends[0, made] = sources[q]
            ends[1, made] = dst
            made += 1
    _put_ties(w, ends, made, trust, True)
    return made


@njit(cache=True)
def _put_ties(w: World, ends: np.ndarray, made: int, trust: float, cross: bool) -> None:
    """The ``made`` ties ``ends[0, k]-ends[1, k]`` into the first free slots, in order."""
    if made == 0:
        return
    _make_room(w, made)
    alive = w.tie_alive  # after the pool has grown
    i = -1
    for j in range(made):
        i += 1
        while alive[i]:
            i += 1
        _put_tie(w, i, ends[0, j], ends[1, j], trust, cross)


@njit(cache=True)
def add_within_ties_k(
    w: World, newcomers: np.ndarray, per_person: float, trust: float, rng: np.ndarray
) -> None:
    """Give each newcomer about ``per_person`` ties to colleagues in their own agency."""
    if newcomers.size == 0 or per_person <= 0:
        return
    counts = np.empty(newcomers.size, np.int64)
    for j in range(newcomers.size):
        counts[j] = poisson(rng, per_person)
    # then one uniform per tie sought, in order; a draw of the newcomer's own post is dropped
    agency, first, size = w.agency, w.first, w.size
    ends = np.empty((2, counts.sum()), np.int64)
    made = 0
    for j in range(newcomers.size):
        src = newcomers[j]
        ag = agency[src]
        for _ in range(counts[j]):
            dst = first[ag] + int(uniform(rng) * size[ag])
            if dst != src:
                ends[0, made] = src
                ends[1, made] = dst
                made += 1
    _put_ties(w, ends, made, trust, False)
