"""Mechanism 6, frontline joint work and champions.

Reads: ``partnership.information_sharing``, ``dynamics.frontline.*``,
``dynamics.trust.new_tie_trust``,
``dynamics.board.reporting_share``, ``dynamics.leadership.trust_bonus``,
``dynamics.trust.complacency*``. Owns: each practitioner's joint-work share, the joint
work done and its success on each cross-agency tie, goodwill, the ties that champions,
ordinary joint work and routine casework make. Records: ``joint_work_share``, ``joint_success``,
``goodwill``, ``champions``, ``ties_made``, ``reporting_overhead``.

Practitioners offer a share of their capacity to joint work with trusted colleagues in
other agencies; the offer grows with goodwill, role clarity and summed cross-agency trust
and shrinks with their agency's target pull. Joint work on a tie needs both ends: it is
the geometric mean of the two offers, scaled so nobody exceeds their own offer. It
succeeds more with trust, clarity and information sharing, and less when the partners'
agencies are under pressure. Evidence: seed 003 (second lesson; "local champions"; "the glue").

The arithmetic runs in compiled kernels on the model's world (``sim/core/world.py``):
:func:`kernel` is the monthly step; the Python functions are thin wrappers over it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
from numba import njit

from sim.core.board import process_cost_k
from sim.core.draws import binomial, poisson, poisson_p0
from sim.core.leadership import facilitation_k
from sim.core.network import add_cross_ties_k
from sim.core.numerics import total
from sim.core.state import PRACTITIONERS
from sim.core.world import World, board_active

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


# -- Python API: thin wrappers over the kernels ------------------------------------------


def success_chance(m: PartnershipModel, idx: np.ndarray) -> np.ndarray:
    """Chance that one episode of joint work on the ties ``idx`` succeeds."""
    return success_chance_k(m.w, np.asarray(idx, np.int64))


def cosy(m: PartnershipModel, idx: np.ndarray) -> np.ndarray:
    """Boolean mask of ties in ``idx`` that have become complacent (switchable)."""
    return cosy_k(m.w, np.asarray(idx, np.int64))


def step(m: PartnershipModel) -> None:
    """Allocate, do and score this month's joint work; champions and joint work make ties."""
    kernel(m.w)
    m.ties.pull()


def _make_ties(m: PartnershipModel) -> int:
    """Champions, joint work and casework make cross-agency ties; returns how many."""
    made = _make_ties_k(m.w)
    m.ties.pull()
    return made


def _update_goodwill(m: PartnershipModel) -> None:
    """Goodwill moves toward what champions nearby, the chair and target stress make it."""
    _update_goodwill_k(m.w)


# -- kernels ----------------------------------------------------------------------------


@njit(cache=True)
def _chance(
    p: Any, info: float, bonus: float, trust: float, clarity2: float, pressure2: float
) -> float:
    """Success chance of one episode on a tie of ``trust`` whose ends' role clarities and
    agencies' pressures sum to ``clarity2`` and ``pressure2`` (``info``, ``bonus``: this
    month's information sharing and facilitation bonus; ``p``: the parameters)."""
    c = (
        p.frontline_base_success
        + p.frontline_trust_success * trust
        + p.frontline_clarity_success * 0.5 * clarity2
        + p.frontline_info_success * info
        + bonus
        - p.frontline_pressure_failure * (0.5 * pressure2)
    )
    return min(max(c, p.frontline_success_floor), p.frontline_success_ceiling)


@njit(cache=True)
def chance_k(w: World, i: int, info: float, bonus: float) -> float:
    """Success chance of one episode on tie slot ``i`` (``info``, ``bonus``: this month's)."""
    a, b = w.tie_a[i], w.tie_b[i]
    agency, pressure, clarity = w.agency, w.pressure, w.role_clarity
    return _chance(
        w.p[0],
        info,
        bonus,
        w.trust[i],
        clarity[a] + clarity[b],
        pressure[agency[a]] + pressure[agency[b]],
    )


@njit(cache=True)
def chance_terms_k(w: World) -> tuple[float, float]:
    """This month's information sharing (0 without a board) and facilitation bonus."""
    p = w.p[0]
    info = p.partnership_information_sharing if board_active(w) else 0.0
    return info, p.leadership_trust_bonus * facilitation_k(w)


@njit(cache=True)
def success_chance_k(w: World, idx: np.ndarray) -> np.ndarray:
    """:func:`success_chance` on the compiled world."""
    info, bonus = chance_terms_k(w)
    out = np.empty(idx.size)
    for j in range(idx.size):
        out[j] = chance_k(w, idx[j], info, bonus)
    return out


@njit(cache=True)
def cosy_k(w: World, idx: np.ndarray) -> np.ndarray:
    """:func:`cosy` on the compiled world."""
    p = w.p[0]
    out = np.zeros(idx.size, np.bool_)
    if not p.trust_complacency:
        return out
    for j in range(idx.size):
        i = idx[j]
        out[j] = (w.trust[i] > p.trust_complacency_trust) and (
            w.tie_age[i] > p.trust_complacency_months
        )
    return out


@njit(cache=True)
def _board_cost(w: World) -> float:
    """Convex process cost of the current formality (0 without a board)."""
    return process_cost_k(w) if board_active(w) else 0.0


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (the caller pulls a grown tie pool)."""
    p, s = w.p[0], w.s[0]
    n = w.agency.size
    w.episodes[:] = 0
    w.successes[:] = 0
    if not s.partnership:
        w.joint_done[:] = 0.0
        w.joint_output[:] = 0.0
        _record_k(w, 0.0, 0.0, 0.0, 0)
        return
    ta, tb, trust, alive, kind = w.tie_a, w.tie_b, w.trust, w.tie_alive, w.tie_kind
    episodes, successes, age = w.episodes, w.successes, w.tie_age
    agency, frontline, clarity = w.agency, w.frontline, w.role_clarity
    share, done, overhead = w.joint_share, w.joint_done, w.overhead

    # live practitioner cross ties, in slot order (collected without a branch per slot),
    # and the trust each end has on them (as two bincounts)
    pool = ta.size
    ff = np.empty(pool, np.int64)
    nf = 0
    for i in range(pool):
        ff[nf] = i
        nf += alive[i] & (kind[i] == PRACTITIONERS)
    # per-post work arrays, one allocation: two trust sums, time available, the offer, two
    # effort sums and the room each post has
    work = np.zeros(7 * n)
    sa, sb, avail, offer = work[:n], work[n : 2 * n], work[2 * n : 3 * n], work[3 * n : 4 * n]
    ea, eb, room = work[4 * n : 5 * n], work[5 * n : 6 * n], work[6 * n :]
    for q in range(nf):
        i = ff[q]
        sa[ta[i]] += trust[i]
        sb[tb[i]] += trust[i]

    # each practitioner's offer
    gf, cf = p.frontline_goodwill_floor, p.frontline_clarity_floor
    adapt = p.frontline_adapt_months + s.decision_delay
    safe = sa  # sumtrust, or 1 where it is 0 (sa is not needed again)
    for j in range(n):
        sumtrust = sa[j] + sb[j]
        if frontline[j]:
            connect = 1.0 - np.exp(-sumtrust / p.frontline_trust_saturation)
            desire = (
                p.frontline_max_joint_share
                * (gf + (1.0 - gf) * w.goodwill[j])
                * (cf + (1.0 - cf) * clarity[j])
                * connect
                * (1.0 - w.pull[agency[j]])
            )
        else:
            desire = 0.0
        share[j] += (desire - share[j]) / adapt
        avail[j] = max(w.capacity[j] - overhead[j] - w.assessment_load[j], 0.0)
        offer[j] = share[j] * avail[j]
        safe[j] = sumtrust if sumtrust > 0 else 1.0

    # joint work needs both ends: the geometric mean of the two offers on the tie, scaled
    # down so that nobody does more joint work than they offered
    effort = np.empty(nf)
    for q in range(nf):
        i = ff[q]
        a, b, t = ta[i], tb[i], trust[i]
        e = 2.0 * np.sqrt(offer[a] * t / safe[a] * (offer[b] * t / safe[b]))
        effort[q] = e
        ea[a] += e
        eb[b] += e
    for j in range(n):
        asked = ea[j] / 2 + eb[j] / 2
        room[j] = min(1.0, offer[j] / (asked if asked > 0 else 1.0))

    # reporting is a share of the joint-work time, not extra time on top of it; episodes
    # are drawn on each tie in turn (all of them before any success)
    reporting = min(p.board_reporting_share * _board_cost(w), 1.0)
    rng = w.rng_frontline
    epm = p.frontline_episodes_per_month
    ea[:] = 0.0
    eb[:] = 0.0
    k_sum = 0
    for q in range(nf):
        i = ff[q]
        a, b = ta[i], tb[i]
        e = effort[q] * min(room[a], room[b])
        ea[a] += e
        eb[b] += e
        k = poisson(rng, e * (1.0 - reporting) * epm)
        episodes[i] = k
        k_sum += k
    rep_time = room  # reporting time per post (room is not needed again)
    for j in range(n):
        joint_time = ea[j] / 2 + eb[j] / 2
        done[j] = (1.0 - reporting) * joint_time
        rep_time[j] = reporting * joint_time
        overhead[j] += rep_time[j]

    # successes, and the value of joint work (less on complacent ties); a tie without
    # episodes draws nothing and adds nothing (its successes were set to 0 above)
    info, bonus = chance_terms_k(w)
    pressure = w.pressure
    complacency = p.trust_complacency
    cosy_trust, cosy_months = p.trust_complacency_trust, p.trust_complacency_months
    lazy = 1 - p.trust_complacency_penalty
    ea[:] = 0.0
    eb[:] = 0.0
    wins_sum = 0
    for q in range(nf):
        i = ff[q]
        k = episodes[i]
        if k == 0:
            continue
        a, b = ta[i], tb[i]
        clarity2 = clarity[a] + clarity[b]
        pressure2 = pressure[agency[a]] + pressure[agency[b]]
        chance = _chance(p, info, bonus, trust[i], clarity2, pressure2)
        wins = binomial(rng, k, chance)
        successes[i] = wins
        wins_sum += wins
        cosy = complacency and trust[i] > cosy_trust and age[i] > cosy_months
        value = wins / epm * (lazy if cosy else 1.0)
        ea[a] += value
        eb[b] += value
    for j in range(n):
        w.joint_output[j] = ea[j] / 2 + eb[j] / 2

    made = _make_ties_k(w)
    _update_goodwill_k(w)
    nfl = 0
    for j in range(n):
        if frontline[j]:
            ea[nfl] = done[j] / max(avail[j], 1e-12)
            nfl += 1
    mean_share = total(ea[:nfl]) / nfl if nfl else 0.0
    succ = wins_sum / k_sum if k_sum else 0.0
    _record_k(w, mean_share, succ, total(rep_time[:n]), made)


@njit(cache=True)
def _make_ties_k(w: World) -> int:
    """Champions, ordinary joint work and routine casework make cross-agency ties."""
    p = w.p[0]
    rng = w.rng_ties
    n = w.agency.size
    frontline, champion, done, share = w.frontline, w.champion, w.joint_done, w.joint_share
    scale = max(p.frontline_max_joint_share, 1e-9)
    # ties each post seeks, in the order of the draws: the champions', the joint workers',
    # then every practitioner's (routine casework), each in post order
    counts = np.zeros(3 * n, np.int64)
    lam = p.frontline_champion_tie_rate
    p0 = np.exp(-lam)
    for j in range(n):
        if champion[j]:
            counts[j] = poisson_p0(rng, lam, p0)
    for j in range(n):
        if frontline[j] and done[j] > 0:
            rate = p.frontline_organic_tie_rate * share[j] / scale
            counts[n + j] = poisson(rng, rate)
    lam = p.frontline_routine_tie_rate
    p0 = np.exp(-lam)
    for j in range(n):
        if frontline[j]:
            counts[2 * n + j] = poisson_p0(rng, lam, p0)
    sources = np.empty(counts.sum(), np.int64)
    at = 0
    for c in range(3 * n):
        for _ in range(counts[c]):
            sources[at] = c % n
            at += 1
    return add_cross_ties_k(w, sources, p.trust_new_tie_trust, rng, True)


@njit(cache=True)
def _update_goodwill_k(w: World) -> None:
    """Goodwill moves toward what champions nearby, the chair and target stress make it."""
    p = w.p[0]
    n = w.agency.size
    na = np.zeros(n)
    nb = np.zeros(n)
    champion = w.champion
    if champion.any():
        # champions among each post's live ties (adding 0 for a dead slot: no branch)
        ta, tb, alive = w.tie_a, w.tie_b, w.tie_alive
        for i in range(ta.size):
            a, b = ta[i], tb[i]
            na[a] += alive[i] & champion[b]
            nb[b] += alive[i] & champion[a]
    lift = p.frontline_facilitation_goodwill * facilitation_k(w)
    for j in range(n):
        if champion[j]:
            wanted = p.frontline_champion_own_goodwill
        else:
            near = na[j] + nb[j]  # a whole number; exp(-0) is exactly 1
            pulled = 1.0 - np.exp(-near) if near > 0 else 0.0
            wanted = (
                p.frontline_goodwill_base
                + p.frontline_champion_goodwill * pulled
                + lift
                - p.frontline_stress_goodwill * w.pressure[w.agency[j]]
            )
            wanted = min(max(wanted, 0.0), 1.0)
        w.goodwill[j] += (wanted - w.goodwill[j]) / p.frontline_goodwill_months


@njit(cache=True)
def _record_k(w: World, share: float, succ: float, rep: float, made: int) -> None:
    """Record this month's joint work, goodwill, champions and ties made."""
    r = w.rec[w.s[0].row]
    n = w.agency.size
    r.joint_work_share = share
    r.joint_success = succ
    r.goodwill = total(w.goodwill[:n]) / n
    r.champions = float(w.champion.sum())
    r.ties_made = float(made)
    r.reporting_overhead = rep
