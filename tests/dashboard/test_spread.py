"""The spread across plausible assumptions on the dashboard: the band is the 10-90% of
drawn runs that replay the copy's levers and shocks, it moves with a lever, it collapses
onto the live line when nothing is uncertain, it is computed off the caller's thread and
restarted when the copy changes, and the switch hides it."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.core.run import TwinRun
from sim.dashboard import plots, spread
from sim.dashboard.levers import Shock
from sim.dashboard.state import Controller, LiveRun, View
from sim.experiment.assumptions import drawn_scenarios
from sim.scenario.interventions import Reorganise, SetLevers
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
BASELINE = ROOT / "scenarios" / "baseline.yaml"
WAIT = 60.0  # seconds a band may take on a busy machine (about 0.3 s when idle)


@pytest.fixture()
def short(tmp_path: Path) -> Path:
    """The baseline cut to 36 months."""
    path = tmp_path / "short.yaml"
    path.write_text(f"extends: {BASELINE}\nmonths: 36\n", encoding="utf-8")
    return path


@pytest.fixture()
def certain(tmp_path: Path) -> Path:
    """The baseline cut to 36 months with every constant at its value (scale 0)."""
    path = tmp_path / "certain.yaml"
    path.write_text(
        f"extends: {BASELINE}\nmonths: 36\nuncertainty: {{scale: 0}}\n", encoding="utf-8"
    )
    return path


def spread_controller(path: Path) -> Controller:
    c = Controller(path)
    c.show_spread(True)
    return c


def settled(c: Controller) -> None:
    assert c.worker.wait(WAIT), "the band was not made in time"


def test_band_bounds_are_the_percentiles_of_the_drawn_runs(short: Path) -> None:
    """A session (a lever at month 6, a reorganisation from month 9) written down as a
    scenario, drawn and run directly: the band is the 10th/90th percentile of those runs."""
    live = LiveRun(load_scenario(short), "A")
    for _ in range(6):
        live.step()
    live.set_lever("partnership.formality", 0.9)
    live.step()
    live.step()
    live.shock(Shock.REORGANISE)
    live.step()
    made = spread.band(live.plan, 8)

    scenario = live.scenario.model_copy(
        update={
            "interventions": [
                *live.scenario.interventions,
                SetLevers(action="set", at=7, changes={"partnership.formality": 0.9}),
                Reorganise(action="reorganise", at=9),
            ]
        }
    )
    _, (versions,) = drawn_scenarios([scenario], 8)
    drawn: dict[str, list[np.ndarray]] = {key: [] for key in spread.BANDED}
    for version in versions:
        run = TwinRun(version, 0, with_agents=False)
        run.run_to(scenario.months)
        series = run.series()
        drawn["outcome_index"].append(series["outcome_index"])
        window = run.regimes(scenario.regimes)  # the live copy's window, not the draw's
        drawn["added_value_window"].append(window["added_value_window"])
    for key, rows in drawn.items():
        low, high = np.percentile(np.vstack(rows), [10, 90], axis=0)
        np.testing.assert_allclose(made.low[key], low, rtol=1e-12, atol=1e-12, err_msg=key)
        np.testing.assert_allclose(made.high[key], high, rtol=1e-12, atol=1e-12, err_msg=key)
        assert (made.high[key] - made.low[key]).max() > 0.1, key  # the draws do differ
    assert made.label == "plausible versions of the model (10-90%, 8 draws)"


@pytest.mark.parametrize("kind", list(Shock))
def test_shocks_are_replayed_in_the_drawn_runs(short: Path, kind: Shock) -> None:
    """The same levers with and without a shock from month 10: every drawn run is the same
    up to it and differs after it."""
    plain, shocked = LiveRun(load_scenario(short), "A"), LiveRun(load_scenario(short), "A")
    for live in (plain, shocked):
        for _ in range(9):
            live.step()
    shocked.shock(kind)
    a, b = spread.drawn_series(plain.plan, 4), spread.drawn_series(shocked.plan, 4)
    for key in spread.BANDED:
        np.testing.assert_array_equal(a[key][:, :9], b[key][:, :9])
    assert np.abs(a["added_value_window"][:, 9:] - b["added_value_window"][:, 9:]).max() > 0


def test_band_changes_when_a_lever_changes(short: Path) -> None:
    c = spread_controller(short)
    c.step(6)
    settled(c)
    before = c.view().runs[0]
    assert before.band is not None and not before.band_stale
    c.set_lever("A", "partnership.formality", 0.95)
    now = c.view().runs[0]
    if now.band is before.band:  # not recomputed yet: the old band, greyed
        assert now.band_stale
    settled(c)
    after = c.view().runs[0]
    assert after.band is not None and not after.band_stale
    assert after.band.plan is c.run("A").plan
    for key in spread.BANDED:  # the same up to the change, different after it
        np.testing.assert_array_equal(before.band.low[key][:6], after.band.low[key][:6])
        assert not np.allclose(before.band.high[key][6:], after.band.high[key][6:]), key
    c.close()


def test_a_band_of_another_start_is_hidden_until_made_again(short: Path) -> None:
    """After a new seed or a Reset the old band describes another run: none is shown
    (the page says the band is being worked out) until the new one is made."""
    c = spread_controller(short)
    c.step(4)
    settled(c)
    old = c.view().runs[0].band
    for change in (lambda: c.set_seed(7), c.reset):
        change()
        view = c.view()
        shown = view.runs[0].band
        assert shown is None or shown.plan.start is c.run("A").plan.start
        if shown is None:
            assert view.spread_note.startswith("Working out the spread")
        settled(c)
        made = c.view().runs[0].band
        assert made is not None and made is not old and made.plan is c.run("A").plan
        old = made
    c.close()


def test_with_scale_zero_the_band_is_the_live_line(certain: Path) -> None:
    c = spread_controller(certain)
    c.step(5)
    c.set_lever("A", "partnership.shared_targets", 0.5)
    c.step(3)
    c.shock(Shock.REORGANISE)
    c.step(2)
    c.shock(Shock.CHAMPION_LEAVES)
    c.step(100)  # to the horizon
    settled(c)
    run = c.view().runs[0]
    assert run.band is not None and not run.band_stale and run.month == run.months
    for key in spread.BANDED:
        np.testing.assert_array_equal(run.band.low[key], run.series[key], err_msg=key)
        np.testing.assert_array_equal(run.band.high[key], run.series[key], err_msg=key)
    c.close()


def test_the_switch_is_off_at_first_and_hides_the_band(short: Path) -> None:
    c = Controller(short)
    c.step(3)
    view = c.view()
    assert not view.spread and view.runs[0].band is None and not view.spread_note
    assert c.worker.wait(0.5)  # nothing asked for, nothing computed
    c.show_spread(True)
    settled(c)
    view = c.view()
    assert view.spread and view.runs[0].band is not None and not view.spread_note
    label = view.runs[0].band.label
    for build in (value_option, outcome_option):
        assert label in series_names(build(view))
    c.show_spread(False)
    view = c.view()
    assert not view.spread and view.runs[0].band is None
    for build in (value_option, outcome_option):
        assert not any(name.startswith("plausible") for name in series_names(build(view)))
    c.close()


def value_option(view: View) -> dict[str, Any]:
    return plots.value_chart(view.runs[0], plots.value_axes(view.runs), 12)


def outcome_option(view: View) -> dict[str, Any]:
    return plots.outcome_chart(view.runs[0], plots.outcome_range(view.runs))


def series_names(option: dict[str, Any]) -> list[str]:
    return [s["name"] for s in option["series"]]


def test_the_charts_draw_the_band_behind_the_line_and_fit_it(short: Path) -> None:
    c = spread_controller(short)
    c.step(12)
    settled(c)
    view = c.view()
    run, band = view.runs[0], view.runs[0].band
    assert band is not None
    option = value_option(view)
    low, width = option["series"][0], option["series"][1]
    assert low["name"] == width["name"] == band.label
    assert low["stack"] == width["stack"] and "areaStyle" in width and "areaStyle" not in low
    key = "added_value_window"
    assert low["encode"] == width["encode"] == {"x": 1, "y": 0}  # points are [value, month]
    np.testing.assert_allclose([p[0] for p in low["data"]], band.low[key], atol=1e-4)
    np.testing.assert_allclose(
        [p[0] for p in width["data"]], band.high[key] - band.low[key], atol=1e-4
    )
    assert [p[1] for p in low["data"]] == list(range(1, run.months + 1))
    assert len(low["data"]) == run.months  # the whole horizon, while the line grows
    assert option["series"][2]["name"] == "partnership adds"
    legend = option["legend"]["data"]
    assert legend[-1]["name"] == band.label and "partnership adds" in legend
    axes = plots.value_axes(view.runs)
    assert axes.lo <= band.low[key].min() and band.high[key].max() <= axes.hi
    lo, hi = plots.outcome_range(view.runs)
    assert lo <= band.low["outcome_index"].min() and band.high["outcome_index"].max() <= hi
    c.close()


def test_a_stale_band_is_greyed_and_named_so(short: Path) -> None:
    c = spread_controller(short)
    c.step(4)
    settled(c)
    view = c.view()
    run = replace(view.runs[0], band_stale=True)
    stale = plots.value_chart(run, plots.value_axes([run]), 12)
    assert stale["series"][1]["areaStyle"]["color"] == plots.STALE_COLOUR
    assert stale["series"][1]["name"].endswith(plots.STALE_WORDS)
    c.close()


def test_side_by_side_b_starts_with_a_band_and_keeps_its_own(short: Path) -> None:
    c = spread_controller(short)
    c.step(6)
    settled(c)
    c.set_side_by_side(True)
    a, b = c.view().runs
    assert b.band is a.band and not b.band_stale  # the same history: the same band
    c.set_lever("B", "partnership.formality", 0.95)
    a, b = c.view().runs
    assert not a.band_stale
    settled(c)
    a, b = c.view().runs
    assert b.band is not a.band and not b.band_stale
    assert b.band is not None and b.band.plan is c.run("B").plan
    c.set_side_by_side(False)
    assert len(c.view().runs) == 1
    c.close()


def test_a_newer_plan_cancels_the_computation_under_way(short: Path) -> None:
    """The worker drops a plan replaced while it runs; the ready hook fires only for
    bands it keeps."""
    live = LiveRun(load_scenario(short), "A")
    for _ in range(3):
        live.step()
    first = live.plan
    live.set_lever("partnership.formality", 0.9)
    second = live.plan
    ready: list[int] = []
    worker = spread.SpreadWorker(4, on_ready=lambda: ready.append(1))
    worker.request("A", first)
    worker.request("A", second)
    assert worker.wait(WAIT)
    made, stale = worker.band("A", second)
    assert made is not None and made.plan is second and not stale
    assert worker.band("A", first) == (made, True)  # out of date for the first plan
    assert 1 <= len(ready) <= 2  # the first may have finished before it was replaced
    worker.close()
    with pytest.raises(spread.Cancelled):
        spread.band(first, 4, cancelled=lambda: True)


def test_bands_are_made_off_the_callers_thread(short: Path) -> None:
    threads: list[str] = []
    c = Controller(short, on_spread=lambda: threads.append(threading.current_thread().name))
    c.show_spread(True)
    settled(c)
    assert threads and all(name == "dashboard-spread" for name in threads)
    c.close()


def test_a_band_needs_two_draws(short: Path) -> None:
    with pytest.raises(ValueError, match="at least 2 draws"):
        spread.band(LiveRun(load_scenario(short), "A").plan, 1)
