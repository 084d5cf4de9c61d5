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

from sim.core.world import World

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


@njit(cache=True)
def _block(a: np.ndarray, lo: int, n: int) -> float:
    """numpy's sum of a block of at most 128 values ``a[lo:lo + n]`` (eight lanes)."""
    if n < 8:
        res = -0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    full = n - n % 8
    for i in range(lo + 8, lo + full, 8):
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for i in range(lo + full, lo + n):
        res += a[i]
    return res


@njit(cache=True)
def total(a: np.ndarray) -> float:
    """Sum of a contiguous float array, bit for bit as ``np.sum`` adds it (numpy's pairwise
    halving into blocks of at most 128, walked with a stack: numba's cache cannot hold a
    recursive function)."""
    if a.size <= 128:
        return _block(a, 0, a.size)
    los = np.empty(128, np.int64)
    ns = np.empty(128, np.int64)
    split = np.zeros(128, np.bool_)  # the frame's halves are summed: add them
    sums = np.empty(128)
    top, depth = 0, 0
    los[0], ns[0] = 0, a.size
    while top >= 0:
        lo, n, done = los[top], ns[top], split[top]
        top -= 1
        if n <= 128:
            sums[depth] = _block(a, lo, n)
            depth += 1
        elif done:
            depth -= 1
            sums[depth - 1] = sums[depth - 1] + sums[depth]
        else:
            half = n // 2
            half -= half % 8
            top += 1
            los[top], ns[top], split[top] = lo, n, True
            top += 1
            los[top], ns[top], split[top] = lo + half, n - half, False
            top += 1
            los[top], ns[top], split[top] = lo, half, False
    return sums[0]


@njit(cache=True)
def vec_mat(v: np.ndarray, mat: np.ndarray, out: np.ndarray) -> None:
    """``out[:] = v @ mat`` summed over rows in index order."""
    out[:] = 0.0
    for k in range(mat.shape[0]):
        for j in range(mat.shape[1]):
            out[j] += v[k] * mat[k, j]


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
    if s.partnership and s.alive:
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
