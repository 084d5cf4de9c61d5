"""Mechanism 2, target pressure and the capability trap.

Reads: ``environment.target_pressure``, ``environment.initiatives_per_year``,
``partnership.shared_targets``, ``dynamics.targets.*``. Owns: each agency's felt
pressure and its pull of joint work back to the silo; the passing pressure of
initiatives. Records: ``target_pressure``, ``target_pull``, ``initiatives``.

Pressure rises with central intensity and with the gap between need on the agency's own
target issues and the centre's target path, which starts again from the need of the day
every target cycle; a shared target counts toward each agency's
own performance, so it lowers the pull. Evidence: seed 003 ("not our problem because
we're not being performance managed on it"); Repenning & Sterman 2001.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from sim.core.draws import poisson
from sim.core.numerics import mean
from sim.core.world import World, board_active

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def own_target_gap(m: PartnershipModel) -> np.ndarray:
    """Relative gap per agency between need on its target issues and the target path.

    The path starts from month-0 need, and again from the need of the day at the start
    of each later target cycle (every ``cycle_months``); it expects need to fall by
    ``ambition_per_year``. During the spin-up (month 0) the path is flat at month-0 need.
    """
    gap = np.zeros(m.agencies.pressure.size)
    own_target_gap_k(m.w, gap)
    return gap


@njit(cache=True)
def own_target_gap_k(w: World, out: np.ndarray) -> None:
    """:func:`own_target_gap` on the compiled world, written into ``out``."""
    p, s = w.p[0], w.s[0]
    if s.month == 0:
        t = 0
    else:
        since = (s.month - 1) % p.targets_cycle_months
        if since == 0 and s.month > 1:
            w.target_base[:] = w.need
        t = since + 1
    shrink = np.exp(-p.targets_ambition_per_year * t / 12.0)
    n_issues = w.need.size
    gap_issue = np.empty(n_issues)
    for i in range(n_issues):
        gap_issue[i] = max(0.0, w.need[i] / (w.target_base[i] * shrink) - 1.0)
    for a in range(out.size):
        total = 0.0
        for i in range(n_issues):
            total += w.priorities[a, i] * gap_issue[i]
        out[a] = total


def step(m: PartnershipModel) -> None:
    """Update felt pressure (first-order adjustment) and the pull it exerts."""
    kernel(m.w)


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (``sim/core/world.py``)."""
    p, s, r = w.p[0], w.s[0], w.rec[w.s[0].row]
    new = poisson(w.rng_initiatives, p.environment_initiatives_per_year / 12.0)
    s.initiative_pressure = (
        s.initiative_pressure * np.exp(-1.0 / p.targets_initiative_months)
        + new * p.targets_initiative_pressure
    )
    gap = np.empty(w.pressure.size)
    own_target_gap_k(w, gap)
    active = board_active(w)
    chase = s.chase if active else 0.0
    shared = p.partnership_shared_targets if active else 0.0
    for a in range(gap.size):
        wanted = (
            p.environment_target_pressure
            * (p.targets_on_track_pressure + p.targets_gap_weight * gap[a])
            + s.initiative_pressure
            + chase
        )
        wanted = min(max(wanted, 0.0), 1.0)
        w.pressure[a] += (wanted - w.pressure[a]) / p.targets_adjust_months
        w.pull[a] = p.targets_max_pull * w.pressure[a] * (1.0 - shared)
    r.target_pressure = mean(w.pressure)
    r.target_pull = mean(w.pull)
    r.initiatives = float(new)
