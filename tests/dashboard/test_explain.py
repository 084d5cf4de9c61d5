"""The regime badge's reasons: each rule on made-up series, and agreement with real runs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.core.regimes import CODES, REGIMES
from sim.core.run import TwinRun
from sim.dashboard.explain import REASONS, explain
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
N = 24  # months of made-up series


def made_up(regime: str, **columns: object) -> dict[str, np.ndarray]:
    """Quiet series of ``N`` months in ``regime``; ``columns`` replace columns (a scalar
    fills the column, an array is used as it is)."""
    base: dict[str, object] = {
        "regime_code": CODES[regime],
        "joint_work_window": 0.05,
        "target_pull": 0.2,
        "board_alive": 1.0,
        "commitment": 0.5,
        "reforming": 0.0,
        "reorganisation": 0.0,
        "delivery_ratio": 0.8,
        "leader_present": 1.0,
        "trust_across": 0.3,
    }
    base.update(columns)
    return {
        k: np.asarray(v, float) if np.ndim(v) else np.full(N, float(v)) for k, v in base.items()
    }


def ramp(start: float, end: float) -> np.ndarray:
    return np.linspace(start, end, N)


def gone_at(month_index: int) -> np.ndarray:
    alive = np.ones(N)
    alive[month_index:] = 0.0
    return alive


def mandated(scenario: Scenario) -> Scenario:
    partnership = scenario.partnership.model_copy(update={"mandated": True})
    return scenario.model_copy(update={"partnership": partnership})


def recent_reorganisation() -> np.ndarray:
    flags = np.zeros(N)
    flags[-3] = 1.0
    return flags


def old_reorganisation() -> np.ndarray:
    flags = np.zeros(N)
    flags[2] = 1.0
    return flags


# (rule expected, regime, columns, mandated scenario?)
CASES = [
    ("dissolved_commitment", "dissolved", {"board_alive": gone_at(10), "commitment": 0.2}, False),
    ("dissolved_other", "dissolved", {"board_alive": gone_at(10), "commitment": 0.6}, False),
    (
        "dissolved_joint_goes_on",
        "dissolved",
        {"board_alive": gone_at(10), "joint_work_window": 0.15},
        False,
    ),
    ("reorganisation", "facade", {"reforming": 1.0}, False),
    ("reorganisation", "facade", {"reorganisation": recent_reorganisation()}, False),
    ("broken_promises", "facade",
     {"reorganisation": old_reorganisation(), "delivery_ratio": 0.2}, False),
    ("mandated_shell", "facade", {"commitment": 0.1, "delivery_ratio": 0.2}, True),
    ("silo_pull", "facade", {"target_pull": 0.6, "delivery_ratio": 0.2}, False),
    ("busy_board", "facade", {}, False),
    ("busy_board", "facade", {"delivery_ratio": np.nan}, False),
    ("reorganisation", "inert", {"reforming": 1.0, "commitment": 0.31}, False),
    ("losing_commitment", "inert", {"commitment": 0.32}, False),
    ("little_happens", "inert", {"commitment": 0.32}, True),
    ("silo_pull", "inert", {"target_pull": 0.6}, False),
    ("no_chair", "inert", {"leader_present": 0.0}, False),
    ("joint_growing", "inert", {"joint_work_window": ramp(0.03, 0.09)}, False),
    ("little_happens", "inert", {"joint_work_window": ramp(0.09, 0.08)}, False),
    (
        "slipping",
        "delivering",
        {"joint_work_window": ramp(0.2, 0.13), "target_pull": ramp(0.2, 0.35)},
        False,
    ),
    ("trust_building", "delivering", {"trust_across": ramp(0.3, 0.4)}, False),
    ("trust_building", "delivering", {}, False),
    ("delivering", "delivering", {"trust_across": ramp(0.4, 0.3)}, False),
]  # fmt: skip


@pytest.mark.parametrize(("rule", "regime", "columns", "is_mandated"), CASES)
def test_rule(baseline: Scenario, rule: str, regime: str, columns: dict, is_mandated: bool) -> None:
    scenario = mandated(baseline) if is_mandated else baseline
    reason = explain(made_up(regime, **columns), scenario)
    assert (reason.regime, reason.rule) == (regime, rule)
    assert reason.text == REASONS[rule].format(month=11)


def test_every_reason_is_tested() -> None:
    assert {case[0] for case in CASES} | {"start"} == set(REASONS)


def test_month_zero_says_how_to_start(baseline: Scenario) -> None:
    empty = {k: v[:0] for k, v in made_up("inert").items()}
    reason = explain(empty, baseline)
    assert (reason.regime, reason.rule) == ("starting", "start")
    assert "Step" in reason.text


def test_dissolution_month_is_named(baseline: Scenario) -> None:
    reason = explain(made_up("dissolved", board_alive=gone_at(4), commitment=0.1), baseline)
    assert "month 5" in reason.text


@pytest.mark.parametrize("name", sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml")))
def test_reason_agrees_with_the_regime_on_real_runs(name: str) -> None:
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    run = TwinRun(scenario, 0, with_agents=False)
    rules = set()
    for _ in range(60):
        run.step()
        series = run.series()
        reason = explain(series, run.model.levers)
        assert reason.regime == REGIMES[int(series["regime_code"][-1])]
        assert reason.rule in REASONS and reason.text
        rules.add(reason.rule)
    assert rules  # something was said every month
