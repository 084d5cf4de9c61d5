"""Mechanism 8, needs vs targets: where silo and joint effort go.

Reads: ``partnership.community_voice``, ``dynamics.outcomes.voice_pull``,
``issues[].users_per_month``. Owns: each agency's strategic focus over issues, and
this month's silo and joint effort per issue. Records: ``need_target_alignment``,
``silo_effort``, ``joint_effort``.

Strategic (silo) work follows each agency's own targets, moved toward the population's
real needs by community voice and by what meaningful monitoring has taught the board.
Frontline joint work follows the need practitioners see in their caseload, except as far
as they are aligned with the strategy. Evidence: seed 003 (frontline partnerships
"responded to service users' real needs... rather than a target"); seeds 000, 004.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def need_share(m: PartnershipModel) -> np.ndarray:
    """Share of the caseload each issue brings (relative need times users)."""
    pop = m.population
    load = pop.need / pop.need0 * np.maximum(m.users_per_month, 1e-9)
    return load / load.sum()


def step(m: PartnershipModel) -> None:
    """Set strategic focus and split silo and joint effort across issues."""
    s, ag = m.staff, m.agencies
    share = need_share(m)
    if m.board_active:
        voice = m.dyn.outcomes.voice_pull * m.levers.partnership.community_voice
        pull_to_need = 1.0 - (1.0 - voice) * (1.0 - m.board.learning)
    else:
        pull_to_need = 0.0
    ag.focus = (1.0 - pull_to_need) * ag.priorities + pull_to_need * share
    weights = ag.size / ag.size.sum()
    mean_focus = weights @ ag.focus
    alignment = 1.0 - 0.5 * float(np.abs(mean_focus - share).sum())

    silo = np.maximum(s.capacity - s.overhead - s.joint_done - m.assessment_load, 0.0)
    silo_by_agency = np.bincount(s.agency, silo, m.n_agencies)
    m.silo_effort = silo_by_agency @ ag.focus
    aligned = np.bincount(s.agency, s.joint_output * s.alignment, m.n_agencies)
    free = float((s.joint_output * (1.0 - s.alignment)).sum())
    m.joint_effort = aligned @ ag.focus + free * share
    m.record("need_target_alignment", alignment)
    m.record("silo_effort", float(m.silo_effort.sum()))
    m.record("joint_effort", float(m.joint_effort.sum()))
