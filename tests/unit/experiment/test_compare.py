"""Paired comparisons: common random numbers, paired differences, branching."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import numpy as np
import pytest

from sim.core.regimes import REGIMES
from sim.core.run import TwinRun, simulate
from sim.experiment.branch import first_difference, timeline_after
from sim.experiment.compare import PAIRED, compare, comparison_record
from sim.scenario.interventions import Reorganise, SetLevers
from sim.scenario.levers import apply_changes
from sim.scenario.loader import ScenarioError
from sim.scenario.schema import Scenario

MONTHS = 24
REPS = 3


@pytest.fixture()
def base(baseline: Scenario) -> Scenario:
    return baseline.model_copy(update={"months": MONTHS, "replicates": REPS})


def variant(sc: Scenario, name: str, changes: dict, **top) -> Scenario:
    return apply_changes(sc, changes).model_copy(update={"name": name, **top})


def window(start: int, end: int, changes: dict) -> SetLevers:
    return SetLevers.model_validate(
        {"action": "set", "from": start, "until": end, "changes": changes}
    )


def same(a: dict[str, np.ndarray], b: dict[str, np.ndarray], upto: int | None = None) -> bool:
    assert a.keys() == b.keys()
    return all(np.array_equal(a[k][:upto], b[k][:upto], equal_nan=True) for k in a)


def test_every_scenario_runs_on_the_same_replicates_and_root_seed(base: Scenario) -> None:
    other = variant(base, "shared", {"partnership.shared_targets": 0.7}, seed=99, replicates=7)
    c = compare([base, other], progress=False)
    assert c.seed == base.seed and c.replicates == REPS and c.months == MONTHS
    assert [sc.seed for sc in c.scenarios] == [base.seed, base.seed]
    for results in c.results:
        assert [r.replicate for r in results] == list(range(REPS))
    assert any("seed 99" in note for note in c.notes)
    # shared targets are a board's lever: they touch neither twin, so with the same random
    # numbers the two scenarios' twins are identical replicate by replicate
    for a, b in zip(*c.results, strict=True):
        for twin in ("counterfactual_outcome_index", "boardless_outcome_index"):
            assert np.array_equal(a.series[twin], b.series[twin])
        assert not np.array_equal(a.series["outcome_index"], b.series["outcome_index"])
    (d,) = c.differences
    assert d["ground_value_per_year"]["median"] == 0.0  # the ground is the same
    assert d["added_value_per_year"]["replicates_higher"] > 0  # the board is not


def test_replicates_argument_overrides_the_first_scenarios(base: Scenario) -> None:
    c = compare([base, base], replicates=2, progress=False)
    assert c.replicates == 2 and all(len(res) == 2 for res in c.results)
    assert c.notes == []


def test_a_scenario_compared_with_itself_differs_by_exactly_zero(base: Scenario) -> None:
    c = compare([base, base], progress=False)
    assert c.labels == ["baseline", "baseline_2"]
    (d,) = c.differences
    assert d["scenario"] == "baseline_2" and d["against"] == "baseline"
    stats = [d[key] for key in PAIRED] + list(d["regime_share"].values())
    assert len(d["regime_share"]) == len(REGIMES) == 5
    for s in stats:
        assert (s["median"], s["p10"], s["p90"]) == (0.0, 0.0, 0.0)
        assert s["replicates_higher"] == s["replicates_lower"] == 0
        assert s["replicates_level"] == base.replicates  # every run accounted for


def test_paired_differences_are_taken_replicate_by_replicate(base: Scenario) -> None:
    other = variant(base, "churny", {"environment.policy_churn": 2.0})
    c = compare([base, other], progress=False)
    # the headline: added value over the board-less twin, a yearly rate over all months
    added = [np.array([r.series["added_value_rate"].mean() for r in res]) for res in c.results]
    diff = added[1] - added[0]
    got = c.differences[0]["added_value_per_year"]
    assert got["median"] == pytest.approx(np.median(diff))
    assert got["p10"] == pytest.approx(np.percentile(diff, 10))
    assert got["replicates_higher"] == int((diff > 0).sum())
    assert got["replicates_lower"] == int((diff < 0).sum())
    assert got["replicates_level"] == int((diff == 0).sum())
    window = c.summaries[1]["added_value_per_year_in_window"]
    assert window["median"] == pytest.approx(np.median(added[1]))
    # over all months the window's rate is the summary's
    assert window == c.summaries[1]["added_value_per_year"]
    # the total effect stays, as a secondary measure
    effect = [
        np.array([r.series["partnership_effect"][-12:].mean() for r in res]) for res in c.results
    ]
    total = c.differences[0]["final_effect"]
    assert total["median"] == pytest.approx(np.median(effect[1] - effect[0]))
    assert c.summaries[1]["final_effect"]["median"] == pytest.approx(np.median(effect[1]))
    cumulative = c.differences[0]["added_value_cumulative"]
    last = [np.array([r.series["added_value"][-1] for r in res]) for res in c.results]
    assert cumulative["median"] == pytest.approx(np.median(last[1] - last[0]))


def test_the_record_names_every_compared_measure_with_its_unit(base: Scenario) -> None:
    record = comparison_record(compare([base, base], replicates=1, progress=False))
    for key in PAIRED:
        assert key in record["definitions"] and key in record["units"]
    assert record["units"]["added_value_per_year"] == "% of need per year"
    assert "total effect" in record["definitions"]["final_effect"]


def test_fewer_than_two_scenarios_are_rejected(base: Scenario) -> None:
    with pytest.raises(ScenarioError):
        compare([base], progress=False)


def test_a_different_horizon_is_aligned_and_revalidated(base: Scenario) -> None:
    longer = base.model_copy(
        update={
            "name": "longer",
            "months": 60,
            "interventions": [window(30, 40, {"environment.policy_churn": 0.0})],
        }
    )
    with pytest.raises(ScenarioError) as err:
        compare([base, longer], sources=["a.yaml", "b.yaml"], progress=False)
    (problem,) = err.value.problems
    assert problem.file == "b.yaml" and problem.path == "interventions[0]"
    assert "outside the horizon" in problem.message


# -- branching ----------------------------------------------------------------------------


def test_a_deep_copied_run_continues_exactly_like_the_original(base: Scenario) -> None:
    for agents in (False, True):
        whole = TwinRun(base, 1, with_agents=agents)
        half = TwinRun(base, 1, with_agents=agents)
        for _ in range(10):
            whole.step()
            half.step()
        fork = copy.deepcopy(half)
        for _ in range(10, MONTHS):
            whole.step()
            fork.step()
        assert same(whole.series(), fork.series())
        assert half.month == 10  # the original is untouched
        assert all(world.month == 10 for world in half.worlds)


def test_branches_share_the_first_months_and_differ_after(base: Scenario) -> None:
    month = 10
    other = variant(
        base, "shared", {"partnership.shared_targets": 0.7, "environment.policy_churn": 1.5}
    )
    c = compare([base, other], branch_at=month, progress=False)
    assert c.window == (month + 1, MONTHS)
    for a, b in zip(*c.results, strict=True):
        assert same(a.series, b.series, upto=month)  # all three worlds' series
        assert not np.array_equal(a.series["outcome_index"], b.series["outcome_index"])
        assert not np.array_equal(
            a.series["added_value_rate"][month:], b.series["added_value_rate"][month:]
        )
    # the rates are compared over the months after the branch only
    rates = np.array([r.series["added_value_rate"][month:].mean() for r in c.results[1]])
    got = c.summaries[1]["added_value_per_year_in_window"]["median"]
    assert got == pytest.approx(np.median(rates))


def test_both_twins_take_the_branch_levers_too(base: Scenario) -> None:
    churny = variant(base, "churny", {"environment.policy_churn": 4.0})
    shared = variant(base, "shared", {"partnership.shared_targets": 0.8})
    c = compare([base, churny, shared], branch_at=8, progress=False)
    for key in ("counterfactual_outcome_index", "boardless_outcome_index"):
        for a, b, s in zip(*c.results, strict=True):
            assert not np.array_equal(a.series[key], b.series[key])  # churn hits the twin too
            assert np.array_equal(a.series[key], s.series[key])  # shared targets do not


def test_the_first_scenario_branched_is_its_own_plain_run(base: Scenario) -> None:
    """Branching replays the timeline: windows in force at the branch carry on and revert."""
    sc = base.model_copy(
        update={
            "interventions": [
                window(5, 15, {"environment.policy_churn": 3.0}),
                Reorganise(action="reorganise", at=18, severity=0.5),
            ]
        }
    )
    c = compare([sc, sc], branch_at=10, progress=False)
    for r in range(REPS):
        plain = simulate(sc, r).series
        assert same(c.results[0][r].series, plain)
        assert same(c.results[1][r].series, plain)


def test_branched_scenarios_take_their_own_lever_windows_and_events(base: Scenario) -> None:
    later = base.model_copy(
        update={
            "name": "moratorium",
            "interventions": [
                window(5, 15, {"environment.policy_churn": 0.0}),
                Reorganise(action="reorganise", at=3),  # in the shared history: dropped
                Reorganise(action="reorganise", at=20, severity=0.9),
            ],
        }
    )
    c = compare([base, later], branch_at=10, progress=False)
    assert any("interventions[1]" in note for note in c.notes)
    assert not any("interventions[0]" in note or "interventions[2]" in note for note in c.notes)
    for a, b in zip(*c.results, strict=True):
        assert same(a.series, b.series, upto=10)
        assert b.series["reorganisation"][19] == 1.0  # month 20
        assert b.series["staff_replaced"][19] > a.series["staff_replaced"][19]


def test_timeline_after_a_month_keeps_windows_in_force() -> None:
    base = Scenario.model_validate(
        {
            "agencies": [
                {"name": "a", "priorities": {"x": 1}},
                {"name": "b", "priorities": {"x": 1}},
            ],
            "issues": [{"name": "x"}],
            "environment": {"policy_churn": 0.5},
            "interventions": [
                {
                    "action": "set",
                    "from": 5,
                    "until": 15,
                    "changes": {"environment.policy_churn": 0},
                },
                {"action": "leader_leaves", "at": 8},
                {"action": "leader_leaves", "at": 12},
            ],
        }
    )
    timeline, levers = timeline_after(base, 10)
    assert levers.environment.policy_churn == 0.0
    assert [e.first_month() for e in timeline.events] == [12]
    stub = SimpleNamespace(month=0, levers=levers)
    seen = []
    for m in range(16, 18):
        stub.month = m
        timeline.apply(stub)
        seen.append(stub.levers.environment.policy_churn)
    assert seen == [0.5, 0.5]  # reverted after month 15


def test_branch_results_do_not_depend_on_the_number_of_workers(base: Scenario) -> None:
    other = variant(base, "facilitative", {"partnership.leadership.style": "facilitative"})
    one = compare([base, other], branch_at=8, workers=1, progress=False)
    two = compare([base, other], branch_at=8, workers=2, progress=False)
    for res1, res2 in zip(one.results, two.results, strict=True):
        for a, b in zip(res1, res2, strict=True):
            assert a.replicate == b.replicate
            assert same(a.series, b.series)
    assert one.differences == two.differences


def test_a_scenario_differing_outside_the_levers_cannot_branch(base: Scenario) -> None:
    agencies = [a.model_copy() for a in base.agencies]
    agencies[1] = agencies[1].model_copy(update={"frontline": agencies[1].frontline + 5})
    other = base.model_copy(update={"name": "bigger_nhs", "agencies": agencies})
    with pytest.raises(ScenarioError) as err:
        compare([base, other], branch_at=6, sources=["base.yaml", "big.yaml"], progress=False)
    (problem,) = err.value.problems
    assert problem.file == "big.yaml"
    assert problem.path == "agencies[1].frontline"
    assert "base.yaml" in problem.message
    # without branching they compare from month 1
    assert len(compare([base, other], progress=False).differences) == 1


@pytest.mark.parametrize("month", [0, MONTHS, MONTHS + 5])
def test_a_branch_month_outside_the_horizon_is_rejected(base: Scenario, month: int) -> None:
    with pytest.raises(ScenarioError) as err:
        compare([base, base], branch_at=month, progress=False)
    (problem,) = err.value.problems
    assert problem.path == "--branch-at" and f"1..{MONTHS - 1}" in problem.message


def test_a_setup_only_lever_gets_a_note_when_branching(base: Scenario) -> None:
    other = variant(base, "trusting", {"staff.initial_trust": 0.7})
    c = compare([base, other], branch_at=6, progress=False)
    assert any("staff.initial_trust" in note for note in c.notes)


def test_austerity_acts_on_a_branched_partnership(base: Scenario) -> None:
    other = variant(base, "cuts", {"environment.austerity": 0.3})
    c = compare([base, other], branch_at=6, progress=False)
    assert not any("environment.austerity" in note for note in c.notes)
    assert c.differences[0]["final_effect"]["median"] != 0.0


def test_first_difference_names_the_key_path() -> None:
    assert first_difference({"a": {"b": [1, {"c": 2}]}}, {"a": {"b": [1, {"c": 3}]}}) == "a.b[1].c"
    assert first_difference({"a": [1, 2]}, {"a": [1]}) == "a"
    assert first_difference({"a": 1}, {"a": 1, "z": 0}) == "z"
    assert first_difference({"a": 1}, {"a": 1}) is None
