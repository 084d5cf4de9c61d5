"""Run one replicate: the partnership and its two twins, stepped together.

The twins are the same model with the same seeds (``sim/core/model.py``), so all three
worlds share every random number of the processes they have in common (common random
numbers). What the partnership adds is measured against the board-less twin; what joint
working on the ground is worth, against the twin with no joint working (measures below).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

import numpy as np

from sim.core import regimes
from sim.core.model import PartnershipModel, initial_network
from sim.scenario.schema import Regimes, Scenario

# Derived monthly measures (name: unit, meaning); sim/reference.py documents them.
MEASURES: dict[str, tuple[str, str]] = {
    "boardless_outcome_index": (
        "% fall in need",
        "outcome index of the board-less twin (joint work on the ground, no board)",
    ),
    "counterfactual_outcome_index": (
        "% fall in need",
        "outcome index of the twin with no joint working at all",
    ),
    "added_value": (
        "% of need (log points)",
        "the board-less twin's need the partnership has averted since month 0 (cumulative)",
    ),
    "ground_value": (
        "% of need (log points)",
        "the no-joint-work twin's need that joint work on the ground has averted since "
        "month 0 (cumulative)",
    ),
    "added_value_rate": (
        "% of need per year",
        "what the partnership adds this month: the yearly fall in need its extra effort "
        "brings, over the board-less twin's, once the lag has passed",
    ),
    "ground_value_rate": (
        "% of need per year",
        "what joint work on the ground adds this month over no joint working, once the lag "
        "has passed",
    ),
    "partnership_effect": (
        "index points",
        "total effect: outcome index minus the no-joint-work twin's (the board and the "
        "joint work on the ground together)",
    ),
}


@dataclass
class ReplicateResult:
    """Monthly series of one replicate (arrays of length ``months``); ``draw`` numbers
    the draw of the constants it ran with (``sim/experiment/assumptions.py``; 0 when the
    constants are the scenario's own)."""

    replicate: int
    series: dict[str, np.ndarray]
    draw: int = 0


def averted(
    world: dict[str, np.ndarray], base: dict[str, np.ndarray], issues: list[str]
) -> np.ndarray:
    """Need ``world`` has averted against ``base`` since month 0, month by month.

    In log points of need (100 times the log of base need over world need), mean over
    issues: about the % of ``base``'s need for small values, additive over time and
    over issues, and in the same unit as the yearly rates summed over months / 12.
    """
    gaps = [
        np.log1p(-base[f"outcome_index_{i}"] / 100.0)
        - np.log1p(-world[f"outcome_index_{i}"] / 100.0)
        for i in issues
    ]
    return 100.0 * np.mean(gaps, axis=0)


class TwinRun:
    """A partnership and its two twins (board-less; no joint working), in lockstep."""

    def __init__(self, scenario: Scenario, replicate: int = 0, with_agents: bool = True):
        network = initial_network(scenario, replicate)  # the two worlds with ties share it
        self.model = PartnershipModel(
            scenario,
            replicate,
            world="partnership",
            with_agents=with_agents,
            network=copy.deepcopy(network),
        )
        self.boardless = PartnershipModel(
            scenario, replicate, world="boardless", with_agents=False, network=network
        )
        self.twin = PartnershipModel(scenario, replicate, world="none", with_agents=False)

    @property
    def worlds(self) -> tuple[PartnershipModel, PartnershipModel, PartnershipModel]:
        """The partnership, the board-less twin and the no-joint-work twin."""
        return (self.model, self.boardless, self.twin)

    @property
    def month(self) -> int:
        """Months simulated so far."""
        return self.model.month

    def run_to(self, months: int) -> None:
        """Advance every world to month ``months``, each on its own (they share no state),
        so the months the timeline leaves alone run in one compiled call per world."""
        for world in self.worlds:
            world.advance_to(months)

    def step(self) -> None:
        """Advance all three worlds one month (Mesa's clock only where there are agents)."""
        for world in self.worlds:
            if world.with_agents:
                world.step()
            else:
                world.advance_month()

    def series(self) -> dict[str, np.ndarray]:
        """Reported series up to now, with the twins' outcomes, the measures and regimes."""
        n, spin = self.model.month, self.model.spin_up
        issues = self.model.issue_names
        rec = self.model.recorder
        outcomes = ["outcome_index", *(f"outcome_index_{i}" for i in issues)]
        data = {k: rec.reported(k, n) for k in rec.names}
        b = {k: self.boardless.recorder.reported(k, n) for k in outcomes}
        z = {k: self.twin.recorder.reported(k, n) for k in outcomes}
        inputs = self.regime_inputs()
        data["boardless_outcome_index"] = b["outcome_index"]
        data["counterfactual_outcome_index"] = z["outcome_index"]
        data["added_value"] = averted(data, b, issues)
        data["ground_value"] = averted(b, z, issues)
        for rate in regimes.RATES:
            data[rate] = inputs[rate][spin:].copy()
        data["partnership_effect"] = data["outcome_index"] - z["outcome_index"]
        data.update(self.regimes(inputs=inputs))
        return data

    def regime_inputs(self) -> dict[str, np.ndarray]:
        """The series regimes are judged on (:data:`~sim.core.regimes.SERIES`), from the
        first spin-up month to now: the partnership's own, and its rates over the twins."""
        upto = self.model.spin_up + self.model.month
        own, board, none = (w.recorder.data["effort_value"][:upto] for w in self.worlds)
        data = self.model.recorder.data
        inputs = {k: data[k][:upto] for k in regimes.SERIES if k not in regimes.RATES}
        inputs["added_value_rate"] = own - board
        inputs["ground_value_rate"] = board - none
        return inputs

    def regimes(
        self,
        thresholds: Regimes | None = None,
        inputs: dict[str, np.ndarray] | None = None,
    ) -> dict[str, np.ndarray]:
        """Regime columns for the reported months (under ``thresholds``, default the
        scenario's), judged over windows that reach back into the spin-up, so that month
        1 already has a full window. ``inputs``: :meth:`regime_inputs`, if already made."""
        judged = regimes.classify(
            self.regime_inputs() if inputs is None else inputs,
            thresholds or self.model.levers.regimes,
        )
        return {k: v[self.model.spin_up :].copy() for k, v in judged.items()}


def simulate(scenario: Scenario, replicate: int, months: int | None = None) -> ReplicateResult:
    """Run one replicate to the horizon (or ``months``) and return its series."""
    run = TwinRun(scenario, replicate, with_agents=False)
    run.run_to(scenario.months if months is None else months)
    return ReplicateResult(replicate, run.series())
