"""Interventions from the scenario's timeline, applied to the running model.

Reads: ``interventions``. At the start of each month the levers are set for that month,
then the one-off events due are applied in file order: a forced reorganisation (run by
``churn.py`` in the same month), the chair leaving, champions leaving, dissolution. The
same functions serve the dashboard's live shocks and lever changes.

Lever changes are layers (docs/scenario-reference.md, "Lever changes over time"): every
``set`` is a layer in force from its first month to its ``until`` (inclusive; without
``until``, for good), and a live change made in month ``m`` (:func:`set_levers`) is a
layer from ``m`` for good. A lever's value is that of the latest-starting layer in force
that names it (equal starts: the later ``set`` in the file, and a live change after the
file's); with none, its base value (the scenario's). The levers are recomputed only in
months where a layer starts or ends.
"""

from __future__ import annotations

from dataclasses import dataclass
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
    from sim.scenario.schema import Scenario


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
    """Change levers now, as a live change made in month ``m.month``; return the values
    they had.

    The change is a layer from ``m.month`` on, for good (recorded in ``m.timeline``): it
    wins over ``set`` windows that started in or before this month and stays after they
    end; a window that starts later wins while it is in force. Raises ``ValueError`` (as
    :func:`~sim.scenario.levers.apply_changes`) for a path that is not a lever or a bad
    value, and then changes nothing.
    """
    before = {path: _get(m.levers, path) for path in changes}
    levers = apply_changes(m.levers, changes)  # the newest layer wins over every one in force
    m.timeline.live_change(m.month, changes, m.levers)
    m.levers = levers
    return before


def _get(obj: Any, path: str) -> Any:
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


@dataclass(frozen=True)
class Layer:
    """Lever values in force from month ``start`` to ``end`` inclusive (``None``: for good)."""

    start: int
    end: int | None
    changes: dict[str, Any]

    def in_force(self, month: int) -> bool:
        """Whether the layer is in force in ``month``."""
        return self.start <= month and (self.end is None or month <= self.end)


def _layer(event: SetLevers) -> Layer:
    return Layer(event.first_month(), event.until, event.changes)


class Timeline:
    """The scenario's interventions, indexed by month, and the live lever changes.

    ``events`` are the interventions still to come (the dashboard appends its shocks);
    the ``set`` ones among them are layers. ``base`` is the levers without any layer (the
    scenario); when not given, it is the model's levers the first time a layer starts.
    ``earlier`` are ``set`` interventions that started before this timeline took over (a
    branch, :func:`sim.experiment.branch.timeline_after`): layers still in force carry on.
    """

    def __init__(
        self,
        interventions: list,
        base: Scenario | None = None,
        earlier: list[SetLevers] | None = None,
    ):
        self.events = list(interventions)
        self.base = base
        self._earlier = [_layer(e) for e in earlier or []]
        self._live: list[Layer] = []

    def layers(self) -> list[Layer]:
        """Every layer, in the order of precedence for equal starts (the last wins)."""
        scheduled = [_layer(e) for e in self.events if isinstance(e, SetLevers)]
        return [*self._earlier, *scheduled, *self._live]

    def levers_at(self, month: int) -> Scenario:
        """The levers in ``month``: the base with every layer in force, by the rule above."""
        if self.base is None:
            raise ValueError("the timeline has no base levers yet")
        merged: dict[str, Any] = {}
        for layer in sorted(self.layers(), key=lambda layer: layer.start):  # stable sort
            if layer.in_force(month):
                merged.update(layer.changes)
        return apply_changes(self.base, merged) if merged else self.base

    def live_change(self, month: int, changes: dict[str, Any], levers: Scenario) -> None:
        """Record a live change made in ``month`` (``levers``: the levers before it)."""
        if self.base is None:
            self.base = levers  # no layer has started yet, so these are the base levers
        self._live.append(Layer(month, None, dict(changes)))

    def _boundary(self, month: int) -> bool:
        """Whether a scheduled layer starts in ``month`` or ended the month before."""
        for layer in self._earlier:
            if layer.end is not None and layer.end + 1 == month:
                return True
        for event in self.events:
            if isinstance(event, SetLevers):
                ended = event.until is not None and event.until + 1 == month
                if ended or event.first_month() == month:
                    return True
        return False

    def next_change(self, month: int) -> int | None:
        """The first month from ``month`` on in which :meth:`apply` does anything (a layer
        starts or ends, or an event is due); ``None`` if there is none."""
        starts = []
        for layer in self._earlier:
            if layer.end is not None:
                starts.append(layer.end + 1)
        for event in self.events:
            starts.append(event.first_month())
            if isinstance(event, SetLevers) and event.until is not None:
                starts.append(event.until + 1)
        due = [s for s in starts if s >= month]
        return min(due) if due else None

    def apply(self, m: PartnershipModel) -> float | None:
        """Set the levers for ``m.month`` and apply the events due in it; return a forced
        reorganisation's severity."""
        month = m.month
        forced: float | None = None
        if self._boundary(month):
            if self.base is None:
                self.base = m.levers
            m.levers = self.levers_at(month)
        for event in self.events:
            if event.first_month() != month or isinstance(event, SetLevers):
                continue
            if isinstance(event, Reorganise):
                sev = event.severity
                forced = m.levers.environment.churn_severity if sev is None else sev
            elif isinstance(event, LeaderLeaves):
                leader_leaves(m)
            elif isinstance(event, ChampionLeaves):
                champions_leave(m, event.count)
            elif isinstance(event, Dissolve) and m.partnership and m.board.alive:
                lifecycle.dissolve(m)
        return forced
