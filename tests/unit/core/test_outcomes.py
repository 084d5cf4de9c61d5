"""Mechanism 10, outcomes: need follows its trend and responds to effort with a lag."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.core import outcomes
from sim.scenario.schema import Scenario

TRENDS = (-0.02, 0.01, 0.0, -0.03)


def quiet_issues(sc, noise: float = 0.0, efficacy: float = 0.15, lag: float = 12.0):
    """Issues with set trends, efficacy and lag, and (by default) no population noise."""
    issues = [
        i.model_copy(
            update={
                "noise_sd": noise,
                "efficacy": efficacy,
                "lag_months": lag,
                "trend_per_year": TRENDS[k % len(TRENDS)],
            }
        )
        for k, i in enumerate(sc.issues)
    ]
    return sc.model_copy(update={"issues": issues})


def run(m, begin, months: int, effort: float, joint: float = 0.0) -> None:
    for _ in range(months):
        begin(m)
        m.silo_effort = effort * m.population.reference_effort
        m.joint_effort = joint * m.population.reference_effort
        m.board.commitment_effort = np.zeros(m.n_issues)
        outcomes.step(m)


DYN = {
    "outcomes.joint_synergy": 2.5,
    "outcomes.noise_autocorrelation": 0.7,
}


def test_business_as_usual_follows_the_secular_trend(base, cfg, make, begin):
    m = make(quiet_issues(cfg(base, dynamics=DYN, months=36)))
    pop = m.population
    for month in range(1, 25):
        run(m, begin, 1, effort=1.0)
        expected = pop.need0 * np.exp(m.trend * month / 12.0)
        assert np.allclose(pop.need, expected, rtol=1e-12)
        assert np.allclose(pop.lagged_effort, 1.0)
        index = 100.0 * (1.0 - expected / pop.need0)
        assert m.recorded("outcome_index") == pytest.approx(index.mean())
        for name, value in zip(m.issue_names, index, strict=True):
            assert m.recorded(f"outcome_index_{name}") == pytest.approx(value)
        assert m.recorded("effort_index") == pytest.approx(1.0)


@pytest.mark.parametrize("months", [1, 12, 30])
def test_more_effort_lowers_need(base, cfg, make, begin, months):
    need = []
    for effort in (0.5, 1.0, 1.2, 1.5, 2.0):
        m = make(quiet_issues(cfg(base, dynamics=DYN, months=36)))
        run(m, begin, months, effort=effort)
        need.append(m.population.need.copy())
    for lower, higher in itertools.pairwise(need):
        assert np.all(higher < lower)


def test_effort_acts_through_a_first_order_lag(base, cfg, make, begin):
    m = make(quiet_issues(cfg(base, dynamics=DYN, months=36), lag=4.0))
    run(m, begin, 1, effort=2.0)
    assert np.allclose(m.population.lagged_effort, 1.0 + (2.0 - 1.0) / 4.0)
    lagged = []
    for _ in range(30):
        run(m, begin, 1, effort=2.0)
        lagged.append(m.population.lagged_effort.copy())
    assert np.allclose(lagged[-1], 2.0, atol=1e-3)
    assert all(np.all(b >= a) for a, b in itertools.pairwise(lagged))
    # each month log need moves by the trend less efficacy times the lagged extra effort
    before = np.log(m.population.need)
    run(m, begin, 1, effort=2.0)
    step = np.log(m.population.need) - before
    assert np.allclose(step, m.trend / 12.0 - 0.15 / 12.0 * (m.population.lagged_effort - 1.0))


def test_joint_work_counts_with_its_synergy_and_learning(base, cfg, make, begin):
    m = make(quiet_issues(cfg(base, dynamics=DYN, months=36)))
    m.board.efficiency = 1.2
    run(m, begin, 1, effort=1.0, joint=0.1)
    assert np.allclose(m.population.effort, 1.0 + 2.5 * 1.2 * 0.1)
    assert m.recorded("effort_index") == pytest.approx(1.0 + 2.5 * 1.2 * 0.1)


def test_delivered_commitments_add_effort(base, cfg, make, begin):
    m = make(quiet_issues(cfg(base, dynamics=DYN, months=36)))
    begin(m)
    m.silo_effort = m.population.reference_effort.copy()
    m.joint_effort = np.zeros(m.n_issues)
    m.board.commitment_effort = np.full(m.n_issues, 0.05)
    outcomes.step(m)
    assert np.allclose(m.population.effort, 1.05)


def test_population_noise_is_autocorrelated_around_the_path(base, cfg, make, begin):
    m = make(quiet_issues(cfg(base, dynamics=DYN, months=36), noise=0.02))
    noise = []
    for month in range(1, 37):
        run(m, begin, 1, effort=1.0)
        pop = m.population
        path = pop.need0 * np.exp(m.trend * month / 12.0)
        assert np.allclose(np.log(pop.need / path), pop.noise)
        noise.append(pop.noise.copy())
    noise = np.array(noise)
    assert noise.std() > 0.0
    assert np.all(np.isfinite(noise))


def test_an_issue_no_agency_targets_is_rejected_by_name(base):
    data = base.model_dump(by_alias=True)
    data["issues"].append({"name": "unowned", "users_per_month": 5.0})
    with pytest.raises(ValueError, match=r"issues\[\d+\]: no agency gives issue 'unowned'"):
        Scenario.model_validate(data)
