"""The ``interventions:`` timeline: events and lever changes scheduled in a scenario.

Each entry has a timing, either ``at: M`` (a one-off event in month M) or
``from: M`` with optional ``until: N`` (a lever change in force from month M, reverted
after month N), and an ``action``:

- ``reorganise`` (optional ``severity``, default: the scenario's churn severity);
- ``set`` with ``changes: {key.path: value}`` on any public lever;
- ``leader_leaves``;
- ``champion_leaves`` (optional ``count``, default 1);
- ``dissolve``.
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
        None, ge=1, description="Last month a lever change is in force (then reverted)."
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

ACTIONS = ("reorganise", "set", "leader_leaves", "champion_leaves", "dissolve")

SETTABLE_BLOCKS = ("environment", "partnership", "staff")
