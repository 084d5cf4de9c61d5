"""Mechanism 1, churn: reorganisations and background staff turnover.

Reads: ``environment.policy_churn``, ``environment.churn_severity``,
``environment.staff_turnover``, ``staff.champions``, ``staff.ties_within``,
``dynamics.churn.*``, ``dynamics.leadership.buffer``, ``dynamics.frontline.goodwill_base``,
``dynamics.alignment.base_alignment``. Owns: which posts change hands and which
practitioners a reorganisation moves; the ties a newcomer takes over; the board's
re-forming overhead; reshuffled agency priorities; the chair's departure. Records:
``reorganisation``, ``staff_replaced``.

A reorganisation hits a share ``churn_severity`` of the posts. Strategic posts hit change
hands; of the frontline posts hit, a share ``transfer_share`` keep their holders, who are
moved into the new structure (same people, same ties, but a new role to learn), and the
rest change hands. A newcomer takes over part of the predecessor's working relationships
at a discount (``inherit_share``, ``inherit_trust``): partners trust the role before they
know the person. A facilitative chair who stays in post absorbs part of the losses to the
board (``leadership.cushion``).

Evidence: seed 003 ("constant reorganisation"; Leadbeater on "intense, short-term trust"
and on long-term relationships that "risk becoming cosy and collusive"); Fulop et al.
2002 (mergers delayed service development by at least 18 months). An inherited tie is a
new relationship: its age starts at 0, so a newcomer also breaks the complacency of a cosy
tie (``dynamics.trust.complacency``) while keeping part of its trust.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from sim.core.draws import exponential, skip, uniform, uniforms
from sim.core.leadership import cushion_k
from sim.core.network import add_within_ties_k
from sim.core.numerics import total
from sim.core.world import World

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel
    from sim.core.state import TieState


def step(m: PartnershipModel, forced_severity: float | None = None) -> None:
    """Draw this month's reorganisation and turnover and replace the posts that change hands.

    The draws are made every month whether or not they are used, so the factual run and
    its counterfactual twin stay on the same random numbers.
    """
    kernel(m.w, -1.0 if forced_severity is None else float(forced_severity))
    m.ties.pull()


@njit(cache=True)
def kernel(w: World, forced: float) -> None:
    """:func:`step` on the compiled world; ``forced >= 0`` forces a reorganisation of that
    severity (``forced < 0``: none)."""
    p, s = w.p[0], w.s[0]
    n = w.tenure.size
    rng = w.rng_churn
    reorg_draw = uniform(rng)
    reorganised = reorg_draw < 1.0 - np.exp(-p.environment_policy_churn / 12.0)
    severity = p.environment_churn_severity
    if forced >= 0.0:
        reorganised, severity = True, forced
    leave = 1.0 - np.exp(-p.environment_staff_turnover / 12.0)
    gone = np.empty(n, np.bool_)
    for i in range(n):
        gone[i] = uniform(w.rng_turnover) < leave
    champion_draw = uniforms(w.rng_turnover, n)
    # a reorganisation's draws (one uniform per post; one exponential, i.e. one uniform,
    # per agency and issue) are made every month: without one the streams skip past them
    n_agencies, n_issues = w.priorities.shape
    if not reorganised:
        skip(rng, n)
        skip(w.rng_reshuffle, n_agencies * n_issues)
    else:
        replace_draw = uniforms(rng, n)
        reshuffle = dirichlet_ones(w.rng_reshuffle, n_agencies, n_issues)
        hit, moved = reorganisation_hits(
            replace_draw, w.frontline, severity, p.churn_transfer_share
        )
        for i in range(n):
            if hit[i] and not moved[i]:
                gone[i] = True
        chair = s.leader
        chair_stays = s.partnership and chair >= 0 and not gone[chair]
        restructure_k(w, severity, reshuffle, chair_stays)
        transfer_posts_k(w, moved & ~gone)
    replace_posts_k(w, gone, champion_draw)
    r = w.rec[s.row]
    r.reorganisation = 1.0 if reorganised else 0.0
    r.staff_replaced = float(gone.sum())


@njit(cache=True)
def dirichlet_ones(rng: np.ndarray, n: int, k: int) -> np.ndarray:
    """``n`` draws (rows) of a flat Dirichlet over ``k`` issues from stream ``rng``: per
    row, ``k`` standard exponential (gamma of shape 1) draws scaled by the reciprocal of
    their sum."""
    g = np.empty((n, k))
    for i in range(n):
        acc = 0.0
        for j in range(k):
            g[i, j] = exponential(rng)
            acc += g[i, j]
        inv = 1.0 / acc
        for j in range(k):
            g[i, j] *= inv
    return g


@njit(cache=True)
def reorganisation_hits(
    draw: np.ndarray, frontline: np.ndarray, severity: float, transfer_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Posts a reorganisation hits (``draw < severity``) and, among them, the frontline
    posts whose holders are moved rather than replaced.

    The same uniform draw decides both: given a hit, ``draw / severity`` is uniform, so
    ``draw < severity * transfer_share`` moves that share of the frontline posts hit and
    no other random number is used (``transfer_share = 0`` moves nobody).
    """
    hit = draw < severity
    moved = hit & frontline & (draw < severity * transfer_share)
    return hit, moved


def restructure(
    m: PartnershipModel, severity: float, reshuffle: np.ndarray, chair_stays: bool = False
) -> None:
    """Reset structures: re-forming overhead, lost clarity and learning, new priorities.

    A facilitative chair who stays in post (``chair_stays``) absorbs a share
    ``leadership.cushion`` of the board's losses; the centre's new priorities are not
    buffered.
    """
    restructure_k(m.w, float(severity), np.ascontiguousarray(reshuffle, float), chair_stays)


@njit(cache=True)
def restructure_k(w: World, severity: float, reshuffle: np.ndarray, chair_stays: bool) -> None:
    """:func:`restructure` on the compiled world."""
    p, s = w.p[0], w.s[0]
    mix = severity * p.churn_priority_reshuffle
    pr = w.priorities
    n_agencies, n_issues = pr.shape
    for a in range(n_agencies):
        for i in range(n_issues):
            pr[a, i] = (1.0 - mix) * pr[a, i] + mix * reshuffle[a, i]
        row_sum = total(pr[a])
        for i in range(n_issues):
            pr[a, i] = pr[a, i] / row_sum
    if not s.partnership:
        return
    kept = 1.0 - (cushion_k(w) if chair_stays else 0.0)
    reform = p.churn_reform_months * min(1.0, severity / p.churn_full_reform_severity) * kept
    s.reform_left = max(s.reform_left, reform)
    loss = severity * kept
    s.goal_clarity *= 1.0 - loss
    s.learning *= 1.0 - loss
    s.efficiency = 1.0 + (s.efficiency - 1.0) * (1.0 - loss)


def transfer_posts(m: PartnershipModel, moved: np.ndarray) -> None:
    """Practitioners in the boolean mask ``moved`` keep their posts in a new structure:
    their ties, goodwill and joint work stay; role clarity, alignment and tenure start
    again."""
    transfer_posts_k(m.w, np.asarray(moved, np.bool_))


@njit(cache=True)
def transfer_posts_k(w: World, moved: np.ndarray) -> None:
    """:func:`transfer_posts` on the compiled world."""
    p = w.p[0]
    for i in range(moved.size):
        if moved[i]:
            w.tenure[i] = 0.0
            w.role_clarity[i] = p.churn_newcomer_role_clarity
            w.alignment[i] = p.alignment_base_alignment


def replace_posts(m: PartnershipModel, gone: np.ndarray, champion_draw: np.ndarray) -> None:
    """Newcomers fill the posts in the boolean mask ``gone``: low role clarity, part of the
    predecessor's ties at discounted trust (:func:`inherit_ties`), fresh colleague ties for
    the rest; a newcomer is a champion with the scenario's champion share."""
    replace_posts_k(m.w, np.asarray(gone, np.bool_), np.asarray(champion_draw, float))
    m.ties.pull()


@njit(cache=True)
def replace_posts_k(w: World, gone: np.ndarray, champion_draw: np.ndarray) -> None:
    """:func:`replace_posts` on the compiled world (the Python side pulls the tie pool)."""
    idx = np.flatnonzero(gone)
    if idx.size == 0:
        return
    p, s = w.p[0], w.s[0]
    for i in idx:
        w.tenure[i] = 0.0
        w.goodwill[i] = p.frontline_goodwill_base
        w.role_clarity[i] = p.churn_newcomer_role_clarity
        w.alignment[i] = p.alignment_base_alignment
        w.joint_share[i] = 0.0
        w.champion[i] = w.frontline[i] and champion_draw[i] < p.staff_champions
    inherit_ties_k(
        w.tie_a,
        w.tie_b,
        w.tie_alive,
        w.trust,
        w.tie_age,
        gone,
        p.churn_inherit_share,
        p.churn_inherit_trust,
        w.rng_succession,
    )
    add_within_ties_k(
        w,
        idx,
        p.staff_ties_within * (1.0 - p.churn_inherit_share),
        p.churn_newcomer_within_trust,
        w.rng_newcomers,
    )
    if s.partnership and s.leader >= 0 and gone[s.leader]:
        s.leader = -1
        s.vacancy_left = p.churn_leader_vacancy_months


def inherit_ties(
    ties: TieState, gone: np.ndarray, share: float, discount: float, rng: np.ndarray
) -> None:
    """Newcomers in the post mask ``gone`` take over their predecessors' ties, or lose them.

    Each live tie with ``e`` ends in ``gone`` (1 or 2) is kept with chance ``share**e``;
    a kept tie's trust is multiplied by ``discount**e`` and its age restarts at 0 (the
    people are new to each other). The others are dropped. ``share = 0`` drops every such
    tie and draws nothing; ``share = 1`` with ``discount = 1`` keeps every tie as it was.
    """
    inherit_ties_k(
        ties.a,
        ties.b,
        ties.alive,
        ties.trust,
        ties.age,
        np.asarray(gone, np.bool_),
        float(share),
        float(discount),
        rng,
    )


@njit(cache=True)
def inherit_ties_k(
    a: np.ndarray,
    b: np.ndarray,
    alive: np.ndarray,
    trust: np.ndarray,
    age: np.ndarray,
    gone: np.ndarray,
    share: float,
    discount: float,
    rng: np.ndarray,
) -> None:
    """:func:`inherit_ties` on a tie pool's arrays (one uniform draw per touched tie from
    the stream state ``rng``)."""
    # a tie is touched when it is live and an end is in ``gone`` (tested without a branch
    # per condition: most slots are untouched)
    if share <= 0.0:
        for t in range(alive.size):
            if alive[t] & (gone[a[t]] | gone[b[t]]):
                alive[t] = False
        return
    for t in range(alive.size):  # one draw per touched tie, in slot order
        if alive[t] & (gone[a[t]] | gone[b[t]]):
            e = (1.0 if gone[a[t]] else 0.0) + (1.0 if gone[b[t]] else 0.0)
            if uniform(rng) < share**e:
                trust[t] *= discount**e
                age[t] = 0.0
            else:
                alive[t] = False
