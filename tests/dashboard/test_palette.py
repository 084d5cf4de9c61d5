"""Colour means one thing: the regime palette stays apart for colour-blind viewers, each
regime has one colour wherever it is shown, and no chart line uses a regime colour.

The check of the palette can fail: the palette used before (a green, an orange-red, a
teal, two greys) comes out at 13.2 (protanopia) and 17.0 (deuteranopia), below the
bound, as :func:`test_the_check_tells_a_poor_palette_apart` shows.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sim.core.regimes import REGIMES
from sim.dashboard import network, plots
from sim.dashboard.state import Controller, View
from sim.viz import palette

ROOT = Path(__file__).resolve().parents[2]
# smallest CIE 1976 difference between two regime colours, as each viewer sees them
# (measured: normal 59.5, protanopia 37.2, deuteranopia 33.6, tritanopia 16.1)
BOUNDS = {"normal": 40.0, "protanopia": 25.0, "deuteranopia": 25.0, "tritanopia": 12.0}
APART = 20.0  # a line colour differs from every regime colour by at least this (normal)
PREVIOUS = {  # the regime colours before the Okabe-Ito palette
    "delivering": "#1b7f4c",
    "facade": "#c4461a",
    "organic": "#0f7b8a",
    "inert": "#6b6b6b",
    "dissolved": "#2b2b2b",
}


@pytest.fixture(scope="module")
def view() -> View:
    c = Controller(ROOT / "scenarios" / "baseline.yaml")
    c.step(30)
    return c.view()


@pytest.mark.parametrize("vision", list(BOUNDS))
def test_regime_colours_stay_apart_for_colour_blind_viewers(vision: str) -> None:
    distance, a, b = palette.min_distance(palette.REGIME_COLOURS, vision)
    print(f"{vision}: smallest difference {distance:.1f} ({a} / {b})")
    assert distance >= BOUNDS[vision], (vision, a, b, distance)


def test_the_check_tells_a_poor_palette_apart() -> None:
    assert palette.min_distance(PREVIOUS, "protanopia")[0] < BOUNDS["protanopia"]
    assert palette.min_distance(PREVIOUS, "deuteranopia")[0] < BOUNDS["deuteranopia"]
    # a colour and itself under any vision: no difference at all
    assert palette.delta_e("#D55E00", "#d55e00", "deuteranopia") == pytest.approx(0.0)


def test_simulation_keeps_greys_and_merges_red_and_green() -> None:
    for vision in palette.VISION:
        assert palette.delta_e("#777777", "#777777", vision) == pytest.approx(0.0)
        grey = palette.simulate("#777777", vision)
        assert np.ptp(grey) < 0.02  # a grey stays a grey
    # pure red and pure green, far apart normally, come close for a deuteranope
    assert palette.delta_e("#ff0000", "#00ff00") > 3 * palette.delta_e(
        "#ff0000", "#00ff00", "deuteranopia"
    )


def test_one_colour_per_regime_wherever_a_regime_is_shown(view: View) -> None:
    assert plots.REGIME_COLOURS == palette.REGIME_COLOURS
    assert set(palette.REGIME_COLOURS) == set(REGIMES)
    strip = plots.regime_strip(view.runs[0])
    bands = strip["series"][0]["markArea"]["data"]
    assert bands
    for start, _ in bands:
        name = start["label"]["formatter"]
        assert start["itemStyle"]["color"] == palette.REGIME_COLOURS[name]
    for regime in REGIMES:
        assert palette.regime_colour(regime) == palette.REGIME_COLOURS[regime]
    assert palette.regime_colour("starting") not in palette.REGIME_COLOURS.values()


def test_badge_text_reads_on_every_regime_colour() -> None:
    for colour in palette.REGIME_COLOURS.values():
        assert palette.contrast(colour, palette.text_on(colour)) >= 4.5


STYLES = ("lineStyle", "itemStyle", "areaStyle")  # what draws lines, points and areas


def colours(option: Any) -> set[str]:
    """Every colour a chart option draws lines, points or areas in (text is ink, left out)."""
    found: set[str] = set()
    if isinstance(option, dict):
        for key, value in option.items():
            if key in STYLES and isinstance(value, dict):
                found |= {
                    v.lower()
                    for k, v in value.items()
                    if k in ("color", "borderColor") and isinstance(v, str)
                }
            found |= colours(value)
    elif isinstance(option, list):
        for item in option:
            found |= colours(item)
    return found


def test_no_chart_line_uses_a_regime_colour(view: View) -> None:
    run = view.runs[0]
    options = [
        plots.value_chart(run, plots.value_axes(view.runs), 12),
        plots.outcome_chart(run, plots.outcome_range(view.runs)),
        plots.joint_chart(run, plots.joint_range(view.runs)),
        plots.formal_chart(run),
        plots.trust_chart(run),
        plots.delivery_chart(run, view.thresholds),
        network.agency_chart(run.network),
        network.staff_chart(run.network),
    ]
    used = set().union(*(colours(o) for o in options)) - {"#fff", "#ffffff", "transparent"}
    used -= {"#e4e4e4"}  # grid lines
    assert plots.AGENCY_COLOURS[0].lower() in used  # the agencies are checked too
    assert used
    for colour in used:
        for regime, rc in palette.REGIME_COLOURS.items():
            assert palette.delta_e(colour, rc) >= APART, (colour, regime)
