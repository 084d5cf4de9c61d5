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

from sim.core.leadership import facilitation

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Update commitment; dissolve a voluntary board that has lost its members."""
    ag, s, t, board, dyn = m.agencies, m.staff, m.ties, m.board, m.dyn.lifecycle
    if not m.board_active:
        m.record("commitment", 0.0)
        m.record("board_alive", 0.0)
        return
    n_ag = m.n_agencies
    cross = np.flatnonzero(t.alive & t.cross)
    trust_sum = np.bincount(s.agency[t.a[cross]], t.trust[cross], n_ag) + np.bincount(
        s.agency[t.b[cross]], t.trust[cross], n_ag
    )
    tie_count = np.bincount(s.agency[t.a[cross]], minlength=n_ag) + np.bincount(
        s.agency[t.b[cross]], minlength=n_ag
    )
    relationships = trust_sum / np.maximum(tie_count, 1)
    cpm = max(m.dyn.board.commitments_per_month, 1e-9)
    delivery = min(1.0, board.delivered / cpm)
    joint = np.bincount(s.agency, s.joint_output, n_ag) / np.maximum(
        np.bincount(s.agency, s.frontline.astype(float), n_ag), 1
    )
    joint_index = np.minimum(1.0, joint / dyn.joint_value_output)
    value = (
        dyn.value_relationships * relationships
        + dyn.value_delivery * delivery
        + dyn.value_joint * joint_index
    )
    strategic = ~s.frontline
    meeting = np.bincount(s.agency[strategic], s.overhead[strategic], n_ag) / np.maximum(
        np.bincount(s.agency[strategic], s.capacity[strategic], n_ag), 1e-9
    )
    p = m.levers.partnership
    pooled = p.formality  # decisions ceded to the board's structures
    evening = 1.0 - m.dyn.leadership.power_evening * facilitation(m)
    # own targets at risk pull an agency away, unless the targets are shared and owned
    at_risk = dyn.pressure_disengagement * ag.pressure * (1.0 - p.shared_targets)
    # promises broken this month: their felt cost, and the enthusiasm they drain for good
    broken = min(1.0, board.lapsed / cpm)
    cost = (
        meeting + dyn.power_cost * ag.power * pooled * evening + at_risk + dyn.lapse_cost * broken
    )
    wanted = np.clip(dyn.neutral_commitment + m.enthusiasm + value - cost, 0.0, 1.0)
    ag.commitment += (wanted - ag.commitment) / dyn.commitment_months
    if not m.warming:
        m.enthusiasm *= (1.0 - dyn.fatigue_per_lapse) ** board.lapsed

    mean = float(ag.commitment.mean())
    board.low_commitment_months = (
        board.low_commitment_months + 1 if mean < dyn.dissolve_below else 0
    )
    # a monthly hazard while members are disengaged: the mean life of such a board is
    # patience_months, with no date at which every disengaged board goes at once
    draw = m.streams["lifecycle"].random()
    voluntary_exit = (
        not p.mandated and board.low_commitment_months > 0 and draw < 1.0 / dyn.patience_months
    )
    task_done = p.task_bound and m.recorded("outcome_index") >= p.task_goal
    if (voluntary_exit or task_done) and not m.warming:
        dissolve(m)
    m.record("commitment", mean)
    m.record("board_alive", float(board.alive))


def dissolve(m: PartnershipModel) -> None:
    """Dissolve the board now: no meetings, commitments, chair, shared targets or protocol."""
    m.board.alive = False
    m.board.dissolved_month = m.month
    m.board.leader = -1
    m.board.pending[:] = 0
