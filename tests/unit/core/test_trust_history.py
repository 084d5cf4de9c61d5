"""Trust at month 0: the spin-up settles it, the area's history sets its level."""

from __future__ import annotations

import numpy as np
import pytest

SPIN = {"start.spin_up_months": 24}


def cross_trust(m) -> np.ndarray:
    return m.ties.trust[m.ties.live(-1)]


@pytest.mark.parametrize("initial", [0.15, 0.6])
def test_month_0_cross_trust_has_the_scenario_s_mean(base, cfg, make, initial):
    sc = cfg(base, {"staff.initial_trust": initial}, {**SPIN, "start.trust_history_share": 1.0})
    trust = cross_trust(make(sc))
    assert trust.size > 0
    assert trust.mean() == pytest.approx(initial, abs=1e-6)


def test_the_spin_up_s_pattern_of_trust_is_kept_and_share_0_keeps_its_level(base, cfg, make):
    levers = {"staff.initial_trust": 0.6}
    settled = cross_trust(make(cfg(base, levers, {**SPIN, "start.trust_history_share": 0.0})))
    full = cross_trust(make(cfg(base, levers, {**SPIN, "start.trust_history_share": 1.0})))
    half = cross_trust(make(cfg(base, levers, {**SPIN, "start.trust_history_share": 0.5})))
    assert settled.mean() < 0.5  # the spin-up had pulled trust down from 0.6
    assert full.mean() == pytest.approx(0.6, abs=1e-6)
    # one factor for every tie, clipped at 1: the spin-up's order of trust is kept
    order = np.argsort(settled, kind="stable")
    assert np.all(np.diff(full[order]) >= -1e-12)
    factor = np.median(full[(settled > 0) & (full < 1)] / settled[(settled > 0) & (full < 1)])
    assert np.allclose(full, np.clip(settled * factor, 0.0, 1.0))
    assert np.allclose(half, settled + 0.5 * (full - settled))


def test_without_a_spin_up_the_built_trust_is_left_alone(base, cfg, make):
    levers = {"staff.initial_trust": 0.6}
    on = make(cfg(base, levers, {"start.trust_history_share": 1.0}))
    off = make(cfg(base, levers, {"start.trust_history_share": 0.0}))
    assert np.array_equal(on.ties.trust, off.ties.trust)
