"""Mechanism 2, target pressure: felt pressure and its pull of joint work to the silo."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.core import lifecycle, targets

DYN = {
    "targets.max_pull": 0.8,
    "targets.gap_weight": 2.0,
    "targets.ambition_per_year": 0.0,
    "targets.adjust_months": 3.0,
    "targets.initiative_pressure": 0.1,
    "targets.initiative_months": 6.0,
    "targets.on_track_pressure": 0.5,
}


def pulled(base, cfg, make, begin, shared: float, pressure: np.ndarray, partnership=True):
    sc = cfg(base, {"partnership.shared_targets": shared}, DYN)
    m = make(sc, partnership=partnership)
    m.agencies.pressure[:] = pressure
    begin(m)
    targets.step(m)
    return m


def test_shared_targets_lower_the_pull_of_own_target_pressure(base, cfg, make, begin):
    pressure = np.linspace(0.2, 0.9, 6)
    own = pulled(base, cfg, make, begin, 0.0, pressure)
    shared = pulled(base, cfg, make, begin, 0.8, pressure)
    assert np.array_equal(own.agencies.pressure, shared.agencies.pressure)
    assert np.all(shared.agencies.pull < own.agencies.pull)
    assert np.allclose(shared.agencies.pull, 0.2 * own.agencies.pull)
    assert np.allclose(own.agencies.pull, 0.8 * own.agencies.pressure)
    assert shared.recorded("target_pull") < own.recorded("target_pull")


def test_pull_falls_with_every_step_of_sharing(base, cfg, make, begin):
    pressure = np.full(6, 0.6)
    pulls = [
        pulled(base, cfg, make, begin, s, pressure).recorded("target_pull")
        for s in (0.0, 0.25, 0.5, 0.75, 1.0)
    ]
    assert all(a > b for a, b in itertools.pairwise(pulls))
    assert pulls[-1] == 0.0


@pytest.mark.parametrize("where", ["twin", "dissolved"])
def test_shared_targets_need_a_board(base, cfg, make, begin, where):
    pressure = np.full(6, 0.6)
    sc = cfg(base, {"partnership.shared_targets": 0.8}, DYN)
    m = make(sc, partnership=where != "twin")
    if where == "dissolved":
        lifecycle.dissolve(m)
    m.agencies.pressure[:] = pressure
    begin(m)
    targets.step(m)
    assert np.allclose(m.agencies.pull, 0.8 * m.agencies.pressure)


def test_felt_pressure_adjusts_toward_central_intensity(base, cfg, make, begin):
    sc = cfg(base, {"environment.target_pressure": 0.6}, DYN)
    m = make(sc)
    m.agencies.pressure[:] = 0.0
    begin(m)
    targets.step(m)
    # no gap to the target path and no initiatives: wanted is half the central intensity
    assert np.allclose(m.agencies.pressure, 0.3 / 3.0)
    for _ in range(60):
        targets.step(m)
    assert np.allclose(m.agencies.pressure, 0.3, atol=1e-6)
    assert m.recorded("target_pressure") == pytest.approx(0.3, abs=1e-6)


def test_an_agency_on_track_feels_its_share_of_central_intensity(base, cfg, make, begin):
    sc = cfg(base, {"environment.target_pressure": 0.6}, {**DYN, "targets.on_track_pressure": 0.8})
    m = make(sc)
    m.agencies.pressure[:] = 0.0
    begin(m)
    targets.step(m)
    assert np.allclose(m.agencies.pressure, 0.6 * 0.8 / 3.0)


def test_missing_own_targets_raises_pressure(base, cfg, make, begin):
    sc = cfg(base, {"environment.target_pressure": 0.2}, {**DYN, "targets.gap_weight": 1.0})
    on, off = make(sc), make(sc)
    off.population.need = off.population.need0 * 2.0  # every issue twice its target path
    for m in (on, off):
        m.agencies.pressure[:] = 0.0
        begin(m)
    assert np.allclose(targets.own_target_gap(off), 1.0)
    assert np.allclose(targets.own_target_gap(on), 0.0)
    for m in (on, off):
        targets.step(m)
    assert np.allclose(on.agencies.pressure, 0.2 * 0.5 / 3.0)
    assert np.allclose(off.agencies.pressure, 0.2 * 1.5 / 3.0)


def test_the_target_path_tightens_with_ambition(base, cfg, make):
    sc = cfg(base, dynamics={**DYN, "targets.ambition_per_year": 0.12})
    m = make(sc)
    m.month = 12
    assert np.allclose(targets.own_target_gap(m), np.exp(0.12) - 1.0)


def test_initiatives_add_passing_pressure(base, cfg, make, begin):
    sc = cfg(base, {"environment.initiatives_per_year": 24.0}, DYN)
    m = make(sc)
    held = 0.0
    begin(m)
    for _ in range(24):
        before = m.board.initiative_pressure
        targets.step(m)
        new = m.recorded("initiatives")
        assert m.board.initiative_pressure == pytest.approx(before * np.exp(-1.0 / 6.0) + 0.1 * new)
        held = max(held, m.board.initiative_pressure)
    assert held > 0.0
    m.levers = cfg(m.levers, {"environment.initiatives_per_year": 0.0})
    for _ in range(60):
        targets.step(m)
    assert m.board.initiative_pressure < 0.01 * held


def test_target_chasing_adds_pressure_only_with_a_board(base, cfg, make, begin):
    sc = cfg(base, {"environment.target_pressure": 0.2}, DYN)
    m, twin = make(sc), make(sc, partnership=False)
    for x in (m, twin):
        x.board.chase = 0.3
        x.agencies.pressure[:] = 0.0
        begin(x)
        targets.step(x)
    assert np.allclose(m.agencies.pressure, (0.1 + 0.3) / 3.0)
    assert np.allclose(twin.agencies.pressure, 0.1 / 3.0)


def test_pressure_stays_within_bounds(base, cfg, make, begin):
    sc = cfg(base, {"environment.target_pressure": 1.0}, DYN)
    m = make(sc)
    m.population.need = m.population.need0 * 10.0
    m.board.chase = 1.0
    m.board.initiative_pressure = 5.0
    begin(m)
    for _ in range(50):
        targets.step(m)
        assert np.all((m.agencies.pressure >= 0.0) & (m.agencies.pressure <= 1.0))
        assert np.all((m.agencies.pull >= 0.0) & (m.agencies.pull <= 1.0))
