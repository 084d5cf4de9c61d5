"""The dashboard's figures, as ECharts options (plain dicts drawn by Solara's ECharts widget).

Every function is pure: it takes a :class:`~sim.dashboard.state.RunView` (or parts of
it) and returns a JSON-ready option dict; the network's figures are in ``network.py``.
The browser draws them, so a Play step costs the server only building these dicts.
Months run on a fixed x-axis from 0 to the horizon so the lines grow left to right;
shocks and lever changes are numbered vertical markers at the first month they act.
With the spread across assumptions shown, the added-value and outcome charts draw the
copy's band (:class:`~sim.dashboard.spread.Band`) faintly behind the line it surrounds,
over the whole horizon, greyed while it is out of date. Fonts are sized for a projector.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.core.regimes import REGIMES
from sim.scenario.schema import Regimes
from sim.viz import palette

if TYPE_CHECKING:
    from sim.dashboard.spread import Band
    from sim.dashboard.state import Marker, RunView

FONT = 16  # px, axis labels and legends (at least 16 CSS px on the screen)
TITLE_FONT = 20  # px
MARKER_FONT = 16  # px, marker numbers, threshold and reorganisation labels
CHART_HEIGHT = 330  # px, a time-series chart
STRIP_HEIGHT = 52  # px, the regime strip
NETWORK_HEIGHT = 2 * CHART_HEIGHT + 18  # px, spans two rows of time-series charts
STAGGER_SHARE = 0.05  # markers closer than this share of the axis are staggered
SMOOTH = 3  # months averaged in the joint-work and formal-activity charts

REGIME_COLOURS = dict(palette.REGIME_COLOURS)  # one colour per regime (Okabe-Ito)
REORGANISATION_COLOUR = "#6b6b6b"  # the area's own reorganisations: dotted grey lines
REORGANISATION_WORDS = "reorganisation"
COLOURS = {  # one colour per world or measure, none of them a regime colour
    "trust_within": palette.WITHIN,
    "trust_across": palette.PARTNERSHIP,
    "joint_work_share": palette.PARTNERSHIP,
    "formal_activity": palette.BOARD_PROCESS,
    "delivery_ratio": palette.BOARD_PROCESS,
    "outcome_index": palette.PARTNERSHIP,
    "counterfactual_outcome_index": palette.NO_JOINT_WORK,
    # the board-less twin, and the value of joint work on the ground it measures
    "boardless_outcome_index": palette.NO_BOARD,
    "boardless_joint_work_share": palette.NO_BOARD,
    "ground_value_window": palette.NO_BOARD,
    # what the partnership adds over it
    "added_value_window": palette.PARTNERSHIP,
    "added_value": palette.PARTNERSHIP,
}
BAND_OPACITY = 0.16  # the spread across assumptions: faint, behind the lines
STALE_COLOUR = "#9a9a9a"  # a band made before the latest change
STALE_OPACITY = 0.12
STALE_WORDS = " - updating"
AGENCY_COLOURS = (  # from Paul Tol's schemes, leaving out hues near a regime colour
    "#332288", "#cc6677", "#999933", "#8c564b", "#ddcc77", "#aa4499", "#bbbbbb",
)  # fmt: skip


def pretty(name: str) -> str:
    """An identifier as words: ``"council_public_health"`` -> ``"council public health"``."""
    return name.replace("_", " ")


def _points(values: np.ndarray, decimals: int = 4) -> list[list[Any]]:
    """``[[month, value], ...]`` from month 1; a missing value (NaN) is a gap."""
    out: list[list[Any]] = []
    for k, v in enumerate(np.round(np.asarray(values, float), decimals).tolist()):
        out.append([k + 1, "-" if v != v else v])
    return out


def marker_groups(markers: Sequence[Marker]) -> list[tuple[int, int, str]]:
    """Markers grouped by month and numbered in time order: ``(number, month, text)``.

    The charts label each line with its number; :func:`marker_legend` spells them out.
    """
    by_month: dict[int, list[str]] = {}
    for m in markers:
        labels = by_month.setdefault(m.month, [])
        if m.label not in labels:
            labels.append(m.label)
    return [
        (k + 1, month, ", ".join(labels))
        for k, (month, labels) in enumerate(sorted(by_month.items()))
    ]


def marker_labels(markers: Sequence[Marker], months: int) -> list[tuple[int, str, bool]]:
    """``(month, label, raised)`` for each month with markers, on an axis of ``months``.

    Months closer than ``STAGGER_SHARE`` of the axis to the first of a run of them form a
    cluster. A cluster of one or two keeps its numbers, the second drawn higher; a longer
    one is labelled once, on its first line, with its range of numbers ("2-5"), its other
    lines unlabelled (""), so that numbers never pile up on each other. A cluster's first
    label is drawn higher when the label before it is close and was not."""
    gap = STAGGER_SHARE * months
    clusters: list[list[tuple[int, int]]] = []
    for n, month, _ in marker_groups(markers):
        if clusters and month - clusters[-1][0][1] < gap:
            clusters[-1].append((n, month))
        else:
            clusters.append([(n, month)])
    out: list[tuple[int, str, bool]] = []
    previous, raised, wide = -2.0 * gap, False, False
    for cluster in clusters:
        first_n, first_month = cluster[0]
        near = 2.0 if wide else 1.0  # a range label is wider than a number
        raised = first_month - previous < near * gap and not raised
        wide = len(cluster) > 2
        if len(cluster) <= 2:
            out.append((first_month, str(first_n), raised))
            if len(cluster) == 2:
                out.append((cluster[1][1], str(cluster[1][0]), not raised))
                raised = not raised
        else:
            out.append((first_month, f"{first_n}-{cluster[-1][0]}", raised))
            out += [(month, "", False) for _, month in cluster[1:]]
        previous = first_month if len(cluster) != 2 else cluster[1][1]
    return out


def _marker_lines(markers: Sequence[Marker], months: int) -> list[dict[str, Any]]:
    """One numbered vertical line per month with markers, labelled as
    :func:`marker_labels` says (close numbers are staggered or shown as a range)."""
    return [
        {
            "xAxis": month,
            "lineStyle": {"color": palette.NEUTRAL, "type": "solid", "width": 2},
            "label": {
                "show": bool(label),
                "formatter": label,
                "position": "end",
                "rotate": 0,
                "fontSize": MARKER_FONT + 1,
                "fontWeight": "bold",
                "color": "#fff",
                "backgroundColor": palette.NEUTRAL,
                "borderRadius": 10,
                "lineHeight": 18,
                "padding": [2, 7],
                "distance": 26 if raised else 4,
            },
        }
        for month, label, raised in marker_labels(markers, months)
    ]


def reorganisation_lines(months: Sequence[int]) -> list[dict[str, Any]]:
    """A dotted grey vertical line at each of ``months`` (the area's own reorganisations,
    not a shock), labelled along the line from the bottom of the plot."""
    return [
        {
            "xAxis": month,
            "lineStyle": {"color": REORGANISATION_COLOUR, "type": "dotted", "width": 2},
            "label": {
                "formatter": REORGANISATION_WORDS,
                "position": "insideStartTop",
                "fontSize": MARKER_FONT,
                "color": REORGANISATION_COLOUR,
            },
        }
        for month in months
    ]


def events(run: RunView) -> list[dict[str, Any]]:
    """The run's numbered markers (shocks, lever changes, the scenario's events) and its
    own reorganisations, as vertical lines."""
    return [
        *_marker_lines(run.markers, run.months),
        *reorganisation_lines(run.reorganisations),
    ]


def _threshold(value: float, text: str, colour: str) -> dict[str, Any]:
    return {
        "yAxis": value,
        "lineStyle": {"color": colour, "type": "dashed", "width": 2},
        "label": {
            "formatter": text,
            "position": "insideEndTop",
            "fontSize": MARKER_FONT,
            "color": colour,
        },
    }


def trailing_mean(x: np.ndarray, months: int) -> np.ndarray:
    """Mean over the last ``months`` months up to each month (fewer at the start)."""
    c = np.cumsum(np.r_[0.0, np.asarray(x, float)])
    idx = np.arange(1, c.size)
    return (c[idx] - c[np.maximum(idx - months, 0)]) / np.minimum(idx, months)


def _line(name: str, key: str, values: np.ndarray, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "type": "line",
        "data": _points(values),
        "showSymbol": False,
        "lineStyle": {"width": 3, "color": COLOURS[key]},
        "itemStyle": {"color": COLOURS[key]},
        **extra,
    }


def _with_marks(series: dict[str, Any], lines: Iterable[dict[str, Any]]) -> dict[str, Any]:
    data = list(lines)
    if data:
        series["markLine"] = {"silent": True, "symbol": "none", "data": data}
    return series


def band_name(band: Band, stale: bool) -> str:
    """The band's legend entry."""
    return band.label + (STALE_WORDS if stale else "")


def _stackable(values: np.ndarray) -> list[list[Any]]:
    """``[[value, month], ...]``: ECharts stacks the first number of each point when both
    axes hold values, so the value comes first (and ``encode`` puts it on the y-axis)."""
    return [[v, month] for month, v in _points(values)]


def band_series(band: Band, key: str, stale: bool = False, axis: int = 0) -> list[dict[str, Any]]:
    """The band of series ``key`` as two stacked lines: its 10th percentile (invisible)
    and the width up to its 90th, filled; both carry the band's name, so one legend entry
    shows or hides the pair. Greyed when ``stale``."""
    colour = STALE_COLOUR if stale else COLOURS[key]
    common = {
        "name": band_name(band, stale),
        "type": "line",
        "stack": f"band-{key}",
        "stackStrategy": "all",  # the width adds to a negative base as well
        "showSymbol": False,
        "silent": True,
        "z": 1,
        "yAxisIndex": axis,
        "lineStyle": {"width": 0, "opacity": 0},
        "itemStyle": {"color": colour},
        "emphasis": {"disabled": True},
        "encode": {"x": 1, "y": 0},  # data points are [value, month]: see _stackable
    }
    low = band.low[key]
    return [
        {**common, "data": _stackable(low)},
        {
            **common,
            "data": _stackable(band.high[key] - low),
            "areaStyle": {"color": colour, "opacity": STALE_OPACITY if stale else BAND_OPACITY},
        },
    ]


def _banded(run: RunView, key: str, series: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``series`` behind the run's band of ``key``, if it has one, with a legend that
    draws the band as a faint square."""
    if run.band is None:
        return series
    return [*band_series(run.band, key, run.band_stale), *series]


def _band_legend(chart: dict[str, Any], run: RunView, key: str) -> dict[str, Any]:
    """The legend of a chart with a band: every line, then the band as a faint square."""
    if run.band is None:
        return chart
    name = band_name(run.band, run.band_stale)
    colour = STALE_COLOUR if run.band_stale else COLOURS[key]
    lines = [s["name"] for s in chart["series"] if s["name"] != name]
    chart["legend"]["data"] = [
        *dict.fromkeys(lines),
        {"name": name, "icon": "rect", "itemStyle": {"color": colour, "opacity": 0.35}},
    ]
    return chart


def _band_values(runs: Sequence[RunView], key: str) -> list[float]:
    """Every copy's band bounds of ``key`` (none without a band)."""
    return [
        v
        for run in runs
        if run.band is not None
        for bound in (run.band.low[key], run.band.high[key])
        for v in bound.tolist()
    ]


def _axis(lo: float | None = 0.0, hi: float | None = None) -> dict[str, Any]:
    """A value axis without a name (titles and legends carry the units, leaving the space
    above the plot to the numbered markers)."""
    axis: dict[str, Any] = {
        "type": "value",
        "axisLabel": {"fontSize": FONT},
        "splitLine": {"lineStyle": {"color": "#e4e4e4"}},
    }
    if lo is not None:
        axis["min"] = lo
    if hi is not None:
        axis["max"] = hi
    return axis


def _chart(title: str, months: int, y: Any, series: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "animation": False,
        "textStyle": {"fontSize": FONT},
        "title": {
            "text": title,
            "left": 8,
            "top": 2,
            "textStyle": {"fontSize": TITLE_FONT, "fontWeight": "bold", "color": "#222"},
        },
        "legend": {"top": 34, "left": 8, "textStyle": {"fontSize": FONT}, "itemWidth": 30},
        "grid": {"left": 62, "right": 62, "top": 100, "bottom": 46},
        "xAxis": {
            "type": "value",
            "min": 0,
            "max": months,
            "name": "month",
            "nameLocation": "middle",
            "nameGap": 28,
            "nameTextStyle": {"fontSize": FONT},
            "axisLabel": {"fontSize": FONT},
            "splitLine": {"show": False},
        },
        "yAxis": y,
        "series": series,
    }


def trust_chart(run: RunView) -> dict[str, Any]:
    """Mean trust on ties within agencies and across agencies (0-1)."""
    s = run.series
    across = _line("across agencies", "trust_across", s["trust_across"])
    return _chart(
        "Trust within and across agencies",
        run.months,
        _axis(0.0, 1.0),
        [
            _with_marks(across, events(run)),
            _line("within agencies", "trust_within", s["trust_within"]),
        ],
    )


def joint_chart(run: RunView, joint_max: float = 0.3) -> dict[str, Any]:
    """Joint work on the ground, as a share of frontline time, in the partnership and in
    the same area without a board (dashed): one quantity on one axis, as ``SMOOTH``-month
    means. The board-less line is the level the partnership is measured against: above
    it, the board brings joint work about; below it, the board takes joint work away."""
    s = run.series
    joint = _line(
        "with the partnership",
        "joint_work_share",
        trailing_mean(s["joint_work_share"], SMOOTH),
    )
    boardless = _line(
        "same area, no board",
        "boardless_joint_work_share",
        trailing_mean(s["boardless_joint_work_share"], SMOOTH),
    )
    boardless["lineStyle"]["type"] = "dashed"
    return _chart(
        f"Joint work, share of frontline time ({SMOOTH}-month mean)",
        run.months,
        _axis(0.0, joint_max),
        [_with_marks(joint, events(run)), boardless],
    )


def formal_chart(run: RunView) -> dict[str, Any]:
    """The board's formal activity (an index from 0 to 1 of meetings held and commitments
    made; 0 without a board) as a ``SMOOTH``-month mean (meetings come in cycles), on an
    axis of its own. The regimes judge a facade by its lapsed commitments and the value
    it adds, not by a level of formal activity, so the chart has no threshold line."""
    formal = _line(
        "meetings and commitments, index 0-1",
        "formal_activity",
        trailing_mean(run.series["formal_activity"], SMOOTH),
    )
    return _chart(
        f"Formal activity of the board ({SMOOTH}-month mean)",
        run.months,
        _axis(0.0, 1.0),
        [_with_marks(formal, events(run))],
    )


def delivery_chart(run: RunView, th: Regimes) -> dict[str, Any]:
    """Share of the board's commitments delivered over the regime window (gaps: none made),
    with the line below which commitments mostly lapse (``regimes.kept_ratio``)."""
    ratio = _line("delivered / made", "delivery_ratio", run.series["delivery_ratio"])
    lines = [
        *events(run),
        _threshold(th.kept_ratio, "mostly kept", COLOURS["delivery_ratio"]),
    ]
    return _chart(
        f"Commitments delivered (last {th.window_months} months)",
        run.months,
        _axis(0.0, 1.0),
        [_with_marks(ratio, lines)],
    )


def outcome_chart(run: RunView, y_range: tuple[float, float] | None = None) -> dict[str, Any]:
    """The outcome index of the partnership, of the same area without a board (dashed) and
    with no joint working at all (dotted): the first gap is what the partnership adds,
    the second what joint work on the ground adds. ``y_range`` fixes the axis (for side
    by side)."""
    s = run.series
    lo, hi = y_range if y_range else (None, None)
    axis = _axis(lo, hi)
    if lo is not None and hi is not None:
        axis["interval"] = 5.0 * max(1.0, np.ceil((hi - lo) / 5.0 / 6.0))
    with_p = _line("with the partnership", "outcome_index", s["outcome_index"])
    boardless = _line(
        "same area, no board", "boardless_outcome_index", s["boardless_outcome_index"]
    )
    boardless["lineStyle"]["type"] = "dashed"
    without = _line(
        "no joint working", "counterfactual_outcome_index", s["counterfactual_outcome_index"]
    )
    without["lineStyle"]["type"] = "dotted"
    lines = [_with_marks(with_p, events(run)), boardless, without]
    chart = _chart(
        "Outcome: fall in need, %", run.months, axis, _banded(run, "outcome_index", lines)
    )
    return _band_legend(chart, run, "outcome_index")


OUTCOME_KEYS = ("outcome_index", "boardless_outcome_index", "counterfactual_outcome_index")


def outcome_range(runs: Sequence[RunView]) -> tuple[float, float]:
    """A y-range covering every copy's three outcome lines and band, rounded out to 5s."""
    values = [v for run in runs for key in OUTCOME_KEYS for v in run.series[key].tolist()]
    values += _band_values(runs, "outcome_index")
    if not values:
        return (-5.0, 5.0)
    lo = 5.0 * np.floor(min(min(values), 0.0) / 5.0)
    hi = 5.0 * np.ceil(max(max(values), 5.0) / 5.0)
    return (float(lo), float(hi))


def nice(x: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least ``x`` (> 0)."""
    power = 10.0 ** np.floor(np.log10(x))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= x * (1 - 1e-9):
            return float(step * power)
    return float(10.0 * power)


@dataclass(frozen=True)
class ValueAxes:
    """The added-value chart's axes: rates (left) from ``lo`` to ``hi`` in steps of
    ``step``; the cumulative value (right) is the same grid times ``years``, so that both
    axes share their zero and their grid lines."""

    lo: float
    hi: float
    step: float
    years: float


VALUE_TICKS = 4  # about this many grid steps on the added-value chart
VALUE_MIN = 0.5  # the rate axis shows at least -0.5 to 0.5 % of need a year
VALUE_GRID_TOP = 124  # px above the added-value plot: title, two legend rows, markers


def value_axes(runs: Sequence[RunView]) -> ValueAxes:
    """Axes covering every copy's added and ground value (rates, window means) with the
    added value's band, and its cumulative added value, rounded out to a nice step."""
    rates = [
        v
        for run in runs
        for key in ("added_value_window", "ground_value_window")
        for v in run.series[key].tolist()
    ]
    rates += _band_values(runs, "added_value_window")
    lo = min([-VALUE_MIN, *rates])
    hi = max([VALUE_MIN, *rates])
    step = nice((hi - lo) / VALUE_TICKS)
    # rounded, so that the axis labels read 0.6, not 0.6000000000000001
    lo = round(step * float(np.floor(lo / step + 1e-9)), 9)
    hi = round(step * float(np.ceil(hi / step - 1e-9)), 9)
    total = [v for run in runs for v in run.series["added_value"].tolist()]
    years = max(max(total, default=0.0) / hi, min(total, default=0.0) / lo, 1.0)
    return ValueAxes(lo, hi, step, nice(years))


def value_chart(run: RunView, axes: ValueAxes, window: int) -> dict[str, Any]:
    """What the partnership adds over the same area without a board, and what joint work
    on the ground adds over none, as ``window``-month means of their rates (% of need a
    year, left axis, with a zero line), and the need the partnership has averted so far
    (% of need, right axis, dashed)."""
    s = run.series
    added = _line("partnership adds", "added_value_window", s["added_value_window"])
    ground = _line("joint work on the ground adds", "ground_value_window", s["ground_value_window"])
    total = _line(
        "added so far, % of need (right axis)", "added_value", s["added_value"], yAxisIndex=1
    )
    total["lineStyle"]["type"] = "dashed"
    total["lineStyle"]["width"] = 2
    zero = {
        "yAxis": 0.0,
        "lineStyle": {"color": palette.NEUTRAL, "type": "solid", "width": 1.5},
        "label": {"show": False},
    }
    left = _axis(axes.lo, axes.hi)
    left["interval"] = axes.step
    right = _axis(round(axes.lo * axes.years, 9), round(axes.hi * axes.years, 9))
    right["interval"] = round(axes.step * axes.years, 9)
    right["splitLine"] = {"show": False}
    lines = [_with_marks(added, [*events(run), zero]), ground, total]
    chart = _chart(
        f"What the partnership adds, % of need a year ({window}-month mean)",
        run.months,
        [left, right],
        _banded(run, "added_value_window", lines),
    )
    # its legend takes two rows in a narrow chart: room for them above the markers
    chart["grid"]["top"] = VALUE_GRID_TOP
    return _band_legend(chart, run, "added_value_window")


JOINT_TOP = 0.1  # the joint-work axis reaches at least this share


def joint_range(runs: Sequence[RunView]) -> float:
    """Top of the joint-work axis: every copy's joint work with and without a board, at
    least ``JOINT_TOP``, rounded up to 0.05."""
    top = JOINT_TOP
    for run in runs:
        for key in ("joint_work_share", "boardless_joint_work_share"):
            if run.series[key].size:
                top = max(top, float(run.series[key].max()))
    return float(np.ceil(top / 0.05 - 1e-9) * 0.05)


def regime_strip(run: RunView) -> dict[str, Any]:
    """The regime of every month so far as coloured bands, named where wide enough."""
    codes = run.series["regime_code"]
    bands: list[list[dict[str, Any]]] = []
    start = 0
    for k in range(1, codes.size + 1):
        if k == codes.size or codes[k] != codes[start]:
            name = REGIMES[int(codes[start])]
            wide = (k - start) / max(run.months, 1) > 0.12
            bands.append(
                [
                    {
                        "xAxis": start,
                        "itemStyle": {"color": REGIME_COLOURS[name]},
                        "label": {
                            "show": wide,
                            "formatter": name,
                            "position": "inside",
                            "color": palette.text_on(REGIME_COLOURS[name]),
                            "fontSize": MARKER_FONT,
                            "fontWeight": "bold",
                        },
                    },
                    {"xAxis": k},
                ]
            )
            start = k
    holder: dict[str, Any] = {
        "type": "line",
        "data": [],
        "markArea": {"silent": True, "data": bands},
    }
    lines = events(run)
    for line in lines:
        line["label"]["show"] = False
    return {
        "animation": False,
        "grid": {"left": 62, "right": 62, "top": 4, "bottom": 26},
        "xAxis": {
            "type": "value",
            "min": 0,
            "max": run.months,
            "axisLabel": {"fontSize": FONT},
            "splitLine": {"show": False},
        },
        "yAxis": {"type": "value", "show": False, "min": 0, "max": 1},
        "series": [_with_marks(holder, lines)],
    }
