"""Properties of whole runs over random valid scenarios: finite, in range, capacity kept."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.core.run import TwinRun, simulate
from sim.scenario.levers import apply_changes

share = st.floats(0.0, 1.0, allow_nan=False)

LEVERS = st.fixed_dictionaries(
    {
        "environment.policy_churn": st.floats(0.0, 4.0),
        "environment.churn_severity": share,
        "environment.staff_turnover": share,
        "environment.target_pressure": share,
        "environment.initiatives_per_year": st.floats(0.0, 12.0),
        "environment.austerity": st.floats(0.0, 0.9),
        "partnership.formality": share,
        "partnership.leadership.style": st.sampled_from(["facilitative", "directive", "absent"]),
        "partnership.leadership.strength": share,
        "partnership.shared_targets": share,
        "partnership.information_sharing": share,
        "partnership.mandated": st.booleans(),
        "partnership.community_voice": share,
        "partnership.monitoring_focus": share,
        "staff.initial_trust": share,
        "staff.champions": share,
    }
)

RUNS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

UNIT = (
    "trust_within",
    "trust_across",
    "trust_across_strategic",
    "trust_across_frontline",
    "joint_work_share",
    "joint_success",
    "formal_activity",
    "goal_clarity",
    "role_clarity",
    "monitoring_quality",
    "meeting_intensity",
    "alignment_vertical",
    "seamless_share",
    "target_pressure",
    "target_pull",
    "goodwill",
    "leader_strength",
    "learning",
    "chase_pressure",
    "need_target_alignment",
    "facade_index",
    "commitment",
    "process_overhead_share",
    "reorganisation",
    "reforming",
    "leader_present",
    "board_alive",
    "formal_activity_window",
)

COUNTS = (
    "staff_replaced",
    "ties_brokered",
    "initiatives",
    "commitments_made",
    "commitments_delivered",
    "commitments_lapsed",
    "commitments_open",
    "users",
    "champions",
    "ties_made",
    "reporting_overhead",
    "ties_across_per_staff",
    "trust_across_capital",
    "reassessments_per_user",
    "assessment_load",
    "silo_effort",
    "joint_effort",
    "decision_delay",
    "effort_index",
)

TOL = 1e-9


def check_state(m) -> None:
    """Staff and tie arrays in range, and capacity conserved, after a month."""
    s, t = m.staff, m.ties
    for name in ("goodwill", "role_clarity", "alignment", "joint_share"):
        values = getattr(s, name)
        assert np.all(np.isfinite(values)), name
        assert values.min() >= -TOL and values.max() <= 1.0 + TOL, name
    live = t.trust[t.alive]
    assert np.all((live >= 0.0) & (live <= 1.0))
    assert np.all(t.a[t.alive] < t.b[t.alive])
    assert np.all((m.agencies.commitment >= 0.0) & (m.agencies.commitment <= 1.0))
    assert np.all((m.agencies.pressure >= 0.0) & (m.agencies.pressure <= 1.0))
    for name in ("overhead", "joint_done", "joint_output"):
        assert np.all(getattr(s, name) >= 0.0), name
    assert np.all(m.assessment_load >= 0.0)
    # capacity: every post's meetings, reporting, joint work and silo work fit in it
    silo = np.maximum(s.capacity - s.overhead - s.joint_done - m.assessment_load, 0.0)
    assert np.all(s.overhead + s.joint_done + silo <= s.capacity + TOL)
    used = m.silo_effort.sum() + s.overhead.sum() + s.joint_done.sum() + m.assessment_load.sum()
    assert used <= s.capacity.sum() + TOL
    assert np.all(m.population.need > 0.0) and np.all(np.isfinite(m.population.need))
    assert m.board.pending.min() >= 0


def check_series(data: dict[str, np.ndarray]) -> None:
    for key, values in data.items():
        if key == "delivery_ratio":
            finite = values[~np.isnan(values)]
            assert np.all((finite >= 0.0) & (finite <= 1.0))
            continue
        assert np.all(np.isfinite(values)), key
    for key in UNIT:
        if key in data:
            assert data[key].min() >= -TOL and data[key].max() <= 1.0 + TOL, key
    for key in COUNTS:
        assert data[key].min() >= 0.0, key


@RUNS
@given(levers=LEVERS, months=st.integers(24, 48), replicate=st.integers(0, 3))
def test_random_scenarios_stay_finite_in_range_and_within_capacity(
    baseline, levers, months, replicate
):
    sc = apply_changes(baseline, levers).model_copy(update={"months": months})
    run = TwinRun(sc, replicate, with_agents=False)
    for _ in range(months):
        run.step()
        for world in run.worlds:
            check_state(world)
    data = run.series()
    assert all(v.shape == (months,) for v in data.values())
    check_series(data)
    check_series(run.twin.recorder.data)
    check_series(run.boardless.recorder.data)
    regimes = data["regime_code"]
    assert np.all((regimes >= 0) & (regimes <= 4))
    # the twins run on the same churn, turnover and population draws
    for key in ("reorganisation", "staff_replaced", "users"):
        assert np.array_equal(data[key], run.twin.recorder.reported(key, months)), key
        assert np.array_equal(data[key], run.boardless.recorder.reported(key, months)), key


@RUNS
@given(levers=LEVERS, replicate=st.integers(0, 3))
def test_a_mandated_board_outlives_every_scenario(baseline, levers, replicate):
    sc = apply_changes(
        baseline, {**levers, "partnership.mandated": True, "partnership.task_bound": False}
    )
    data = simulate(sc.model_copy(update={"months": 36}), replicate).series
    assert np.all(data["board_alive"] == 1.0)


def test_many_champions_making_ties_for_years(baseline, cfg):
    """Champions and a facilitative chair grow the tie pool inside the monthly step."""
    levers = {
        "staff.champions": 1.0,
        "partnership.leadership.style": "facilitative",
        "partnership.leadership.strength": 1.0,
        "environment.target_pressure": 0.0,
    }
    sc = cfg(baseline, levers, {"frontline.champion_tie_rate": 1.0}, months=36)
    for replicate in (0, 1):
        data = simulate(sc, replicate).series
        check_series(data)
        assert data["ties_made"].sum() > 0
