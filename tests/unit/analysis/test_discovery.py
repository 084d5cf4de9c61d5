"""Scenario discovery (PRIM) finds the region the synthetic truth puts the outcome in."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from synthetic_sweeps import bounds_params, facade_truth, grid_design, lhs_design, write_sweep

from sim.analysis import discovery
from sim.analysis.discovery import (
    OUTCOMES,
    Condition,
    Discovery,
    DiscoveryUnavailable,
    Outcome,
    discover,
    find_rules,
)
from sim.analysis.load import load_sweep_folder

PARAMS = bounds_params(["x1", "x2", "x3"])
FACADE = OUTCOMES[0]
needs_ema = pytest.mark.skipif(
    not discovery.prim_available(), reason='needs pip install "partnersim[discovery]"'
)


@pytest.fixture(scope="module")
def lhs_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    x, design = lhs_design(PARAMS, 500, seed=11)
    return write_sweep(tmp_path_factory.mktemp("lhs"), x, design, PARAMS, facade_truth)


@pytest.fixture(scope="module")
def found(lhs_folder: Path) -> list[Discovery]:
    return discover(load_sweep_folder(lhs_folder))


@needs_ema
def test_facade_rule_names_the_true_region(found: list[Discovery]) -> None:
    facade, _, _ = found
    assert facade.outcome.name == "facade"
    rule = facade.rules[0]
    by_name = {c.parameter: c for c in rule.conditions}
    assert set(by_name) == {"x1", "x2"}
    assert by_name["x1"].high is None and by_name["x1"].low == pytest.approx(0.6, abs=0.05)
    assert by_name["x2"].low is None and by_name["x2"].high == pytest.approx(0.4, abs=0.05)
    assert rule.coverage > 0.9 and rule.density > 0.9
    text = rule.text()
    assert text.startswith("facades dominate when x1 > 0.")
    assert " and x2 < 0." in text
    assert text.endswith(f"(coverage {rule.coverage:.2f}, density {rule.density:.2f})")
    assert all(p < 0.05 for p in rule.p_values)


@needs_ema
def test_delivering_rule_is_one_sided(found: list[Discovery]) -> None:
    _, delivering, _ = found
    rule = delivering.rules[0]
    assert [c.parameter for c in rule.conditions] == ["x1"]
    assert rule.conditions[0].high == pytest.approx(0.3, abs=0.05)
    assert rule.coverage > 0.9 and rule.density > 0.9
    assert rule.text().startswith("delivery dominates when x1 < 0.")


@needs_ema
def test_organic_rule_names_the_true_region(found: list[Discovery]) -> None:
    *_, organic = found
    assert [o.name for o in OUTCOMES] == ["facade", "delivering", "organic"]
    assert organic.outcome.column == "share_organic"
    rule = organic.rules[0]
    by_name = {c.parameter: c for c in rule.conditions}
    assert set(by_name) == {"x1", "x2"}
    assert by_name["x1"].low == pytest.approx(0.3, abs=0.05)
    assert by_name["x1"].high == pytest.approx(0.6, abs=0.05)
    assert by_name["x2"].low == pytest.approx(0.7, abs=0.05) and by_name["x2"].high is None
    assert rule.text().startswith("organic working dominates when x1 between 0.")


@needs_ema
def test_two_separate_regions_give_two_rules() -> None:
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.random((1200, 3)), columns=["a", "b", "c"])
    y = ((x.a > 0.7) & (x.b < 0.3)) | ((x.a < 0.2) & (x.c > 0.8))
    found = find_rules(x, y.to_numpy(), FACADE)
    assert len(found.rules) == 2
    names = [{c.parameter for c in r.conditions} for r in found.rules]
    assert {"a", "b"} in names and {"a", "c"} in names
    assert sum(r.coverage for r in found.rules) > 0.85
    assert all(r.density > 0.9 for r in found.rules)


@needs_ema
def test_no_structure_gives_no_rule() -> None:
    rng = np.random.default_rng(2)
    x = pd.DataFrame(rng.random((600, 3)), columns=["a", "b", "c"])
    found = find_rules(x, rng.random(600) < 0.3, FACADE)
    assert found.rules == []
    assert "no region found" in found.message


def test_outcome_never_or_always_met() -> None:
    x = pd.DataFrame({"a": np.linspace(0, 1, 20)})
    never = find_rules(x, np.zeros(20, bool), FACADE)
    assert never.rules == [] and "no run meets share_facade > 0.5" in never.message
    always = find_rules(x, np.ones(20, bool), FACADE)
    assert "every run meets" in always.message
    assert always.summary().startswith("facades dominate in 100% of runs (20 of 20")


@needs_ema
def test_grid_rules_use_swept_levels(tmp_path: Path) -> None:
    levels = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
    x, design, params = grid_design({"x1": levels, "x2": levels, "x3": [0.0, 1.0]})
    folder = write_sweep(tmp_path / "g", x, design, params, facade_truth, replicates=3)
    facade, *_ = discover(load_sweep_folder(folder))
    rule = facade.rules[0]
    assert rule.text().startswith("facades dominate when x1 >= 0.8 and x2 <= 0.2 (")
    assert rule.coverage == pytest.approx(1.0) and rule.density == pytest.approx(1.0)


@needs_ema
def test_failed_runs_are_left_out(tmp_path: Path) -> None:
    x, design = lhs_design(PARAMS, 60, seed=2)
    folder = write_sweep(tmp_path / "f", x, design, PARAMS, facade_truth, failed=[(0, 0)])
    facade, *_ = discover(load_sweep_folder(folder))
    assert facade.runs == 119


def test_condition_wording() -> None:
    assert Condition("a.b", 0.5, None).text() == "a.b > 0.50"
    assert Condition("a.b", None, 0.25).text() == "a.b < 0.25"
    assert Condition("a.b", 0.2, 0.6).text() == "a.b between 0.20 and 0.60"
    assert Condition("a.b", 2.0, None, inclusive=True).text() == "a.b >= 2"
    assert Condition("a.b", None, 0.25, inclusive=True).text() == "a.b <= 0.25"
    cond = Condition("a", 0.2, 0.6)
    frame = pd.DataFrame({"a": [0.1, 0.2, 0.3, 0.6, 0.7]})
    assert cond.holds(frame).tolist() == [False, False, True, False, False]


def test_custom_outcome_and_missing_column(lhs_folder: Path) -> None:
    sweep = load_sweep_folder(lhs_folder)
    with pytest.raises(ValueError, match="no column 'share_missing'"):
        discover(sweep, [Outcome("x", "x happens", "share_missing")])


def test_missing_ema_workbench_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ema_workbench", "ema_workbench.analysis", "ema_workbench.analysis.prim"):
        monkeypatch.setitem(sys.modules, name, None)
    x = pd.DataFrame({"a": np.linspace(0, 1, 20)})
    y = x["a"].to_numpy() > 0.5
    with pytest.raises(DiscoveryUnavailable, match=r'pip install "partnersim\[discovery\]"'):
        find_rules(x, y, FACADE)
    assert not discovery.prim_available()


def test_a_condition_on_one_swept_level_reads_as_equality() -> None:
    from sim.analysis.discovery import Condition

    one = Condition("environment.policy_churn", None, 0.0, inclusive=True, single=True)
    assert one.text() == "environment.policy_churn = 0"
    span = Condition("partnership.formality", 0.2, 0.6, inclusive=True)
    assert span.text() == "partnership.formality between 0.2 and 0.6"
