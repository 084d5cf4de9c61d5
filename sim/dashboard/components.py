"""The dashboard's display components: lever controls, the regime badge, the charts and the
main area that shows one or two copies of the partnership.

:func:`Main` is the only component that reads the session's snapshot; it passes each
copy's :class:`~sim.dashboard.state.RunView` down, so one Play step is one render pass.
Charts get their ECharts option set directly on the widget (see :func:`EChart`).

In the presentation layout (``present``) each copy shows its badge, its regime strip and
the two charts that answer the room's question, what the partnership adds and the
outcome, at a height the page's CSS fits to the window (``--top-h``, see ``app.py``);
the list of markers (which grows during a session) comes under them, and the other
charts follow below. Terms are explained on hover (``title`` tooltips from
:mod:`sim.dashboard.glossary`).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import solara
from solara.components.echarts import EchartsWidget

from sim.core.regimes import REGIMES
from sim.dashboard import network, plots
from sim.dashboard.glossary import CHART_TERMS, GLOSSARY, every, tooltip
from sim.dashboard.levers import LEVERS, Lever
from sim.dashboard.state import RunView, View
from sim.viz import palette

CHURN = "environment.policy_churn"
TOP_HEIGHT = "var(--top-h)"  # the presentation layout's two top charts (app.py's CSS)


def _format(lever: Lever, value: Any) -> str:
    if lever.kind is float:
        return f"{value:.2f}"
    if lever.kind is bool:
        return "yes" if value else "no"
    return str(value)


@solara.component
def LeverControl(lever: Lever, value: Any, on_change: Callable[[str, Any], None]) -> None:
    """One lever: a slider, a switch or a choice, labelled with its current value (policy
    churn also says how often that is, on a line of its own)."""
    label = f"{lever.label}: {_format(lever, value)}"
    if lever.path == CHURN:
        solara.Text(f"Policy churn: {every(float(value))}", classes=["pdash-lever-note"])
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
            help_ = tooltip("policy churn") if lever.path == CHURN else ""
            with solara.v.Html(tag="div", attributes={"title": help_} if help_ else {}):
                LeverControl(
                    lever, values[lever.path], lambda path, v, lab=label: on_change(lab, path, v)
                )


@solara.component
def RegimeBadge(run: RunView, show_label: bool) -> None:
    """The regime of the latest month in its colour, with its one-line reason and the
    state of the chair's post (a vacancy stands out)."""
    reason = run.reason
    colour = palette.regime_colour(reason.regime)
    ink = palette.text_on(colour)
    pair = ["pdash-badge-pair"] if show_label else []  # side by side: equal heights
    with solara.v.Html(
        tag="div",
        class_=" ".join(["pdash-badge", *pair]),
        style_=f"background: {colour}; color: {ink};",
        attributes={"title": tooltip("regime")},
    ):
        with solara.Row(gap="0px", style={"align-items": "baseline", "background": colour}):
            if show_label:
                solara.Text(
                    f"Partnership {run.label}", classes=["pdash-badge-label"], style={"color": ink}
                )
            solara.Text(
                reason.regime,
                classes=["pdash-badge-regime", f"regime-{reason.regime}"],
                style={"color": ink},
            )
            if run.chair:
                vacant = ["pdash-chair-vacant"] if run.chair_vacant else []
                solara.Text(
                    f"Chair: {run.chair}",
                    classes=["pdash-chair", *vacant],
                    style={} if vacant else {"color": ink},
                )
        solara.Text(reason.text, classes=["pdash-badge-reason"], style={"color": ink})


_LEGEND = "".join(
    f'<span><i style="background:{plots.REGIME_COLOURS[name]}"></i>{name}</span>'
    for name in REGIMES
)


def marker_html(groups: list[tuple[int, int, str]], reorganisations: tuple[int, ...]) -> str:
    """The numbered markers spelled out, then the area's own reorganisations (drawn as
    dotted grey lines), or a line saying there are none yet."""
    parts = [
        f"<span><b>{n}</b>month {month}: {html.escape(text)}</span>" for n, month, text in groups
    ]
    if reorganisations:
        months = ", ".join(str(m) for m in reorganisations)
        word = "month" if len(reorganisations) == 1 else "months"
        parts.append(
            f'<span class="pdash-reorg" title="{html.escape(GLOSSARY["reorganisation"])}">'
            f"<i></i>{plots.REORGANISATION_WORDS}s of the area's own churn: {word} {months}"
            "</span>"
        )
    if not parts:
        return "<span>No shocks, lever changes or reorganisations yet.</span>"
    return "".join(parts)


@solara.component
def EChart(
    build: Callable[[], dict[str, Any]], redraw_on: Any, height: int | str, name: str
) -> solara.Element:
    """An ECharts figure whose option ``build()`` makes after each render where
    ``redraw_on`` changed, and sets on the widget directly. ``height`` is in px, or a
    CSS length; hovering over the chart explains its terms (:data:`CHART_TERMS`).

    The option never passes through the element tree: Solara (reacton) walks every list
    and dict in components' arguments on each render, and the figures' data would make
    that walk, not the model, the cost of a Play step.
    """
    # a widget element (not solara.Div, a component) so that the figure is this component's
    terms = CHART_TERMS.get(name, ())
    with solara.v.Html(
        tag="div",
        class_=f"pdash-chart chart-{name}",
        attributes={"title": tooltip(*terms)} if terms else {},
    ) as box:
        size = f"{height}px" if isinstance(height, int) else height
        figure = EchartsWidget.element(attributes={"style": f"height: {size};"}, responsive=True)

    def push() -> None:
        solara.get_widget(figure).option = build()

    solara.use_effect(push, [redraw_on])
    return box


@solara.component
def Charts(run: RunView, view: View, shown: str, columns: int, present: bool = False) -> None:
    """A copy's regime strip and figures in ``columns`` columns, its network ``shown`` by
    "agencies" or "staff"; in side-by-side mode the axes are shared with the other copy
    (``view.runs``). With ``present``, the added-value and outcome charts come first, in
    a row of their own sized to the window."""
    th = view.thresholds
    height = plots.CHART_HEIGHT
    EChart(lambda: plots.regime_strip(run), run, plots.STRIP_HEIGHT, "regime")

    def markers() -> None:
        solara.HTML(
            "div",
            marker_html(plots.marker_groups(run.markers), run.reorganisations),
            classes=["pdash-markers"],
        )

    with solara.Div(classes=["pdash-keys"]):
        solara.HTML("div", _LEGEND, classes=["pdash-legend"])
        if not present:  # always shown, so that the charts of copies A and B stay level
            markers()

    def value() -> None:
        EChart(
            lambda: plots.value_chart(run, plots.value_axes(view.runs), th.window_months),
            run,
            TOP_HEIGHT if present else height,
            "value",
        )

    def outcome() -> None:
        EChart(
            lambda: plots.outcome_chart(run, plots.outcome_range(view.runs)),
            run,
            TOP_HEIGHT if present else height,
            "outcome",
        )

    def rest() -> None:
        draw = network.staff_chart if shown == "staff" else network.agency_chart
        EChart(lambda: draw(run.network), (run, shown), plots.NETWORK_HEIGHT, "network")
        EChart(lambda: plots.joint_chart(run, plots.joint_range(view.runs)), run, height, "joint")
        EChart(lambda: plots.formal_chart(run), run, height, "formal")
        EChart(lambda: plots.trust_chart(run), run, height, "trust")
        EChart(lambda: plots.delivery_chart(run, th), run, height, "delivery")

    if present:  # the key charts first; the markers under them, as many lines as needed
        with solara.Div(classes=["pdash-top", f"pdash-top-{columns}"]):
            value()
            outcome()
        with solara.Div(classes=["pdash-keys", "pdash-keys-below"]):
            markers()
        with solara.Div(classes=["pdash-charts", f"pdash-charts-{columns}", "pdash-rest"]):
            rest()
        return
    with solara.Div(classes=["pdash-charts", f"pdash-charts-{columns}"]):
        value()
        outcome()
        rest()


@solara.component
def Main(
    view: solara.Reactive[View],
    levers: solara.Reactive[dict[str, dict[str, Any]]],
    rate: solara.Reactive[str],
    shown: solara.Reactive[str],
    show_levers: solara.Reactive[bool],
    on_lever: Callable[[str, str, Any], None],
    present: bool = False,
) -> None:
    """Header, and for each copy its badge, levers and charts (the levers are in the
    drawer in the presentation layout, ``present``).

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
    if v.description and not present:
        solara.Text(v.description, classes=["pdash-description"])
    # always there (empty when there is nothing to say), so the charts below keep their place
    solara.Text(v.spread_note, classes=["pdash-spread-note"])
    with solara.Div(classes=["pdash-columns"]):
        for run in v.runs:
            with solara.Div(classes=["pdash-column", f"column-{run.label}"]):
                RegimeBadge(run, side_by_side).key(f"badge-{run.label}")
                if show_levers.value and not present:
                    LeverPanel(run.label, levers, on_lever).key(f"levers-{run.label}")
                Charts(run, v, shown.value, 1 if side_by_side else 2, present).key(
                    f"charts-{run.label}"
                )
