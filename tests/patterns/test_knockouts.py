"""Knock-outs: a validation pattern must fail once the mechanism it is about is removed.

``sim/patterns/knockouts.py`` names, for every validation pattern, the mechanism it is
evidence for and the settings that knock it out; each test below runs the pattern's quick
design (the same design as ``tests/patterns/test_patterns.py``) on the base scenario with
those settings and asserts the verdict is "fail". A pattern that passes with its
mechanism knocked out is not evidence for it and belongs with the mechanism checks.

A knock-out of a pattern that fails by default (``expected_failure`` in the catalog) says
nothing, so its test is a strict expected failure that states why: it stops at the
pattern's own default verdict and runs nothing. The day the pattern is made to pass, its
``expected_failure`` goes (``test_patterns.py`` turns the strict expected failure there
into an error until it does), the mark here goes with it, and the knock-out runs: an
error if the pattern still passes without its mechanism.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from sim.core.run import simulate
from sim.experiment.batch import default_workers
from sim.patterns.base import BASELINE, Pattern, PatternResult, Settings
from sim.patterns.catalog import PATTERNS
from sim.patterns.knockouts import (
    KNOCKOUTS,
    MECHANISM_CHECKS,
    TRUST_FROZEN,
    TRUST_FROZEN_PASSES,
    TRUST_LOOP,
    role,
)
from sim.scenario.loader import load_scenario

QUICK = Settings(quick=True, workers=min(2, default_workers()), progress=False)

if importlib.util.find_spec("sim.patterns.heldout") is not None:  # the held-out patterns
    from sim.patterns.heldout import HELD_OUT
else:
    HELD_OUT = []

ALL: dict[str, Pattern] = {p.label: p for p in [*PATTERNS, *HELD_OUT]}

Overrides = tuple[tuple[str, Any], ...]


@pytest.fixture(scope="module")
def run_with() -> Callable[[str, Overrides], PatternResult]:
    """Run a pattern's quick design with overrides, once per (pattern, overrides)."""
    cache: dict[tuple[str, Overrides], PatternResult] = {}

    def run(label: str, overrides: Overrides) -> PatternResult:
        key = (label, overrides)
        if key not in cache:
            cache[key] = ALL[label].run(replace(QUICK, overrides=overrides))
        return cache[key]

    return run


def observations(result: PatternResult) -> str:
    """Every check's statistic, expectation and observation, one a line."""
    return "\n".join(
        f"{'pass' if c.passed else 'fail'}: {c.statistic}: observed {c.observed}, "
        f"expected {c.expected}"
        for c in result.checks
    )


def case(label: str) -> Any:
    """A test case for ``label``: a strict expected failure if the pattern fails by default."""
    reason = ALL[label].expected_failure
    if not reason:
        return label
    mark = pytest.mark.xfail(
        strict=True,
        raises=AssertionError,
        reason=f"pattern {label} fails by default, so its knock-out says nothing: {reason}",
    )
    return pytest.param(label, marks=mark)


def assert_fails_without(
    label: str, overrides: Overrides, run: Callable[[str, Overrides], PatternResult]
) -> None:
    """Assert pattern ``label`` passes by default (as its catalog entry states) and fails
    with ``overrides``."""
    assert not ALL[label].expected_failure, f"pattern {label} fails by default"
    result = run(label, overrides)
    sets = " ".join(f"--set {k}={v}" for k, v in overrides)
    assert result.verdict == "fail", (
        f"pattern {label} still passes with {sets}: it is a mechanism check, not "
        f"evidence for the mechanism\n{observations(result)}"
    )


VALIDATION = [label for label in KNOCKOUTS if label in ALL]
TRUST_TESTED = [
    label
    for label in TRUST_LOOP
    if label in ALL and label in KNOCKOUTS and label not in TRUST_FROZEN_PASSES
]


@pytest.mark.parametrize("label", [case(label) for label in VALIDATION])
def test_knockout_makes_pattern_fail(
    label: str, run_with: Callable[[str, Overrides], PatternResult]
) -> None:
    """The pattern's quick design with its mechanism knocked out fails."""
    assert_fails_without(label, KNOCKOUTS[label].settings, run_with)


@pytest.mark.parametrize("label", [case(label) for label in TRUST_TESTED])
def test_trust_frozen_makes_trust_loop_pattern_fail(
    label: str, run_with: Callable[[str, Overrides], PatternResult]
) -> None:
    """A validation pattern about the trust loop fails with trust frozen (gain, loss and
    fade 0); shares its runs with the knock-out test where that is trust frozen too."""
    assert_fails_without(label, TRUST_FROZEN, run_with)


def test_every_pattern_is_validation_or_mechanism_check() -> None:
    """Each pattern has a knock-out or a reason to be a mechanism check, not both."""
    both = set(KNOCKOUTS) & set(MECHANISM_CHECKS)
    assert not both, f"both a knock-out and a mechanism check: {sorted(both)}"
    missing = set(ALL) - set(KNOCKOUTS) - set(MECHANISM_CHECKS)
    assert not missing, f"neither a knock-out nor a mechanism check: {sorted(missing)}"
    assert set(TRUST_FROZEN_PASSES) <= set(TRUST_LOOP)
    unknown = (set(KNOCKOUTS) | set(MECHANISM_CHECKS) | set(TRUST_LOOP)) - set(ALL)
    assert not unknown - {f"H{k}" for k in range(1, 8)}, f"no such pattern: {unknown}"


@pytest.mark.parametrize("label", sorted(KNOCKOUTS))
def test_knockout_settings_are_scenario_keys(label: str) -> None:
    """Every knock-out loads as a scenario: its keys exist and its values are allowed."""
    scenario = load_scenario(BASELINE, dict(KNOCKOUTS[label].settings))
    for key, value in KNOCKOUTS[label].settings:
        node: Any = scenario
        for part in key.split("."):
            node = getattr(node, part)
        assert node == value, f"{key} is {node!r}, not {value!r}"


def test_roles() -> None:
    """Mechanism checks are reported apart; the rest are calibration or held-out."""
    assert role("3") == "mechanism check"
    assert role("2") == "calibration"
    assert role("H6") == ("mechanism check" if "H6" in MECHANISM_CHECKS else "held-out")


@pytest.mark.parametrize("pull", [0.0, 1.0])
def test_voice_pull_switches_community_voice(pull: float) -> None:
    """H2's knock-out switch: with ``voice_pull`` 0 community voice changes nothing; with
    1 (the default) it moves the match of focus to need."""
    runs = [
        simulate(
            load_scenario(
                BASELINE,
                {"partnership.community_voice": voice, "dynamics.outcomes.voice_pull": pull},
            ),
            0,
            months=24,
        ).series["need_target_alignment"]
        for voice in (0.0, 1.0)
    ]
    assert np.array_equal(runs[0], runs[1]) == (pull == 0.0)
