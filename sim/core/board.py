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

from sim.core.leadership import direction, facilitation

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def structure_benefit(m: PartnershipModel) -> float:
    """Saturating benefit of formality, 0 (none) to 1 (full)."""
    f = m.levers.partnership.formality
    return float(1.0 - np.exp(-m.dyn.board.clarity_rate * f))


def process_cost(m: PartnershipModel) -> float:
    """Convex process cost of formality, 0 (none) to 1 (full)."""
    return float(m.levers.partnership.formality**m.dyn.board.cost_exponent)


def attendance(m: PartnershipModel) -> float:
    """Share of members turning up: their commitment, or the mandate's floor."""
    c = float(m.agencies.commitment.mean())
    return max(c, m.dyn.board.mandate_floor) if m.levers.partnership.mandated else c


def step(m: PartnershipModel) -> None:
    """Set this month's overheads, clarities, monitoring, delay and commitments made."""
    s = m.staff
    dyn = m.dyn.board
    board = m.board
    active = m.board_active
    benefit = structure_benefit(m) if active else 0.0
    cost = process_cost(m) if active else 0.0
    reforming = active and board.reform_left > 0.0
    if reforming:
        board.reform_left = max(0.0, board.reform_left - 1.0)

    # meeting time of strategic staff; re-forming structures takes extra meetings
    meet = dyn.meeting_share * (cost + (dyn.reform_meeting_load if reforming else 0.0))
    meet = meet if active else 0.0
    s.overhead[:] = 0.0
    s.overhead[~s.frontline] = np.minimum(meet, dyn.max_meeting_share) * s.capacity[~s.frontline]

    # goal clarity: saturating in structure, raised by any chair, halved while re-forming
    lead = facilitation(m) + direction(m)
    base = dyn.base_clarity
    wanted = base + (1.0 - base) * benefit + m.dyn.leadership.clarity_bonus * lead
    wanted = min(1.0, wanted) * (dyn.reform_clarity_share if reforming else 1.0)
    if not active:
        wanted = 0.0
    board.goal_clarity += (wanted - board.goal_clarity) / dyn.clarity_months

    # role clarity: learnt by experience, and given by structure
    experience = dyn.tenure_clarity * (1.0 - np.exp(-s.tenure / dyn.tenure_months))
    given = dyn.structure_clarity * benefit
    target = 1.0 - (1.0 - experience) * (1.0 - given)
    s.role_clarity += (target - s.role_clarity) / dyn.clarity_months

    board.monitoring = benefit
    m.decision_delay = dyn.max_delay_months * m.levers.partnership.formality if active else 0.0

    att = attendance(m) if active else 0.0
    rate = (
        (
            dyn.commitments_per_month
            * np.sqrt(m.levers.partnership.formality)
            * att
            * (1.0 + m.dyn.leadership.directive_commitments * direction(m))
            * (dyn.reform_commitment_share if reforming else 1.0)
        )
        if active
        else 0.0
    )
    board.made = int(m.streams["board"].poisson(rate))
    m.meeting_intensity = m.levers.partnership.formality * att if active else 0.0
    made_index = (
        min(1.0, board.made / dyn.commitments_per_month) if dyn.commitments_per_month else 0
    )
    w_meet = dyn.activity_meeting_weight
    board.formal_activity = (
        (
            w_meet * min(1.0, m.meeting_intensity + (dyn.reform_activity if reforming else 0.0))
            + (1.0 - w_meet) * made_index
        )
        if active
        else 0.0
    )

    m.record("goal_clarity", board.goal_clarity)
    m.record("role_clarity", float(s.role_clarity.mean()))
    m.record("monitoring_quality", board.monitoring)
    m.record("meeting_intensity", m.meeting_intensity)
    m.record("decision_delay", m.decision_delay)
    m.record("commitments_made", float(board.made))
    m.record("formal_activity", board.formal_activity)
    m.record("reforming", float(reforming))
