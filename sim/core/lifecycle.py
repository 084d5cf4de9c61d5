"""Mechanism 12, lifecycle: commitment to the partnership, and dissolution.

Reads: ``partnership.mandated``, ``partnership.task_bound``, ``partnership.task_goal``,
``partnership.formality``, ``partnership.shared_targets``, ``dynamics.lifecycle.*``,
``dynamics.leadership.power_evening``, ``dynamics.board.commitments_per_month``. Owns:
each agency's commitment, the members' enthusiasm (``model.enthusiasm``), the count of
low-commitment months, dissolution. Records: ``commitment``, ``board_alive``.

Each agency weighs what the partnership gives it (relationships, delivered commitments,
joint work) against what it costs (meeting time; the power it pools, felt most by the
powerful unless a facilitative chair evens it out; when its own targets are at risk, the
pull to disengage, which shared targets remove; and the promises the board broke this
month, which cost every member ``lapse_cost`` in a month with a full board's worth of
lapses). Members also bring an enthusiasm of their own (``initial_enthusiasm``) that each
lapsed commitment drains for good by ``fatigue_per_lapse``: partnership fatigue. The
spin-up does not drain it (like need, it is a stock with no level the levers sustain), so
it starts draining in month 1. A voluntary partnership whose members are uncommitted
dissolves, each such month with chance 1/``patience_months``; a mandated one cannot and
persists; a task-bound one dissolves when its task is done. No board dissolves during the
spin-up (``sim/core/model.py``). Evidence: seed 003 (members "turn up to the meeting and
say 'oh yes, that's something we'll do', and then it doesn't necessarily happen"; a
barrier: "it means power being taken away from them"; fourth lesson: problem-based
partnerships "ought therefore to be dissolved as soon as their work is done"); Vangen &
Huxham 2003 and Huxham & Vangen 2005 on partnership fatigue (not checked against the text).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from sim.core.draws import uniform
from sim.core.leadership import facilitation_k
from sim.core.numerics import total
from sim.core.world import World, board_active

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Update commitment; dissolve a voluntary board that has lost its members."""
    kernel(m.w)


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (``sim/core/world.py``)."""
    p, s, r = w.p[0], w.s[0], w.rec[w.s[0].row]
    if not board_active(w):
        r.commitment = 0.0
        r.board_alive = 0.0
        return
    n_ag = w.commitment.size
    # trust over live cross-agency ties, by agency: the a ends, then the b ends
    trust_a, trust_b = np.zeros(n_ag), np.zeros(n_ag)
    count = np.zeros(n_ag, np.int64)
    for k in range(w.tie_a.size):
        if w.tie_alive[k] and w.tie_cross[k]:
            ga, gb = w.agency[w.tie_a[k]], w.agency[w.tie_b[k]]
            trust_a[ga] += w.trust[k]
            trust_b[gb] += w.trust[k]
            count[ga] += 1
            count[gb] += 1
    # joint output per frontline post, and meeting time per unit of strategic capacity
    joint, front = np.zeros(n_ag), np.zeros(n_ag)
    overhead, capacity = np.zeros(n_ag), np.zeros(n_ag)
    for i in range(w.agency.size):
        g = w.agency[i]
        joint[g] += w.joint_output[i]
        if w.frontline[i]:
            front[g] += 1.0
        else:
            overhead[g] += w.overhead[i]
            capacity[g] += w.capacity[i]
    cpm = max(p.board_commitments_per_month, 1e-9)
    delivery = min(1.0, s.delivered / cpm)
    pooled = p.partnership_formality  # decisions ceded to the board's structures
    evening = 1.0 - p.leadership_power_evening * facilitation_k(w)
    # promises broken this month: their felt cost, and the enthusiasm they drain for good
    broken = min(1.0, s.lapsed / cpm)
    for g in range(n_ag):
        relationships = (trust_a[g] + trust_b[g]) / max(count[g], 1)
        joint_index = min(1.0, joint[g] / max(front[g], 1.0) / p.lifecycle_joint_value_output)
        value = (
            p.lifecycle_value_relationships * relationships
            + p.lifecycle_value_delivery * delivery
            + p.lifecycle_value_joint * joint_index
        )
        meeting = overhead[g] / max(capacity[g], 1e-9)
        # own targets at risk pull an agency away, unless the targets are shared and owned
        at_risk = (
            p.lifecycle_pressure_disengagement
            * w.pressure[g]
            * (1.0 - p.partnership_shared_targets)
        )
        cost = (
            meeting
            + p.lifecycle_power_cost * w.power[g] * pooled * evening
            + at_risk
            + p.lifecycle_lapse_cost * broken
        )
        wanted = min(max(p.lifecycle_neutral_commitment + s.enthusiasm + value - cost, 0.0), 1.0)
        w.commitment[g] += (wanted - w.commitment[g]) / p.lifecycle_commitment_months
    if not s.warming:
        s.enthusiasm *= (1.0 - p.lifecycle_fatigue_per_lapse) ** float(s.lapsed)

    mean = total(w.commitment) / n_ag
    if mean < p.lifecycle_dissolve_below:
        s.low_commitment_months += 1
    else:
        s.low_commitment_months = 0
    # a monthly hazard while members are disengaged: the mean life of such a board is
    # patience_months, with no date at which every disengaged board goes at once
    draw = uniform(w.rng_lifecycle)
    voluntary_exit = (
        not p.partnership_mandated
        and s.low_commitment_months > 0
        and draw < 1.0 / p.lifecycle_patience_months
    )
    task_done = p.partnership_task_bound and r.outcome_index >= p.partnership_task_goal
    if (voluntary_exit or task_done) and not s.warming:
        dissolve_k(w)
    r.commitment = mean
    r.board_alive = 1.0 if s.alive else 0.0


def dissolve(m: PartnershipModel) -> None:
    """Dissolve the board now: no meetings, commitments, chair, shared targets or protocol."""
    dissolve_k(m.w)


@njit(cache=True)
def dissolve_k(w: World) -> None:
    """:func:`dissolve` on the compiled world."""
    s = w.s[0]
    s.alive = False
    s.dissolved_month = s.month
    s.leader = -1
    w.pending[:] = 0
