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
from numba import njit

from sim.core.draws import binomial
from sim.core.leadership import facilitation_k
from sim.core.numerics import mean
from sim.core.world import World, board_active

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Move alignment toward its target; deliver, age and lapse open commitments."""
    kernel(m.w)


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (``sim/core/world.py``)."""
    p, s = w.p[0], w.s[0]
    if not s.partnership:
        _record(w, 0.0)
        return
    base = p.alignment_base_alignment
    active = board_active(w)
    link = 0.0
    if active:
        info = p.partnership_information_sharing
        link = min(
            1.0, p.leadership_alignment_link * facilitation_k(w) + p.alignment_info_link * info
        )
    manager = max(base, s.goal_clarity)
    n = w.alignment.size
    n_front = 0
    for i in range(n):
        if w.frontline[i]:
            n_front += 1
    front_alignment = np.empty(n_front)
    k = 0
    for i in range(n):
        if not active:
            target = base
        elif w.frontline[i]:
            target = base + (1 - base) * s.goal_clarity * link * w.role_clarity[i]
        else:
            target = manager
        w.alignment[i] += (target - w.alignment[i]) / p.alignment_align_months
        if w.frontline[i]:
            front_alignment[k] = w.alignment[i]
            k += 1
    vertical = mean(front_alignment) if n_front else 0.0
    s.vertical_alignment = vertical

    # the register: deliver (one draw per age, drawn whether or not any is open), lapse, age
    joint = w.rec[s.row].joint_work_share
    carry = min(1.0, joint / p.alignment_carry_share)
    chance = p.alignment_delivery_rate * vertical * carry if active else 0.0
    pending = w.pending
    delivered = 0
    for age in range(pending.size):
        done = binomial(w.rng_register, pending[age], chance)
        pending[age] -= done
        delivered += done
    s.delivered = delivered
    s.lapsed = pending[-1]
    for age in range(pending.size - 1, 0, -1):
        pending[age] = pending[age - 1]
    pending[0] = s.made

    decay = np.exp(-1.0 / p.alignment_commitment_months)
    added = p.alignment_commitment_effort * s.delivered
    n_agencies, n_issues = w.focus.shape
    for i in range(n_issues):
        focus = 0.0
        for a in range(n_agencies):
            focus += w.focus[a, i]
        focus /= n_agencies
        w.commitment_effort[i] = w.commitment_effort[i] * decay + added * focus
    _record(w, vertical)


@njit(cache=True)
def _record(w: World, vertical: float) -> None:
    """Record alignment and the register's counts."""
    s, r = w.s[0], w.rec[w.s[0].row]
    r.alignment_vertical = vertical
    r.commitments_delivered = float(s.delivered)
    r.commitments_lapsed = float(s.lapsed)
    r.commitments_open = float(w.pending.sum())
