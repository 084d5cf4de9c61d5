"""The dashboard's figures as ECharts options: the outcome's three worlds, the added-value
chart and its axes, the regime lines, and axes shared by side-by-side copies."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.core.regimes import REGIMES
from sim.dashboard import plots
from sim.dashboard.state import Controller, RunView, View

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"


@pytest.fixture(scope="module")
def view() -> View:
    """Baseline side by side after 30 months, B with a heavier board from month 6."""
    c = Controller(BASELINE)
    c.step(6)
    c.set_side_by_side(True)
    c.set_lever("B", "partnership.formality", 0.95)
    c.step(24)
    return c.view()


def names(option: dict[str, Any]) -> list[str]:
    return [s["name"] for s in option["series"]]


def mark_lines(option: dict[str, Any]) -> list[dict[str, Any]]:
    return [d for s in option["series"] for d in s.get("markLine", {}).get("data", [])]


def values(series: dict[str, Any]) -> np.ndarray:
    return np.array([v for _, v in series["data"] if v != "-"], float)


def test_every_regime_has_a_colour() -> None:
    assert set(REGIMES) <= set(plots.REGIME_COLOURS)
    assert len(set(plots.REGIME_COLOURS.values())) == len(plots.REGIME_COLOURS)


def test_outcome_shows_the_three_worlds(view: View) -> None:
    run = view.runs[0]
    option = plots.outcome_chart(run, plots.outcome_range(view.runs))
    assert names(option) == ["with the partnership", "same area, no board", "no joint working"]
    for series, key in zip(option["series"], plots.OUTCOME_KEYS, strict=True):
        np.testing.assert_allclose(values(series), run.series[key], atol=1e-4)
    lo, hi = option["yAxis"]["min"], option["yAxis"]["max"]
    for r in view.runs:  # one axis covers both copies
        for key in plots.OUTCOME_KEYS:
            assert lo <= r.series[key].min() and r.series[key].max() <= hi


def test_value_chart_shows_added_and_ground_value_with_a_zero_line(view: View) -> None:
    run = view.runs[0]
    option = plots.value_chart(run, plots.value_axes(view.runs), view.thresholds.window_months)
    title = option["title"]["text"]
    assert "What the partnership adds" in title and "% of need a year" in title
    assert names(option)[:2] == ["partnership adds", "joint work on the ground adds"]
    added, ground, total = option["series"]
    np.testing.assert_allclose(values(added), run.series["added_value_window"], atol=1e-4)
    np.testing.assert_allclose(values(ground), run.series["ground_value_window"], atol=1e-4)
    np.testing.assert_allclose(values(total), run.series["added_value"], atol=1e-4)
    assert total["yAxisIndex"] == 1  # the cumulative value has its own axis
    assert any(d.get("yAxis") == 0.0 for d in mark_lines(option))
    json.dumps(option)  # the browser gets it as JSON


def test_value_axes_cover_both_copies_and_share_zero_and_grid(view: View) -> None:
    axes = plots.value_axes(view.runs)
    assert axes.lo < 0.0 < axes.hi
    for run in view.runs:
        for key in ("added_value_window", "ground_value_window"):
            assert axes.lo <= run.series[key].min() and run.series[key].max() <= axes.hi
        total = run.series["added_value"]
        assert axes.lo * axes.years <= total.min() and total.max() <= axes.hi * axes.years
    # whole grid steps on both axes, so the right axis's zero and grid lines are the left's
    steps = (axes.hi - axes.lo) / axes.step
    assert steps == pytest.approx(round(steps))
    assert axes.lo / axes.step == pytest.approx(round(axes.lo / axes.step))
    option = plots.value_chart(view.runs[1], axes, 12)
    left, right = option["yAxis"]
    assert right["min"] / left["min"] == pytest.approx(right["max"] / left["max"])
    assert right["interval"] / left["interval"] == pytest.approx(right["max"] / left["max"])


def test_copies_get_the_same_axes(view: View) -> None:
    a, b = view.runs
    assert plots.value_axes([a, b]) == plots.value_axes([b, a])
    assert plots.outcome_range([a, b]) == plots.outcome_range([b, a])
    assert plots.joint_range([a, b]) == plots.joint_range([b, a])


@pytest.mark.parametrize(
    ("x", "expected"), [(0.3, 0.5), (0.25, 0.25), (0.11, 0.2), (1.0, 1.0), (3.2, 5.0), (7, 10.0)]
)
def test_nice_steps(x: float, expected: float) -> None:
    assert plots.nice(x) == pytest.approx(expected)


def test_delivery_chart_draws_the_kept_ratio(view: View) -> None:
    option = plots.delivery_chart(view.runs[0], view.thresholds)
    levels = [d["yAxis"] for d in mark_lines(option) if "yAxis" in d]
    assert levels == [view.thresholds.kept_ratio]


def test_joint_chart_compares_joint_work_without_a_board_on_one_axis(view: View) -> None:
    run = view.runs[0]
    top = plots.joint_range(view.runs)
    option = plots.joint_chart(run, top)
    assert names(option) == ["with the partnership", "same area, no board"]
    assert isinstance(option["yAxis"], dict)  # one quantity, one axis
    assert all("yAxisIndex" not in s for s in option["series"])
    assert not [d for d in mark_lines(option) if "yAxis" in d]  # no threshold lines now
    np.testing.assert_allclose(
        values(option["series"][0]),
        plots.trailing_mean(run.series["joint_work_share"], plots.SMOOTH),
        atol=1e-4,
    )
    for r in view.runs:
        for key in ("joint_work_share", "boardless_joint_work_share"):
            assert r.series[key].max() <= top
    assert top >= plots.JOINT_TOP


def test_formal_activity_has_a_chart_and_an_axis_of_its_own(view: View) -> None:
    run = view.runs[0]
    option = plots.formal_chart(run)
    assert "Formal activity" in option["title"]["text"]
    assert isinstance(option["yAxis"], dict)
    assert (option["yAxis"]["min"], option["yAxis"]["max"]) == (0.0, 1.0)
    (formal,) = option["series"]
    np.testing.assert_allclose(
        values(formal),
        plots.trailing_mean(run.series["formal_activity"], plots.SMOOTH),
        atol=1e-4,
    )


def test_month_zero_draws_empty_charts() -> None:
    view = Controller(BASELINE).view()
    run: RunView = view.runs[0]
    axes = plots.value_axes(view.runs)
    assert (axes.lo, axes.hi) == (-plots.VALUE_MIN, plots.VALUE_MIN)
    for option in (
        plots.value_chart(run, axes, 12),
        plots.outcome_chart(run, plots.outcome_range(view.runs)),
        plots.joint_chart(run, plots.joint_range(view.runs)),
        plots.formal_chart(run),
        plots.delivery_chart(run, view.thresholds),
        plots.regime_strip(run),
    ):
        assert all(not s["data"] for s in option["series"])
        json.dumps(option)


def test_close_markers_are_staggered_or_shown_as_a_range() -> None:
    from sim.dashboard.state import Marker

    def labels(*months: int) -> list[tuple[int, str, bool]]:
        return plots.marker_labels([Marker(m, f"event {m}") for m in months], 120)

    # far apart: every number on the lowest level
    assert labels(10, 40, 80) == [(10, "1", False), (40, "2", False), (80, "3", False)]
    # two close ones: the second drawn higher
    assert labels(10, 12) == [(10, "1", False), (12, "2", True)]
    # four within a few months: one range label, on the first line
    assert labels(21, 22, 23, 25) == [
        (21, "1-4", False),
        (22, "", False),
        (23, "", False),
        (25, "", False),
    ]
    # a number just after a range label is drawn higher
    assert labels(10, 11, 12, 17)[-1] == (17, "4", True)
    option = plots._marker_lines([Marker(m, "x") for m in (21, 22, 23)], 120)
    assert [line["label"]["show"] for line in option] == [True, False, False]
