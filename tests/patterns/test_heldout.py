"""One test per held-out pattern of docs/held-out-patterns.md (H1-H7).

Every test runs the quick design of its pattern (``sim/patterns/heldout.py``): 8
replicates per condition, numbers 1000-1007 under the baseline scenario's seed, shared
by every condition (common random numbers); the statistics and tolerances are those the
document states, the same as in the full design (30 per condition, 1000-1029), which
gives the verdict. A held-out pattern that fails is a finding, not a bug: it is a strict
expected failure whose reason says, from what was measured, why the model does not
produce it. Tolerances are never moved; a failure that turns into a pass becomes an
error to be looked at.
"""

from __future__ import annotations

from sim.patterns.heldout import HELD_OUT
from tests.patterns.test_patterns import known, run_pattern

found = known  # a held-out pattern that fails is a finding


def test_held_out_labels_are_h1_to_h7_and_numbered_from_1000() -> None:
    """The list follows the document, and the parser's range of labels matches it."""
    from sim.cli.main import HELD_OUT_PATTERNS
    from sim.patterns.heldout_timed import FIRST

    assert [p.label for p in HELD_OUT] == [f"H{n}" for n in range(1, 8)]
    assert len(HELD_OUT) == HELD_OUT_PATTERNS
    assert FIRST == 1000


def test_h1_outcome_focused_monitoring_raises_added_value() -> None:
    """Seed 003 first lesson; seeds 002, 004. monitoring_focus 0-1 (5 levels, 40 runs):
    Spearman rho with mean added value (months 1-120) >= +0.3 at p < 0.01; focus 1.0 -
    focus 0 paired median difference, 90% interval > 0."""
    run_pattern("H1")


@found("H2")
def test_h2_coproduction_raises_added_value() -> None:
    """Seeds 000, 003, 004. community_voice 0-1 (5 levels, 40 runs): Spearman rho with
    mean added value (months 1-120) >= +0.3 at p < 0.01; voice 1.0 - voice 0 paired
    median difference, 90% interval > 0."""
    run_pattern("H2")


@found("H3")
def test_h3_unequal_power_lowers_commitment_and_board_life() -> None:
    """Seeds 002, 003. Every agency's power 0.55 + k (p - 0.55), k in 0, 0.5, 1, 1.25
    (32 runs): Spearman rho of k with mean commitment and with months the board exists,
    each <= -0.3 at p < 0.01."""
    run_pattern("H3")


@found("H4")
def test_h4_working_path_adds_more_once_both_are_formal() -> None:
    """Seed 003 conclusions; seed 002. Mandated; formality 0.5 throughout vs 0.1 then 0.5
    from month 37 (16 runs): mean added value over months 49-120, working path - formal,
    paired 90% interval > 0 and at least a tenth of the formal arm's |median|."""
    run_pattern("H4")


@found("H5")
def test_h5_structural_fixes_give_minimal_lasting_relief() -> None:
    """Seed 003 final lesson. From month 25 mandated, or formality 0.8, vs no fix (24
    runs; runs without a board in month 24 left out): for each fix the upper end of the
    paired 90% interval of mean added value over months 61-120 is below a fifth of the
    median added value of months 1-24."""
    run_pattern("H5")


@found("H6")
def test_h6_over_engineered_partnership_consumes_value() -> None:
    """Seeds 003, 002. The over-engineered levers (8 runs): the median of the mean added
    value over months 1-120, with its bootstrap 90% interval, wholly below 0."""
    run_pattern("H6")


@found("H7")
def test_h7_one_off_relationship_investment_lasts() -> None:
    """Seeds 002, 003, 000. Half the trust headroom of every cross-agency tie at the start
    of month 25 vs none (16 runs): joint work and added value over months 61-120 higher
    (paired 90% intervals > 0); the trust-capital gain over months 61-120 at least a third
    of the month-25 gain."""
    run_pattern("H7")
