"""A scenario's timeline fitted to a horizon chosen on the command line (``--months``).

A ``--months`` shorter than a scenario's timeline is a choice for this run, not a mistake
in the file: a window that runs past the horizon is cut at it (``until`` = the horizon)
and an intervention that starts after it is dropped, each with a one-line notice naming
the file, ``interventions[k]`` (its place in the file) and what was done. A horizon set
in a file (or in a sweep file) leaves the interventions past it as errors. The rule is
stated for users in the ``interventions`` module docstring (docs/scenario-reference.md).
"""

from __future__ import annotations

from typing import Any

from sim.scenario.interventions import CUT_AT_HORIZON, SetLevers
from sim.scenario.schema import Scenario

WHY = "the --months horizon"


def validation_context(overrides: dict[str, Any] | None, notices: list[str] | None) -> dict:
    """The validation context for a load: interventions past the horizon are let through
    (to be fitted by :func:`fit`) when ``months`` comes from the command line, which the
    caller says by passing a ``notices`` list to fill."""
    return {CUT_AT_HORIZON: notices is not None and "months" in (overrides or {})}


def _what(event: Any) -> str:
    """An intervention in a few words: ``set window months 12-48``, ``reorganise in month 40``."""
    if isinstance(event, SetLevers):
        if event.until is not None:
            return f"set window months {event.first_month()}-{event.until}"
        return f"set from month {event.first_month()}"
    return f"{event.action} in month {event.first_month()}"


def fit(scenario: Scenario, file: str, notices: list[str]) -> Scenario:
    """``scenario`` with each intervention past ``scenario.months`` cut at it or dropped;
    appends one notice per intervention changed (``file``: the file that set them)."""
    months = scenario.months
    kept = []
    changed = False
    for k, event in enumerate(scenario.interventions):
        where = f"{file}: interventions[{k}]: {_what(event)}"
        if event.first_month() > months:
            notices.append(f"{where} dropped: it starts after month {months}, {WHY}")
            changed = True
            continue
        if event.last_month() > months:
            notices.append(f"{where} cut at month {months}, {WHY}")
            event = event.model_copy(update={"until": months})
            changed = True
        kept.append(event)
    return scenario.model_copy(update={"interventions": kept}) if changed else scenario
