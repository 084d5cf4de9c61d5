"""The dashboard's display components: lever controls, the regime badge, the charts and the
main area that shows one or two copies of the partnership.

:func:`Main` is the only component that reads the session's snapshot; it passes each
copy's :class:`~sim.dashboard.state.RunView` down, so one Play step is one render pass.
Charts get their ECharts option set directly on the widget (see :func:`EChart`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import solara
from solara.components.echarts import EchartsWidget

from sim.core.regimes import REGIMES
from sim.dashboard import network, plots
from sim.dashboard.levers import LEVERS, Lever
from sim.dashboard.state import RunView, View


def _format(lever: Lever, value: Any) -> str:
    if lever.kind is float:
        return f"{value:.2f}"
    if lever.kind is bool:
        return "yes" if value else "no"
    return str(value)


@solara.component
def LeverControl(lever: Lever, value: Any, on_change: Callable[[str, Any], None]) -> None:
    """One lever: a slider, a switch or a choice, labelled with its current value."""
    label = f"{lever.label}: {_format(lever, value)}"
    if lever.kind is float:
        solara.SliderFloat(
            label,
            value=float(value),
            min=lever.lo,
            max=max(lever.hi, float(value)),
            step=lever.step,
            on_value=lambda v: on_change(lever.path, round(float(v), 4)),
            thumb_label=False,
        )
    elif lever.kind is bool:
        solara.Switch(
            label=label, value=bool(value), on_value=lambda v: on_change(lever.path, bool(v))
        )
    else:
        with solara.Row(gap="8px", style={"align-items": "center"}):
            solara.Text(f"{lever.label}:")
            solara.ToggleButtonsSingle(
                value=str(value),
                values=list(lever.options),
                on_value=lambda v: on_change(lever.path, v),
                dense=True,
            )


@solara.component
def LeverPanel(
    label: str,
    levers: solara.Reactive[dict[str, dict[str, Any]]],
    on_change: Callable[[str, str, Any], None],
) -> None:
    """The levers of copy ``label``, showing the values in force now."""
    values = levers.value.get(label)
    if values is None:
        return
    with solara.Div(classes=["pdash-levers"]):
        for lever in LEVERS:
            LeverControl(
                lever, values[lever.path], lambda path, v, lab=label: on_change(lab, path, v)
            )


@solara.component
def RegimeBadge(run: RunView, show_label: bool) -> None:
    """The regime of the latest month, colour-coded, with its one-line reason."""
    reason = run.reason
    colour = plots.REGIME_COLOURS.get(reason.regime, "#444")
    pair = ["pdash-badge-pair"] if show_label else []  # side by side: equal heights
    with solara.Div(classes=["pdash-badge", *pair], style={"background": colour}):
        with solara.Row(gap="0px", style={"align-items": "baseline", "background": colour}):
            if show_label:
                solara.Text(f"Partnership {run.label}", classes=["pdash-badge-label"])
            solara.Text(reason.regime, classes=["pdash-badge-regime", f"regime-{reason.regime}"])
        solara.Text(reason.text, classes=["pdash-badge-reason"])


_LEGEND = "".join(
    f'<span><i style="background:{plots.REGIME_COLOURS[name]}"></i>{name}</span>'
    for name in REGIMES
)


def _marker_html(groups: list[tuple[int, int, str]]) -> str:
    if not groups:
        return "<span>No shocks or lever changes yet.</span>"
    return "".join(
        f"<span><b>{n}</b>month {month}: {html.escape(text)}</span>" for n, month, text in groups
    )


@solara.component
def EChart(
    build: Callable[[], dict[str, Any]], redraw_on: Any, height: int, name: str
) -> solara.Element:
    """An ECharts figure whose option ``build()`` makes after each render where
    ``redraw_on`` changed, and sets on the widget directly.

    The option never passes through the element tree: Solara (reacton) walks every list
    and dict in components' arguments on each render, and the figures' data would make
    that walk, not the model, the cost of a Play step.
    """
    # a widget element (not solara.Div, a component) so that the figure is this component's
    with solara.v.Html(tag="div", class_=f"pdash-chart chart-{name}") as box:
        figure = EchartsWidget.element(
            attributes={"style": f"height: {height}px;"}, responsive=True
        )

    def push() -> None:
        solara.get_widget(figure).option = build()

    solara.use_effect(push, [redraw_on])
    return box


@solara.component
def Charts(run: RunView, view: View, shown: str, columns: int) -> None:
    """A copy's regime strip and figures in ``columns`` columns, its network ``shown`` by
    "agencies" or "staff"; in side-by-side mode the axes are shared with the other copy
    (``view.runs``)."""
    th = view.thresholds
    height = plots.CHART_HEIGHT
    EChart(lambda: plots.regime_strip(run), run, 46, "regime")
    solara.HTML("div", _LEGEND, classes=["pdash-legend"])
    # always shown, so that the charts of copies A and B stay level
    solara.HTML("div", _marker_html(plots.marker_groups(run.markers)), classes=["pdash-markers"])
    with solara.Div(classes=["pdash-charts", f"pdash-charts-{columns}"]):
        EChart(
            lambda: plots.value_chart(run, plots.value_axes(view.runs), th.window_months),
            run,
            height,
            "value",
        )
        EChart(
            lambda: plots.outcome_chart(run, plots.outcome_range(view.runs)),
            run,
            height,
            "outcome",
        )
        draw = network.staff_chart if shown == "staff" else network.agency_chart
        EChart(lambda: draw(run.network), (run, shown), plots.NETWORK_HEIGHT, "network")
        EChart(lambda: plots.work_chart(run, plots.joint_range(view.runs)), run, height, "work")
        EChart(lambda: plots.trust_chart(run), run, height, "trust")
        EChart(lambda: plots.delivery_chart(run, th), run, height, "delivery")


@solara.component
def Main(
    view: solara.Reactive[View],
    levers: solara.Reactive[dict[str, dict[str, Any]]],
    rate: solara.Reactive[str],
    shown: solara.Reactive[str],
    show_levers: solara.Reactive[bool],
    on_lever: Callable[[str, str, Any], None],
) -> None:
    """Header, and for each copy its badge, levers and charts.

    The only component that reads the snapshot, so a Play step is one render pass; the
    lever panels' arguments do not change with it, so they are not rendered again.
    """
    v = view.value
    side_by_side = len(v.runs) == 2
    with solara.Div(classes=["pdash-header"]):
        solara.Text(f"Scenario: {v.scenario}", classes=["pdash-title"])
        solara.Text(f"seed {v.seed}", classes=["pdash-rate"])
        if rate.value:
            solara.Text(rate.value, classes=["pdash-rate", "play-rate"])
        solara.Text(f"Month {v.month} of {v.months}", classes=["pdash-month", "month-counter"])
    if v.description:
        solara.Text(v.description, classes=["pdash-description"])
    # always there (empty when there is nothing to say), so the charts below keep their place
    solara.Text(v.spread_note, classes=["pdash-spread-note"])
    with solara.Div(classes=["pdash-columns"]):
        for run in v.runs:
            with solara.Div(classes=["pdash-column", f"column-{run.label}"]):
                RegimeBadge(run, side_by_side).key(f"badge-{run.label}")
                if show_levers.value:
                    LeverPanel(run.label, levers, on_lever).key(f"levers-{run.label}")
                Charts(run, v, shown.value, 1 if side_by_side else 2).key(f"charts-{run.label}")
