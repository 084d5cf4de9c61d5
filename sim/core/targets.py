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

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def own_target_gap(m: PartnershipModel) -> np.ndarray:
    """Relative gap per agency between need on its target issues and the target path.

    The path starts from month-0 need, and again from the need of the day at the start
    of each later target cycle (every ``cycle_months``); it expects need to fall by
    ``ambition_per_year``. During the spin-up (month 0) the path is flat at month-0 need.
    """
    if m.month == 0:
        t = 0
    else:
        since = (m.month - 1) % m.dyn.targets.cycle_months
        if since == 0 and m.month > 1:
            m.target_base = m.population.need.copy()
        t = since + 1
    path = m.target_base * np.exp(-m.dyn.targets.ambition_per_year * t / 12.0)
    gap_issue = np.maximum(0.0, m.population.need / path - 1.0)
    return m.agencies.priorities @ gap_issue


def step(m: PartnershipModel) -> None:
    """Update felt pressure (first-order adjustment) and the pull it exerts."""
    env = m.levers.environment
    dyn = m.dyn.targets
    board = m.board
    new = m.streams["initiatives"].poisson(env.initiatives_per_year / 12.0)
    board.initiative_pressure = (
        board.initiative_pressure * np.exp(-1.0 / dyn.initiative_months)
        + new * dyn.initiative_pressure
    )
    gap = own_target_gap(m)
    chase = board.chase if m.board_active else 0.0
    wanted = np.clip(
        env.target_pressure * (dyn.on_track_pressure + dyn.gap_weight * gap)
        + board.initiative_pressure
        + chase,
        0.0,
        1.0,
    )
    ag = m.agencies
    ag.pressure += (wanted - ag.pressure) / dyn.adjust_months
    shared = m.levers.partnership.shared_targets if m.board_active else 0.0
    ag.pull = dyn.max_pull * ag.pressure * (1.0 - shared)
    m.record("target_pressure", float(ag.pressure.mean()))
    m.record("target_pull", float(ag.pull.mean()))
    m.record("initiatives", float(new))
