"""Mechanism 9, service users with multi-agency needs.

Reads: ``issues[].users_per_month``, ``issues[].agencies_per_user``,
``partnership.information_sharing``, ``dynamics.outcomes.assessment_fte``,
``dynamics.outcomes.informal_sharing``, ``dynamics.outcomes.engaged_share``. Owns:
arrivals, the seamless share, the assessment load on frontline staff. Records: ``users``,
``seamless_share``, ``reassessments_per_user``, ``assessment_load``.

A user who needs k agencies gets one joined-up assessment when practitioners work
jointly and can share what they know; otherwise each agency assesses in turn (k - 1
re-assessments). Assessments take frontline time. Evidence: seed 003 ("re-assessed by a
succession of separate services").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Draw arrivals, score how seamless the service is, and set the assessment load."""
    s, pop, dyn = m.staff, m.population, m.dyn.outcomes
    arrivals = m.streams["population"].poisson(m.users_per_month).astype(float)
    pop.users = arrivals
    if m.partnership and s.frontline.any():
        coverage = float((s.joint_share[s.frontline] >= dyn.engaged_share).mean())
        protocol = m.levers.partnership.information_sharing if m.board_active else 0.0
        informal = dyn.informal_sharing * m.recorded("trust_across_frontline")
        seamless = coverage * min(1.0, protocol + informal)
    else:
        seamless = 0.0
    extra = (m.agencies_per_user - 1.0) * (1.0 - seamless)
    total = arrivals.sum()
    pop.seamless = seamless
    pop.reassessments = float((arrivals * extra).sum() / total) if total else 0.0
    load = float((arrivals * (1.0 + extra)).sum()) * dyn.assessment_fte
    n_front = int(s.frontline.sum())
    m.assessment_load = np.where(s.frontline, load / max(n_front, 1), 0.0)
    m.record("users", float(total))
    m.record("seamless_share", seamless)
    m.record("reassessments_per_user", pop.reassessments)
    m.record("assessment_load", load)
