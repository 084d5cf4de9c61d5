"""The eleven patterns of the model brief, each an experiment with stated statistics.

Every pattern states its source, its conditions, replicates and seeds, its statistics and
the tolerance each must meet (:mod:`sim.patterns.checks`). Replicates: 8 per condition in
the quick run (what CI runs), 30 in the full run; with 5 or more conditions per lever that
is 40+ runs per correlation, enough to detect a rank correlation of 0.4 at p < 0.01 with
power above 0.8 (quick) and to pin medians to about +/-0.25 standard deviations (full).
A pattern that does not emerge keeps its test and carries the reason
(``expected_failure``).
"""

from __future__ import annotations

from sim.patterns.base import Pattern
from sim.patterns.delivery import attribution, frontline_without_alignment, mandated_facade
from sim.patterns.environment import (
    churn_erodes,
    formality_hump,
    information_sharing,
    reorganisation_dip,
    target_silos,
)
from sim.patterns.people import champions, facilitative_leadership, relational_over_structure

PATTERNS: list[Pattern] = [
    Pattern(1, churn_erodes),
    Pattern(2, formality_hump),
    Pattern(3, target_silos),
    Pattern(
        4,
        facilitative_leadership,
        expected_failure=(
            "'More so under churn' is tested as an absolute gain, in outcome points (the "
            "pattern's docstring says why). Facilitative leadership raises the effect at "
            "both churn levels, and proportionally more under high churn (1.9 times the "
            "directive chair's effect at 1.5 reorganisations a year, 1.4 times at 0.25, in "
            "the full run), but its absolute gain is smaller under high churn (+3.1 against "
            "+5.2 outcome points; paired difference -2.1, 90% interval [-2.6, -1.0]). Under "
            "churn of 1.5 a year voluntary boards dissolve whoever chairs them (alive in the "
            "last month: none of the directive boards, a fifth of the facilitative ones), "
            "so there is less partnership left for facilitation to add to. The chair's "
            "buffer (dynamics.leadership.buffer) acts through the chair's effective "
            "strength, which churn halves (0.23 against 0.46: chairs leave in "
            "reorganisations, posts stay vacant, new chairs ramp up), and it absorbs "
            "little: with the buffer at 1 instead of 0 the board still re-forms about half "
            "the months and the effect barely moves. Facades are too rare under either "
            "chair (medians 0.04 and 0.05 of months at high churn) for facilitation to "
            "lower them."
        ),
    ),
    Pattern(5, champions),
    Pattern(
        6,
        relational_over_structure,
        expected_failure=(
            "In the quick run (32 base samples, 320 runs) policy churn dominates the "
            "variance of the partnership effect (total index 0.25), then target pressure "
            "(0.16) and formality (0.13); the relational inputs together come to 0.10 (the "
            "chair's strength 0.08, champions 0.02, initial trust 0.01), whose lower 95% "
            "bounds sum to 0.02, below formality's upper bound 0.21. Churn and pressure act "
            "through relationships (churn removes ties and the people who hold them, "
            "pressure pulls joint work back to the silos), but as levers they are "
            "environmental. Initial trust now sets the trust the partnership starts with "
            "(the spin-up used to erase it) and leaves a lasting trace, because trust "
            "returns to the level the levers sustain within about four years while the "
            "outcome keeps what the early joint work did (facilitative chair, 6 runs: "
            "final-year effect 12.9, 14.4 and 15.9 points at initial trust 0.1, 0.4 and "
            "0.7), a spread small beside churn's. Champions over 0-20% of practitioners "
            "move joint work far less than churn does. The pattern is not restated in "
            "terms of relational states: seed 003 ranks relational factors above "
            "structures as its respondents saw them, and in the model trust capital is "
            "itself an outcome of churn, pressure and formality, so comparing states with "
            "levers would not test the claim."
        ),
    ),
    Pattern(
        7,
        mandated_facade,
        expected_failure=(
            "A facade in a median 0.78 of months and formal activity 0.73 in years 6-10 "
            "(full run), but the fall of the delivery ratio is small: over 150 replicates "
            "a median fall of 0.02-0.04 (Wilcoxon p 0.001-0.004), which 30 replicates "
            "detect or not depending on the random numbers (full run 0.36 to 0.34, p = "
            "0.31; with numpy's generator it passed, 0.42 to 0.29, p = 0.003; "
            "docs/validation.md). The numbers that follow were measured with numpy's "
            "generator. The fall comes mostly from the trust the area starts "
            "with (staff.initial_trust 0.4, above what a mandated, formal, pressured "
            "partnership under churn sustains): trust and joint work decay toward the "
            "facade's level, leaving less joint work to carry the commitments; without it "
            "(dynamics.start.trust_history_share 0) the full run gives 0.36 to 0.28, p = "
            "0.013. Broken promises lower the board's trust and its members' commitment, "
            "but the members of this partnership are almost wholly uncommitted from the "
            "start (mean commitment over 8 runs 0.12 in year 1, 0.02 in years 6-10) and attend "
            "only "
            "because they are mandated, and delivery does not depend on their commitment, "
            "so lapses do not feed back into delivery (with the promise mechanisms "
            "switched off the full run gives 0.42 to 0.28, p = 0.004)."
        ),
    ),
    Pattern(8, frontline_without_alignment),
    Pattern(9, information_sharing),
    Pattern(10, attribution),
    Pattern(
        11,
        reorganisation_dip,
        expected_failure=(
            "Cross-agency trust capital dips by about a fifth after one reorganisation of "
            "the default severity (21% in the full run) and is back above 90% of its calm "
            "level after 45 months, inside the pattern's 6-48 month window (an assumption: "
            "the evidence gives no recovery time); reorganising twice as fast keeps it at "
            "about half its calm level. But joint work dips by only 17% (18-19% in the quick "
            "design), short of the 20% the pattern asks, and is back in about 15 months: "
            "half the practitioners a reorganisation hits are moved into the new structure "
            "with their ties and joint work (dynamics.churn.transfer_share), and newcomers "
            "take over half their predecessors' ties at half the trust "
            "(dynamics.churn.inherit_share, inherit_trust), so joint work restarts on the "
            "inherited ties. With no ties inherited both dips pass in the quick design (22% "
            "and 27%, back after 18 and 43 months); with every post hit replaced, trust "
            "capital dips 39% and is not back within 48 months (72). Whether joint work "
            "dips by a fifth thus rests on how much of a predecessor's network a newcomer "
            "takes over, which no seed measures (the three shares are assumptions)."
        ),
    ),
]
