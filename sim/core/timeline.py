"""Interventions from the scenario's timeline, applied to the running model.

Reads: ``interventions``. At the start of each month the events due are applied in file
order: lever changes (and their reversion after ``until``), a forced reorganisation (run
by ``churn.py`` in the same month), the chair leaving, champions leaving, dissolution.
The same functions serve the dashboard's live shocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from sim.core import churn, lifecycle
from sim.scenario.interventions import (
    ChampionLeaves,
    Dissolve,
    LeaderLeaves,
    Reorganise,
    SetLevers,
)
from sim.scenario.levers import apply_changes

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def leader_leaves(m: PartnershipModel) -> None:
    """The chair leaves; the post stays vacant for ``dynamics.churn.leader_vacancy_months``."""
    if m.partnership and m.board.leader >= 0:
        m.board.leader = -1
        m.board.vacancy_left = m.dyn.churn.leader_vacancy_months


def champions_leave(m: PartnershipModel, count: int) -> int:
    """``count`` champions (chosen at random) leave and newcomers take their posts."""
    champs = np.flatnonzero(m.staff.champion)
    rng = m.streams["interventions"]
    chosen = rng.permutation(champs)[: min(count, champs.size)]
    gone = np.zeros(m.staff.n, bool)
    gone[chosen] = True
    churn.replace_posts(m, gone, np.ones(m.staff.n))  # newcomers are not champions
    return int(chosen.size)


def set_levers(m: PartnershipModel, changes: dict[str, Any]) -> dict[str, Any]:
    """Apply lever changes now; return the previous values (to revert them later)."""
    before = {path: _get(m.levers, path) for path in changes}
    m.levers = apply_changes(m.levers, changes)
    return before


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


class Timeline:
    """The scenario's interventions, indexed by month."""

    def __init__(self, interventions: list):
        self.events = list(interventions)
        self._reverts: dict[int, list[dict[str, Any]]] = {}

    def apply(self, m: PartnershipModel) -> float | None:
        """Apply what is due in ``m.month``; return a forced reorganisation's severity."""
        month = m.month
        forced: float | None = None
        for changes in self._reverts.pop(month, []):
            m.levers = apply_changes(m.levers, changes)
        for event in self.events:
            if event.first_month() != month:
                continue
            if isinstance(event, SetLevers):
                before = set_levers(m, event.changes)
                if event.until is not None:
                    self._reverts.setdefault(event.until + 1, []).append(before)
            elif isinstance(event, Reorganise):
                sev = event.severity
                forced = m.levers.environment.churn_severity if sev is None else sev
            elif isinstance(event, LeaderLeaves):
                leader_leaves(m)
            elif isinstance(event, ChampionLeaves):
                champions_leave(m, event.count)
            elif isinstance(event, Dissolve) and m.partnership and m.board.alive:
                lifecycle.dissolve(m)
        return forced
