"""Lever changes by key path: every bad key of a ``set`` is reported, in one pass."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.levers import apply_changes, change_problems
from sim.scenario.loader import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[3]
BASE = ROOT / "scenarios" / "baseline.yaml"

BAD_SET = (
    "  - action: set\n"
    "    from: 5\n"
    "    changes:\n"
    "      partnership.foo: 1\n"
    "      environment.policy_churn: 99\n"
    "      partnership.formality: 0.4\n"
    "      environment.nope: 2\n"
    "      staff.champions: 1.5\n"
)


def problems(tmp_path: Path, body: str) -> list[str]:
    path = tmp_path / "bad.yaml"
    path.write_text(f"extends: {BASE}\n{body}", encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    return [str(p) for p in err.value.problems]


def test_every_bad_key_of_one_set_is_reported_on_its_own_line(tmp_path: Path) -> None:
    lines = problems(tmp_path, "interventions:\n" + BAD_SET)
    where = [line.split(": ")[1] for line in lines]
    assert where == [
        "interventions[0].changes.partnership.foo",
        "interventions[0].changes.environment.nope",
        "interventions[0].changes.environment.policy_churn",
        "interventions[0].changes.staff.champions",
    ], lines
    assert "not a lever" in lines[0] and "not a lever" in lines[1]
    assert "99" in lines[2] and "1.5" in lines[3]


def test_interventions_are_checked_in_the_same_pass_as_the_rest(tmp_path: Path) -> None:
    text = BASE.read_text(encoding="utf-8").replace("alcohol_misuse: 1.0", "alcohol: 1.0")
    path = tmp_path / "both.yaml"
    path.write_text(text + "interventions:\n" + BAD_SET, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    lines = [str(p) for p in err.value.problems]
    assert any("priorities: unknown issue(s) ['alcohol']" in line for line in lines), lines
    assert sum("interventions[0].changes." in line for line in lines) == 4, lines


def test_change_problems_lists_each_path_once(baseline) -> None:
    found = change_problems(
        baseline,
        {"partnership.nope": 1, "partnership.formality": -1, "staff.champions": 0.2},
    )
    assert [line.split(": ")[0] for line in found] == ["partnership.nope", "partnership.formality"]
    assert change_problems(baseline, {"partnership.formality": 0.2}) == []


def test_apply_changes_names_every_bad_key_in_one_line(baseline) -> None:
    with pytest.raises(ValueError) as err:
        apply_changes(baseline, {"partnership.nope": 1, "environment.austerity": 7})
    text = str(err.value)
    assert "\n" not in text
    assert "partnership.nope: not a lever" in text and "environment.austerity: " in text


def test_a_misspelt_lever_gets_a_suggestion_and_a_short_list(baseline) -> None:
    (line,) = change_problems(baseline, {"partnership.formalty": 0.5})
    assert "did you mean partnership.formality?" in line
    assert "environment." not in line  # only the keys of the block it names
    (line,) = change_problems(baseline, {"dynamics.trust.gain": 0.5})
    assert "environment., partnership. or staff." in line
