"""The robustness screening: a seeded Morris design over the varied constants, mapped
through each scenario's ranges, reproducible whatever the workers, exact zeros for
constants that cannot move the output, and a folder complete only when every file is."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.experiment import robustness as rob
from sim.experiment.folder import read_manifest
from sim.scenario.schema import Scenario
from sim.scenario.uncertainty import Uncertainty, constants

MONTHS, REPS, TRAJ = 24, 2, 3
RANGES = {
    "issues.efficacy": [0.5, 1.5],
    "regimes.value_z": [1.5, 3.0],
    "regimes.kept_ratio": [0.4, 0.6],
    "dynamics.frontline.routine_tie_rate": [0.01, 0.2],
}


def narrowed(sc: Scenario, ranges: dict | None = None) -> Scenario:
    """``sc`` at 24 months with only a few constants varying (the rest held at value)."""
    block = Uncertainty.model_validate({"scale": 0, "ranges": ranges or RANGES})
    return sc.model_copy(update={"months": MONTHS, "uncertainty": block})


@pytest.fixture(scope="module")
def small(baseline: Scenario) -> Scenario:
    return narrowed(baseline)


@pytest.fixture(scope="module")
def screening(small: Scenario) -> rob.Screening:
    return rob.screen([small], trajectories=TRAJ, replicates=REPS, progress=False)


def test_the_design_moves_one_varied_constant_at_a_time(small: Scenario) -> None:
    design = rob.morris_design([small], TRAJ)
    names = design.names
    assert names == sorted(RANGES)  # the varied constants, in the order of constants()
    k = len(names)
    assert design.unit.shape == (TRAJ * (k + 1), k)
    steps = np.diff(design.unit.reshape(TRAJ, k + 1, k), axis=1)
    moved = ~np.isclose(steps, 0.0)
    assert (moved.sum(axis=2) == 1).all()
    assert np.allclose(np.abs(steps[moved]), 2 / 3)  # num_levels 4: a step of 2/3
    full = rob.full_points(design)
    order = [c.path for c in constants()]
    held = [j for j, p in enumerate(order) if p not in names]
    assert full.shape == (design.points, len(order)) and (full[:, held] == 0.5).all()


def test_the_design_follows_the_seed_and_nothing_else(small: Scenario) -> None:
    state = np.random.get_state()
    a = rob.morris_design([small], TRAJ).unit
    np.random.seed(1)  # global numpy state plays no part
    assert np.array_equal(a, rob.morris_design([small], TRAJ).unit)
    other = small.model_copy(update={"seed": small.seed + 1})
    assert not np.array_equal(a, rob.morris_design([other], TRAJ).unit)
    np.random.set_state(state)


def test_points_map_through_each_scenarios_own_ranges(small: Scenario) -> None:
    wide = narrowed(small, {**RANGES, "issues.efficacy": [0.2, 1.8]})
    design = rob.morris_design([small, wide], TRAJ)
    col = design.names.index("issues.efficacy")
    base_eff = [i.efficacy for i in small.issues]
    for sc, (lo, hi) in ((small, (0.5, 1.5)), (wide, (0.2, 1.8))):
        pts = rob.point_scenarios(sc, design)
        for p, u in enumerate(design.unit[:, col]):
            factor = lo + u * (hi - lo)
            want = [min(max(e * factor, 0.0), 1.0) for e in base_eff]
            got = [i.efficacy for i in pts[p].issues]
            assert got == pytest.approx(want), (p, u)


def test_same_seed_same_table_and_workers_do_not_matter(
    small: Scenario, screening: rob.Screening
) -> None:
    again = rob.screen([small], trajectories=TRAJ, replicates=REPS, progress=False)
    pd.testing.assert_frame_equal(screening.table, again.table)
    two = rob.screen([small], trajectories=TRAJ, replicates=REPS, workers=2, progress=False)
    pd.testing.assert_frame_equal(screening.table, two.table)
    assert np.array_equal(screening.output, two.output)


def test_regime_thresholds_cannot_move_added_value_but_efficacy_does(
    screening: rob.Screening,
) -> None:
    t = screening.table
    for name in ("regimes.value_z", "regimes.kept_ratio"):
        assert t.at[name, "mu_star"] == 0.0 and t.at[name, "sigma"] == 0.0, name
        assert t.at[name, "flag"] == rob.FLAG_ZERO
    assert t.at["issues.efficacy", "mu_star"] > 0.0
    assert list(t["rank"]) == list(range(1, len(t) + 1))
    assert (np.diff(t["mu_star"].to_numpy()) <= 0).all()  # ranked, largest first


def test_a_scenario_against_itself_moves_nothing(small: Scenario) -> None:
    s = rob.screen([small, small], trajectories=2, replicates=REPS, progress=False)
    assert s.paired and (s.output == 0).all()
    assert (s.table["mu_star"] == 0).all()
    assert rob.points_ahead(s) == {"higher": 0, "lower": 0, "equal": s.design.points}
    shares = rob.regime_shares(s)
    assert list(shares) == [small.name, f"{small.name} (B)"]
    assert shares[small.name] == shares[f"{small.name} (B)"]


def test_noise_floor_is_zero_where_steps_change_nothing_and_absent_with_one_replicate(
    screening: rob.Screening, small: Scenario
) -> None:
    t = screening.table
    assert t.at["regimes.value_z", "noise_floor"] == 0.0
    assert t.at["issues.efficacy", "noise_floor"] > 0.0  # replicates differ in their effects
    one = rob.screen([small], trajectories=2, replicates=1, progress=False)
    assert one.table["noise_floor"].isna().all()
    assert not (one.table["flag"] == rob.FLAG_NOISE).any() and one.notes


def test_noise_floor_is_the_spread_of_single_replicate_effects() -> None:
    design = rob.Design(["a", "b"], np.array([[0, 0], [2 / 3, 0], [2 / 3, 2 / 3.0]]), 1, 0)
    y = np.array([[0.0, 0.0], [1.0, 3.0], [1.0, 3.0]])  # a: effects 1.5 and 4.5; b: 0 and 0
    floors = rob.noise_floors(design, y)
    se = np.std([1.5, 4.5], ddof=1) / np.sqrt(2)
    assert floors is not None
    assert floors[0] == pytest.approx(np.sqrt(2 / np.pi) * se) and floors[1] == 0.0


def test_regime_shares_count_every_run_month(screening: rob.Screening) -> None:
    months = screening.regime_months[0]
    assert sum(months.values()) == screening.design.points * REPS * MONTHS
    assert sum(rob.regime_shares(screening)[screening.labels[0]].values()) == pytest.approx(1)


def test_the_folder_is_complete_only_after_every_file(
    screening: rob.Screening, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "rob"
    rec = rob.write_screening(screening, out, "partnersim robustness test")
    manifest = read_manifest(out, ("robustness",))
    assert manifest["kind"] == "robustness" and manifest["complete"] is True
    assert all((out / f).is_file() for f in manifest["files"])
    assert json.loads((out / "robustness.json").read_text())["table"] == rec["table"]
    csv = pd.read_csv(out / "robustness.csv")
    assert list(csv["constant"]) == list(screening.table.index)

    import sim.viz.robustness as viz

    def broken(record: dict, path: Path) -> Path:
        raise RuntimeError("figure failed")

    monkeypatch.setattr(viz, "draw_robustness", broken)
    with pytest.raises(RuntimeError):
        rob.write_screening(screening, out, "partnersim robustness test")
    assert json.loads((out / "manifest.json").read_text())["complete"] is False
    assert not (out / "figures" / "robustness.png").exists()
