"""What a facilitator can change: the dashboard's levers and live shocks, and how a change
is labelled on the plots.

A lever is a key path of the scenario schema (``docs/scenario-reference.md``); the table
gives each its label and control range. A shock is a one-off event of a scenario's
``interventions`` timeline, applied from the next month.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from sim.scenario.interventions import (
    ChampionLeaves,
    Dissolve,
    LeaderLeaves,
    Reorganise,
    SetLevers,
)

SHARED_TARGETS_SHOCK = 0.6  # share of targets made shared by "Introduce shared targets"


@dataclass(frozen=True)
class Lever:
    """A lever on the dashboard: key path, labels and the control's range.

    ``kind`` is the value's type: ``float`` (a slider from ``lo`` to ``hi``), ``bool`` (a
    switch) or ``str`` (a choice among ``options``).
    """

    path: str
    label: str
    short: str  # on a plot marker
    kind: type
    lo: float = 0.0
    hi: float = 1.0
    step: float = 0.05
    options: tuple[str, ...] = ()


LEVERS: tuple[Lever, ...] = (
    Lever("environment.policy_churn", "Policy churn (reorganisations a year)", "churn", float,
          0.0, 3.0, 0.1),
    Lever("partnership.formality", "Formality of the board", "formality", float),
    Lever("partnership.leadership.style", "Chair's style", "chair", str,
          options=("facilitative", "directive", "absent")),
    Lever("partnership.leadership.strength", "Chair's strength", "chair strength", float),
    Lever("environment.target_pressure", "Target pressure from the centre", "target pressure",
          float),
    Lever("partnership.shared_targets", "Shared targets (share of targets)", "shared targets",
          float),
    Lever("partnership.information_sharing", "Information sharing", "info sharing", float),
    Lever("staff.champions", "Local champions (share of frontline)", "champions", float,
          0.0, 0.5, 0.01),
    Lever("partnership.mandated", "Mandated (cannot dissolve)", "mandate", bool),
)  # fmt: skip
LEVER_BY_PATH = {lever.path: lever for lever in LEVERS}


class Shock(Enum):
    """Live shocks; the value is the button's label."""

    REORGANISE = "Reorganise now"
    LEADER_LEAVES = "Leader leaves"
    CHAMPION_LEAVES = "Champion leaves"
    SHARED_TARGETS = "Introduce shared targets"


def lever_value(obj: Any, path: str) -> Any:
    """The value at key path ``path`` (e.g. ``partnership.formality``) of a scenario."""
    for part in path.split("."):
        obj = getattr(obj, part)
    return obj


def _short(path: str) -> str:
    lever = LEVER_BY_PATH.get(path)
    return lever.short if lever else path.rsplit(".", 1)[-1].replace("_", " ")


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def lever_label(path: str, value: Any) -> str:
    """Short marker text for a lever change, e.g. ``"formality 0.8"``."""
    return f"{_short(path)} {_format(value)}"


def event_label(event: Any) -> str:
    """Short marker text for a scenario intervention, e.g. ``"chair leaves"``."""
    if isinstance(event, Reorganise):
        return "reorganisation"
    if isinstance(event, LeaderLeaves):
        return "chair leaves"
    if isinstance(event, ChampionLeaves):
        return "champion leaves" if event.count == 1 else f"{event.count} champions leave"
    if isinstance(event, Dissolve):
        return "dissolved"
    if isinstance(event, SetLevers):
        return ", ".join(lever_label(p, v) for p, v in event.changes.items())
    return type(event).__name__
