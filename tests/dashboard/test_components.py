"""The dashboard page rendered by Solara in-process (no browser): buttons, levers, seed,
side by side, shocks, Play, and one model per session."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

solara = pytest.importorskip("solara", reason="the dashboard extra (solara) is not installed")

import ipyvuetify as v  # noqa: E402
import ipywidgets  # noqa: E402
from solara.components.echarts import EchartsWidget  # noqa: E402

from sim.core.regimes import REGIMES  # noqa: E402
from sim.dashboard import app  # noqa: E402
from sim.dashboard.server import SCENARIO_ENV  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture()
def ui(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The ui, rendered; yields its render context."""
    monkeypatch.setenv(SCENARIO_ENV, str(ROOT / "scenarios" / "baseline.yaml"))
    _, rc = solara.render(app.Page(), handle_error=False)
    yield rc
    rc.close()


def walk(widget: Any) -> Iterator[Any]:
    """Every widget under ``widget`` (depth first)."""
    yield widget
    for child in getattr(widget, "children", []) or []:
        if isinstance(child, ipywidgets.Widget):
            yield from walk(child)


def with_class(rc: Any, name: str) -> list[Any]:
    """Widgets whose CSS classes include ``name``."""
    root = rc.find().widgets[0]
    return [w for w in walk(root) if name in classes(w)]


def classes(widget: Any) -> list[str]:
    """A widget's CSS classes (``solara.HTML`` keeps them in its attributes)."""
    own = getattr(widget, "class_", "") or ""
    attributes = getattr(widget, "attributes", None) or {}
    return [*own.split(), *str(attributes.get("class", "")).split()]


def text(rc: Any, name: str) -> str:
    (widget,) = with_class(rc, name)
    html = getattr(widget, "unsafe_innerHTML", None)
    return html if html is not None else "".join(str(c) for c in widget.children)


def click(rc: Any, label: str) -> None:
    """Click the one button labelled ``label`` (beside its icon, if it has one)."""
    root = rc.find().widgets[0]
    (button,) = [w for w in walk(root) if isinstance(w, v.Btn) and label in w.children]
    button.click()


def toggle(rc: Any, label: str) -> None:
    """Choose ``label`` in a row of toggle buttons, as a click in the browser does (the
    toggle's value is the index of the button)."""
    root = rc.find().widgets[0]
    for group in (w for w in walk(root) if isinstance(w, v.BtnToggle)):
        labels = [b.children[0] for b in group.children if isinstance(b, v.Btn)]
        if label in labels:
            group.v_model = labels.index(label)
            return
    raise AssertionError(f"no toggle button {label!r}")


def slider(rc: Any, column: str, prefix: str) -> Any:
    (col,) = with_class(rc, f"column-{column}")
    found = [w for w in walk(col) if isinstance(w, v.Slider) and w.label.startswith(prefix)]
    assert len(found) == 1, found
    return found[0]


def regime(rc: Any, column: str = "A") -> str:
    (col,) = with_class(rc, f"column-{column}")
    (badge,) = [w for w in walk(col) if "pdash-badge-regime" in classes(w)]
    return badge.children[0]


def test_page_starts_at_month_zero_and_steps(ui: Any) -> None:
    assert text(ui, "month-counter") == "Month 0 of 120"
    assert regime(ui) == "starting"
    click(ui, "Step")
    assert text(ui, "month-counter") == "Month 1 of 120"
    assert regime(ui) in REGIMES
    charts = ui.find(EchartsWidget).widgets
    # regime strip, value, outcome, network, joint work, formal activity, trust, delivery
    assert len(charts) == 8
    titles = [str(w.option.get("title", {}).get("text")) for w in charts]
    for words in (
        "Outcome",
        "What the partnership adds",
        "Joint work",
        "Formal activity",
        "Commitments",
    ):
        (chart,) = [w for w, title in zip(charts, titles, strict=True) if words in title]
        assert len(chart.option["series"][0]["data"]) == 1
    assert text(ui, "pdash-badge-reason")


def test_the_legend_names_every_regime(ui: Any) -> None:
    legend = text(ui, "pdash-legend")
    for name in REGIMES:
        assert name in legend


def message(rc: Any) -> str:
    (alert,) = rc.find(v.Alert).widgets
    return " ".join(str(c) for c in alert.children)


def test_messages_follow_what_happened(ui: Any) -> None:
    assert "Press Step or Play" in message(ui)
    click(ui, "Step")
    click(ui, "Reorganise now")
    assert message(ui) == "A reorganisation in month 2"
    click(ui, "Leader leaves")
    click(ui, "Step")
    click(ui, "Leader leaves")
    assert "already vacant" in message(ui)


def test_levers_can_be_hidden(ui: Any) -> None:
    assert ui.find(v.Slider).widgets
    ui.find(v.Switch, label="Show the levers").widget.v_model = False
    assert not ui.find(v.Slider).widgets
    click(ui, "Step")
    assert text(ui, "month-counter") == "Month 1 of 120"


def test_a_bad_seed_shows_a_message_and_changes_nothing(ui: Any) -> None:
    click(ui, "Step")
    field = ui.find(v.TextField, label="Seed (a whole number; Enter to apply)").widget
    field.v_model = "twelve"
    field.fire_event("keyup.enter", None)
    assert field.error and "whole number" in str(field.messages)
    assert text(ui, "month-counter") == "Month 1 of 120"
    field.v_model = "12"
    field.fire_event("keyup.enter", None)
    assert text(ui, "month-counter") == "Month 0 of 120"
    assert not field.error


def test_slider_moves_the_lever(ui: Any) -> None:
    click(ui, "Step")
    formality = slider(ui, "A", "Formality of the board")
    formality.v_model = 0.9
    assert slider(ui, "A", "Formality of the board").label.endswith("0.90")
    click(ui, "Step")
    assert "formality 0.9" in text(ui, "pdash-markers")


def test_side_by_side_and_a_shock_on_one_copy(ui: Any) -> None:
    click(ui, "Step")
    ui.find(v.Switch, label="Side by side (A and B)").widget.v_model = True
    assert len(with_class(ui, "pdash-column")) == 2
    toggle(ui, "B only")
    click(ui, "Introduce shared targets")
    assert slider(ui, "B", "Shared targets").label.endswith("0.60")
    assert slider(ui, "A", "Shared targets").label.endswith("0.10")
    click(ui, "Step")
    assert text(ui, "month-counter") == "Month 2 of 120"


def test_scenario_choice_and_network_view(ui: Any) -> None:
    ui.find(v.Select, label="Scenario").widget.v_model = "high_churn"
    assert text(ui, "pdash-title") == "Scenario: high_churn"
    toggle(ui, "staff")
    titles = [w.option.get("title", {}).get("text") for w in ui.find(EchartsWidget).widgets]
    assert "Trust between staff" in titles


def test_play_and_pause(ui: Any) -> None:
    click(ui, "Play")
    deadline = time.monotonic() + 10
    while text(ui, "month-counter") == "Month 0 of 120" and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.3)
    click(ui, "Pause")
    time.sleep(0.3)
    month = text(ui, "month-counter")
    assert month != "Month 0 of 120"
    assert message(ui) == f"Paused at month {month.split()[1]}."
    time.sleep(0.3)
    assert text(ui, "month-counter") == month  # paused


def test_two_sessions_have_their_own_model(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SCENARIO_ENV, str(ROOT / "scenarios" / "baseline.yaml"))
    _, one = solara.render(app.Page(), handle_error=False)
    _, two = solara.render(app.Page(), handle_error=False)
    try:
        for _ in range(3):
            click(one, "Step")
        assert text(one, "month-counter") == "Month 3 of 120"
        assert text(two, "month-counter") == "Month 0 of 120"
    finally:
        one.close()
        two.close()


def chart_series(rc: Any, words: str) -> list[str]:
    """Names of the series of the chart whose title has ``words``."""
    (chart,) = [
        w
        for w in rc.find(EchartsWidget).widgets
        if words in str(w.option.get("title", {}).get("text"))
    ]
    return [s["name"] for s in chart.option["series"]]


def wait_for_band(rc: Any, words: str, shown: bool = True) -> list[str]:
    """The chart's series names once its band is drawn (or gone, ``shown=False``)."""
    deadline = time.monotonic() + 60
    while True:
        names = chart_series(rc, words)
        if any(n.startswith("plausible versions") for n in names) == shown:
            return names
        assert time.monotonic() < deadline, f"band {'not drawn' if shown else 'not hidden'}"
        time.sleep(0.05)


def test_the_spread_switch_is_off_at_first_and_draws_the_band(ui: Any) -> None:
    switch = ui.find(v.Switch, label="Show spread across assumptions").widget
    assert switch.v_model is False
    (tip,) = ui.find(v.Tooltip).widgets
    assert "plausible versions of the model's uncertain constants" in str(tip.children)
    click(ui, "Step")
    assert not any(n.startswith("plausible") for n in chart_series(ui, "What the partnership"))
    switch.v_model = True
    for words in ("What the partnership", "Outcome"):
        names = wait_for_band(ui, words)
        assert "plausible versions of the model (10-90%, 8 draws)" in names
    formality = slider(ui, "A", "Formality of the board")
    formality.v_model = 0.9  # the band is made again for the new lever, then drawn
    wait_for_band(ui, "What the partnership")
    switch.v_model = False
    assert not any(n.startswith("plausible") for n in chart_series(ui, "What the partnership"))
    assert not any(n.startswith("plausible") for n in chart_series(ui, "Outcome"))


def test_the_start_hint_goes_once_a_month_has_run(ui: Any) -> None:
    assert "Press Step or Play" in message(ui)
    click(ui, "Step")
    assert not ui.find(v.Alert).widgets  # no hint left, no other message


def test_presentation_layout_folds_the_controls_into_a_bar(ui: Any) -> None:
    assert with_class(ui, "pdash-controls")
    ui.find(v.Switch, label="Present (projector layout)").widget.v_model = True
    assert not with_class(ui, "pdash-controls")
    assert with_class(ui, "pdash-bar")
    assert not ui.find(v.Slider).widgets  # the levers are in the drawer, closed
    click(ui, "Controls")
    assert with_class(ui, "pdash-drawer")
    assert ui.find(v.Slider).widgets
    (top,) = with_class(ui, "pdash-top")  # the two key charts come first
    names = [c for w in walk(top) for c in classes(w) if c.startswith("chart-")]
    assert names == ["chart-value", "chart-outcome"]
    click(ui, "Step")
    assert text(ui, "month-counter") == "Month 1 of 120"
    click(ui, "Exit")
    assert with_class(ui, "pdash-controls")


def test_shocks_are_neutral_buttons_with_icons(ui: Any) -> None:
    root = ui.find().widgets[0]
    shocks = [w for w in walk(root) if isinstance(w, v.Btn) and "pdash-shock" in classes(w)]
    assert len(shocks) == 4
    for button in shocks:
        assert not button.color  # no colour of their own (the page's neutral style)
        assert any(isinstance(c, v.Icon) for c in button.children)


def test_a_vacant_chair_shows_on_the_badge(ui: Any) -> None:
    click(ui, "Step")
    assert text(ui, "pdash-chair") == "Chair: directive, in post"
    click(ui, "Leader leaves")
    click(ui, "Step")
    (vacant,) = with_class(ui, "pdash-chair-vacant")
    assert "vacant since month 2" in str(vacant.children[0])


def test_policy_churn_says_how_often(ui: Any) -> None:
    assert slider(ui, "A", "Policy churn").label.endswith(": 0.50")
    assert text(ui, "pdash-lever-note") == "Policy churn: about once every two years"
