"""Mechanism 4, leadership: the chair's style, strength, departures and brokering.

Reads: ``partnership.leadership.style``, ``partnership.leadership.strength``,
``staff.ties_across``, ``dynamics.leadership.*``, ``dynamics.churn.leader_vacancy_months``,
``dynamics.trust.new_tie_trust``.
Owns: the chair's post, tenure and effective strength; introductions a facilitative chair
makes for newcomers. Records: ``leader_present``, ``leader_strength``,
``ties_brokered``.

A chair of either style raises goal clarity (``board.py``). A facilitative chair also
starts the trust loop (its bonus to the success of joint work is applied in
``frontline.py``, which ``trust.py`` uses), raises goodwill (``frontline.py``), evens out
power (``lifecycle.py``), links board and frontline (``alignment.py``) and protects against
churn in two ways: it ties newcomers into other agencies (here), and while it stays in
post it absorbs part of a reorganisation's losses to the board, re-forming time, goal
clarity and learning (:func:`cushion`, applied in ``churn.py``), so members' commitment
is not drained by months of re-forming. A directive chair instead raises formal output
(commitments, ``board.py``), which builds no trust. Evidence: seed 003 sixth lesson;
Ansell & Gash 2008; Bryson et al. 2006 (the buffer itself is an assumption).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from sim.core.draws import integer, poisson
from sim.core.network import add_cross_ties_k
from sim.core.world import ABSENT, DIRECTIVE, FACILITATIVE, World, board_active

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def appoint(m: PartnershipModel, established: bool = False) -> None:
    """Appoint a chair from the strategic posts (``established``: already fully in role)."""
    w = getattr(m, "w", None)
    if w is not None:
        appoint_k(w, established)
    else:  # while the model is being built, before its compiled world exists
        _appoint(m.staff.frontline, m.streams.state("leadership"), m._p, m._s, established)


@njit(cache=True)
def appoint_k(w: World, established: bool) -> None:
    """:func:`appoint` on the compiled world."""
    _appoint(w.frontline, w.rng_leadership, w.p, w.s, established)


@njit(cache=True)
def _appoint(
    frontline: np.ndarray,
    rng: np.ndarray,
    p: np.ndarray,
    s: np.ndarray,
    established: bool,
) -> None:
    """Draw the chair among the strategic posts (stream state ``rng``) into the state
    record ``s``."""
    strategic = np.flatnonzero(~frontline)
    pick = integer(rng, strategic.size)
    s[0].leader = strategic[pick]
    s[0].leader_tenure = p[0].leadership_ramp_months if established else 0.0


def step(m: PartnershipModel) -> None:
    """Fill a vacancy when due, update the chair's effective strength, broker ties."""
    kernel(m.w)
    m.ties.pull()


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (the Python side pulls the tie pool)."""
    p, s, r = w.p[0], w.s[0], w.rec[w.s[0].row]
    if not board_active(w):
        s.leader_strength = 0.0
        r.leader_present = 0.0
        r.leader_strength = 0.0
        r.ties_brokered = 0.0
        return
    if s.leader < 0:
        s.vacancy_left -= 1.0
        if s.vacancy_left <= 0.0:
            appoint_k(w, False)
    else:
        s.leader_tenure += 1.0
    style = p.partnership_leadership_style
    present = s.leader >= 0 and style != ABSENT
    ramp_months = p.leadership_ramp_months
    ramp = 1.0 if ramp_months == 0 else min(1.0, s.leader_tenure / ramp_months)
    s.leader_strength = p.partnership_leadership_strength * ramp if present else 0.0
    brokered = 0
    if style == FACILITATIVE and s.leader_strength > 0:
        brokered = broker_k(w, s.leader_strength)
    r.leader_present = 1.0 if present else 0.0
    r.leader_strength = s.leader_strength
    r.ties_brokered = float(brokered)


def broker(m: PartnershipModel, strength: float) -> int:
    """Introduce frontline newcomers with few cross-agency ties to staff of other agencies."""
    made = broker_k(m.w, float(strength))
    m.ties.pull()
    return made


@njit(cache=True)
def broker_k(w: World, strength: float) -> int:
    """:func:`broker` on the compiled world; returns the ties made."""
    p = w.p[0]
    n = w.frontline.size
    degree = np.zeros(n, np.int64)
    for t in range(w.tie_alive.size):
        if w.tie_alive[t] and w.tie_cross[t]:
            degree[w.tie_a[t]] += 1
            degree[w.tie_b[t]] += 1
    needy = np.flatnonzero(
        w.frontline & (w.tenure < p.leadership_newcomer_months) & (degree < p.staff_ties_across)
    )
    rng = w.rng_ties
    lam = p.leadership_broker_rate * strength
    counts = np.empty(needy.size, np.int64)
    for j in range(needy.size):
        counts[j] = poisson(rng, lam)
    sources = np.repeat(needy, counts)
    return add_cross_ties_k(w, sources, p.trust_new_tie_trust, rng, True)


def facilitation(m: PartnershipModel) -> float:
    """Effective strength of facilitative leadership this month (0 for other styles)."""
    lead = m.levers.partnership.leadership
    return m.board.leader_strength if lead.style == "facilitative" else 0.0


def direction(m: PartnershipModel) -> float:
    """Effective strength of directive leadership this month (0 for other styles)."""
    lead = m.levers.partnership.leadership
    return m.board.leader_strength if lead.style == "directive" else 0.0


def cushion(m: PartnershipModel) -> float:
    """Share of a reorganisation's losses to the board that the chair absorbs this month:
    ``dynamics.leadership.buffer`` times the effective strength of facilitative leadership
    (0 for other styles, a vacant post or no board)."""
    if not m.board_active:
        return 0.0
    return m.dyn.leadership.buffer * facilitation(m)


@njit(cache=True)
def facilitation_k(w: World) -> float:
    """:func:`facilitation` on the compiled world."""
    if w.p[0].partnership_leadership_style == FACILITATIVE:
        return w.s[0].leader_strength
    return 0.0


@njit(cache=True)
def direction_k(w: World) -> float:
    """:func:`direction` on the compiled world."""
    if w.p[0].partnership_leadership_style == DIRECTIVE:
        return w.s[0].leader_strength
    return 0.0


@njit(cache=True)
def cushion_k(w: World) -> float:
    """:func:`cushion` on the compiled world."""
    if not board_active(w):
        return 0.0
    return w.p[0].leadership_buffer * facilitation_k(w)
