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
from numba import njit

from sim.core.draws import poisson
from sim.core.numerics import total
from sim.core.world import World

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Draw arrivals, score how seamless the service is, and set the assessment load."""
    kernel(m.w)


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (``sim/core/world.py``)."""
    p, s, r = w.p[0], w.s[0], w.rec[w.s[0].row]
    n_issues = w.users.size
    for i in range(n_issues):
        w.users[i] = float(poisson(w.rng_population, w.users_per_month[i]))
    n_front = 0
    engaged = 0
    for i in range(w.frontline.size):
        if w.frontline[i]:
            n_front += 1
            if w.joint_share[i] >= p.outcomes_engaged_share:
                engaged += 1
    seamless = 0.0
    if s.partnership and n_front > 0:
        coverage = engaged / n_front
        protocol = p.partnership_information_sharing if s.alive else 0.0
        informal = p.outcomes_informal_sharing * r.trust_across_frontline
        seamless = coverage * min(1.0, protocol + informal)
    reassessed = np.empty(n_issues)
    assessed = np.empty(n_issues)
    for i in range(n_issues):
        extra = (w.agencies_per_user[i] - 1.0) * (1.0 - seamless)
        reassessed[i] = w.users[i] * extra
        assessed[i] = w.users[i] * (1.0 + extra)
    arrived = total(w.users)
    s.seamless = seamless
    s.reassessments = total(reassessed) / arrived if arrived else 0.0
    load = total(assessed) * p.outcomes_assessment_fte
    share = load / max(n_front, 1)
    for i in range(w.frontline.size):
        w.assessment_load[i] = share if w.frontline[i] else 0.0
    r.users = arrived
    r.seamless_share = seamless
    r.reassessments_per_user = s.reassessments
    r.assessment_load = load
