"""One test per evidence pattern of the model brief (patterns 1-11).

Every test runs the quick design of its pattern in ``sim/patterns/catalog.py``: 8
replicates per condition (replicates 0-7 under the baseline scenario's seed, shared by
every condition, so the comparisons are paired on common random numbers), except where a
test says otherwise. The statistics and tolerances are stated on each check and are the
same in the full run (30 replicates per condition), which ``partnersim patterns`` writes
up. A pattern that does not emerge is a strict expected failure whose reason says which
mechanism keeps it from emerging; it turns into an error the day it starts to pass.
"""

from __future__ import annotations

import pytest

from sim.experiment.batch import default_workers
from sim.patterns.base import PatternResult, Settings
from sim.patterns.catalog import PATTERNS
from sim.patterns.heldout import HELD_OUT

QUICK = Settings(quick=True, workers=min(2, default_workers()), progress=False)


def run_pattern(label: int | str) -> PatternResult:
    """Run pattern ``label`` (1-11 or "H1"-"H7") quickly; fail with every check's
    observation if it fails."""
    (pattern,) = [p for p in PATTERNS + HELD_OUT if p.label == str(label)]
    result = pattern.run(QUICK)
    assert result.label == pattern.label
    failed = [c for c in result.checks if not c.passed]
    assert not failed, "\n".join(
        f"{c.statistic}: observed {c.observed}, expected {c.expected}" for c in failed
    )
    return result


def known(label: int | str) -> pytest.MarkDecorator:
    """Strict expected failure with the reason recorded on the pattern."""
    (pattern,) = [p for p in PATTERNS + HELD_OUT if p.label == str(label)]
    assert pattern.expected_failure, f"pattern {label} is not marked as an expected failure"
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=pattern.expected_failure)


def test_01_churn_lowers_trust_joint_work_and_effect() -> None:
    """Seed 003 ('constant reorganisation'); Fulop et al. 2002. Spearman rho of policy
    churn (0-2 a year, 5 levels) with cross-agency trust, joint work and the final effect:
    each <= -0.3 with p < 0.01 (40 runs)."""
    run_pattern(1)


def test_02_outcome_is_hump_shaped_in_formality() -> None:
    """Seed 003 fourth lesson; seed 002. Quadratic fit of the effect on formality (8
    levels, 64 runs): concave, the bootstrap 90% interval of its peak inside (0, 1); the
    best level beats both no structure and full formality (90% interval of the difference
    of medians > 0)."""
    run_pattern(2)


def test_03_target_pressure_pulls_to_silos_shared_targets_help() -> None:
    """Seed 003 ('not our problem'); Repenning & Sterman 2001. One-sided Mann-Whitney at
    p < 0.01: joint work lower under pressure 0.9 than 0.2 without shared targets; higher
    under pressure 0.9 with shared targets 0.8 than without (24 runs)."""
    run_pattern(3)


@known(4)
def test_04_facilitative_leadership_helps_more_under_churn() -> None:
    """Seed 003 sixth lesson; Ansell & Gash 2008. Paired bootstrap of medians (2 styles x
    2 churn levels, 32 runs): effect gain > 0 at each churn level, facade share lower, gain
    larger at high churn (all 90% intervals excluding 0)."""
    run_pattern(4)


def test_05_champions_raise_joint_work_and_cost_most_when_lost() -> None:
    """Seed 003 ('local champions'). Spearman rho(champion share, joint work) >= 0.3 at
    p < 0.01 (32 runs); after month 48 losing every champion lowers joint work over the
    next 36 months more than losing as many other practitioners (paired 90% interval < 0,
    16 runs branching from identical histories)."""
    run_pattern(5)


@known(6)
def test_06_relational_inputs_outweigh_formality() -> None:
    """Seed 003 ('the glue'); Vangen & Huxham 2003. Sobol total indices (SALib, Saltelli
    design, 32 base samples x 10 = 320 runs, 8 inputs): the sum of the lower 95% bounds of
    the relational inputs exceeds the upper 95% bound of formality's index."""
    run_pattern(6)


@known(7)
def test_07_mandated_formal_pressured_churned_partnership_is_a_facade() -> None:
    """Seed 003 ('then it doesn't necessarily happen'). Median facade share >= 0.5;
    formal activity in months 61-120 >= the regime threshold; delivery ratio lower in
    months 61-120 than 1-24 (Wilcoxon signed-rank, p < 0.01; 8 runs)."""
    run_pattern(7)


def test_08_frontline_delivers_without_alignment_paper_does_not() -> None:
    """Seed 003 second lesson ('writing it on paper...'). Organic frontline: vertical
    alignment < 0.3 and effect > 0 (90% interval); a mandated, formal, directive board
    makes > 0.5 commitments a month but delivers under half, and its effect is below the
    organic one (90% interval of the difference > 0; 16 runs)."""
    run_pattern(8)


def test_09_without_information_sharing_users_are_reassessed_more() -> None:
    """Seed 003. Spearman rho(information sharing, re-assessments per user) <= -0.3 at
    p < 0.01 (5 levels, 40 runs); no sharing minus full sharing > 0 (90% interval)."""
    run_pattern(9)


def test_10_before_after_change_says_little_about_the_true_effect() -> None:
    """Seed 001 ('impossible to establish evidence of their impact'). 40 runs with levers
    and secular trends drawn at random (seed 20263): |Spearman rho(before/after change,
    true effect)| < 0.5."""
    run_pattern(10)


@known(11)
def test_11_reorganisation_dip_and_recovery() -> None:
    """Fulop et al. 2002; seeds 001, 003 (no recovery time: the window is an assumption).
    One reorganisation in a calm partnership vs none, paired (16 runs): joint work and trust
    capital dip >= 20% and the median run is back to 90% within 6-48 months; reorganising
    twice as fast as recovery keeps trust capital below 90% of the calm level (8 more
    runs)."""
    run_pattern(11)
