"""A ``--months`` horizon shorter than a scenario's timeline cuts it, with notices; a horizon
set in a file does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.scenario.interventions import SetLevers
from sim.scenario.loader import ScenarioError, load_scenario

ROOT = Path(__file__).resolve().parents[3]
BASE = ROOT / "scenarios" / "baseline.yaml"
TIMELINE = (
    "interventions:\n"
    "  - {from: 12, until: 48, action: set, changes: {environment.policy_churn: 0.0}}\n"
    "  - {at: 30, action: leader_leaves}\n"
    "  - {at: 40, action: reorganise}\n"
    "  - {from: 37, action: set, changes: {partnership.formality: 0.2}}\n"
    "  - {from: 5, action: set, changes: {partnership.shared_targets: 0.4}}\n"
    "  - {from: 20, until: 36, action: set, changes: {partnership.formality: 0.9}}\n"
)


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_command_line_horizon_cuts_windows_and_drops_later_events(tmp_path: Path) -> None:
    path = write(tmp_path, f"extends: {BASE}\n{TIMELINE}")
    notices: list[str] = []
    sc = load_scenario(path, {"months": 36}, notices)
    assert sc.months == 36
    assert [(e.action, e.first_month(), e.last_month()) for e in sc.interventions] == [
        ("set", 12, 36),
        ("leader_leaves", 30, 30),
        ("set", 5, 5),
        ("set", 20, 36),
    ]
    assert sc.interventions[0].until == 36
    assert isinstance(sc.interventions[2], SetLevers) and sc.interventions[2].until is None
    assert notices == [
        f"{path}: interventions[0]: set window months 12-48 cut at month 36, the --months horizon",
        f"{path}: interventions[2]: reorganise in month 40 dropped: it starts after month 36, "
        "the --months horizon",
        f"{path}: interventions[3]: set from month 37 dropped: it starts after month 36, the "
        "--months horizon",
    ]


def test_a_horizon_that_fits_changes_nothing(tmp_path: Path) -> None:
    path = write(tmp_path, f"extends: {BASE}\n{TIMELINE}")
    notices: list[str] = []
    assert load_scenario(path, {"months": 48}, notices) == load_scenario(path, {"months": 48})
    assert notices == []


def test_a_horizon_set_in_the_file_is_still_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, f"extends: {BASE}\nmonths: 36\n{TIMELINE}")
    notices: list[str] = []
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, None, notices)
    lines = [str(p) for p in err.value.problems]
    assert f"{path}: interventions[0]: month 48 is outside the horizon; allowed: 1..36" in lines[0]
    assert len(lines) == 3 and notices == []


def test_months_from_another_source_is_an_error_without_a_notice_list(tmp_path: Path) -> None:
    """A sweep file's ``months`` reaches the loader as an override too: it stays an error."""
    path = write(tmp_path, f"extends: {BASE}\n{TIMELINE}")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, {"months": 36})
    assert "outside the horizon; allowed: 1..36" in str(err.value.problems[0])


def test_the_notice_names_the_file_that_holds_the_timeline(tmp_path: Path) -> None:
    parent = write(tmp_path, f"extends: {BASE}\n{TIMELINE}", "parent.yaml")
    child = write(tmp_path, "extends: parent.yaml\nreplicates: 3\n", "child.yaml")
    notices: list[str] = []
    load_scenario(child, {"months": 36}, notices)
    assert notices and all(line.startswith(f"{parent}: interventions[") for line in notices)


def test_other_problems_keep_the_files_intervention_numbers(tmp_path: Path) -> None:
    body = TIMELINE + "  - {from: 2, action: set, changes: {partnership.nope: 1}}\n"
    path = write(tmp_path, f"extends: {BASE}\n{body}")
    notices: list[str] = []
    with pytest.raises(ScenarioError) as err:
        load_scenario(path, {"months": 36}, notices)
    (line,) = [str(p) for p in err.value.problems]
    assert "interventions[6].changes.partnership.nope: not a lever" in line
    assert notices == []
