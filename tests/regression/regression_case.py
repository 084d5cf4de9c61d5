"""The fixed case of the regression test, shared by the test and its update script."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

from sim.core.run import simulate
from sim.experiment.summary import summarise
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIO = ROOT / "scenarios" / "baseline.yaml"
STORED = Path(__file__).with_name("baseline_summary.json")
CHANGELOG = ROOT / "CHANGELOG.md"
FLAG = "**[output]**"
REPLICATES = 3
MONTHS = 60
SERIES = (
    "outcome_index",
    "partnership_effect",
    "added_value_rate",
    "ground_value_rate",
    "trust_across",
    "joint_work_share",
    "formal_activity",
    "commitment",
)


def compute() -> dict[str, Any]:
    """Summary and a few monthly series of the fixed case, as JSON-ready data."""
    sc = load_scenario(SCENARIO, {"replicates": REPLICATES, "months": MONTHS})
    results = [simulate(sc, r) for r in range(REPLICATES)]
    series = {
        k: np.round(np.mean([r.series[k] for r in results], axis=0), 10).tolist() for k in SERIES
    }
    return {
        "case": {"scenario": "scenarios/baseline.yaml", "replicates": REPLICATES, "months": MONTHS},
        "summary": summarise(results),
        "mean_series": series,
    }


def output_flags() -> int:
    """How many changes of model output CHANGELOG.md flags."""
    return CHANGELOG.read_text(encoding="utf-8").count(FLAG)


def stored() -> dict[str, Any]:
    """The stored baseline."""
    return json.loads(STORED.read_text())
