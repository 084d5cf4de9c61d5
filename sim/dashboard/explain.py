"""The regime badge's reason: one plain-language line naming the mechanism at work now.

:func:`explain` reads the series recorded so far (as returned by
:meth:`sim.core.run.TwinRun.series`, with the regime columns of
:func:`sim.core.regimes.classify`) and the scenario in force, and returns the regime of
the latest month with the first rule of that regime whose condition holds. The rules,
in order (the window is ``regimes.window_months``; "recent" is the last
``RECENT_MONTHS`` months):

dissolved
  ``dissolved_joint_goes_on``: the board is gone but joint work is still at the
  delivering level; ``dissolved_commitment``: members' commitment was below
  ``dynamics.lifecycle.dissolve_below`` when the board went; ``dissolved_other``: it
  was wound up for another reason (task done, a ``dissolve`` event).
facade
  ``reorganisation``: re-forming after a recent reorganisation; ``mandated_shell``: a
  mandated board whose members' commitment is below the dissolution threshold;
  ``silo_pull``: target pull is at least ``PULL_HIGH`` of ``dynamics.targets.max_pull``;
  ``broken_promises``: the window's delivery ratio is below ``delivery_threshold``;
  ``busy_board``: otherwise.
inert
  ``reorganisation``; ``losing_commitment``: a voluntary board whose commitment is within
  ``COMMITMENT_MARGIN`` of the dissolution threshold; ``silo_pull``; ``no_chair``: the
  chair's post is vacant; ``joint_growing``: joint work is rising and has reached
  ``GROWING_SHARE`` of the delivering threshold; ``little_happens``: otherwise.
delivering
  ``slipping``: joint work is falling while target pull rises; ``trust_building``: trust
  across agencies is not falling; ``delivering``: otherwise.

Month 0 (nothing recorded yet) gives the ``start`` rule. Thresholds here are display
choices (assumption), not model parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from sim.core.regimes import REGIMES
from sim.scenario.schema import Scenario

RECENT_MONTHS = 6  # a reorganisation this recent is "still being absorbed" (assumption)
PULL_HIGH = 0.5  # target pull counts as strong from half its maximum (assumption)
COMMITMENT_MARGIN = 0.05  # commitment this close above the dissolution line (assumption)
GROWING_SHARE = 0.6  # joint work within reach of the delivering line (assumption)
TREND_MONTHS = 12  # months over which a trend is judged (assumption)
TREND_EPS = 5e-3  # change smaller than this is "flat" (assumption)

REASONS: dict[str, str] = {
    "start": "Month 0: press Step or Play to start the partnership",
    "dissolved_joint_goes_on": (
        "the board dissolved in month {month}, but trust across agencies keeps joint work "
        "going on the ground"
    ),
    "dissolved_commitment": (
        "members' commitment fell below the threshold and the board dissolved in month {month}"
    ),
    "dissolved_other": "the board was wound up in month {month}",
    "reorganisation": (
        "a reorganisation is still being absorbed: structures re-forming, newcomers without ties"
    ),
    "mandated_shell": (
        "the mandate keeps the board meeting, though its members have lost commitment"
    ),
    "broken_promises": "the board meets and promises but commitments are not delivered",
    "silo_pull": "target pressure is pulling staff back into silos",
    "busy_board": "the board is busy, but little joint work happens on the ground",
    "losing_commitment": "members are losing commitment: the board is close to dissolving",
    "no_chair": "the chair's post is vacant, so nobody holds the partnership together",
    "joint_growing": "joint work is growing, but not yet enough to deliver",
    "little_happens": "the board rarely meets and joint work is thin: little happens either way",
    "slipping": "still delivering, but target pressure is pulling staff back into silos",
    "trust_building": "trust across agencies is building joint work on the ground",
    "delivering": "joint work on the ground is delivering what the board promised",
}


@dataclass(frozen=True)
class Reason:
    """The regime of the latest month, the rule that explains it and its one-line text."""

    regime: str  # one of REGIMES, or "starting" at month 0
    rule: str  # a key of REASONS
    text: str


def _trend(x: np.ndarray) -> float:
    """Change over the last ``TREND_MONTHS`` months (0 when too short)."""
    if x.size < 2:
        return 0.0
    k = min(TREND_MONTHS, x.size - 1)
    return float(x[-1] - x[-1 - k])


def _recent_reorganisation(series: Mapping[str, np.ndarray]) -> bool:
    recent = series["reorganisation"][-RECENT_MONTHS:]
    return bool(series["reforming"][-1] >= 0.5 or recent.max(initial=0.0) >= 0.5)


def _reason(regime: str, rule: str, **fields: object) -> Reason:
    return Reason(regime, rule, REASONS[rule].format(**fields))


def explain(series: Mapping[str, np.ndarray], scenario: Scenario) -> Reason:
    """The reason for the latest month's regime.

    ``series`` holds the recorded outputs up to now (equal-length arrays; see the module
    docstring for the rules); ``scenario`` is the one in force (the model's ``levers``),
    which gives the regime thresholds, the dissolution threshold and the mandate.
    """
    codes = series["regime_code"]
    if codes.size == 0:
        return _reason("starting", "start")
    regime = REGIMES[int(codes[-1])]
    th = scenario.regimes
    joint = series["joint_work_window"]
    pull_high = PULL_HIGH * scenario.dynamics.targets.max_pull
    pull = float(series["target_pull"][-1])

    if regime == "dissolved":
        alive = series["board_alive"]
        gone = int(np.flatnonzero(alive < 0.5)[0])
        if joint[-1] >= th.joint_threshold:
            return _reason(regime, "dissolved_joint_goes_on", month=gone + 1)
        # commitment is recorded in the month the board goes, before it reads 0
        if series["commitment"][gone] < scenario.dynamics.lifecycle.dissolve_below:
            return _reason(regime, "dissolved_commitment", month=gone + 1)
        return _reason(regime, "dissolved_other", month=gone + 1)

    if regime == "facade":
        if _recent_reorganisation(series):
            return _reason(regime, "reorganisation")
        below = series["commitment"][-1] < scenario.dynamics.lifecycle.dissolve_below
        if scenario.partnership.mandated and below:
            return _reason(regime, "mandated_shell")
        if pull >= pull_high:
            return _reason(regime, "silo_pull")
        ratio = series["delivery_ratio"][-1]
        if not np.isnan(ratio) and ratio < th.delivery_threshold:
            return _reason(regime, "broken_promises")
        return _reason(regime, "busy_board")

    if regime == "inert":
        if _recent_reorganisation(series):
            return _reason(regime, "reorganisation")
        margin = scenario.dynamics.lifecycle.dissolve_below + COMMITMENT_MARGIN
        if not scenario.partnership.mandated and series["commitment"][-1] < margin:
            return _reason(regime, "losing_commitment")
        if pull >= pull_high:
            return _reason(regime, "silo_pull")
        if series["leader_present"][-1] < 0.5:
            return _reason(regime, "no_chair")
        if joint[-1] >= GROWING_SHARE * th.joint_threshold and _trend(joint) > TREND_EPS:
            return _reason(regime, "joint_growing")
        return _reason(regime, "little_happens")

    if _trend(joint) < -TREND_EPS and _trend(series["target_pull"]) > TREND_EPS:
        return _reason(regime, "slipping")
    if _trend(series["trust_across"]) >= -TREND_EPS:
        return _reason(regime, "trust_building")
    return _reason(regime, "delivering")
