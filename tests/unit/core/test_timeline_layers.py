"""Lever layers: overlapping ``set`` windows and live changes (docs/scenario-reference.md).

The rule under test: every ``set`` is a layer in force from its first month to ``until``
(inclusive; no ``until``: for good); a lever's value is that of the latest-starting layer
in force that names it (equal starts: the later in the file; a live change comes after
the file's layers), else its base (scenario) value.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sim.core.timeline import Timeline, set_levers
from sim.scenario.interventions import SetLevers
from sim.scenario.levers import apply_changes
from sim.scenario.loader import load_scenario

BASELINE = load_scenario(Path(__file__).resolve().parents[3] / "scenarios" / "baseline.yaml")
FLOAT_LEVERS = (
    "environment.target_pressure",
    "partnership.formality",
    "partnership.shared_targets",
    "partnership.information_sharing",
)
BASE_VALUES = dict.fromkeys(FLOAT_LEVERS, 0.5)
SCENARIO = apply_changes(BASELINE, BASE_VALUES).model_copy(update={"interventions": []})


def window(start: int, until: int | None, changes: dict[str, Any]) -> SetLevers:
    data: dict[str, Any] = {"action": "set", "from": start, "changes": changes}
    if until is not None:
        data["until"] = until
    return SetLevers.model_validate(data)


def value(levers: Any, path: str) -> Any:
    for part in path.split("."):
        levers = getattr(levers, part)
    return levers


def stub(events: list) -> SimpleNamespace:
    """What the timeline reads and writes of a model: the month, the levers, the timeline."""
    return SimpleNamespace(month=0, levers=SCENARIO, timeline=Timeline(events))


# -- the case, on the running model ------------------------------------------------


def test_overlapping_windows_end_in_the_order_the_rule_says(cfg, make) -> None:
    """Formality 0.9 for months 10-30 and 0.1 for 20-40 over a scenario value of 0.5."""
    sc = cfg(cfg(SCENARIO, {"partnership.formality": 0.5}), months=50, replicates=1)
    events = [
        window(10, 30, {"partnership.formality": 0.9}),
        window(20, 40, {"partnership.formality": 0.1}),
    ]
    m = make(sc.model_copy(update={"interventions": events}))
    seen = {}
    for month in range(1, 51):
        m.month = month
        m.recorder.month = month - 1
        m.timeline.apply(m)
        seen[month] = m.levers.partnership.formality
    expected = {t: 0.5 if t < 10 else 0.9 if t < 20 else 0.1 if t <= 40 else 0.5 for t in seen}
    assert seen == expected
    assert m.levers.partnership.formality == m.spec.partnership.formality == 0.5


def test_equal_starts_the_later_in_the_file_wins() -> None:
    m = stub(
        [
            window(3, 8, {"partnership.formality": 0.9}),
            window(3, 5, {"partnership.formality": 0.2}),
        ]
    )
    seen = []
    for month in range(1, 11):
        m.month = month
        m.timeline.apply(m)
        seen.append(m.levers.partnership.formality)
    assert seen == [0.5, 0.5, 0.2, 0.2, 0.2, 0.9, 0.9, 0.9, 0.5, 0.5]


def test_a_live_change_outlasts_a_window_that_started_before_it() -> None:
    """A live change in month 7 wins over a window of months 5-10 and stays after it."""
    m = stub([window(5, 10, {"partnership.formality": 0.9})])
    seen = []
    for month in range(1, 13):
        m.month = month
        m.timeline.apply(m)
        if month == 7:
            assert set_levers(m, {"partnership.formality": 0.2}) == {"partnership.formality": 0.9}
        seen.append(m.levers.partnership.formality)
    assert seen == [0.5] * 4 + [0.9] * 2 + [0.2] * 6


def test_a_window_starting_after_a_live_change_wins_while_it_lasts() -> None:
    m = stub([window(5, 8, {"partnership.formality": 0.9})])
    seen = []
    for month in range(1, 11):
        m.month = month
        m.timeline.apply(m)
        if month == 2:
            set_levers(m, {"partnership.formality": 0.2})
        seen.append(m.levers.partnership.formality)
    assert seen == [0.5] + [0.2] * 3 + [0.9] * 4 + [0.2] * 2


# -- the rule against a brute-force evaluation ------------------------------------------------

HORIZON = 24
LEVER_VALUES = st.dictionaries(
    st.sampled_from(FLOAT_LEVERS), st.floats(0.0, 1.0, allow_nan=False), min_size=1
)


@st.composite
def windows(draw: st.DrawFn) -> tuple[int, int | None, dict[str, float]]:
    start = draw(st.integers(1, HORIZON))
    until = draw(st.none() | st.integers(start, HORIZON))
    return start, until, draw(LEVER_VALUES)


def brute_force(
    month: int,
    layers: list[tuple[int, int | None, dict[str, float]]],
) -> dict[str, float]:
    """Each lever's value in ``month``, straight from the rule (``layers`` in file order,
    live changes last)."""
    out = {}
    for path in FLOAT_LEVERS:
        in_force = [
            (start, k, changes[path])
            for k, (start, until, changes) in enumerate(layers)
            if path in changes and start <= month and (until is None or month <= until)
        ]
        out[path] = max(in_force)[2] if in_force else BASE_VALUES[path]
    return out


@settings(max_examples=60, deadline=None)
@given(
    scheduled=st.lists(windows(), max_size=6),
    live=st.lists(st.tuples(st.integers(1, HORIZON), LEVER_VALUES), max_size=3),
)
def test_every_month_follows_the_layer_rule(
    scheduled: list[tuple[int, int | None, dict[str, float]]],
    live: list[tuple[int, dict[str, float]]],
) -> None:
    m = stub([window(*w) for w in scheduled])
    live = sorted(live, key=lambda change: change[0])  # made in the order of the months
    made: list[tuple[int, int | None, dict[str, float]]] = []
    for month in range(1, HORIZON + 6):
        m.month = month
        m.timeline.apply(m)
        for when, changes in live:
            if when == month:
                set_levers(m, changes)
                made.append((month, None, changes))
        expected = brute_force(month, [*scheduled, *made])
        assert {path: value(m.levers, path) for path in FLOAT_LEVERS} == expected, month


@settings(max_examples=60, deadline=None)
@given(scheduled=st.lists(windows(), min_size=1, max_size=6))
def test_after_the_last_window_ends_every_lever_is_the_scenarios(
    scheduled: list[tuple[int, int | None, dict[str, float]]],
) -> None:
    closed = [
        (start, until if until is not None else HORIZON, ch) for start, until, ch in scheduled
    ]
    m = stub([window(*w) for w in closed])
    last = max(until for _, until, _ in closed)
    for month in range(1, last + 3):
        m.month = month
        m.timeline.apply(m)
    assert m.levers == SCENARIO
    assert {path: value(m.levers, path) for path in FLOAT_LEVERS} == BASE_VALUES
