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

from sim.core.network import add_cross_ties
from sim.core.world import DIRECTIVE, FACILITATIVE, World

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def appoint(m: PartnershipModel, established: bool = False) -> None:
    """Appoint a chair from the strategic posts (``established``: already fully in role)."""
    strategic = np.flatnonzero(~m.staff.frontline)
    pick = m.streams["leadership"].integers(strategic.size)
    m.board.leader = int(strategic[pick])
    m.board.leader_tenure = m.dyn.leadership.ramp_months if established else 0.0


def step(m: PartnershipModel) -> None:
    """Fill a vacancy when due, update the chair's effective strength, broker ties."""
    board = m.board
    lead = m.levers.partnership.leadership
    dyn = m.dyn.leadership
    if not m.board_active:
        board.leader_strength = 0.0
        m.record("leader_present", 0.0)
        m.record("leader_strength", 0.0)
        m.record("ties_brokered", 0.0)
        return
    if board.leader < 0:
        board.vacancy_left -= 1.0
        if board.vacancy_left <= 0.0:
            appoint(m)
    else:
        board.leader_tenure += 1.0
    present = board.leader >= 0 and lead.style != "absent"
    ramp = 1.0 if dyn.ramp_months == 0 else min(1.0, board.leader_tenure / dyn.ramp_months)
    board.leader_strength = lead.strength * ramp if present else 0.0
    brokered = 0
    if lead.style == "facilitative" and board.leader_strength > 0:
        brokered = broker(m, board.leader_strength)
    m.record("leader_present", float(present))
    m.record("leader_strength", board.leader_strength)
    m.record("ties_brokered", float(brokered))


def broker(m: PartnershipModel, strength: float) -> int:
    """Introduce frontline newcomers with few cross-agency ties to staff of other agencies."""
    s, t = m.staff, m.ties
    cross = t.alive & t.cross
    degree = np.bincount(t.a[cross], minlength=s.n) + np.bincount(t.b[cross], minlength=s.n)
    needy = np.flatnonzero(
        s.frontline
        & (s.tenure < m.dyn.leadership.newcomer_months)
        & (degree < m.levers.staff.ties_across)
    )
    rng = m.streams["ties"]
    counts = rng.poisson(m.dyn.leadership.broker_rate * strength, needy.size)
    return add_cross_ties(t, s, np.repeat(needy, counts), m.dyn.trust.new_tie_trust, rng)


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
    s = w.s[0]
    if not (s.partnership and s.alive):
        return 0.0
    return w.p[0].leadership_buffer * facilitation_k(w)
