"""Mechanism 11, monitoring and learning.

Reads: ``partnership.monitoring_focus``, ``dynamics.learning.*``. Owns: the board's
learning (how far focus has moved to what works), the effectiveness gain of joint work
that learning brings, and the pressure target-chasing monitoring adds. Records:
``learning``, ``joint_efficiency``, ``chase_pressure``.

Meaningful monitoring ("how are we doing?") lets the partnership shift effort toward what
works; target-chasing monitoring adds pressure and teaches nothing. Monitoring quality
comes from structure (``board.py``). Evidence: seed 003; seed 002 (meaningful
performance management); seed 004 (spaces for reflection).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Learn from meaningful monitoring; set the pressure of target-chasing."""
    board, dyn = m.board, m.dyn.learning
    if m.board_active:
        quality = board.monitoring
        meaningful = m.levers.partnership.monitoring_focus
        rate = dyn.learning_rate * quality * meaningful
        board.learning += rate * (1.0 - board.learning)
        ceiling = 1.0 + dyn.max_efficiency_gain
        board.efficiency += rate * (ceiling - board.efficiency)
        board.chase = dyn.chase_pressure * quality * (1.0 - meaningful)
    else:
        board.efficiency += dyn.forget_rate * (1.0 - board.efficiency)
        board.chase = 0.0
    m.record("learning", board.learning)
    m.record("joint_efficiency", board.efficiency)
    m.record("chase_pressure", board.chase)
