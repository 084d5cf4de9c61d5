"""Draws of the constants: reproducible, paired across options, a point range is no
uncertainty, and a scenario's ``uncertainty:`` block is validated like the rest."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sim.core.run import simulate
from sim.experiment.assumptions import (
    apply_values,
    draw_values,
    drawn_scenarios,
    unit_design,
)
from sim.experiment.compare import compare
from sim.experiment.runner import run_drawn, write_results
from sim.experiment.spread import deciding, ranking, spreads
from sim.scenario.levers import apply_changes
from sim.scenario.loader import ScenarioError, load_scenario
from sim.scenario.schema import Scenario
from sim.scenario.uncertainty import constants, scenario_ranges

BASE = Path(__file__).resolve().parents[3] / "scenarios" / "baseline.yaml"
MONTHS, REPS, DRAWS = 18, 2, 3


@pytest.fixture()
def base(baseline: Scenario) -> Scenario:
    return baseline.model_copy(update={"months": MONTHS, "replicates": REPS})


def with_block(sc: Scenario, **block) -> Scenario:
    return sc.model_copy(update={"uncertainty": type(sc.uncertainty).model_validate(block)})


def test_every_declared_constant_has_a_range_that_holds_its_default() -> None:
    found = constants()
    assert len(found) > 120
    for c in found:
        assert c.low <= c.default <= c.high, c.path
        assert c.low < c.high or c.path == "dynamics.outcomes.voice_pull", c.path
        assert c.source, c.path
    paths = {c.path for c in found}
    assert {"staff.ties_across", "issues.efficacy", "regimes.value_z"} <= paths
    assert not any(p.startswith(("environment.", "partnership.")) for p in paths)  # levers


def test_draws_are_reproducible_from_the_seed_and_change_with_it() -> None:
    a, b = unit_design(8, 7), unit_design(8, 7)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, unit_design(8, 8))
    assert a.shape == (8, len(constants())) and (a >= 0).all() and (a < 1).all()
    sobol = unit_design(8, 7, "sobol")
    assert np.array_equal(sobol, unit_design(8, 7, "sobol")) and not np.array_equal(sobol, a)


def test_a_latin_hypercube_puts_one_draw_in_each_slice_of_every_range() -> None:
    u = unit_design(10, 3)
    slices = np.sort(np.floor(u * 10), axis=0)
    assert (slices == np.arange(10)[:, None]).all()


def test_drawn_values_lie_in_the_effective_ranges_and_integers_stay_whole(
    base: Scenario,
) -> None:
    ranges = scenario_ranges(base)
    for point in unit_design(20, 1):
        values = draw_values(ranges, point)
        for e in ranges:
            v = values[e.constant.path]
            assert e.low <= v <= e.high, e.constant.path
            if e.constant.integer and not e.constant.per_issue:
                assert v == round(v)


def test_per_issue_constants_scale_every_issue_and_stay_in_bounds(base: Scenario) -> None:
    drawn = apply_values(base, {"issues.efficacy": 1.5, "issues.lag_months": 0.5})
    for before, after in zip(base.issues, drawn.issues, strict=True):
        assert after.efficacy == pytest.approx(before.efficacy * 1.5)
        assert after.lag_months == pytest.approx(max(before.lag_months * 0.5, 1.0))


def test_a_constant_the_scenario_sets_is_held_unless_its_block_gives_a_range(
    base: Scenario,
) -> None:
    changed = base.model_copy(deep=True)
    changed.dynamics.trust.gain = 0.2
    by_path = {e.constant.path: e for e in scenario_ranges(changed)}
    assert (by_path["dynamics.trust.gain"].low, by_path["dynamics.trust.gain"].high) == (0.2, 0.2)
    opened = with_block(changed, ranges={"dynamics.trust.gain": [0.1, 0.3]})
    gain = {e.constant.path: e for e in scenario_ranges(opened)}["dynamics.trust.gain"]
    assert (gain.low, gain.high) == (0.1, 0.3)


def test_scale_stretches_every_range_about_the_value_within_its_bounds(base: Scenario) -> None:
    one = {e.constant.path: e for e in scenario_ranges(base)}
    two = {e.constant.path: e for e in scenario_ranges(with_block(base, scale=2.0))}
    zero = scenario_ranges(with_block(base, scale=0.0))
    assert all(e.fixed for e in zero)
    gain1, gain2 = one["dynamics.trust.gain"], two["dynamics.trust.gain"]
    assert gain2.high - gain2.value == pytest.approx(2 * (gain1.high - gain1.value))
    assert all(e.constant.ge <= e.low for e in two.values() if not e.constant.per_issue)


def test_ranges_narrowed_to_a_point_give_the_run_without_uncertainty(base: Scenario) -> None:
    point = with_block(base, scale=0.0)
    _, runs = run_drawn(point, DRAWS, progress=False)
    plain = [simulate(base, r) for r in range(REPS)]
    assert [(r.draw, r.replicate) for r in runs] == [(d, r) for d in range(DRAWS) for r in range(2)]
    for run in runs:
        ref = plain[run.replicate].series
        assert all(np.array_equal(run.series[k], ref[k], equal_nan=True) for k in ref)


def test_draws_differ_from_each_other_and_from_no_uncertainty(base: Scenario) -> None:
    _, runs = run_drawn(base, DRAWS, progress=False)
    firsts = [r.series["trust_across"] for r in runs if r.replicate == 0]
    assert not np.array_equal(firsts[0], firsts[1])
    assert not np.array_equal(firsts[0], simulate(base, 0).series["trust_across"])


def test_an_option_compared_with_itself_differs_by_zero_in_every_draw(base: Scenario) -> None:
    c = compare([base, base], uncertainty=DRAWS, progress=False)
    unc = c.differences[0]["uncertainty"]["added_value_per_year"]
    assert unc["draw_means"] == [0.0] * DRAWS
    assert unc["ranking"] == {
        "draws": DRAWS,
        "better": 0,
        "worse": 0,
        "tied": DRAWS,
        "clearly_better": 0,
        "clearly_worse": 0,
    }


def test_every_option_gets_the_same_draw_of_the_constants(base: Scenario) -> None:
    other = apply_changes(base, {"partnership.shared_targets": 0.7})
    _, drawn = drawn_scenarios([base, other], DRAWS)
    for d in range(DRAWS):
        assert drawn[0][d].dynamics == drawn[1][d].dynamics
        assert drawn[0][d].issues == drawn[1][d].issues
        assert drawn[1][d].partnership.shared_targets == 0.7


def test_the_folder_holds_the_draws_and_a_draw_column(base: Scenario, tmp_path: Path) -> None:
    import json

    import pyarrow.parquet as pq

    design, runs = run_drawn(base, DRAWS, progress=False)
    write_results(base, runs, tmp_path / "out", figures=False, design=design)
    table = pq.read_table(tmp_path / "out" / "timeseries.parquet")
    assert sorted(set(table.column("draw").to_pylist())) == list(range(DRAWS))
    draws = pq.read_table(tmp_path / "out" / "draws.parquet")
    assert draws.num_rows == DRAWS and "dynamics.trust.gain" in draws.column_names
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["uncertainty"]["draws"] == DRAWS and manifest["complete"] is True
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert len(summary["uncertainty"]["added_value_per_year"]["draw_means"]) == DRAWS


def test_spreads_keep_luck_and_assumptions_apart() -> None:
    # two draws far apart, little luck within each: the assumptions' range is the wide one
    values = np.array([1.0, 1.1, 0.9, 1.0, 5.0, 5.1, 4.9, 5.0])
    s = spreads(values, 2)
    assert s["draw_means"] == [1.0, 5.0]
    assert s["assumptions"]["p90"] - s["assumptions"]["p10"] > 3
    assert s["random_futures"]["p90"] - s["random_futures"]["p10"] < 0.3


def test_ranking_counts_better_worse_and_ties_apart() -> None:
    diff = np.array([1.0, 1.2, -0.5, -0.4, 0.0, 0.0, 0.1, -0.1])
    r = ranking(diff, 4)
    assert (r["better"], r["worse"], r["tied"]) == (1, 1, 2)
    assert (r["clearly_better"], r["clearly_worse"]) == (1, 1)


def test_deciding_finds_the_constant_behind_the_difference_and_not_noise() -> None:
    rng = np.random.default_rng(0)
    draws = 40
    driver = rng.uniform(size=draws)
    values = {f"noise.{k}": rng.uniform(size=draws) for k in range(100)}
    values["the.driver"] = driver
    diff = np.repeat(3 * driver + rng.normal(0, 0.1, draws), 2)
    found = deciding(diff, draws, values)
    assert found and found[0]["constant"] == "the.driver" and found[0]["rho"] > 0.9
    assert all(f["constant"] == "the.driver" for f in found)
    assert deciding(np.repeat(rng.normal(size=draws), 2), draws, values) == []


@pytest.mark.parametrize(
    ("body", "part", "message"),
    [
        (
            "uncertainty: {ranges: {dynamics.trust.gainz: [0, 1]}}",
            "uncertainty.ranges",
            "not a constant with a plausible range",
        ),
        (
            "uncertainty: {ranges: {dynamics.trust.gain: [0.3, 0.1]}}",
            "uncertainty.ranges",
            "low <= high",
        ),
        (
            "uncertainty: {ranges: {dynamics.trust.gain: [0.1, 7]}}",
            "uncertainty.ranges",
            "outside the allowed",
        ),
        ("uncertainty: {scale: 9}", "uncertainty.scale", "allowed"),
        ("uncertainty: {design: grid}", "uncertainty.design", "lhs"),
    ],
)
def test_a_bad_uncertainty_block_gives_one_clear_line(
    tmp_path: Path, body: str, part: str, message: str
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: {BASE}\n{body}\n")
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    lines = [str(p) for p in info.value.problems]
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}: {part}"), lines
    assert message in lines[0], lines


def test_a_good_uncertainty_block_loads(tmp_path: Path) -> None:
    path = tmp_path / "ok.yaml"
    path.write_text(
        f"extends: {BASE}\nuncertainty:\n  scale: 0.5\n  design: sobol\n"
        "  ranges: {dynamics.trust.gain: [0.05, 0.2], issues.efficacy: 1.0}\n"
    )
    sc = load_scenario(path)
    assert sc.uncertainty.ranges == {
        "dynamics.trust.gain": [0.05, 0.2],
        "issues.efficacy": [1.0, 1.0],
    }
