"""Fixtures for the mechanism tests: configured scenarios, bare models, one month at a time.

Mechanism tests build a :class:`PartnershipModel` without Mesa agent views, set the state
arrays they need directly, and call one mechanism's ``step``. Every parameter a test relies
on is set explicitly here or in the test, so the tests do not depend on calibrated
defaults of ``dynamics``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from sim.core.model import PartnershipModel, World
from sim.scenario.dynamics import StartDynamics
from sim.scenario.levers import apply_changes
from sim.scenario.schema import Scenario


def configure(
    scenario: Scenario,
    levers: dict[str, Any] | None = None,
    dynamics: dict[str, Any] | None = None,
    **top: Any,
) -> Scenario:
    """Copy of ``scenario`` with lever paths, ``dynamics`` ``block.name`` paths and top keys.

    ``levers`` uses the public key paths (``environment.policy_churn``...) and is validated;
    ``dynamics`` uses ``block.name`` (``trust.gain``...).
    """
    sc = apply_changes(scenario, levers) if levers else scenario
    if dynamics:
        blocks: dict[str, Any] = {}
        for path, value in dynamics.items():
            block, name = path.split(".")
            current = blocks.get(block, getattr(sc.dynamics, block))
            blocks[block] = current.model_copy(update={name: value})
        sc = sc.model_copy(update={"dynamics": sc.dynamics.model_copy(update=blocks)})
    if top:
        sc = sc.model_copy(update=top)
    return sc


def build(
    scenario: Scenario,
    replicate: int = 0,
    partnership: bool = True,
    world: World | None = None,
) -> PartnershipModel:
    """A bare model (no Mesa agent views) as built, with no spin-up unless the scenario's
    ``dynamics.start.spin_up_months`` was set by the test.

    ``partnership=False`` builds the twin with no joint working; ``world`` picks any
    world (``sim/core/model.py``).
    """
    if scenario.dynamics.start.spin_up_months == StartDynamics().spin_up_months:
        scenario = configure(scenario, dynamics={"start.spin_up_months": 0})
    chosen = world or ("partnership" if partnership else "none")
    return PartnershipModel(scenario, replicate, world=chosen, with_agents=False)


def begin_month(m: PartnershipModel) -> None:
    """Advance the month counters as ``PartnershipModel.step`` does before its mechanisms."""
    m.month += 1
    m.recorder.month = m.spin_up + m.month - 1


def cross_tie(m: PartnershipModel, frontline: bool = True) -> int:
    """Slot of a live cross-agency tie (between practitioners, or between managers)."""
    t, s = m.ties, m.staff
    ends = (
        s.frontline[t.a] & s.frontline[t.b] if frontline else ~s.frontline[t.a] & ~s.frontline[t.b]
    )
    slots = np.flatnonzero(t.alive & t.cross & ends)
    assert slots.size, "the test scenario should have such a tie"
    return int(slots[0])


# the shipped baseline with the levers the mechanism tests lean on pinned explicitly
PINNED = {
    "environment.policy_churn": 0.0,
    "environment.churn_severity": 0.3,
    "environment.staff_turnover": 0.0,
    "environment.target_pressure": 0.5,
    "environment.initiatives_per_year": 0.0,
    "environment.austerity": 0.0,
    "partnership.formality": 0.5,
    "partnership.leadership.style": "directive",
    "partnership.leadership.strength": 0.5,
    "partnership.shared_targets": 0.1,
    "partnership.information_sharing": 0.3,
    "partnership.mandated": False,
    "partnership.task_bound": False,
    "partnership.community_voice": 0.2,
    "partnership.monitoring_focus": 0.3,
    "staff.initial_trust": 0.4,
    "staff.champions": 0.05,
    "staff.ties_within": 6.0,
    "staff.ties_across": 2.0,
}


@pytest.fixture()
def base(baseline: Scenario) -> Scenario:
    """Baseline, 36 months, with the levers the tests rely on pinned (no churn, no turnover)."""
    return configure(baseline, PINNED, months=36, replicates=2, interventions=[])


@pytest.fixture()
def cfg() -> Callable[..., Scenario]:
    """:func:`configure`: a scenario with levers, dynamics and top keys set."""
    return configure


@pytest.fixture()
def make() -> Callable[..., PartnershipModel]:
    """:func:`build`: a bare model at month 0."""
    return build


@pytest.fixture()
def begin() -> Callable[[PartnershipModel], None]:
    """:func:`begin_month`: advance the month counters."""
    return begin_month


@pytest.fixture()
def tie() -> Callable[..., int]:
    """:func:`cross_tie`: the slot of a live cross-agency tie."""
    return cross_tie
