"""The dashboard's figures, as ECharts options (plain dicts drawn by Solara's ECharts widget).

Every function is pure: it takes a :class:`~sim.dashboard.state.RunView` (or parts of
it) and returns a JSON-ready option dict; the network's figures are in ``network.py``.
The browser draws them, so a Play step costs the server only building these dicts.
Months run on a fixed x-axis from 0 to the horizon so the lines grow left to right;
shocks and lever changes are numbered vertical markers at the first month they act.
Fonts are sized for a projector.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from sim.core.regimes import REGIMES
from sim.scenario.schema import Regimes

if TYPE_CHECKING:
    from sim.dashboard.state import Marker, RunView

FONT = 16  # px, axis labels and legends
TITLE_FONT = 20  # px
MARKER_FONT = 14  # px
CHART_HEIGHT = 330  # px, a time-series chart
NETWORK_HEIGHT = 2 * CHART_HEIGHT + 18  # px, spans two rows of time-series charts
STAGGER_SHARE = 0.05  # markers closer than this share of the axis are staggered
SMOOTH = 3  # months averaged in the joint-work chart

REGIME_COLOURS = {
    "delivering": "#1b7f4c",
    "facade": "#c4461a",
    "inert": "#6b6b6b",
    "dissolved": "#2b2b2b",
    "starting": "#3d5a80",
}
COLOURS = {
    "trust_within": "#66aadd",
    "trust_across": "#1f4e99",
    "joint_work_share": "#1b7f4c",
    "formal_activity": "#c4461a",
    "delivery_ratio": "#8e3b8e",
    "outcome_index": "#1f4e99",
    "counterfactual_outcome_index": "#8a8a8a",
}
AGENCY_COLOURS = (  # Paul Tol's "bright" scheme, readable for colour-blind viewers
    "#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb", "#000000",
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


def _marker_lines(markers: Sequence[Marker], months: int) -> list[dict[str, Any]]:
    """One numbered vertical line per month with markers; a number close to the one
    before it (on an axis of ``months``) is drawn higher, so that the two stay readable."""
    lines = []
    gap = STAGGER_SHARE * months
    previous, raised = -gap, False
    for n, month, _ in marker_groups(markers):
        raised = month - previous < gap and not raised
        previous = month
        lines.append(
            {
                "xAxis": month,
                "lineStyle": {"color": "#222", "type": "solid", "width": 2},
                "label": {
                    "formatter": str(n),
                    "position": "end",
                    "rotate": 0,
                    "fontSize": MARKER_FONT + 1,
                    "fontWeight": "bold",
                    "color": "#fff",
                    "backgroundColor": "#222",
                    "borderRadius": 10,
                    "lineHeight": 18,
                    "padding": [2, 7],
                    "distance": 26 if raised else 4,
                },
            }
        )
    return lines


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
            _with_marks(across, _marker_lines(run.markers, run.months)),
            _line("within agencies", "trust_within", s["trust_within"]),
        ],
    )


def work_chart(run: RunView, th: Regimes, joint_max: float = 0.3) -> dict[str, Any]:
    """Joint work on the ground (share of frontline time, left axis) against formal activity
    (meetings and commitments, right axis), both as ``SMOOTH``-month means (meetings come in
    cycles), each with its regime threshold dashed."""
    s = run.series
    joint = _line(
        "joint work, share of time (left axis)",
        "joint_work_share",
        trailing_mean(s["joint_work_share"], SMOOTH),
    )
    formal = _line(
        "formal activity, index (right axis)",
        "formal_activity",
        trailing_mean(s["formal_activity"], SMOOTH),
        yAxisIndex=1,
    )
    lines = [
        *_marker_lines(run.markers, run.months),
        _threshold(th.joint_threshold, "joint work needed", COLOURS["joint_work_share"]),
    ]
    formal = _with_marks(
        formal, [_threshold(th.formal_threshold, "busy board", COLOURS["formal_activity"])]
    )
    return _chart(
        f"Joint work vs formal activity ({SMOOTH}-month mean)",
        run.months,
        [_axis(0.0, joint_max), _axis(0.0, 1.0)],
        [_with_marks(joint, lines), formal],
    )


def delivery_chart(run: RunView, th: Regimes) -> dict[str, Any]:
    """Share of the board's commitments delivered over the regime window (gaps: none made)."""
    ratio = _line("delivered / made", "delivery_ratio", run.series["delivery_ratio"])
    lines = [
        *_marker_lines(run.markers, run.months),
        _threshold(th.delivery_threshold, "promises kept", COLOURS["delivery_ratio"]),
    ]
    return _chart(
        f"Commitments delivered (last {th.window_months} months)",
        run.months,
        _axis(0.0, 1.0),
        [_with_marks(ratio, lines)],
    )


def outcome_chart(run: RunView, y_range: tuple[float, float] | None = None) -> dict[str, Any]:
    """The outcome index against its counterfactual (the same place without a partnership);
    the gap is the partnership's effect. ``y_range`` fixes the axis (for side by side)."""
    s = run.series
    effect = float(s["partnership_effect"][-1]) if s["partnership_effect"].size else 0.0
    lo, hi = y_range if y_range else (None, None)
    axis = _axis(lo, hi)
    if lo is not None and hi is not None:
        axis["interval"] = 5.0 * max(1.0, np.ceil((hi - lo) / 5.0 / 6.0))
    with_p = _line("with the partnership", "outcome_index", s["outcome_index"])
    without = _line(
        "without (counterfactual)",
        "counterfactual_outcome_index",
        s["counterfactual_outcome_index"],
    )
    without["lineStyle"]["type"] = "dashed"
    return _chart(
        f"Outcome: fall in need, % (effect now {effect:+.1f})",
        run.months,
        axis,
        [_with_marks(with_p, _marker_lines(run.markers, run.months)), without],
    )


def outcome_range(runs: Sequence[RunView]) -> tuple[float, float]:
    """A y-range covering every copy's outcome and counterfactual, rounded out to 5s."""
    values = [
        v
        for run in runs
        for key in ("outcome_index", "counterfactual_outcome_index")
        for v in run.series[key].tolist()
    ]
    if not values:
        return (-5.0, 5.0)
    lo = 5.0 * np.floor(min(min(values), 0.0) / 5.0)
    hi = 5.0 * np.ceil(max(max(values), 5.0) / 5.0)
    return (float(lo), float(hi))


def joint_range(runs: Sequence[RunView], th: Regimes) -> float:
    """Top of the joint-work axis: at least twice the threshold, rounded up to 0.05."""
    top = 2.0 * th.joint_threshold
    for run in runs:
        if run.series["joint_work_share"].size:
            top = max(top, float(run.series["joint_work_share"].max()))
    return float(np.ceil(top / 0.05) * 0.05)


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
                            "color": "#fff",
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
    lines = _marker_lines(run.markers, run.months)
    for line in lines:
        line["label"]["show"] = False
    return {
        "animation": False,
        "grid": {"left": 62, "right": 62, "top": 4, "bottom": 24},
        "xAxis": {
            "type": "value",
            "min": 0,
            "max": run.months,
            "axisLabel": {"fontSize": 13},
            "splitLine": {"show": False},
        },
        "yAxis": {"type": "value", "show": False, "min": 0, "max": 1},
        "series": [_with_marks(holder, lines)],
    }
