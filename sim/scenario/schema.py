"""The scenario schema: every key a scenario file may set, its type, range, unit and source.

The key paths of the public levers (``environment.policy_churn``,
``partnership.leadership.style``...) are a contract that sweeps, the dashboard and users
address; they are never renamed. Mechanism constants live under ``dynamics.<mechanism>``
so that a sensitivity analysis can reach them too.
"""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, model_validator

from sim.scenario.dynamics import Dynamics
from sim.scenario.fields import Strict, par
from sim.scenario.interventions import CUT_AT_HORIZON, Intervention, SetLevers
from sim.scenario.levers import change_problems
from sim.scenario.uncertainty import Uncertainty

SEED_003 = "seed 003 (Hunter & Perkins 2012)"

Share = Annotated[float, Field(ge=0.0, le=1.0)]


Sector = Literal[
    "public_health", "nhs", "social_care", "police", "voluntary", "housing", "education", "other"
]
"""Kinds of agency in an English local public-health partnership (seed 003 names the NHS,
primary care trusts, local authorities and social care; the other sectors are an assumption)."""

LeadershipStyle = Literal["facilitative", "directive", "absent"]
"""Leadership styles of the partnership's chair (seed 003 sixth lesson; Ansell & Gash 2008)."""


class Environment(Strict):
    """The centre and the wider system: churn, turnover, targets, initiatives, austerity."""

    policy_churn: float = par(
        0.5,
        unit="reorganisations per year",
        ge=0.0,
        le=12.0,
        source="assumption (one every two years); seed 003 reports 'constant reorganisation' "
        "and government 'changing everything every five minutes' but gives no rate",
        doc="Rate of reorganisation events imposed on the local system.",
    )
    churn_severity: float = par(
        0.3,
        unit="share of staff (0-1)",
        ge=0.0,
        le=1.0,
        source="assumption; Fulop et al. 2002 (mergers displace management layers)",
        doc="Share of staff replaced, and of structure reset, by one reorganisation.",
    )
    staff_turnover: float = par(
        0.12,
        unit="per post per year (rate)",
        ge=0.0,
        le=1.0,
        source="assumption (typical UK public-sector turnover 10-15% a year)",
        doc="Background hazard at which staff leave and are replaced by newcomers; a "
        "rate r gives a yearly share leaving of 1 - exp(-r) (0.12 gives 11%).",
    )
    target_pressure: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        source=f"{SEED_003}: 'terror by targets'; default an assumption",
        doc="Intensity of central performance management on each agency's own targets.",
    )
    initiatives_per_year: float = par(
        2.0,
        unit="initiatives per year",
        ge=0.0,
        le=24.0,
        source=f"{SEED_003}: 'initiativitis'; default an assumption",
        doc="Rate of new central initiatives; each adds a passing burst of target pressure.",
    )
    austerity: float = par(
        0.0,
        unit="share of capacity cut (0-1)",
        ge=0.0,
        le=0.9,
        source="seed 000 (continued austerity); size is an assumption",
        doc="Share of every staff member's capacity removed by budget cuts.",
    )


class Leadership(Strict):
    """The partnership chair's style and strength."""

    style: LeadershipStyle = par(
        "directive",
        unit="category",
        source=f"{SEED_003} sixth lesson",
        doc="facilitative (boundary-spanning), directive (telling), or absent.",
    )
    strength: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        source="assumption",
        doc="How much the chair's style shapes the partnership when in post.",
    )


class Partnership(Strict):
    """The board: structure, leadership, shared targets, information sharing, mandate."""

    formality: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        source=f"{SEED_003} fourth lesson; seed 002; default an assumption",
        doc="How much formal structure: meetings, reporting, sub-groups, written plans.",
    )
    leadership: Leadership = Field(default_factory=Leadership)
    shared_targets: float = par(
        0.1,
        unit="share of targets (0-1)",
        ge=0.0,
        le=1.0,
        source=f"{SEED_003}: targets not 'shared and owned by the partnership'; "
        "default an assumption",
        doc="Share of each agency's targets that are shared partnership targets.",
    )
    information_sharing: float = par(
        0.3,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        source=f"{SEED_003}: 'good information sharing protocols were not in place'"
        "; default an assumption",
        doc="Strength of the information-sharing protocol between agencies.",
    )
    mandated: bool = par(
        False,
        unit="flag",
        source=f"{SEED_003} fourth lesson; seed 002 (formally mandated)",
        doc="A mandated partnership cannot dissolve, whatever its members think of it.",
    )
    community_voice: float = par(
        0.2,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        source="seed 000 (local populations at the heart of the system); seed 004 "
        "(co-production); default an assumption",
        doc="Co-production: how far the population's real needs shape strategic priorities.",
    )
    monitoring_focus: float = par(
        0.3,
        unit="share (0-1)",
        ge=0.0,
        le=1.0,
        source=f"{SEED_003}: 'how are we doing' rarely asked; seed 002 (meaningful "
        "performance management); default an assumption",
        doc="Share of monitoring that asks about outcomes rather than chasing targets.",
    )
    task_bound: bool = par(
        False,
        unit="flag",
        source=f"{SEED_003} fourth lesson (problem-based partnerships)",
        doc="A problem-based partnership dissolves once its task is done.",
    )
    task_goal: float = par(
        15.0,
        unit="outcome index points",
        ge=0.0,
        le=100.0,
        source="assumption",
        doc="Overall outcome index at which a task-bound partnership's work is done.",
    )


class Staff(Strict):
    """Initial conditions of the staff and their trust network."""

    initial_trust: float = par(
        0.4,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        source=f"{SEED_003}: trust and goodwill 'the glue'; default an assumption",
        doc="Mean trust on existing cross-agency ties at month 0.",
    )
    champions: float = par(
        0.05,
        unit="share of frontline staff (0-1)",
        ge=0.0,
        le=1.0,
        source=f"{SEED_003}: 'local champions'; default an assumption",
        doc="Share of frontline staff who are local champions of partnership working.",
    )
    ties_within: float = par(
        6.0,
        unit="ties per staff member",
        ge=0.0,
        le=50.0,
        plausible=(3.0, 12.0),
        source="assumption (plausible range a judgement: half to double the value)",
        doc="Mean number of trust ties to colleagues in the same agency.",
    )
    ties_across: float = par(
        3.0,
        unit="ties per staff member",
        ge=0.0,
        le=50.0,
        plausible=(1.5, 6.0),
        source="assumption (plausible range a judgement: half to double the value)",
        doc="Mean number of trust ties to staff of other agencies at month 0.",
    )


class Agency(Strict):
    """One partner agency."""

    name: str = par(..., unit="text", source="scenario", doc="Unique agency name.", min_length=1)
    sector: Sector = par(
        "other",
        unit="category",
        source="seed 003 (NHS, primary care trusts, local authorities, social care); "
        "other sectors an assumption",
        doc="Sector the agency belongs to.",
    )
    strategic: int = par(
        3,
        unit="staff",
        ge=1,
        le=10_000,
        source="assumption",
        doc="Strategic managers (sit on or report to the board).",
    )
    frontline: int = par(
        20, unit="staff", ge=0, le=1_000_000, source="assumption", doc="Frontline practitioners."
    )
    power: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        source=f"{SEED_003}: 'it means power being taken away from them'; default an assumption",
        doc="Relative power; powerful agencies lose more by pooling power.",
    )
    priorities: dict[str, Annotated[float, Field(ge=0.0)]] = par(
        ...,
        unit="weights over issues",
        source=SEED_003,
        doc="Weight the agency's own targets put on each issue (normalised to sum 1).",
    )

    @model_validator(mode="after")
    def _positive_priorities(self) -> Agency:
        if sum(self.priorities.values()) <= 0:
            raise ValueError("priorities must have at least one positive weight")
        return self


class Issue(Strict):
    """One wicked issue (tracer) and its population dynamics."""

    name: str = par(..., unit="text", source="scenario", doc="Unique issue name.", min_length=1)
    initial_need: float = par(
        100.0,
        unit="need index",
        gt=0.0,
        source="assumption",
        doc="Need level at month 0 (the outcome index is relative to it).",
    )
    trend_per_year: float = par(
        0.0,
        unit="fraction per year",
        ge=-0.5,
        le=0.5,
        source="assumption (no trend); seed 003: improvement may come from the partnership "
        "'or something else'",
        doc="Secular trend of need with business-as-usual work.",
    )
    noise_sd: float = par(
        0.01,
        unit="fraction per month",
        ge=0.0,
        le=0.5,
        plausible_factor=(0.5, 2.0),
        source="assumption (plausible: half to double each issue's value)",
        doc="Month-to-month population noise.",
    )
    lag_months: float = par(
        12.0,
        unit="months",
        ge=1.0,
        le=120.0,
        plausible_factor=(0.5, 2.0),
        source="assumption (plausible: half to double each issue's value)",
        doc="Time constant of the lagged response of need to work.",
    )
    efficacy: float = par(
        0.15,
        unit="fraction per year per unit of extra effort",
        ge=0.0,
        le=2.0,
        plausible_factor=(0.5, 1.5),
        source="assumption (plausible: half to one and a half times each issue's value)",
        doc="How fast need falls per unit of effort above business as usual.",
    )
    users_per_month: float = par(
        20.0,
        unit="users per month",
        ge=0.0,
        le=1e6,
        source=f"{SEED_003}: users re-assessed by a succession of separate services; "
        "default an assumption",
        doc="Service users with multi-agency needs arriving each month.",
    )
    agencies_per_user: float = par(
        3.0,
        unit="agencies",
        ge=1.0,
        le=20.0,
        source="assumption",
        doc="Mean number of agencies a multi-agency user needs.",
    )


class Regimes(Strict):
    """How each month is classified into a regime over a rolling window
    (``sim/core/regimes.py``; the rules and their evidence: ``docs/odd.md``)."""

    window_months: int = par(
        12,
        unit="months",
        ge=2,
        le=120,
        plausible=(6, 24),
        source="assumption (plausible 6-24: a year of board cycles and commitments)",
        doc="Rolling window over which regimes are judged; at month 1 it reaches back "
        "into the spin-up.",
    )
    value_z: float = par(
        2.0,
        unit="standard errors",
        gt=0.0,
        le=10.0,
        plausible=(1.5, 3.0),
        source="convention (two standard errors; plausible 1.5-3)",
        doc="A window's mean added (or ground) value is clearly above zero when it "
        "exceeds this many standard errors of the mean.",
    )
    kept_ratio: float = par(
        0.5,
        unit="ratio",
        gt=0.0,
        le=1.0,
        plausible=(0.4, 0.6),
        source="definition ('mostly kept': at least half the commitments delivered); "
        "plausible 0.4-0.6 an assumption",
        doc="Delivery ratio of the window below which the board's commitments mostly lapse.",
    )
    persist_months: int = par(
        3,
        unit="months",
        ge=1,
        le=24,
        plausible=(1, 6),
        source="assumption (plausible 1-6; seed 001: partnerships were often 'facades'; "
        "seed 003: strong trust goes with 'long-term stable relationships')",
        doc="Months a new regime must hold in a row before the reported regime changes "
        "(hysteresis); dissolution applies at once.",
    )


SETUP_ONLY = {  # levers read only when the model is built
    "staff.initial_trust": "sets the trust of the cross-agency ties at month 0",
}


class Scenario(Strict):
    """A complete, resolved scenario: what one ``partnersim run`` simulates."""

    name: str = par(
        "scenario", unit="text", source="scenario", doc="Scenario name (default: the file name)."
    )
    description: str = par(
        "", unit="text", source="scenario", doc="The question the scenario asks, in plain words."
    )
    months: int = par(
        120,
        unit="months",
        ge=1,
        le=1200,
        source="assumption",
        doc="Horizon; one step is one month.",
    )
    seed: int = par(
        20070401,
        unit="integer",
        ge=0,
        le=2**63 - 1,
        source="assumption",
        doc="Root seed; every random stream is derived from it.",
    )
    replicates: int = par(
        20,
        unit="runs",
        ge=1,
        le=100_000,
        source="assumption",
        doc="Replicates (independent seeds) per run.",
    )
    environment: Environment = Field(default_factory=Environment)
    partnership: Partnership = Field(default_factory=Partnership)
    staff: Staff = Field(default_factory=Staff)
    agencies: list[Agency] = Field(..., min_length=2, description="The partner agencies.")
    issues: list[Issue] = Field(..., min_length=1, description="The wicked issues tracked.")
    interventions: list[Intervention] = Field(
        default_factory=list, description="Timeline of interventions."
    )
    regimes: Regimes = Field(default_factory=Regimes)
    dynamics: Dynamics = Field(default_factory=Dynamics)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)

    @model_validator(mode="after")
    def _cross_checks(self, info: ValidationInfo) -> Scenario:
        problems: list[str] = []
        names = [a.name for a in self.agencies]
        dupes = sorted(n for n, times in Counter(names).items() if times > 1)
        if dupes:
            problems.append(f"agencies: duplicate names {dupes}; names must be unique")
        issue_names = [i.name for i in self.issues]
        idupes = sorted(n for n, times in Counter(issue_names).items() if times > 1)
        if idupes:
            problems.append(f"issues: duplicate names {idupes}; names must be unique")
        known = set(issue_names)
        for k, agency in enumerate(self.agencies):
            unknown = sorted(set(agency.priorities) - known)
            if unknown:
                problems.append(
                    f"agencies[{k}].priorities: unknown issue(s) {unknown}; "
                    f"allowed: {sorted(issue_names)}"
                )
        owned = {name for a in self.agencies for name, w in a.priorities.items() if w > 0}
        for k, issue in enumerate(self.issues):
            if issue.name not in owned:
                problems.append(
                    f"issues[{k}]: no agency gives issue {issue.name!r} a positive priority; "
                    "outcomes are measured against the month-0 effort on each issue, so at "
                    "least one agency's priorities must include it with a weight > 0"
                )
        cut = bool(info.context and info.context.get(CUT_AT_HORIZON))  # sim/scenario/horizon.py
        for k, event in enumerate(self.interventions):
            last = event.last_month()
            if not cut and (event.first_month() > self.months or last > self.months):
                problems.append(
                    f"interventions[{k}]: month {max(event.first_month(), last)} is outside "
                    f"the horizon; allowed: 1..{self.months} (months)"
                )
            if isinstance(event, SetLevers):
                for path in event.changes:
                    if path in SETUP_ONLY:
                        problems.append(
                            f"interventions[{k}].changes.{path}: {SETUP_ONLY[path]}; a change "
                            "after month 0 would have no effect"
                        )
                rest = {p: v for p, v in event.changes.items() if p not in SETUP_ONLY}
                for line in change_problems(self, rest):
                    problems.append(f"interventions[{k}].changes.{line}")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def issue_names(self) -> list[str]:
        """Issue names in scenario order."""
        return [i.name for i in self.issues]
