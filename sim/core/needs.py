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
from numba import njit

from sim.core.numerics import total, vec_mat
from sim.core.world import World, board_active

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def need_share(m: PartnershipModel) -> np.ndarray:
    """Share of the caseload each issue brings (relative need times users)."""
    return need_share_k(m.w)


@njit(cache=True)
def need_share_k(w: World) -> np.ndarray:
    """:func:`need_share` on the compiled world."""
    load = np.empty(w.need.size)
    for i in range(load.size):
        load[i] = w.need[i] / w.need0[i] * max(w.users_per_month[i], 1e-9)
    return load / total(load)


def step(m: PartnershipModel) -> None:
    """Set strategic focus and split silo and joint effort across issues."""
    kernel(m.w)


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (``sim/core/world.py``)."""
    p, s, r = w.p[0], w.s[0], w.rec[w.s[0].row]
    n_ag, n_iss = w.focus.shape
    share = need_share_k(w)
    if board_active(w):
        voice = p.outcomes_voice_pull * p.partnership_community_voice
        pull_to_need = 1.0 - (1.0 - voice) * (1.0 - s.learning)
    else:
        pull_to_need = 0.0
    for k in range(n_ag):
        for j in range(n_iss):
            w.focus[k, j] = (1.0 - pull_to_need) * w.priorities[k, j] + pull_to_need * share[j]
    size_total = 0
    for k in range(n_ag):
        size_total += w.size[k]
    weights = np.empty(n_ag)
    for k in range(n_ag):
        weights[k] = w.size[k] / size_total
    mean_focus = np.empty(n_iss)
    vec_mat(weights, w.focus, mean_focus)
    gap = np.empty(n_iss)
    for j in range(n_iss):
        gap[j] = abs(mean_focus[j] - share[j])
    alignment = 1.0 - 0.5 * total(gap)

    silo_by_agency = np.zeros(n_ag)
    aligned = np.zeros(n_ag)
    unaligned = np.empty(w.agency.size)
    for i in range(w.agency.size):
        left = w.capacity[i] - w.overhead[i] - w.joint_done[i] - w.assessment_load[i]
        silo_by_agency[w.agency[i]] += max(left, 0.0)
        aligned[w.agency[i]] += w.joint_output[i] * w.alignment[i]
        unaligned[i] = w.joint_output[i] * (1.0 - w.alignment[i])
    free = total(unaligned)
    vec_mat(silo_by_agency, w.focus, w.silo_effort)
    vec_mat(aligned, w.focus, w.joint_effort)
    for j in range(n_iss):
        w.joint_effort[j] += free * share[j]
    r.need_target_alignment = alignment
    r.silo_effort = total(w.silo_effort)
    r.joint_effort = total(w.joint_effort)
