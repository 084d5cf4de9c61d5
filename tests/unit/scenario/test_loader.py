"""Scenario files: strict schema, extends, and one clear line per problem."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.loader import ScenarioError, load_scenario, scenario_hash

BASE = Path(__file__).resolve().parents[3] / "scenarios" / "baseline.yaml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    return [str(p) for p in info.value.problems]


def test_baseline_loads_and_is_named_after_its_file() -> None:
    sc = load_scenario(BASE)
    assert sc.name == "baseline"
    assert sc.partnership.leadership.style == "directive"
    assert len(sc.agencies) == 6 and len(sc.issues) == 4


def test_extends_overrides_only_what_it_says(tmp_path: Path) -> None:
    path = write(tmp_path, "what_if.yaml", f"extends: {BASE}\nenvironment:\n  policy_churn: 0\n")
    sc = load_scenario(path)
    base = load_scenario(BASE)
    assert sc.name == "what_if"
    assert sc.environment.policy_churn == 0
    assert sc.environment.staff_turnover == base.environment.staff_turnover
    assert sc.agencies == base.agencies


def test_extends_relative_to_the_extending_file(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path, "base.yaml", BASE.read_text())
    path = write(tmp_path / "sub", "x.yaml", "extends: ../base.yaml\nmonths: 12\n")
    assert load_scenario(path).months == 12


def test_misspelt_key_names_key_and_valid_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "typo.yaml", f"extends: {BASE}\npartnership:\n  formalty: 0.3\n")
    (line,) = problems(path)
    assert "typo.yaml: partnership.formalty: unknown key 'formalty'" in line
    assert "valid keys: formality, leadership" in line


@pytest.mark.parametrize(
    ("body", "path_part", "message"),
    [
        (
            "partnership:\n  leadership:\n    style: charismatic\n",
            "partnership.leadership.style",
            "allowed: 'facilitative', 'directive' or 'absent'",
        ),
        ("environment:\n  policy_churn: lots\n", "environment.policy_churn", "not a number"),
        ("environment:\n  policy_churn: '0.5'\n", "environment.policy_churn", "not a number"),
        ("staff:\n  champions: 1.5\n", "staff.champions", "out of range; allowed: 0.0 to 1.0"),
        ("months: 12.5\n", "months", "whole number"),
        ("partnership:\n  mandated: 1\n", "partnership.mandated", "true or false"),
        (
            "interventions:\n  - {at: 500, action: reorganise}\n",
            "interventions[0]",
            "outside the horizon; allowed: 1..120",
        ),
        (
            "interventions:\n  - {at: 5, action: explode}\n",
            "interventions[0]",
            "unknown action 'explode'",
        ),
        (
            "interventions:\n  - {from: 5, until: 9, action: set, changes: {partnership.foo: 1}}\n",
            "interventions[0].changes.partnership.foo",
            "not a lever",
        ),
        (
            "interventions:\n  - {from: 5, action: set, changes: {environment.policy_churn: 99}}\n",
            "interventions[0].changes.environment.policy_churn",
            "99.0 is out of range; allowed: 0.0 to 12.0",
        ),
    ],
)
def test_bad_values_give_one_clear_line(
    tmp_path: Path, body: str, path_part: str, message: str
) -> None:
    path = write(tmp_path, "bad.yaml", f"extends: {BASE}\n{body}")
    lines = problems(path)
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{path}: {path_part}: ")
    assert message in lines[0]


def test_unknown_priority_issue_is_reported(tmp_path: Path) -> None:
    text = BASE.read_text().replace("alcohol_misuse: 1.0", "alcohol: 1.0")
    (line,) = problems(write(tmp_path, "p.yaml", text))
    assert "agencies[3].priorities: unknown issue(s) ['alcohol']" in line


def test_missing_file_and_missing_extends(tmp_path: Path) -> None:
    assert problems(tmp_path / "nope.yaml") == [f"{tmp_path / 'nope.yaml'}: file not found"]
    (line,) = problems(write(tmp_path, "x.yaml", "extends: gone.yaml\n"))
    assert "extends: extended file not found" in line
    assert "gone.yaml" in line and "read from the folder of the file that extends it" in line


def test_circular_extends(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "extends: b.yaml\n")
    write(tmp_path, "b.yaml", "extends: a.yaml\n")
    (line,) = problems(tmp_path / "a.yaml")
    assert "circular extends" in line


def test_yaml_syntax_error_has_line_number(tmp_path: Path) -> None:
    (line,) = problems(write(tmp_path, "s.yaml", "months: [1,\n  2\nseed: 3\n"))
    assert "invalid YAML at line 3" in line


def test_duplicate_keys_are_errors(tmp_path: Path) -> None:
    (line,) = problems(write(tmp_path, "d.yaml", f"extends: {BASE}\nmonths: 1\nmonths: 2\n"))
    assert "duplicate key 'months'" in line


def test_hash_ignores_layout_but_not_values(tmp_path: Path) -> None:
    same = write(tmp_path, "baseline.yaml", BASE.read_text() + "\n# a comment\n")
    other = write(tmp_path, "o.yaml", f"extends: {BASE}\nname: baseline\nseed: 1\n")
    assert scenario_hash(load_scenario(same)) == scenario_hash(load_scenario(BASE))
    assert scenario_hash(load_scenario(other)) != scenario_hash(load_scenario(BASE))


def test_a_set_intervention_on_a_month_0_lever_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "late_trust.yaml"
    path.write_text(
        f"extends: {BASE}\ninterventions:\n"
        "  - {at: 12, action: set, changes: {staff.initial_trust: 0.9}}\n"
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "interventions[0].changes.staff.initial_trust" in str(err.value)
    assert "no effect" in str(err.value)


def test_dotted_overrides_reach_dynamics_and_refuse_a_path_through_a_value() -> None:
    sc = load_scenario(BASE, {"dynamics.trust.gain": 0.0, "months": 12})
    assert sc.dynamics.trust.gain == 0.0 and sc.months == 12
    with pytest.raises(ScenarioError) as info:
        load_scenario(BASE, {"months.x": 1})
    (problem,) = info.value.problems
    assert "months is a value, not a block of keys" in str(problem)
