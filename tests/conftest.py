"""Shared fixtures: the library's baseline scenario and small variants of it."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"


@pytest.fixture(scope="session")
def baseline() -> Scenario:
    """The baseline scenario as shipped."""
    return load_scenario(SCENARIOS / "baseline.yaml")


@pytest.fixture()
def small(baseline: Scenario) -> Scenario:
    """Baseline shortened to 36 months and 2 replicates, for fast tests."""
    return baseline.model_copy(update={"months": 36, "replicates": 2})
