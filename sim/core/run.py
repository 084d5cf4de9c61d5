"""Run one replicate: the partnership and its counterfactual twin, stepped together.

The twin is the same model with the partnership switched off and the same seeds, so the
two share every random number of the processes they have in common. The true
partnership effect is the outcome minus the twin's outcome, month by month.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.core.model import PartnershipModel
from sim.core.regimes import classify
from sim.scenario.schema import Scenario


@dataclass
class ReplicateResult:
    """Monthly series of one replicate (arrays of length ``months``)."""

    replicate: int
    series: dict[str, np.ndarray]


class TwinRun:
    """A partnership and its counterfactual twin, stepped in lockstep."""

    def __init__(self, scenario: Scenario, replicate: int = 0, with_agents: bool = True):
        self.model = PartnershipModel(
            scenario, replicate, partnership=True, with_agents=with_agents
        )
        self.twin = PartnershipModel(scenario, replicate, partnership=False, with_agents=False)

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return self.model.month

    def step(self) -> None:
        """Advance both models one month."""
        self.model.step()
        self.twin.step()

    def series(self) -> dict[str, np.ndarray]:
        """Recorded series up to now, with the counterfactual, the effect and regimes."""
        n = self.model.month
        data = {k: v[:n].copy() for k, v in self.model.recorder.data.items()}
        cf = self.twin.recorder.data["outcome_index"][:n].copy()
        data["counterfactual_outcome_index"] = cf
        data["partnership_effect"] = data["outcome_index"] - cf
        data.update(classify(data, self.model.levers.regimes))
        return data


def simulate(scenario: Scenario, replicate: int, months: int | None = None) -> ReplicateResult:
    """Run one replicate to the horizon (or ``months``) and return its series."""
    run = TwinRun(scenario, replicate, with_agents=False)
    horizon = scenario.months if months is None else months
    for _ in range(horizon):
        run.step()
    return ReplicateResult(replicate, run.series())
