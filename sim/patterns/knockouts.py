"""Which mechanism each pattern is evidence for, and the settings that knock it out.

A pattern counts as validation only if knocking out the mechanism it is about makes it
fail (``tests/patterns/test_knockouts.py`` runs every knock-out in the quick design). A
pattern that is true by construction, or that still passes with its mechanism knocked
out, is a *mechanism check*: it verifies that a rule does what it says, it is reported
in a separate table and it is not counted as evidence.

How a pattern was classified (``docs/validation.md``, "Knock-out matrix"): first from the
code, before any knock-out was run: a pattern whose statistic follows from one rule
whatever the other mechanisms do is a mechanism check, with the rule named
(file:function). The others were run in the quick design with their knock-out; a pattern
that still passed would have moved to the mechanism checks with what was measured.
Pattern 7's first knock-out (the promise loop) left its full design passing, so it is not
evidence for that loop; its knock-out now removes what the runs showed to carry its
decline (``docs/validation.md``).

A knock-out sets scenario parameters to 0 (a rate, cost or share;
``dynamics.outcomes.voice_pull`` is a switch that exists for H2's knock-out), so it is an
ordinary scenario: ``partnersim patterns --quick --set KEY=VALUE ...`` runs it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Knockout:
    """The mechanism a pattern is evidence for and the ``--set`` overrides that remove it."""

    mechanisms: str  # what the pattern is evidence for, with the modules that implement it
    settings: tuple[tuple[str, Any], ...]  # key path, value: applied to the base scenario
    why: str  # why these settings remove exactly that mechanism

    def cli(self) -> str:
        """The knock-out as ``partnersim patterns`` options."""
        return " ".join(f"--set {k}={v}" for k, v in self.settings)


TRUST_FROZEN: tuple[tuple[str, Any], ...] = (
    ("dynamics.trust.gain", 0.0),
    ("dynamics.trust.loss", 0.0),
    ("dynamics.trust.fade", 0.0),
)
"""The trust loop knocked out: no tie gains trust from success, loses it from failure or
fades unused, so every tie keeps the trust it was made with (``sim/core/trust.py``)."""

STRUCTURE_COSTS_OFF: tuple[tuple[str, Any], ...] = (
    ("dynamics.board.meeting_share", 0.0),
    ("dynamics.board.reporting_share", 0.0),
    ("dynamics.board.max_delay_months", 0.0),
    ("dynamics.lifecycle.power_cost", 0.0),
)
"""What structure costs knocked out: no meeting time, no reporting time, no decision
delay, no felt cost of pooling power; what structure buys (clarity, monitoring,
commitments, meetings where managers meet) is untouched."""

KNOCKOUTS: dict[str, Knockout] = {
    "2": Knockout(
        mechanisms="the costs of structure rising faster than what it buys: meeting and "
        "reporting time and decision delay (sim/core/board.py: process_cost, step; "
        "sim/core/frontline.py: reporting, adaptation), the felt cost of pooled power "
        "(sim/core/lifecycle.py: step)",
        settings=STRUCTURE_COSTS_OFF,
        why="every cost of formality is set to 0 and every benefit kept: the over-"
        "engineering the pattern is about is gone, so the hump should turn into a rise",
    ),
    "4": Knockout(
        mechanisms="a facilitative chair's protection against churn: the buffer that "
        "absorbs a reorganisation's losses to the board while the chair stays "
        "(sim/core/churn.py, sim/core/leadership.py) and introductions for newcomers "
        "(sim/core/leadership.py: broker)",
        settings=(("dynamics.leadership.buffer", 0.0), ("dynamics.leadership.broker_rate", 0.0)),
        why="the pattern's claim beyond 'facilitation helps' (which every facilitative "
        "channel gives by construction) is 'more so under churn'; these are the two "
        "channels through which a chair acts on churn",
    ),
    "6": Knockout(
        mechanisms="trust as 'the glue': the trust loop (sim/core/trust.py: step) through "
        "which relationships carry joint work (sim/core/frontline.py)",
        settings=TRUST_FROZEN,
        why="with trust frozen relationships no longer build or erode with joint work",
    ),
    "7": Knockout(
        mechanisms="the decay of a pressured partnership toward a facade: the trust its "
        "area starts with, above what such a partnership sustains (dynamics.start."
        "trust_history_share, sim/core/model.py), and own targets missed adding pressure "
        "and pull (sim/core/targets.py: own_target_gap). Not the promise loop: with kept "
        "and broken promises off the full design still passes (docs/validation.md)",
        settings=(
            ("dynamics.start.trust_history_share", 0.0),
            ("dynamics.targets.gap_weight", 0.0),
        ),
        why="the partnership starts where it will settle and missing its own targets adds "
        "no pressure: nothing is left to decay from or to push it down",
    ),
    "11": Knockout(
        mechanisms="what a reorganisation does to the network and how it grows back: "
        "newcomers inheriting part of a predecessor's ties, practitioners moved with their "
        "ties rather than replaced (sim/core/churn.py: replace_posts), rebuilt by the "
        "trust loop",
        settings=(("dynamics.churn.inherit_share", 0.0), ("dynamics.churn.transfer_share", 0.0)),
        why="every post a reorganisation hits changes hands and its holder's ties are lost",
    ),
    "H1": Knockout(
        mechanisms="learning from meaningful monitoring and the pressure of target-chasing "
        "monitoring (sim/core/monitoring.py: step), through efficiency (outcomes.py), "
        "focus (needs.py) and the pull of pressure (targets.py)",
        settings=(
            ("dynamics.learning.learning_rate", 0.0),
            ("dynamics.learning.chase_pressure", 0.0),
        ),
        why="monitoring neither teaches nor adds pressure: the two channels through which "
        "monitoring_focus acts are gone",
    ),
    "H2": Knockout(
        mechanisms="co-production: community voice pulling strategic focus toward the "
        "population's needs (sim/core/needs.py: step), and so silo effort and delivered "
        "commitments (alignment.py) toward where need is",
        settings=(("dynamics.outcomes.voice_pull", 0.0),),
        why="community voice no longer moves focus (learning still does)",
    ),
    "H3": Knockout(
        mechanisms="the felt cost of pooling power, largest for the most powerful agency "
        "(sim/core/lifecycle.py: step), through commitment, attendance and dissolution",
        settings=(("dynamics.lifecycle.power_cost", 0.0),),
        why="pooling power costs nobody anything, so the spread of power has no channel",
    ),
    "H4": Knockout(
        mechanisms="the mark early joint work leaves: trust and ties built while structure "
        "is light (sim/core/trust.py, sim/core/frontline.py)",
        settings=TRUST_FROZEN,
        why="with trust frozen the early years build no trust that later years inherit",
    ),
    "H5": Knockout(
        mechanisms="what more structure costs (sim/core/board.py, frontline.py: meeting and "
        "reporting time, delay; lifecycle.py: pooled power), which keeps a structural fix "
        "from adding more than a little",
        settings=STRUCTURE_COSTS_OFF,
        why="with structure free, more formality and a mandate buy clarity, monitoring and "
        "persistence at no cost: the relief should no longer be minimal",
    ),
    "H6": Knockout(
        mechanisms="the costs of structure, pressure and directive formality outweighing "
        "what they buy (sim/core/board.py, frontline.py, lifecycle.py)",
        settings=STRUCTURE_COSTS_OFF,
        why="every cost of formality is set to 0 and every benefit kept",
    ),
    "H7": Knockout(
        mechanisms="the trust loop feeding itself: trust raises the success of joint work, "
        "success raises trust (sim/core/trust.py: step; frontline.py: success_chance)",
        settings=(("dynamics.trust.gain", 0.0),),
        why="success no longer raises trust while failure and disuse still lower it, so an "
        "investment in trust can only wash out; trust frozen would not do (it keeps the "
        "invested trust for good, without fading)",
    ),
}
"""Validation patterns (calibration and held-out), keyed by pattern label ("1", "H1")."""

MECHANISM_CHECKS: dict[str, str] = {
    "1": "sim/core/churn.py: step, replace_posts, restructure. Every channel of churn "
    "is a loss (a departing post's cross-agency ties are dropped or handed to the "
    "newcomer at discounted trust, and the newcomer starts with low role clarity and "
    "base alignment; a reorganisation adds re-forming "
    "meetings and cuts clarity and learning) and none is a gain, so the signs of the "
    "three correlations are set by the rule. Trust frozen, it still passes: mean trust "
    "falls because churn swaps settled ties for new ones made at new_tie_trust.",
    "3": "sim/core/targets.py: step and sim/core/frontline.py: step. Joint work offered "
    "is multiplied by 1 - pull with pull = max_pull * pressure * (1 - shared_targets), so "
    "shared targets 0.8 take back 80% of the pull by the rule; and every channel of "
    "pressure lowers joint work (the pull, pressure_failure on its success, "
    "stress_goodwill). With max_pull 0 the shared-targets check fails and the pressure "
    "check still passes through the other channels.",
    "5": "sim/core/frontline.py: _update_goodwill and _make_ties. A champion's own "
    "goodwill is champion_own_goodwill (1), champions make champion_tie_rate (0.25) ties "
    "a month against "
    "routine_tie_rate (0.05) and raise the goodwill of those tied to them: more "
    "champions, more joint work, and losing them loses more ties and goodwill than "
    "losing others, by the rule.",
    "8": "sim/core/alignment.py: step. Without a facilitative chair or information "
    "sharing the link between board and frontline is 0, so frontline alignment is "
    "base_alignment (0.15) in every month of both arms; a commitment is delivered with "
    "chance at most delivery_rate x 0.15 a month, so at most 1 - (1 - 0.0525)^12 = 0.48 "
    "of commitments are delivered within their 12-month horizon, below the 0.5 the "
    "check asks. The two arms differ in seven levers at once.",
    "9": "sim/core/users.py: step. Re-assessments per user are (k - 1)(1 - seamless) "
    "with seamless = coverage x min(1, information_sharing + informal sharing): the "
    "lever enters the statistic directly.",
    "10": "sim/patterns/delivery.py: attribution (TREND_RANGE) and sim/core/outcomes.py: "
    "step. The test gives every run a secular trend drawn from +/-3% a year, which moves "
    "the before/after change by up to +/-30 points over ten years against partnership "
    "effects of a few points: the verdict is set by the injected range, not by a "
    "mechanism of the model. With no trend the same 40 runs give rho = +0.99.",
}
"""Patterns that verify a rule rather than validate the model, with the reason."""

TRUST_LOOP: dict[str, str] = {
    "1": "about trust eroded by churn; still passes with trust frozen (a mechanism check)",
    "4": "a facilitative chair starts the trust loop (trust_bonus on the success of joint "
    "work); the pattern fails by default",
    "6": "trust and goodwill as 'the glue'; its knock-out is trust frozen; the pattern "
    "fails by default",
    "7": "broken promises erode strategic trust; the pattern fails by default (quick design)",
    "11": "trust capital lost in a reorganisation grows back through the trust loop; the "
    "pattern fails by default",
    "H4": "trust built while structure is light is the mark the path leaves; its knock-out is "
    "trust frozen",
    "H7": "an investment in trust that feeds itself; trust frozen keeps the invested trust "
    "for good (no fade), so it cannot make the pattern fail; its knock-out is gain 0",
}
"""Patterns about the trust loop ("the glue") and what freezing trust does to them
(:data:`TRUST_FROZEN`; measured verdicts in ``docs/validation.md``)."""

TRUST_FROZEN_PASSES: dict[str, str] = {
    "1": "churn swaps settled cross-agency ties for new ones made at new_tie_trust and "
    "drops the ties of those who leave; neither needs the trust loop",
    "7": "the full design still passes with trust frozen: churn still swaps the high "
    "trust the area starts with for new ties made at new_tie_trust, and missed own "
    "targets still add pull; neither needs the loop",
    "H7": "freezing trust keeps the invested trust for good (no fade, no loss), which is "
    "the opposite of a knock-out of a loop that feeds itself",
}
"""Patterns about the trust loop that trust frozen does not make fail, and why in model
terms (every other pattern of :data:`TRUST_LOOP` must fail with trust frozen)."""


def role(label: str) -> str:
    """``"mechanism check"``, ``"held-out"`` or ``"calibration"`` for a pattern label."""
    if label in MECHANISM_CHECKS:
        return "mechanism check"
    return "held-out" if label.startswith("H") else "calibration"
