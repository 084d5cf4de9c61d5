"""Sweeps over mechanism constants: default bounds from the plausible range."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.experiment.designs import design_table, salib_problem
from sim.experiment.sweepfile import dynamics_paths, load_sweep, plausible_bounds, with_values
from sim.scenario.dynamics import FrontlineDynamics, TargetDynamics
from sim.scenario.fields import plausible_range
from sim.scenario.loader import ScenarioError

ROOT = Path(__file__).resolve().parents[3]
BASE = ROOT / "scenarios" / "baseline.yaml"


def sweep_file(tmp_path: Path, parameters: str, design: str = "{kind: lhs, samples: 8}") -> Path:
    path = tmp_path / "sweep.yaml"
    path.write_text(
        f"name: constants\nbase: {BASE}\nparameters:\n{parameters}\ndesign: {design}\n"
        "replicates: 1\nmonths: 6\n"
    )
    return path


def test_a_constant_without_a_range_is_sampled_over_its_plausible_range(tmp_path):
    params = (
        "  dynamics.frontline.trust_success: {}\n"
        "  dynamics.targets.cycle_months:\n"
        "  partnership.formality: {low: 0.0, high: 1.0}"
    )
    sweep = load_sweep(sweep_file(tmp_path, params))
    bounds = salib_problem(sweep)["bounds"]
    assert bounds[0] == list(plausible_range(FrontlineDynamics, "trust_success"))
    assert bounds[1] == list(plausible_range(TargetDynamics, "cycle_months"))
    assert bounds[2] == [0.0, 1.0]
    table = design_table(sweep)
    lo, hi = bounds[0]
    assert table["dynamics.frontline.trust_success"].between(lo, hi).all()
    point = table.iloc[0]
    sc = sweep.scenario({k: point[k] for k in sweep.names})
    assert sc.dynamics.frontline.trust_success == point["dynamics.frontline.trust_success"]
    assert sc.dynamics.targets.cycle_months == round(point["dynamics.targets.cycle_months"])
    assert isinstance(sc.dynamics.targets.cycle_months, int)
    assert sc.partnership.formality == point["partnership.formality"]


def test_a_given_range_wins_and_grids_take_levels(tmp_path):
    params = (
        "  dynamics.frontline.trust_success: {low: 0.3, high: 0.4, steps: 2}\n"
        "  dynamics.trust.complacency: {levels: [false, true]}"
    )
    sweep = load_sweep(sweep_file(tmp_path, params, "{kind: grid}"))
    table = design_table(sweep)
    assert table["dynamics.frontline.trust_success"].tolist() == [0.3, 0.3, 0.4, 0.4]
    sc = sweep.scenario(
        {"dynamics.frontline.trust_success": 0.4, "dynamics.trust.complacency": True}
    )
    assert sc.dynamics.trust.complacency is True


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ("  dynamics.frontline.trust_succes: {}", "parameters.dynamics.frontline.trust_succes"),
        ("  dynamics.frontline.trust_success: {low: 0.5, high: 2.0}", "less than or equal to 1"),
        ("  dynamics.trust.complacency: {}", "give levels, or both low and high"),
    ],
)
def test_bad_constants_and_values_are_refused_with_their_key_path(tmp_path, parameters, message):
    with pytest.raises(ScenarioError) as err:
        load_sweep(sweep_file(tmp_path, parameters))
    assert message in str(err.value)


def test_every_numeric_constant_has_default_bounds():
    numeric = [p for p in dynamics_paths() if not p.endswith("complacency") and plausible_bounds(p)]
    assert "dynamics.learning.forget_rate" in numeric
    assert plausible_bounds("partnership.formality") is None
    assert plausible_bounds("dynamics.nothing.here") is None


def test_with_values_leaves_the_base_alone():
    from sim.scenario.loader import load_scenario

    base = load_scenario(BASE)
    before = base.model_dump()
    changed = with_values(base, {"dynamics.trust.gain": 0.2, "partnership.formality": 0.9})
    assert changed.dynamics.trust.gain == 0.2 and changed.partnership.formality == 0.9
    assert base.model_dump() == before
    with pytest.raises(ValueError, match=r"dynamics\.trust\.gain"):
        with_values(base, {"dynamics.trust.gain": 7.0})
