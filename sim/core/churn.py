"""Mechanism 1, churn: reorganisations and background staff turnover.

Reads: ``environment.policy_churn``, ``environment.churn_severity``,
``environment.staff_turnover``, ``staff.champions``, ``staff.ties_within``,
``dynamics.churn.*``, ``dynamics.frontline.goodwill_base``,
``dynamics.alignment.base_alignment``. Owns: which posts change hands; the board's re-
forming overhead; reshuffled agency priorities; the chair's departure. Records:
``reorganisation``, ``staff_replaced``.

Evidence: seed 003 ("constant reorganisation"); Fulop et al. 2002 (mergers delayed
service development by at least 18 months).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core.network import add_within_ties

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel

NEWCOMER_WITHIN_TRUST = 0.3  # trust of a newcomer's first colleague ties (assumption)


def step(m: PartnershipModel, forced_severity: float | None = None) -> None:
    """Draw this month's reorganisation and turnover and replace the posts that change hands.

    The draws are made every month whether or not they are used, so the factual run and
    its counterfactual twin stay on the same random numbers.
    """
    env = m.levers.environment
    rng = m.streams["churn"]
    reorg_draw = rng.random()
    replace_draw = rng.random(m.staff.n)
    reshuffle = m.streams["reshuffle"].dirichlet(np.ones(m.n_issues), m.n_agencies)
    turn = m.streams["turnover"]
    leave_draw = turn.random(m.staff.n)
    champion_draw = turn.random(m.staff.n)

    reorganised = reorg_draw < 1.0 - np.exp(-env.policy_churn / 12.0)
    severity = env.churn_severity
    if forced_severity is not None:
        reorganised, severity = True, forced_severity
    gone = leave_draw < 1.0 - np.exp(-env.staff_turnover / 12.0)
    if reorganised:
        gone |= replace_draw < severity
        restructure(m, severity, reshuffle)
    replace_posts(m, gone, champion_draw)
    m.record("reorganisation", float(reorganised))
    m.record("staff_replaced", float(gone.sum()))


def restructure(m: PartnershipModel, severity: float, reshuffle: np.ndarray) -> None:
    """Reset structures: re-forming overhead, lost clarity and learning, new priorities."""
    dyn = m.dyn.churn
    mix = severity * dyn.priority_reshuffle
    pr = (1.0 - mix) * m.agencies.priorities + mix * reshuffle
    m.agencies.priorities = pr / pr.sum(axis=1, keepdims=True)
    if not m.partnership:
        return
    board = m.board
    board.reform_left = max(board.reform_left, dyn.reform_months * min(1.0, 2.0 * severity))
    board.goal_clarity *= 1.0 - severity
    board.learning *= 1.0 - severity
    board.efficiency = 1.0 + (board.efficiency - 1.0) * (1.0 - severity)


def replace_posts(m: PartnershipModel, gone: np.ndarray, champion_draw: np.ndarray) -> None:
    """Newcomers fill the posts in the boolean mask ``gone``: no cross-agency ties, low
    role clarity, a few new colleague ties; a newcomer is a champion with the scenario's
    champion share."""
    idx = np.flatnonzero(gone)
    if idx.size == 0:
        return
    s = m.staff
    dyn = m.dyn
    s.tenure[idx] = 0.0
    s.goodwill[idx] = dyn.frontline.goodwill_base
    s.role_clarity[idx] = dyn.churn.newcomer_role_clarity
    s.alignment[idx] = dyn.alignment.base_alignment
    s.joint_share[idx] = 0.0
    s.champion[idx] = s.frontline[idx] & (champion_draw[idx] < m.levers.staff.champions)
    m.ties.drop_touching(gone)
    add_within_ties(
        m.ties,
        s,
        m.agencies.first,
        m.agencies.size,
        idx,
        m.levers.staff.ties_within,
        NEWCOMER_WITHIN_TRUST,
        m.streams["newcomers"],
    )
    if m.partnership and m.board.leader >= 0 and gone[m.board.leader]:
        m.board.leader = -1
        m.board.vacancy_left = dyn.churn.leader_vacancy_months
