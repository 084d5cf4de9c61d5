"""The ``interventions:`` timeline: events and lever changes scheduled in a scenario.

Each entry has a timing, either ``at: M`` (a one-off event in month M, or a lever change
from month M on) or ``from: M`` with optional ``until: N`` (a lever change in force from
month M to month N inclusive), and an ``action``:

- ``reorganise`` (optional ``severity``, default: the scenario's churn severity);
- ``set`` with ``changes: {key.path: value}`` on any public lever;
- ``leader_leaves``;
- ``champion_leaves`` (optional ``count``, default 1);
- ``dissolve``.

The sections below are copied into docs/scenario-reference.md by ``sim/reference.py``.

Lever changes over time
-----------------------

Every ``set`` is a layer on the levers it names, in force from its first month (``at``
or ``from``) to its ``until`` inclusive; without ``until`` it stays in force to the end
of the run. In each month a lever has the value given by the latest-starting layer in
force that names it; of layers starting in the same month, the later one in the file
wins. When no layer in force names a lever, the lever has its base value: the
scenario's.

So when a window ends, each lever it names takes the value it would have had without
that window (the value of an earlier window still in force, or the scenario's), and
after the last window ends every lever is back to its scenario value. For example,
``partnership.formality`` 0.9 from month 10 until 30 and 0.1 from month 20 until 40,
over a scenario value of 0.5, is 0.5 in months 1-9, 0.9 in months 10-19, 0.1 in months
20-40 and 0.5 from month 41 on.

A live change (a lever changed in the dashboard while a run is under way) made in month
M is a layer from month M with no end, after every ``set`` of the file: it wins over the
windows that started in or before month M and remains when they end; a window that
starts later wins while it is in force. ``compare --branch-at`` makes no live change:
each branched scenario goes on with its own levers as the base and its own windows still
in force, as in its own unbranched run.

In each month the levers are set first, then the one-off events due are applied in file
order (a ``reorganise`` without ``severity`` takes the churn severity in force that
month).

Timelines and the horizon
-------------------------

Every month an intervention names must lie within the scenario's ``months``. When the
horizon comes from the command line (``--months`` of ``run``, ``library`` and
``compare``) and is shorter than a scenario's timeline, a window that runs past it is
cut at the horizon and an intervention that starts after it is dropped, each with a
one-line notice on stderr; the resolved scenario stored with the results holds the
timeline as cut. A horizon set in a file (or a sweep file) is still an error.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from sim.scenario.fields import Strict


class _Timed(Strict):
    """Timing shared by every intervention."""

    model_config = Strict.model_config | {"populate_by_name": True}

    at: int | None = Field(None, ge=1, description="Month of a one-off event (1-based).")
    from_: int | None = Field(
        None, alias="from", ge=1, description="First month a lever change is in force."
    )
    until: int | None = Field(
        None, ge=1, description="Last month a lever change is in force (inclusive)."
    )

    @model_validator(mode="after")
    def _timing(self) -> _Timed:
        if self.at is None and self.from_ is None:
            raise ValueError("give 'at: MONTH' or 'from: MONTH' (with optional 'until: MONTH')")
        if self.at is not None and (self.from_ is not None or self.until is not None):
            raise ValueError("give either 'at' or 'from'/'until', not both")
        if self.until is not None and self.from_ is not None and self.until < self.from_:
            raise ValueError(f"'until' ({self.until}) is before 'from' ({self.from_})")
        if self.until is not None and self.from_ is None:
            raise ValueError("'until' needs 'from'")
        return self

    def first_month(self) -> int:
        """Month the intervention first acts."""
        return self.at if self.at is not None else int(self.from_ or 1)

    def last_month(self) -> int:
        """Last month the intervention acts (the same as the first for events)."""
        return self.until if self.until is not None else self.first_month()


class _Event(_Timed):
    """A one-off event: a window makes no sense for it."""

    @model_validator(mode="after")
    def _event_timing(self) -> _Event:
        if self.at is None:
            raise ValueError("a one-off event takes 'at: MONTH'; 'from'/'until' is for 'set'")
        return self


class Reorganise(_Event):
    """A reorganisation imposed now."""

    action: Literal["reorganise"]
    severity: float | None = Field(
        None, ge=0.0, le=1.0, description="Share of staff replaced (default: scenario's)."
    )


class LeaderLeaves(_Event):
    """The partnership's chair leaves; the post stays vacant for a while."""

    action: Literal["leader_leaves"]


class ChampionLeaves(_Event):
    """Local champions leave and are replaced by newcomers."""

    action: Literal["champion_leaves"]
    count: int = Field(1, ge=1, description="Number of champions who leave.")


class Dissolve(_Event):
    """The partnership is dissolved now (even a mandated one: the mandate is withdrawn)."""

    action: Literal["dissolve"]


class SetLevers(_Timed):
    """Change public levers, at one month or over a window."""

    action: Literal["set"]
    changes: dict[str, float | bool | str] = Field(
        ..., min_length=1, description="Key paths (e.g. environment.policy_churn) and values."
    )


Intervention = Annotated[
    Reorganise | SetLevers | LeaderLeaves | ChampionLeaves | Dissolve,
    Field(discriminator="action"),
]

CUT_AT_HORIZON = "cut_at_horizon"
"""Validation context key: when true, interventions past ``months`` are not errors (the
loader then cuts them at a horizon given on the command line; sim/scenario/horizon.py)."""

ACTIONS = ("reorganise", "set", "leader_leaves", "champion_leaves", "dissolve")

SETTABLE_BLOCKS = ("environment", "partnership", "staff")
