"""The regime badge's reason: one plain-language line saying why the latest month has its
regime, in the terms of the regime rules (``sim/core/regimes.py``).

:func:`explain` reads the series of a live run (:meth:`sim.core.run.TwinRun.series`, with
the regime columns of :func:`sim.core.regimes.classify`) together with the columns
:func:`judgements` adds, and the scenario in force. It returns the regime of the latest
month and the rule that put it there, with the window's numbers (the window is
``regimes.window_months`` long; "clearly" means by ``regimes.value_z`` standard errors, as
the regimes judge it). The rules, in order:

``start``
  month 0: nothing recorded yet.
``changing``
  the regime shown is held by hysteresis: the latest window reads another regime, which
  takes over once it has held ``regimes.persist_months`` months in a row.
dissolved: ``dissolved_ground_delivers`` / ``dissolved_ground_nothing``
  the board is gone (members lost commitment, its task was done, or it was wound up);
  joint work on the ground, measured apart from the board, does or does not still deliver.
delivering: ``delivering_kept`` / ``delivering_none_made`` / ``delivering_lapses``
  the partnership adds value clearly above zero over the board-less twin, and keeps its
  commitments (at least ``regimes.kept_ratio`` of them delivered), made none in the
  window, or lets most of them lapse.
facade: ``facade``
  most commitments lapse and the board adds nothing measurable (or costs need).
organic: ``organic_ground``
  joint work on the ground delivers while the board adds nothing measurable and breaks no
  promises (keeps most commitments or makes none).
inert: ``inert`` / ``inert_costs``
  neither the board nor joint work on the ground adds anything measurable; or the board
  even costs need.

Where the board's added value is clearly *below* zero (the same test on the negated rate,
a display choice), the reason says what it costs instead of "adds nothing measurable".
Every number is this run's model output under the scenario's assumed constants.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sim.core.regimes import REGIMES, clearly_positive
from sim.core.run import TwinRun
from sim.scenario.schema import Scenario

REASONS: dict[str, str] = {
    "start": "Month 0: press Step or Play to start the partnership",
    "changing": (
        "the last {window} months now look {now}; the label changes once that has held "
        "{persist} months in a row"
    ),
    "dissolved_ground_delivers": (
        "{cause} in month {month}; joint work on the ground still delivers {ground} % of "
        "need a year"
    ),
    "dissolved_ground_nothing": (
        "{cause} in month {month}; joint work on the ground adds nothing measurable now"
    ),
    "delivering_kept": (
        "adds {added} % of need a year over the same area without a board (clearly above "
        "zero); {kept} % of its commitments kept"
    ),
    "delivering_none_made": (
        "adds {added} % of need a year over the same area without a board (clearly above "
        "zero); no commitments made in the last {window} months"
    ),
    "delivering_lapses": (
        "adds {added} % of need a year over the same area without a board (clearly above "
        "zero), though most commitments lapse ({kept} % kept)"
    ),
    "facade": "most commitments lapse ({kept} % kept) and it {board}",
    "organic_ground": (
        "joint work on the ground delivers {ground} % of need a year; the board {board}"
    ),
    "inert": "neither the board nor joint work on the ground adds anything measurable",
    "inert_costs": (
        "joint work on the ground adds nothing measurable, and the board costs {cost} % of "
        "need a year against the same area without a board"
    ),
}
BOARD = {  # what the board adds, for the rules that say it adds nothing clearly above zero
    "nothing": "adds nothing measurable",
    "costs": "costs {cost} % of need a year against the same area without a board",
}
CAUSES = {
    "commitment": "members lost commitment and the board dissolved",
    "task": "its task done, the board was wound up",
    "other": "the board was wound up",
}
JUDGEMENTS = (  # the columns judgements() adds to a run's series
    "raw_regime_code",
    "added_value_clear",
    "added_value_below",
    "ground_value_clear",
)


@dataclass(frozen=True)
class Reason:
    """The regime of the latest month, the rule that explains it and its one-line text."""

    regime: str  # one of REGIMES, or "starting" at month 0
    rule: str  # a key of REASONS
    text: str


def judgements(run: TwinRun) -> dict[str, np.ndarray]:
    """What this month's window says before hysteresis, for each reported month.

    ``raw_regime_code``: the regime the window alone gives (the regimes' own rules with
    ``persist_months`` 1); ``added_value_clear`` / ``ground_value_clear``: the added /
    ground value is clearly above zero; ``added_value_below``: the added value is clearly
    below zero (1.0 or 0.0). Windows reach back into the spin-up, as the regimes' do.
    """
    th = run.model.levers.regimes
    spin = run.model.spin_up
    inputs = run.regime_inputs()
    raw = run.regimes(th.model_copy(update={"persist_months": 1}), inputs)["regime_code"]
    added, ground = inputs["added_value_rate"], inputs["ground_value_rate"]

    def clear(x: np.ndarray) -> np.ndarray:
        return clearly_positive(x, th.window_months, th.value_z)[1][spin:].astype(float)

    return {
        "raw_regime_code": raw,
        "added_value_clear": clear(added),
        "added_value_below": clear(-added),
        "ground_value_clear": clear(ground),
    }


def number(x: float) -> str:
    """A rate for a sentence: two significant figures (``0.843`` -> ``"0.84"``, ``1.0`` ->
    ``"1.0"``, ``12.4`` -> ``"12"``)."""
    if abs(x) >= 10:
        return f"{x:.0f}"
    return f"{x:.1f}" if abs(x) >= 1 else f"{x:.2g}"


def percent_kept(ratio: float) -> str:
    """A delivery ratio as a whole percentage, rounded down (so a ratio just below the
    "mostly kept" line never reads as the line itself)."""
    return str(int(np.floor(100.0 * ratio + 1e-9)))


def _reason(regime: str, rule: str, **fields: object) -> Reason:
    return Reason(regime, rule, REASONS[rule].format(**fields))


def _cause(series: Mapping[str, np.ndarray], gone: int, scenario: Scenario) -> str:
    # commitment is recorded in the month the board goes, before it reads 0
    if series["commitment"][gone] < scenario.dynamics.lifecycle.dissolve_below:
        return CAUSES["commitment"]
    p = scenario.partnership
    if p.task_bound and series["outcome_index"][gone] >= p.task_goal:
        return CAUSES["task"]
    return CAUSES["other"]


def explain(series: Mapping[str, np.ndarray], scenario: Scenario) -> Reason:
    """The reason for the latest month's regime.

    ``series`` holds the outputs up to now (equal-length arrays: a run's series and its
    :func:`judgements`); ``scenario`` is the one in force (the model's ``levers``), which
    gives the regime settings, the dissolution threshold and any task goal.
    """
    codes = series["regime_code"]
    if codes.size == 0:
        return _reason("starting", "start")
    regime = REGIMES[int(codes[-1])]
    th = scenario.regimes
    raw = REGIMES[int(series["raw_regime_code"][-1])]
    added = float(series["added_value_window"][-1])
    ground = float(series["ground_value_window"][-1])
    ratio = float(series["delivery_ratio"][-1])
    grounded = series["ground_value_clear"][-1] >= 0.5
    lapses = not np.isnan(ratio) and ratio < th.kept_ratio
    costs = series["added_value_below"][-1] >= 0.5
    board = BOARD["costs"].format(cost=number(-added)) if costs else BOARD["nothing"]
    fields = {
        "cost": number(-added),
        "added": number(added),
        "ground": number(ground),
        "kept": "-" if np.isnan(ratio) else percent_kept(ratio),
        "board": board,
        "window": th.window_months,
    }

    if regime == "dissolved":
        gone = int(np.flatnonzero(series["board_alive"] < 0.5)[0])
        rule = "dissolved_ground_delivers" if grounded else "dissolved_ground_nothing"
        return _reason(regime, rule, month=gone + 1, cause=_cause(series, gone, scenario), **fields)
    if raw != regime:
        return _reason(regime, "changing", now=raw, persist=th.persist_months, **fields)
    if regime == "delivering":
        if np.isnan(ratio):
            return _reason(regime, "delivering_none_made", **fields)
        return _reason(regime, "delivering_lapses" if lapses else "delivering_kept", **fields)
    if regime == "organic":
        return _reason(regime, "organic_ground", **fields)
    if regime == "facade":
        return _reason(regime, "facade", **fields)
    return _reason(regime, "inert_costs" if costs else "inert", **fields)
