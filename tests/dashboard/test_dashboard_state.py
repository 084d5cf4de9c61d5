"""The dashboard's session controller, without a browser: stepping, levers, shocks, seeds,
side-by-side copies on common random numbers, and independent sessions."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from sim.core.regimes import REGIMES
from sim.dashboard.explain import JUDGEMENTS
from sim.dashboard.levers import LEVERS, SHARED_TARGETS_SHOCK, Shock
from sim.dashboard.state import Controller, DashboardError, LiveRun, parse_seed

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"


@pytest.fixture()
def short(tmp_path: Path) -> Path:
    """The baseline cut to 24 months, in a library folder of its own."""
    path = tmp_path / "short.yaml"
    path.write_text(f"extends: {BASELINE}\nmonths: 24\n", encoding="utf-8")
    return path


@pytest.fixture()
def controller() -> Controller:
    return Controller(BASELINE)


def assert_same_series(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert a.keys() == b.keys()
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)


def series(c: Controller, label: str) -> dict[str, np.ndarray]:
    return c.run(label).run.series()


def recorded(c: Controller, label: str, name: str) -> float:
    """This month's value of ``name`` in copy ``label``."""
    return float(series(c, label)[name][-1])


# -- stepping ------------------------------------------------------------------------------
def test_steps_advance_the_month_and_the_series(controller: Controller) -> None:
    assert controller.view().month == 0
    assert controller.step(3) == 3
    view = controller.view()
    assert view.month == 3
    assert all(len(v) == 3 for v in view.runs[0].series.values())
    assert view.runs[0].reason.regime in REGIMES


def test_view_series_carry_what_the_badge_and_charts_read(controller: Controller) -> None:
    controller.step(4)
    series = controller.view().runs[0].series
    for key in (*JUDGEMENTS, "boardless_joint_work_share", "boardless_outcome_index"):
        assert series[key].shape == (4,), key
    boardless = controller.run("A").run.boardless
    np.testing.assert_array_equal(
        series["boardless_joint_work_share"], boardless.recorder.reported("joint_work_share", 4)
    )


def test_stepping_stops_at_the_horizon(short: Path) -> None:
    c = Controller(short)
    assert c.step(100) == 24
    assert c.finished and c.view().finished
    assert c.step() == 0
    with pytest.raises(DashboardError, match="horizon"):
        c.shock(Shock.REORGANISE)


def test_reset_starts_again_with_the_levers_as_set(controller: Controller) -> None:
    controller.step(5)
    controller.set_lever("A", "partnership.formality", 0.9)
    controller.step(5)
    controller.reset()
    assert controller.month == 0
    assert controller.view().runs[0].levers["partnership.formality"] == 0.9
    assert controller.view().runs[0].markers == ()


def test_view_holds_copies(controller: Controller) -> None:
    controller.step(4)
    view = controller.view()
    view.runs[0].series["trust_across"][:] = -1.0
    assert (series(controller, "A")["trust_across"] >= 0).all()


def test_concurrent_steps_are_serialised(short: Path) -> None:
    c = Controller(short)
    threads = [threading.Thread(target=c.step, args=(5,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert c.month == 20
    assert len(series(c, "A")["trust_across"]) == 20


# -- levers --------------------------------------------------------------------------------
def test_lever_at_month_zero_rebuilds_with_it(controller: Controller) -> None:
    before = int(controller.run("A").run.model.staff.champion.sum())
    controller.set_lever("A", "staff.champions", 0.4)
    model = controller.run("A").run.model
    assert model.month == 0
    assert int(model.staff.champion.sum()) > before  # the first champions follow the lever
    assert controller.view().runs[0].markers == ()  # nothing to mark before month 1


def test_lever_later_applies_to_every_world_and_is_marked(controller: Controller) -> None:
    controller.step(6)
    controller.set_lever("A", "environment.policy_churn", 2.0)
    run = controller.run("A").run
    assert len(run.worlds) == 3
    for world in run.worlds:  # the partnership, the board-less twin, no joint working
        assert world.levers.environment.policy_churn == 2.0
    controller.set_lever("A", "environment.policy_churn", 2.5)  # same month: one marker
    markers = controller.view().runs[0].markers
    assert [(m.month, m.label) for m in markers] == [(7, "churn 2.5")]


def test_every_dashboard_lever_can_be_set(controller: Controller) -> None:
    controller.step(2)
    values = {float: 0.2, bool: True, str: "facilitative"}
    for lever in LEVERS:
        controller.set_lever("A", lever.path, values[lever.kind])
        assert controller.view().runs[0].levers[lever.path] == values[lever.kind]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("partnership.formality", 2.0),
        ("partnership.leadership.style", "autocratic"),
        ("partnership.no_such_lever", 1.0),
    ],
)
def test_bad_lever_values_are_rejected(controller: Controller, path: str, value: object) -> None:
    controller.step(2)
    with pytest.raises(DashboardError, match=path.rsplit(".", 1)[0]):
        controller.set_lever("A", path, value)
    assert controller.view().runs[0].levers["partnership.formality"] == 0.5


# -- shocks --------------------------------------------------------------------------------
def test_reorganise_now_forces_a_reorganisation_next_month(controller: Controller) -> None:
    controller.step(3)
    assert recorded(controller, "A", "reorganisation") == 0.0
    message = controller.shock(Shock.REORGANISE)
    assert "month 4" in message
    controller.step()
    assert recorded(controller, "A", "reorganisation") == 1.0
    for world in controller.run("A").run.worlds:  # the twins are reorganised too
        assert world.recorder.reported("reorganisation", 4)[3] == 1.0
    assert [(m.month, m.label) for m in controller.view().runs[0].markers] == [
        (4, "reorganisation")
    ]


def test_shocks_on_one_copy_change_it_and_not_the_other(controller: Controller) -> None:
    controller.step(4)
    # a month with a chair in post (a chair can leave, turnover leaves the post vacant)
    while recorded(controller, "A", "leader_present") < 1.0 and controller.month < 24:
        controller.step()
    controller.set_side_by_side(True)
    champions = recorded(controller, "A", "champions")
    assert recorded(controller, "A", "leader_present") == 1.0
    controller.shock(Shock.LEADER_LEAVES, ("B",))
    controller.shock(Shock.CHAMPION_LEAVES, ("B",))
    controller.step()
    assert recorded(controller, "A", "leader_present") == 1.0
    assert recorded(controller, "B", "leader_present") == 0.0
    assert recorded(controller, "B", "champions") == recorded(controller, "A", "champions") - 1
    assert recorded(controller, "A", "champions") == champions
    # the champion leaves the board-less twin of B too: champions work without a board
    a, b = (controller.run(label).run.boardless for label in ("A", "B"))
    now = controller.month
    assert (
        b.recorder.reported("champions", now)[-1] == a.recorder.reported("champions", now)[-1] - 1
    )
    labels = {m.label for m in controller.view().runs[1].markers}
    assert labels == {"chair leaves", "champion leaves"}
    assert controller.view().runs[0].markers == ()


def test_introduce_shared_targets_moves_the_lever(controller: Controller) -> None:
    controller.step(2)
    controller.shock(Shock.SHARED_TARGETS)
    view = controller.view().runs[0]
    assert view.levers["partnership.shared_targets"] == SHARED_TARGETS_SHOCK
    assert [(m.month, m.label) for m in view.markers] == [(3, "shared targets 0.6")]
    with pytest.raises(DashboardError, match="already"):
        controller.shock(Shock.SHARED_TARGETS)


def test_impossible_shocks_are_refused_with_a_reason(controller: Controller) -> None:
    controller.step(2)
    controller.shock(Shock.LEADER_LEAVES)
    controller.step()
    with pytest.raises(DashboardError, match="vacant"):
        controller.shock(Shock.LEADER_LEAVES)
    controller.set_lever("A", "staff.champions", 0.0)
    model = controller.run("A").run.model
    model.staff.champion[:] = False  # every champion gone
    with pytest.raises(DashboardError, match="champions"):
        controller.shock(Shock.CHAMPION_LEAVES)
    with pytest.raises(DashboardError, match="no partnership"):
        controller.shock(Shock.REORGANISE, ("B",))  # side by side is off


def test_scenario_interventions_are_marked() -> None:
    c = Controller(ROOT / "scenarios" / "stable_three_years.yaml")
    c.step(50)
    marks = [(m.month, m.label) for m in c.view().runs[0].markers]
    assert marks == [(12, "churn 0"), (49, "end: churn 0")]


# -- side by side --------------------------------------------------------------------------
def test_side_by_side_copies_share_random_numbers(controller: Controller) -> None:
    controller.set_side_by_side(True)
    controller.step(36)
    assert_same_series(series(controller, "A"), series(controller, "B"))


def test_a_copy_branched_mid_run_continues_identically(controller: Controller) -> None:
    controller.step(10)
    controller.set_side_by_side(True)
    controller.step(26)
    assert_same_series(series(controller, "A"), series(controller, "B"))
    assert controller.run("B").run.model is not controller.run("A").run.model


def test_different_levers_diverge_only_after_the_change(controller: Controller) -> None:
    controller.step(10)
    controller.set_side_by_side(True)
    controller.set_lever("B", "partnership.formality", 0.95)
    controller.step(20)
    a, b = series(controller, "A"), series(controller, "B")
    np.testing.assert_array_equal(a["formal_activity"][:10], b["formal_activity"][:10])
    assert not np.array_equal(a["formal_activity"][10:], b["formal_activity"][10:])
    assert controller.view().runs[0].levers["partnership.formality"] == 0.5
    # neither twin has a board, so the board's levers do not touch them
    for twin in ("boardless_outcome_index", "counterfactual_outcome_index"):
        np.testing.assert_array_equal(a[twin], b[twin], err_msg=twin)


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("partnership.formality", 0.95),
        ("partnership.leadership.style", "facilitative"),
        ("partnership.leadership.strength", 0.9),
        ("partnership.shared_targets", 0.8),
        ("partnership.information_sharing", 0.9),
        ("partnership.mandated", True),
    ],
)
def test_board_levers_leave_both_twins_alone(
    controller: Controller, path: str, value: object
) -> None:
    controller.step(6)
    controller.set_side_by_side(True)
    controller.set_lever("B", path, value)
    controller.step(18)
    a, b = series(controller, "A"), series(controller, "B")
    for twin in ("boardless_outcome_index", "counterfactual_outcome_index"):
        np.testing.assert_array_equal(a[twin], b[twin], err_msg=twin)


def test_an_area_lever_changes_the_board_less_twin(controller: Controller) -> None:
    controller.step(6)
    controller.set_side_by_side(True)
    controller.set_lever("B", "environment.target_pressure", 0.95)
    controller.step(18)
    a, b = series(controller, "A"), series(controller, "B")
    np.testing.assert_array_equal(
        a["boardless_outcome_index"][:6], b["boardless_outcome_index"][:6]
    )
    assert not np.array_equal(a["boardless_outcome_index"][6:], b["boardless_outcome_index"][6:])


def test_reset_in_side_by_side_keeps_each_copys_levers(controller: Controller) -> None:
    controller.set_side_by_side(True)
    controller.step(5)
    controller.set_lever("B", "partnership.shared_targets", 0.7)
    controller.reset()
    assert controller.month == 0
    levers = [run.levers["partnership.shared_targets"] for run in controller.view().runs]
    assert levers == [0.1, 0.7]
    controller.set_side_by_side(False)
    assert len(controller.view().runs) == 1
    with pytest.raises(DashboardError):
        controller.run("B")


# -- seeds, scenarios, sessions ------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "abc", "1.5", "-1", str(2**63), "1e3", "None"])
def test_a_bad_seed_is_rejected_and_nothing_changes(controller: Controller, text: str) -> None:
    controller.step(4)
    with pytest.raises(DashboardError, match="seed"):
        controller.set_seed(text)
    assert controller.seed == 20070401 and controller.month == 4


def test_a_new_seed_starts_again_on_other_luck(controller: Controller) -> None:
    controller.step(24)
    before = series(controller, "A")["outcome_index"]
    assert controller.set_seed(" 7 ") == 7
    assert controller.month == 0 and controller.view().seed == 7
    controller.step(24)
    assert not np.array_equal(before, series(controller, "A")["outcome_index"])


def test_parse_seed_accepts_whole_numbers_only() -> None:
    assert parse_seed("0") == 0
    assert parse_seed(2**63 - 1) == 2**63 - 1
    with pytest.raises(DashboardError):
        parse_seed("seven")


def test_choosing_a_library_scenario(controller: Controller) -> None:
    controller.set_side_by_side(True)
    controller.step(3)
    controller.choose_scenario("high_churn")
    view = controller.view()
    assert view.scenario == "high_churn" and view.month == 0
    assert len(view.runs) == 2
    assert view.runs[1].levers["environment.policy_churn"] == 1.5
    with pytest.raises(DashboardError, match="unknown scenario"):
        controller.choose_scenario("no_such_scenario")
    assert "baseline" in controller.library


def test_sessions_are_independent_objects() -> None:
    one, two = Controller(BASELINE), Controller(BASELINE)
    one.step(6)
    one.set_lever("A", "partnership.formality", 0.9)
    assert two.month == 0
    assert two.view().runs[0].levers["partnership.formality"] == 0.5
    assert one.run("A").run.model is not two.run("A").run.model
    assert one.lock is not two.lock


def test_staff_layout_is_fixed_and_the_same_in_every_session(baseline) -> None:
    one, two = LiveRun(baseline, "A"), LiveRun(baseline, "A")
    np.testing.assert_array_equal(one.positions, two.positions)
    before = one.positions.copy()
    for _ in range(12):
        one.step()
    np.testing.assert_array_equal(one.view().network.positions, before)


# -- the area's own reorganisations and the chair's post -----------------------------------
def test_own_reorganisations_are_listed_and_shocks_are_not(controller: Controller) -> None:
    controller.step(30)
    run = controller.view().runs[0]
    flagged = tuple(int(m) + 1 for m in np.flatnonzero(run.series["reorganisation"] >= 0.5))
    assert flagged  # the baseline's churn reorganises the area within 30 months
    assert run.reorganisations == flagged
    controller.shock(Shock.REORGANISE, ("A",))
    controller.step(2)
    run = controller.view().runs[0]
    assert 31 in np.flatnonzero(run.series["reorganisation"] >= 0.5) + 1
    assert 31 not in run.reorganisations  # marked as the shock it was, numbered
    assert any(m.month == 31 and "reorganisation" in m.label for m in run.markers)
    assert set(run.reorganisations) >= set(flagged)


def test_no_churn_means_no_reorganisations_listed(controller: Controller) -> None:
    controller.set_lever("A", "environment.policy_churn", 0.0)
    controller.step(60)
    run = controller.view().runs[0]
    assert run.reorganisations == ()
    assert not (run.series["reorganisation"] >= 0.5).any()


def test_a_vacant_chair_is_shown_until_the_post_is_filled(controller: Controller) -> None:
    assert controller.view().runs[0].chair == ""  # month 0: nothing to say yet
    controller.step(12)
    run = controller.view().runs[0]
    assert (run.chair, run.chair_vacant) == ("directive, in post", False)
    controller.shock(Shock.LEADER_LEAVES, ("A",))
    controller.step()
    run = controller.view().runs[0]
    assert run.chair_vacant
    assert run.chair == "vacant since month 13"
    assert run.levers["partnership.leadership.style"] == "directive"  # the style stays
    for _ in range(60):  # the post is filled again after the vacancy
        controller.step()
        run = controller.view().runs[0]
        if not run.chair_vacant:
            break
    assert run.chair in ("directive, in post", "no board")
