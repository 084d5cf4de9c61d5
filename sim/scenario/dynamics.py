"""Mechanism constants, one block per mechanism module (``dynamics.<mechanism>.<name>``).

These are not policy levers but the shape of each mechanism. Most are assumptions: their
sources say so, and the sensitivity analysis can vary them like any other key.
"""

from __future__ import annotations

from pydantic import Field

from sim.scenario.fields import Strict, par

A = "assumption"
HALF_TO_DOUBLE = "assumption (plausible range a judgement: half to double the value)"
HALF_OR_HALF_AGAIN = (
    "assumption (plausible range a judgement: half to one and a half times the value)"
)


class ChurnDynamics(Strict):
    """Constants of mechanism 1 (``sim/core/churn.py``)."""

    reform_months: float = par(
        18.0,
        unit="months",
        ge=0.0,
        le=120.0,
        plausible=(6.0, 36.0),
        source="Fulop et al. 2002 (mergers delayed service development >= 18 months)",
        doc="Months a reorganisation keeps the board busy re-forming its structures.",
    )
    full_reform_severity: float = par(
        0.5,
        unit="share of posts hit (0-1)",
        gt=0.0,
        le=1.0,
        plausible=(0.3, 1.0),
        source=A,
        doc="Severity at which re-forming takes the full ``reform_months``; a milder "
        "reorganisation takes proportionally less.",
    )
    newcomer_role_clarity: float = par(
        0.2,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 0.4),
        source=A,
        doc="Role clarity of a newcomer, or of a practitioner moved into a new structure.",
    )
    newcomer_within_trust: float = par(
        0.3,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.15, 0.45),
        source=A,
        doc="Trust on the fresh colleague ties a newcomer makes in their own agency.",
    )
    priority_reshuffle: float = par(
        0.5,
        unit="share (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 0.8),
        source="seed 003 (government 'changing everything every five minutes'); "
        "value an assumption",
        doc="How far a full reorganisation redraws agency priorities.",
    )
    leader_vacancy_months: float = par(
        6.0,
        unit="months",
        ge=0.0,
        le=60.0,
        plausible=(2.0, 12.0),
        source=A,
        doc="Months the chair's post stays empty after a departure.",
    )
    inherit_share: float = par(
        0.5,
        unit="share of ties (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 0.8),
        source="seed 003 (Leadbeater: the belief that trust needs long-term relationships "
        "'is over-stated'; productive relationships 'based on intense, short-term trust'); "
        "Meyerson, Weick & Kramer 1996, swift trust (not checked against the text); "
        "value an assumption",
        doc="Share of a predecessor's working relationships a newcomer takes over with the "
        "post (handover, standing contacts, trust in the role); each tie of a post that "
        "changes hands is kept with this chance, and the newcomer makes only the rest of "
        "their colleague ties afresh. 0: every tie of the post is lost.",
    )
    inherit_trust: float = par(
        0.5,
        unit="share of the predecessor's trust (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.3, 0.8),
        source="assumption (the default is the ratio of a newcomer's colleague trust to a "
        "long-standing colleague's, 0.3 / 0.6, already assumed in the model)",
        doc="Trust on an inherited tie, as a share of the predecessor's trust on it: "
        "partners trust the role before they know the person.",
    )
    transfer_share: float = par(
        0.5,
        unit="share of frontline posts hit (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 0.9),
        source="assumption (a reorganisation redraws structures and management posts; "
        "practitioners are mostly moved into the new structure with their caseloads "
        "rather than replaced; no seed gives a share)",
        doc="Share of the frontline posts a reorganisation hits whose holders are moved "
        "into the new structure rather than replaced: they keep their ties, goodwill and "
        "joint work, and start again on role clarity, alignment and tenure. 0: every "
        "post hit changes hands.",
    )


class NetworkDynamics(Strict):
    """Constants of the initial trust network (``sim/core/network.py``)."""

    within_trust: float = par(
        0.6,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.4, 0.8),
        source=A,
        doc="Trust between colleagues of long standing in one agency at month 0.",
    )
    initial_trust_sd: float = par(
        0.1,
        unit="index 0-1",
        ge=0.0,
        le=0.5,
        plausible=(0.05, 0.2),
        source=A,
        doc="Spread of cross-agency tie trust around ``staff.initial_trust`` at month 0.",
    )
    initial_trust_floor: float = par(
        0.05,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.05, 0.15),
        source=A,
        doc="Lowest trust a cross-agency tie starts with at month 0.",
    )
    tie_age_months: float = par(
        60.0,
        unit="months",
        ge=0.0,
        le=600.0,
        plausible=(24.0, 120.0),
        source=A,
        doc="Ties of month 0 are of long standing: their ages spread uniformly up to this, "
        "so complacency can bite from the start.",
    )


class TargetDynamics(Strict):
    """Constants of mechanism 2 (``sim/core/targets.py``)."""

    max_pull: float = par(
        0.8,
        unit="share of joint work (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.5, 1.0),
        source="seed 003 (agencies 'disengage' when their own targets are at risk); "
        "Repenning & Sterman 2001 (capability trap); value an assumption (plausible: most "
        "to all joint work pulled back at full pressure)",
        doc="Share of joint work pulled back to the silo at full pressure.",
    )
    on_track_pressure: float = par(
        0.5,
        unit="share of the centre's target pressure (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.75),
        source=HALF_OR_HALF_AGAIN,
        doc="Share of the centre's target pressure an agency feels while it is on track on "
        "its own targets (no gap); missing them adds ``gap_weight`` per unit of gap.",
    )
    gap_weight: float = par(
        2.0,
        unit="pressure per unit of relative gap",
        ge=0.0,
        le=20.0,
        plausible=(1.0, 4.0),
        source=HALF_TO_DOUBLE,
        doc="How strongly missing one's own targets adds pressure.",
    )
    ambition_per_year: float = par(
        0.02,
        unit="fraction of need per year",
        ge=0.0,
        le=0.5,
        plausible=(0.0, 0.05),
        source="assumption (plausible: from no expected fall to a 5% fall a year)",
        doc="Yearly fall in need the centre's targets expect.",
    )
    initiative_pressure: float = par(
        0.1,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.05, 0.2),
        source="seed 003 ('initiativitis'); value an assumption (plausible: half to double)",
        doc="Pressure added by one new initiative.",
    )
    initiative_months: float = par(
        6.0,
        unit="months",
        ge=0.5,
        le=60.0,
        plausible=(3.0, 12.0),
        source=HALF_TO_DOUBLE,
        doc="Time constant over which an initiative's pressure fades.",
    )
    adjust_months: float = par(
        3.0,
        unit="months",
        ge=1.0,
        le=60.0,
        plausible=(1.5, 6.0),
        source=HALF_TO_DOUBLE,
        doc="Time constant of an agency's felt pressure.",
    )
    cycle_months: int = par(
        36,
        unit="months",
        ge=1,
        le=1200,
        plausible=(24, 60),
        source="assumption (plausible 24-60: central targets are re-set every few years; "
        "seed 003 studied the local area agreements of 2007-10)",
        doc="Target cycle: every cycle the centre's target path starts again from the "
        "need of the day, so pressure does not grow without bound over a long run.",
    )


class BoardDynamics(Strict):
    """Constants of mechanism 3, formality (``sim/core/board.py``)."""

    meeting_tie_rate: float = par(
        0.1,
        unit="new ties per manager per month at full meeting intensity",
        ge=0.0,
        le=5.0,
        plausible=(0.02, 0.5),
        source="assumption (seed 003: trust is 'people getting to know each other, as people, "
        "and spending time with each other')",
        doc="Cross-agency ties a strategic manager makes at board meetings; a new manager "
        "meets the other members here.",
    )

    meeting_share: float = par(
        0.4,
        unit="share of strategic capacity",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 0.6),
        source="seed 003 ('high maintenance'; 'significant transaction costs'); "
        "value an assumption",
        doc="Strategic capacity spent on meetings at full formality.",
    )
    reporting_share: float = par(
        0.25,
        unit="share of frontline joint work",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.4),
        source="seed 003 ('policy and procedures were overly bureaucratic'); value an assumption",
        doc="Share of joint work spent on reporting at full formality.",
    )
    cost_exponent: float = par(
        1.5,
        unit="exponent",
        ge=1.0,
        le=4.0,
        plausible=(1.0, 2.5),
        source=A,
        doc="Convexity of the process cost in formality.",
    )
    clarity_rate: float = par(
        4.0,
        unit="per unit formality",
        ge=0.1,
        le=20.0,
        plausible=(1.0, 8.0),
        source=A,
        doc="How fast goal/role clarity and monitoring saturate in formality.",
    )
    base_clarity: float = par(
        0.2,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 0.4),
        source=A,
        doc="Goal clarity of a partnership with no structure at all.",
    )
    clarity_months: float = par(
        6.0,
        unit="months",
        ge=1.0,
        le=60.0,
        plausible=(3.0, 12.0),
        source=A,
        doc="Time constant of goal clarity.",
    )
    max_delay_months: float = par(
        6.0,
        unit="months",
        ge=0.0,
        le=36.0,
        plausible=(3.0, 9.0),
        source="seed 003 ('six months to go that route... we can do it in three')",
        doc="Decision delay at full formality.",
    )
    commitments_per_month: float = par(
        2.0,
        unit="commitments per month",
        ge=0.0,
        le=100.0,
        plausible=(0.5, 5.0),
        source=A,
        doc="Commitments a fully formal board makes.",
    )
    commitment_horizon: int = par(
        12,
        unit="months",
        ge=1,
        le=60,
        plausible=(6, 24),
        source=A,
        doc="Months a commitment stays open before it lapses.",
    )
    tenure_clarity: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.3, 0.7),
        source=A,
        doc="Role clarity that experience alone brings, without any structure.",
    )
    tenure_months: float = par(
        12.0,
        unit="months",
        gt=0.0,
        le=120.0,
        plausible=(6.0, 24.0),
        source=A,
        doc="Time constant of learning one's role by experience.",
    )
    structure_clarity: float = par(
        0.7,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.4, 0.9),
        source=A,
        doc="Role clarity that full structure adds.",
    )
    mandate_floor: float = par(
        0.8,
        unit="share of members (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.6, 1.0),
        source='assumption (seed 003: "They\'ll turn up to the meeting")',
        doc="Attendance of a mandated board, whatever its members' commitment: they attend anyway.",
    )
    reform_meeting_load: float = par(
        0.5,
        unit="share of meeting_share",
        ge=0.0,
        le=2.0,
        plausible=(0.25, 1.0),
        source=A,
        doc="Extra meeting load while the board re-forms its structures, on top of the "
        "process cost.",
    )
    max_meeting_share: float = par(
        0.9,
        unit="share of strategic capacity",
        ge=0.0,
        le=1.0,
        plausible=(0.7, 1.0),
        source=A,
        doc="Most of a manager's capacity meetings can take.",
    )
    reform_clarity_share: float = par(
        0.5,
        unit="share (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.75),
        source=A,
        doc="Share of its goal clarity a re-forming board aims for.",
    )
    reform_commitment_share: float = par(
        0.5,
        unit="share (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.75),
        source=A,
        doc="Share of its usual commitments a re-forming board makes.",
    )
    reform_activity: float = par(
        0.3,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.5),
        source=A,
        doc="Meeting activity that re-forming structures adds to the formal-activity index.",
    )
    activity_meeting_weight: float = par(
        0.5,
        unit="weight (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.3, 0.7),
        source=A,
        doc="Weight of meetings in the formal-activity index; commitments made weigh the rest.",
    )
    initial_role_clarity: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 0.8),
        source="assumption (the spin-up washes it out)",
        doc="Role clarity of every post when the model is built, before the spin-up.",
    )


class LeadershipDynamics(Strict):
    """Constants of mechanism 4 (``sim/core/leadership.py``)."""

    ramp_months: float = par(
        6.0,
        unit="months",
        ge=0.0,
        le=60.0,
        plausible=(3.0, 12.0),
        source=A,
        doc="Months a new chair takes to reach full strength.",
    )
    clarity_bonus: float = par(
        0.3,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.5),
        source="Ansell & Gash 2008; seed 003 sixth lesson (leadership); value an assumption",
        doc="Goal clarity a chair of either style adds at full strength.",
    )
    directive_commitments: float = par(
        1.0,
        unit="multiplier",
        ge=0.0,
        le=10.0,
        plausible=(0.5, 2.0),
        source="Bryson et al. 2006; assumption",
        doc="Extra commitments a directive leader drives.",
    )
    broker_rate: float = par(
        0.3,
        unit="ties per newcomer per month",
        ge=0.0,
        le=5.0,
        plausible=(0.1, 0.6),
        source="seed 003 (boundary-spanning leaders); Ansell & Gash 2008; value an assumption",
        doc="Cross-agency introductions a facilitative leader makes.",
    )
    newcomer_months: float = par(
        12.0,
        unit="months",
        ge=0.0,
        le=120.0,
        plausible=(6.0, 24.0),
        source=A,
        doc="Months in post during which a practitioner counts as a newcomer whom a "
        "facilitative chair introduces to other agencies.",
    )
    trust_bonus: float = par(
        0.15,
        unit="probability",
        ge=0.0,
        le=1.0,
        plausible=(0.05, 0.3),
        source="Ansell & Gash 2008; value an assumption",
        doc="Added success chance of joint work under facilitation.",
    )
    alignment_link: float = par(
        0.4,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 0.6),
        source="seed 003 (vertical links); seed 002 (links between operational and strategic "
        "functions); value an assumption",
        doc="Link between board and frontline a facilitative chair adds at full strength.",
    )
    power_evening: float = par(
        0.5,
        unit="share (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.75),
        source="seed 002 (power relations); Ansell & Gash 2008; value an assumption",
        doc="Share of the power imbalance a facilitative chair offsets.",
    )
    buffer: float = par(
        0.5,
        unit="share of a reorganisation's losses (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 0.8),
        source="assumption (the model brief: facilitative leadership 'protects against "
        "churn'; Ansell & Gash 2008: facilitative leadership matters most where conditions "
        "for collaboration are poor, not checked against the text)",
        doc="Share of a reorganisation's losses to the board (re-forming time, goal "
        "clarity, learning) a facilitative chair at full strength absorbs, if the chair "
        "stays in post through it. 0: no buffer.",
    )


class TrustDynamics(Strict):
    """Constants of mechanism 5 (``sim/core/trust.py``)."""

    gain: float = par(
        0.10,
        unit="fraction of headroom per month",
        ge=0.0,
        le=1.0,
        plausible=(0.03, 0.2),
        source="Vangen & Huxham 2003 (trust-building loop); value an assumption",
        doc="Trust gained on a tie whose joint work all succeeds.",
    )
    loss: float = par(
        0.25,
        unit="fraction of trust per month",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.5),
        source="Slovic 1993 (asymmetry of trust); Vangen & Huxham 2003; value an assumption",
        doc="Trust lost on a tie whose joint work all fails (larger than gain).",
    )
    fade: float = par(
        0.03,
        unit="fraction per month",
        ge=0.0,
        le=1.0,
        plausible=(0.01, 0.1),
        source=A,
        doc="Fade of trust on a tie unused this month.",
    )
    new_tie_trust: float = par(
        0.25,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.4),
        source=A,
        doc="Trust on a newly made cross-agency tie.",
    )
    drop_below: float = par(
        0.05,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.01, 0.1),
        source=A,
        doc="A tie whose trust falls below this is forgotten.",
    )
    complacency: bool = par(
        False,
        unit="flag",
        source="Leadbeater 1999 in seed 003; March 1991",
        doc="Switch on complacency of long-lived, very high-trust ties.",
    )
    complacency_trust: float = par(
        0.85,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.7, 0.95),
        source=A,
        doc="Trust above which a long-lived tie can become cosy.",
    )
    complacency_months: float = par(
        48.0,
        unit="months",
        ge=1.0,
        le=600.0,
        plausible=(24.0, 120.0),
        source=A,
        doc="Joint tenure after which a high-trust tie can be cosy.",
    )
    complacency_penalty: float = par(
        0.4,
        unit="share of effectiveness",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.6),
        source=A,
        doc="Effectiveness lost on a cosy tie.",
    )
    board_episodes: float = par(
        2.0,
        unit="episodes per strategic tie per month at full meeting intensity",
        ge=0.0,
        le=20.0,
        plausible=(1.0, 4.0),
        source=A,
        doc="Episodes of joint work that board meetings give each strategic cross-agency tie.",
    )
    full_evidence_episodes: float = par(
        2.0,
        unit="episodes",
        gt=0.0,
        le=20.0,
        plausible=(1.0, 5.0),
        source=A,
        doc="Episodes in a month after which the month's evidence moves a tie's trust fully "
        "(fewer move it in proportion).",
    )
    colleague_use: float = par(
        0.5,
        unit="share of gain per month",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 1.0),
        source=A,
        doc="Share of a fully successful month's trust gain colleagues in one agency get "
        "from working together every day.",
    )
    promise_gain: float = par(
        0.05,
        unit="fraction of headroom per month of full delivery",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 0.15),
        source="Vangen & Huxham 2003 (trust built by meeting expectations; not checked "
        "against the text); value an assumption",
        doc="Trust gained on every strategic cross-agency tie in a month in which the board "
        "delivers as many commitments as a fully formal board makes; fewer in proportion. "
        "0 switches off the gain from kept promises.",
    )
    promise_loss: float = par(
        0.125,
        unit="fraction of trust per month of full lapse",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 0.3),
        source="seed 003 (\"They'll turn up to the meeting and say 'oh yes, that's something "
        "we'll do', and then it doesn't necessarily happen\"); Vangen & Huxham 2003 (trust "
        "eroded by failed expectations; not checked against the text); Slovic 1993 (loss "
        "larger than gain); value an assumption",
        doc="Trust lost on every strategic cross-agency tie in a month in which as many "
        "commitments lapse as a fully formal board makes; fewer in proportion. 0 switches "
        "off the cost of broken promises to trust.",
    )


class FrontlineDynamics(Strict):
    """Constants of mechanism 6 (``sim/core/frontline.py``)."""

    max_joint_share: float = par(
        0.5,
        unit="share of capacity",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.75),
        source=HALF_OR_HALF_AGAIN,
        doc="Joint-work share of a willing, well-connected practitioner.",
    )
    goodwill_floor: float = par(
        0.5,
        unit="share of max_joint_share (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.75),
        source=HALF_OR_HALF_AGAIN,
        doc="Share of the most joint work a practitioner with no goodwill still offers; "
        "the rest grows in proportion to goodwill.",
    )
    clarity_floor: float = par(
        0.5,
        unit="share of max_joint_share (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.75),
        source=HALF_OR_HALF_AGAIN,
        doc="Share of the most joint work a practitioner with no role clarity still offers; "
        "the rest grows in proportion to role clarity.",
    )
    trust_saturation: float = par(
        1.0,
        unit="summed tie trust",
        ge=0.01,
        le=20.0,
        plausible=(0.5, 2.0),
        source=HALF_TO_DOUBLE,
        doc="Summed cross-agency trust at which ties stop limiting.",
    )
    adapt_months: float = par(
        2.0,
        unit="months",
        ge=1.0,
        le=60.0,
        plausible=(1.0, 4.0),
        source="assumption (plausible range a judgement: the hard floor of one month to "
        "double the value)",
        doc="Time constant of joint-work share without decision delay.",
    )
    base_success: float = par(
        0.45,
        unit="probability",
        ge=0.0,
        le=1.0,
        plausible=(0.3, 0.6),
        source="assumption (plausible: about a third to about two thirds of episodes "
        "succeed with no trust or clarity)",
        doc="Success chance of joint work with no trust or clarity.",
    )
    trust_success: float = par(
        0.45,
        unit="probability per unit trust",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.65),
        source="seed 003 (trust and goodwill 'the glue'); value an assumption (plausible: "
        "a judgement, trust the largest single term of the success chance)",
        doc="Added success chance per unit of tie trust.",
    )
    clarity_success: float = par(
        0.2,
        unit="probability per unit role clarity",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.4),
        source="seed 003 (partners 'aware of their roles and responsibilities'); "
        "value an assumption (plausible: half to double)",
        doc="Added success chance per unit of role clarity.",
    )
    info_success: float = par(
        0.15,
        unit="probability per unit information sharing",
        ge=0.0,
        le=1.0,
        plausible=(0.075, 0.3),
        source="seed 003 (information sharing protocols); value an assumption (plausible: "
        "half to double)",
        doc="Added success chance from sharing.",
    )
    pressure_failure: float = par(
        0.35,
        unit="probability per unit pressure",
        ge=0.0,
        le=1.0,
        plausible=(0.175, 0.7),
        source="seed 003 (partners disengage when their own targets are at risk); "
        "value an assumption (plausible: half to double)",
        doc="Lost success chance per unit of the partners' pressure.",
    )
    success_floor: float = par(
        0.02,
        unit="probability",
        ge=0.0,
        le=0.5,
        plausible=(0.0, 0.05),
        source="assumption (plausible: from none to one task in twenty succeeding against "
        "all odds)",
        doc="Least success chance of an episode of joint work, however low trust and "
        "however high pressure.",
    )
    success_ceiling: float = par(
        0.98,
        unit="probability",
        ge=0.5,
        le=1.0,
        plausible=(0.95, 1.0),
        source="assumption (plausible: from one task in twenty to none failing however "
        "good the conditions)",
        doc="Greatest success chance of an episode of joint work, however good the conditions.",
    )
    episodes_per_month: float = par(
        20.0,
        unit="episodes per FTE-month of joint work",
        ge=1.0,
        le=100.0,
        plausible=(10.0, 40.0),
        source=HALF_TO_DOUBLE,
        doc="Discrete joint tasks a full-time joint worker does.",
    )
    goodwill_base: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.75),
        source=HALF_OR_HALF_AGAIN,
        doc="Goodwill of an ordinary practitioner with no champion nearby.",
    )
    champion_goodwill: float = par(
        0.4,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 0.6),
        source="seed 003 (champions 'encourage others to commit'); value an assumption "
        "(plausible: half to one and a half times)",
        doc="Goodwill added to a practitioner tied to a champion.",
    )
    champion_own_goodwill: float = par(
        1.0,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.8, 1.0),
        source="seed 003 (local champions' 'commitment and enthusiasm'); value an assumption "
        "(plausible: a champion is among the keenest, from 0.8 to full goodwill)",
        doc="Goodwill a champion's own goodwill moves toward, whatever the pressure on their "
        "agency.",
    )
    facilitation_goodwill: float = par(
        0.1,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.05, 0.2),
        source=HALF_TO_DOUBLE,
        doc="Goodwill a full-strength facilitative chair adds to every practitioner.",
    )
    stress_goodwill: float = par(
        0.2,
        unit="index 0-1 per unit target pressure",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.4),
        source=HALF_TO_DOUBLE,
        doc="Goodwill a practitioner loses when their agency is under full target pressure.",
    )
    champion_tie_rate: float = par(
        0.25,
        unit="new ties per champion per month",
        ge=0.0,
        le=5.0,
        plausible=(0.125, 0.5),
        source="assumption (seed 003: 'local champions'; plausible: half to double)",
        doc="Cross-agency ties a champion makes each month.",
    )
    organic_tie_rate: float = par(
        0.1,
        unit="new ties per practitioner per month",
        ge=0.0,
        le=5.0,
        plausible=(0.05, 0.2),
        source="seed 003 (frontline practices 'more organic and integrated'); value an "
        "assumption (plausible: half to double)",
        doc="Cross-agency ties made by ordinary joint work.",
    )
    routine_tie_rate: float = par(
        0.05,
        unit="new ties per practitioner per month",
        ge=0.0,
        le=5.0,
        plausible=(0.025, 0.1),
        source="assumption (casework and referrals; added while pattern 11 was tested, so "
        "that a network can recover after a reorganisation; plausible: half to double)",
        doc="Cross-agency ties every practitioner makes through routine casework and "
        "referrals, with or without joint work; a newcomer with no ties starts here.",
    )
    goodwill_months: float = par(
        6.0,
        unit="months",
        ge=1.0,
        le=60.0,
        plausible=(3.0, 12.0),
        source=HALF_TO_DOUBLE,
        doc="Time constant of goodwill.",
    )


class AlignmentDynamics(Strict):
    """Constants of mechanism 7 (``sim/core/alignment.py``)."""

    base_alignment: float = par(
        0.15,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.05, 0.3),
        source="seed 003 (frontline work 'in complete isolation'); value an assumption "
        "(plausible: a third to double)",
        doc="Frontline alignment with the strategy without any link.",
    )
    info_link: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.25, 0.75),
        source=HALF_OR_HALF_AGAIN,
        doc="Link between board and frontline a full information-sharing protocol gives "
        "(added to the chair's ``dynamics.leadership.alignment_link``, at most 1 in all).",
    )
    align_months: float = par(
        6.0,
        unit="months",
        ge=1.0,
        le=60.0,
        plausible=(3.0, 12.0),
        source=HALF_TO_DOUBLE,
        doc="Time constant of a staff member's alignment.",
    )
    delivery_rate: float = par(
        0.35,
        unit="probability per month",
        ge=0.0,
        le=1.0,
        plausible=(0.175, 0.7),
        source=HALF_TO_DOUBLE,
        doc="Monthly chance a commitment is delivered when fully aligned.",
    )
    carry_share: float = par(
        0.12,
        unit="share of frontline capacity",
        gt=0.0,
        le=1.0,
        plausible=(0.06, 0.24),
        source="assumption (seed 003: for an impact 'on the ground', 'joint delivery plans "
        "had to be aligned'; plausible: half to double)",
        doc="Joint-work share at which frontline joint work can carry commitments fully; "
        "below it the chance of delivery falls in proportion.",
    )
    commitment_effort: float = par(
        0.02,
        unit="effort index per delivered commitment",
        ge=0.0,
        le=1.0,
        plausible=(0.01, 0.04),
        source=HALF_TO_DOUBLE,
        doc="Effort a delivered commitment adds to its issue.",
    )
    commitment_months: float = par(
        12.0,
        unit="months",
        ge=1.0,
        le=120.0,
        plausible=(6.0, 24.0),
        source=HALF_TO_DOUBLE,
        doc="Time constant over which a delivered commitment acts.",
    )


class OutcomeDynamics(Strict):
    """Constants of mechanisms 8-10 (``needs.py``, ``users.py``, ``outcomes.py``)."""

    joint_synergy: float = par(
        2.5,
        unit="multiplier",
        ge=0.0,
        le=20.0,
        plausible=(1.25, 5.0),
        source="seed 003 (wicked issues cross boundaries); assumption (plausible: half to double)",
        doc="Worth of a unit of successful joint work, in silo units.",
    )
    noise_autocorrelation: float = par(
        0.7,
        unit="per month",
        ge=0.0,
        le=0.99,
        plausible=(0.5, 0.9),
        source="assumption (plausible: noise that fades over about one and a half to ten months)",
        doc="AR(1) coefficient of population noise.",
    )
    assessment_fte: float = par(
        0.002,
        unit="FTE-months per assessment",
        ge=0.0,
        le=1.0,
        plausible=(0.001, 0.004),
        source=HALF_TO_DOUBLE,
        doc="Frontline time one assessment of a user takes.",
    )
    informal_sharing: float = par(
        0.3,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.15, 0.6),
        source=HALF_TO_DOUBLE,
        doc="Information passed along trusted ties with no protocol.",
    )
    engaged_share: float = par(
        0.02,
        unit="share of capacity",
        ge=0.0,
        le=1.0,
        plausible=(0.01, 0.04),
        source=HALF_TO_DOUBLE,
        doc="Joint-work share at or above which a practitioner counts as engaged in joint "
        "work, so that the users they see can get one joined-up assessment.",
    )
    voice_pull: float = par(
        1.0,
        unit="share of community voice (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(1.0, 1.0),
        source="assumption (a knock-out switch: 1 lets ``partnership.community_voice`` act as "
        "the lever says; 0 removes co-production)",
        doc="Share of the board's community voice that pulls strategic focus toward the "
        "population's needs (``needs.py``); 0 knocks co-production out.",
    )


class LearningDynamics(Strict):
    """Constants of mechanism 11 (``sim/core/monitoring.py``)."""

    learning_rate: float = par(
        0.05,
        unit="per month",
        ge=0.0,
        le=1.0,
        plausible=(0.025, 0.1),
        source="seed 004 ('collective spaces for reflection'); seed 002 (reflective "
        "leadership); value an assumption (plausible: half to double)",
        doc="How fast meaningful monitoring moves focus to what works.",
    )
    max_efficiency_gain: float = par(
        0.5,
        unit="share",
        ge=0.0,
        le=5.0,
        plausible=(0.25, 1.0),
        source=HALF_TO_DOUBLE,
        doc="Largest gain in joint-work effectiveness from learning.",
    )
    chase_pressure: float = par(
        0.15,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.075, 0.3),
        source="seed 003 ('terror by targets'); value an assumption (plausible: half to double)",
        doc="Pressure added by target-chasing monitoring.",
    )
    forget_rate: float = par(
        0.02,
        unit="share of the learnt gain per month",
        ge=0.0,
        le=1.0,
        plausible=(0.01, 0.04),
        source=HALF_TO_DOUBLE,
        doc="Share of the learnt gain in joint-work effectiveness lost each month once "
        "there is no board to keep it up (the partnership dissolved): effectiveness relaxes "
        "back to 1.",
    )


class LifecycleDynamics(Strict):
    """Constants of mechanism 12 (``sim/core/lifecycle.py``)."""

    commitment_months: float = par(
        6.0,
        unit="months",
        ge=1.0,
        le=60.0,
        plausible=(3.0, 12.0),
        source=A,
        doc="Time constant of an agency's commitment to the board.",
    )
    power_cost: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=2.0,
        plausible=(0.2, 1.0),
        source="seed 003 ('it means power being taken away from them'); value an assumption",
        doc="Felt cost of pooling power, for the most powerful agency.",
    )
    joint_value_output: float = par(
        0.05,
        unit="FTE of successful joint work per practitioner per month",
        gt=0.0,
        le=1.0,
        plausible=(0.025, 0.1),
        source="assumption (about two hours a week of joint work that succeeds)",
        doc="Joint work at which an agency values the partnership's joint work fully.",
    )
    pressure_disengagement: float = par(
        0.2,
        unit="index 0-1 per unit target pressure",
        ge=0.0,
        le=2.0,
        plausible=(0.1, 0.4),
        source="seed 003 (agencies 'disengage at the moment when their own specific "
        "targets and priorities were at risk' unless targets are shared and owned)"
        "; value an assumption",
        doc="Felt cost of the partnership to an agency under full own-target pressure; "
        "shared targets remove it in proportion.",
    )
    dissolve_below: float = par(
        0.3,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.2, 0.4),
        source=A,
        doc="Mean commitment below which a voluntary board may dissolve.",
    )
    patience_months: int = par(
        12,
        unit="months",
        ge=1,
        le=120,
        plausible=(6, 24),
        source=A,
        doc="Mean months a voluntary board lasts once its members' mean commitment is "
        "below ``dissolve_below``: each such month it dissolves with chance 1/patience.",
    )
    neutral_commitment: float = par(
        0.45,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.3, 0.6),
        source=A,
        doc="An agency's commitment when what the partnership gives it and what it costs balance.",
    )
    value_relationships: float = par(
        0.5,
        unit="weight",
        ge=0.0,
        le=1.0,
        plausible=(0.3, 0.7),
        source="assumption (seed 003: trust and goodwill 'the glue')",
        doc="Weight of cross-agency trust in what the partnership is worth to an agency.",
    )
    value_delivery: float = par(
        0.3,
        unit="weight",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.5),
        source=A,
        doc="Weight of delivered commitments in what the partnership is worth to an agency.",
    )
    value_joint: float = par(
        0.2,
        unit="weight",
        ge=0.0,
        le=1.0,
        plausible=(0.1, 0.4),
        source=A,
        doc="Weight of successful joint work in what the partnership is worth to an agency.",
    )
    initial_commitment: float = par(
        0.5,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.3, 0.7),
        source="assumption (the spin-up washes it out)",
        doc="Every agency's commitment when the model is built, before the spin-up.",
    )
    lapse_cost: float = par(
        0.15,
        unit="index 0-1 per month of full lapse",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 0.3),
        source="seed 003 (\"They'll turn up to the meeting and say 'oh yes, that's something "
        "we'll do', and then it doesn't necessarily happen\"); Vangen & Huxham 2003 (not "
        "checked against the text); value an assumption",
        doc="Felt cost of broken promises to every agency in a month in which as many "
        "commitments lapse as a fully formal board makes; fewer in proportion. 0 switches "
        "it off.",
    )
    initial_enthusiasm: float = par(
        0.1,
        unit="index 0-1",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 0.2),
        source="assumption (seed 003: champions' 'commitment and enthusiasm which could, in "
        "turn, encourage others to commit'; partnership fatigue, Huxham & Vangen 2005, not "
        "checked against the text)",
        doc="Commitment every agency brings beyond what the partnership gives and costs it, "
        "at month 0; lapsed commitments drain it (fatigue_per_lapse). 0 switches off "
        "enthusiasm and fatigue.",
    )
    fatigue_per_lapse: float = par(
        0.05,
        unit="share of remaining enthusiasm per lapsed commitment",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 0.15),
        source="assumption (partnership fatigue; Huxham & Vangen 2005, not checked against "
        "the text)",
        doc="Share of the remaining enthusiasm each lapsed commitment drains, for good: "
        "enthusiasm does not come back. 0 keeps the enthusiasm whole.",
    )


class StartDynamics(Strict):
    """How a run starts (``sim/core/model.py``): the unreported spin-up."""

    spin_up_months: int = par(
        60,
        unit="months",
        ge=0,
        le=600,
        plausible=(36, 120),
        source="assumption (plausible 36-120: a few time constants of trust and commitment)",
        doc="Months each world runs under the scenario's starting levers before month 1 "
        "and is not reported: trust, commitment, pressure and the effort lag settle, so "
        "trends in the reported months come from the levers, not from initial values. The "
        "board cannot dissolve and need does not move during the spin-up.",
    )
    trust_history_share: float = par(
        1.0,
        unit="share (0-1)",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 1.0),
        source="staff.initial_trust is the trust on existing cross-agency ties at month 0; "
        "Ansell & Gash 2008 (a prehistory of cooperation or conflict shapes the trust a "
        "collaboration starts from; not checked against the text); the share an assumption",
        doc="Share of the way the trust the spin-up settled on every cross-agency tie is "
        "scaled, at month 0, so that its mean is ``staff.initial_trust``: the trust the "
        "area's history of cooperation or conflict leaves. 0 keeps the settled trust (the "
        "spin-up then erases ``staff.initial_trust``).",
    )
    initial_joint: float = par(
        0.25,
        unit="share of dynamics.frontline.max_joint_share",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 0.5),
        source="assumption (the spin-up washes it out)",
        doc="Share of the most a practitioner offers to joint work, when the model is built.",
    )
    initial_tenure_months: float = par(
        60.0,
        unit="months",
        ge=0.0,
        le=480.0,
        plausible=(24.0, 120.0),
        source=A,
        doc="Tenure of staff when the model is built is drawn uniformly from 0 to this.",
    )
    initial_pressure_share: float = par(
        0.5,
        unit="share of environment.target_pressure",
        ge=0.0,
        le=1.0,
        plausible=(0.0, 1.0),
        source="assumption (the spin-up washes it out)",
        doc="Every agency's felt target pressure when the model is built, as a share of the "
        "scenario's target pressure.",
    )


class Dynamics(Strict):
    """All mechanism constants, one block per mechanism."""

    churn: ChurnDynamics = Field(default_factory=ChurnDynamics)
    network: NetworkDynamics = Field(default_factory=NetworkDynamics)
    targets: TargetDynamics = Field(default_factory=TargetDynamics)
    board: BoardDynamics = Field(default_factory=BoardDynamics)
    leadership: LeadershipDynamics = Field(default_factory=LeadershipDynamics)
    trust: TrustDynamics = Field(default_factory=TrustDynamics)
    frontline: FrontlineDynamics = Field(default_factory=FrontlineDynamics)
    alignment: AlignmentDynamics = Field(default_factory=AlignmentDynamics)
    outcomes: OutcomeDynamics = Field(default_factory=OutcomeDynamics)
    learning: LearningDynamics = Field(default_factory=LearningDynamics)
    lifecycle: LifecycleDynamics = Field(default_factory=LifecycleDynamics)
    start: StartDynamics = Field(default_factory=StartDynamics)
