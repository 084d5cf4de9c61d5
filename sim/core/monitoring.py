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

from numba import njit

from sim.core.world import World, board_active

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Learn from meaningful monitoring; set the pressure of target-chasing."""
    kernel(m.w)


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (``sim/core/world.py``)."""
    p, s, r = w.p[0], w.s[0], w.rec[w.s[0].row]
    if board_active(w):
        quality = s.monitoring
        meaningful = p.partnership_monitoring_focus
        rate = p.learning_learning_rate * quality * meaningful
        s.learning += rate * (1.0 - s.learning)
        ceiling = 1.0 + p.learning_max_efficiency_gain
        s.efficiency += rate * (ceiling - s.efficiency)
        s.chase = p.learning_chase_pressure * quality * (1.0 - meaningful)
    else:
        s.efficiency += p.learning_forget_rate * (1.0 - s.efficiency)
        s.chase = 0.0
    r.learning = s.learning
    r.joint_efficiency = s.efficiency
    r.chase_pressure = s.chase
