"""Mechanism 7, vertical alignment: board commitments become action only through it.

Reads: ``partnership.information_sharing``, ``partnership.leadership.style``,
``dynamics.alignment.*``, ``dynamics.leadership.alignment_link``. Owns: each staff
member's alignment with the strategy; the register of commitments (open by age,
delivered, lapsed); the effort delivered commitments add to their issues. Records:
``alignment_vertical``, ``commitments_delivered``, ``commitments_lapsed``,
``commitments_open``.

Strategic managers align with the board as far as its goals are clear. Practitioners align
only through a link between levels (a facilitative, boundary-spanning chair who connects
them; information that flows down) and as far as they know their roles. An open commitment
is delivered in a month with a chance that grows with frontline alignment and with the joint
work there is to carry it; otherwise it lapses at the end of its horizon. Evidence: seed 003
("writing it on paper doesn't necessarily make it happen").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core.leadership import facilitation

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Move alignment toward its target; deliver, age and lapse open commitments."""
    s, board, dyn = m.staff, m.board, m.dyn.alignment
    if not m.partnership:
        _record(m, 0.0)
        return
    base = dyn.base_alignment
    if m.board_active:
        info = m.levers.partnership.information_sharing
        link = min(1.0, m.dyn.leadership.alignment_link * facilitation(m) + dyn.info_link * info)
        front = base + (1 - base) * board.goal_clarity * link * s.role_clarity
        target = np.where(s.frontline, front, max(base, board.goal_clarity))
    else:
        target = np.full(s.n, base)
    s.alignment += (target - s.alignment) / dyn.align_months
    vertical = float(s.alignment[s.frontline].mean()) if s.frontline.any() else 0.0
    m.vertical_alignment = vertical

    joint = m.recorded("joint_work_share")
    carry = min(1.0, joint / dyn.carry_share)
    p = dyn.delivery_rate * vertical * carry if m.board_active else 0.0
    delivered = m.streams["register"].binomial(board.pending, p)
    board.pending = board.pending - delivered
    board.delivered = int(delivered.sum())
    board.lapsed = int(board.pending[-1])
    board.pending = np.roll(board.pending, 1)
    board.pending[0] = board.made
    focus = m.agencies.focus.mean(axis=0)
    decay = np.exp(-1.0 / dyn.commitment_months)
    board.commitment_effort = (
        board.commitment_effort * decay + dyn.commitment_effort * board.delivered * focus
    )
    _record(m, vertical)


def _record(m: PartnershipModel, vertical: float) -> None:
    board = m.board
    m.record("alignment_vertical", vertical)
    m.record("commitments_delivered", float(board.delivered))
    m.record("commitments_lapsed", float(board.lapsed))
    m.record("commitments_open", float(board.pending.sum()))
