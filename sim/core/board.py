"""Mechanism 3, formality: what structure buys and what it costs.

Reads: ``partnership.formality``, ``partnership.mandated``, ``dynamics.board.*``,
``dynamics.leadership.clarity_bonus``, ``dynamics.leadership.directive_commitments``.
Owns: meeting overhead of strategic staff, goal clarity, role clarity, monitoring
quality, decision delay, commitments made. Records: ``goal_clarity``,
``role_clarity``, ``monitoring_quality``, ``meeting_intensity``, ``decision_delay``,
``commitments_made``, ``formal_activity``, ``reforming``.

Structure buys the three success factors of seed 003 (clear goals, known roles, robust
monitoring) with diminishing returns, and costs meeting time and reporting that grow
faster than linearly, plus slower decisions. Evidence: seed 003 fourth lesson; seed 002.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from sim.core.draws import poisson
from sim.core.leadership import direction_k, facilitation_k
from sim.core.numerics import mean
from sim.core.world import World, board_active

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


@njit(cache=True)
def structure_benefit_k(w: World) -> float:
    """:func:`structure_benefit` on the compiled world."""
    p = w.p[0]
    return 1.0 - np.exp(-p.board_clarity_rate * p.partnership_formality)


@njit(cache=True)
def process_cost_k(w: World) -> float:
    """:func:`process_cost` on the compiled world."""
    p = w.p[0]
    return p.partnership_formality**p.board_cost_exponent


@njit(cache=True)
def attendance_k(w: World) -> float:
    """:func:`attendance` on the compiled world."""
    p = w.p[0]
    c = mean(w.commitment)
    return max(c, p.board_mandate_floor) if p.partnership_mandated else c


def structure_benefit(m: PartnershipModel) -> float:
    """Saturating benefit of formality, 0 (none) to 1 (full)."""
    return structure_benefit_k(m.w)


def process_cost(m: PartnershipModel) -> float:
    """Convex process cost of formality, 0 (none) to 1 (full)."""
    return process_cost_k(m.w)


def attendance(m: PartnershipModel) -> float:
    """Share of members turning up: their commitment, or the mandate's floor."""
    return attendance_k(m.w)


def step(m: PartnershipModel) -> None:
    """Set this month's overheads, clarities, monitoring, delay and commitments made."""
    kernel(m.w)


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (``sim/core/world.py``)."""
    p, s, r = w.p[0], w.s[0], w.rec[w.s[0].row]
    active = board_active(w)
    benefit = structure_benefit_k(w) if active else 0.0
    cost = process_cost_k(w) if active else 0.0
    reforming = active and s.reform_left > 0.0
    if reforming:
        s.reform_left = max(0.0, s.reform_left - 1.0)

    # meeting time of strategic staff; re-forming structures takes extra meetings
    meet = p.board_meeting_share * (cost + (p.board_reform_meeting_load if reforming else 0.0))
    meet = meet if active else 0.0
    share = min(meet, p.board_max_meeting_share)

    # goal clarity: saturating in structure, raised by any chair, halved while re-forming
    lead = facilitation_k(w) + direction_k(w)
    base = p.board_base_clarity
    wanted = base + (1.0 - base) * benefit + p.leadership_clarity_bonus * lead
    wanted = min(1.0, wanted) * (p.board_reform_clarity_share if reforming else 1.0)
    if not active:
        wanted = 0.0
    s.goal_clarity += (wanted - s.goal_clarity) / p.board_clarity_months

    # role clarity: learnt by experience, and given by structure; meeting overhead
    given = p.board_structure_clarity * benefit
    n = w.role_clarity.size
    for i in range(n):
        w.overhead[i] = 0.0 if w.frontline[i] else share * w.capacity[i]
        experience = p.board_tenure_clarity * (1.0 - np.exp(-w.tenure[i] / p.board_tenure_months))
        target = 1.0 - (1.0 - experience) * (1.0 - given)
        w.role_clarity[i] += (target - w.role_clarity[i]) / p.board_clarity_months

    s.monitoring = benefit
    s.decision_delay = p.board_max_delay_months * p.partnership_formality if active else 0.0

    att = attendance_k(w) if active else 0.0
    rate = 0.0
    if active:
        rate = (
            p.board_commitments_per_month
            * np.sqrt(p.partnership_formality)
            * att
            * (1.0 + p.leadership_directive_commitments * direction_k(w))
            * (p.board_reform_commitment_share if reforming else 1.0)
        )
    s.made = poisson(w.rng_board, rate)
    s.meeting_intensity = p.partnership_formality * att if active else 0.0
    per_month = p.board_commitments_per_month
    made_index = min(1.0, s.made / per_month) if per_month else 0.0
    w_meet = p.board_activity_meeting_weight
    if active:
        s.formal_activity = (
            w_meet * min(1.0, s.meeting_intensity + (p.board_reform_activity if reforming else 0.0))
            + (1.0 - w_meet) * made_index
        )
    else:
        s.formal_activity = 0.0

    r.goal_clarity = s.goal_clarity
    r.role_clarity = mean(w.role_clarity)
    r.monitoring_quality = s.monitoring
    r.meeting_intensity = s.meeting_intensity
    r.decision_delay = s.decision_delay
    r.commitments_made = float(s.made)
    r.formal_activity = s.formal_activity
    r.reforming = 1.0 if reforming else 0.0
