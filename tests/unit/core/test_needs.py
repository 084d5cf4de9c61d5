"""Mechanism 8, needs vs targets: strategic focus, and where silo and joint effort go."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import lifecycle, needs


def prepared(base, cfg, make, begin, voice=0.2, partnership=True):
    m = make(cfg(base, {"partnership.community_voice": voice}), partnership=partnership)
    s = m.staff
    rng = np.random.default_rng(7)
    s.overhead[:] = np.where(s.frontline, 0.05, 0.2)
    s.joint_done[:] = np.where(s.frontline, rng.uniform(0, 0.3, s.n), 0.0)
    s.joint_output[:] = 0.6 * s.joint_done
    m.assessment_load = np.where(s.frontline, 0.01, 0.0)
    m.population.need = m.population.need0 * np.linspace(0.8, 1.4, m.n_issues)
    m.board.learning = 0.0
    begin(m)
    return m


def test_silo_effort_is_what_is_left_of_capacity(base, cfg, make, begin):
    m = prepared(base, cfg, make, begin)
    s = m.staff
    needs.step(m)
    silo = s.capacity - s.overhead - s.joint_done - m.assessment_load
    assert np.all(silo >= 0)
    assert m.silo_effort.sum() == pytest.approx(silo.sum())
    assert m.recorded("silo_effort") == pytest.approx(silo.sum())
    by_agency = np.bincount(s.agency, silo, m.n_agencies)
    assert np.allclose(m.silo_effort, by_agency @ m.agencies.focus)


def test_silo_effort_is_never_negative(base, make, begin):
    m = make(base)
    s = m.staff
    s.overhead[:] = 0.7
    s.joint_done[:] = 0.7
    begin(m)
    needs.step(m)
    assert np.all(m.silo_effort == 0.0)


def test_need_share_is_relative_need_times_caseload(base, make):
    m = make(base)
    m.population.need = m.population.need0 * np.linspace(0.5, 2.0, m.n_issues)
    load = np.linspace(0.5, 2.0, m.n_issues) * m.users_per_month
    assert np.allclose(needs.need_share(m), load / load.sum())
    assert needs.need_share(m).sum() == pytest.approx(1.0)


def test_community_voice_moves_focus_to_real_need(base, cfg, make, begin):
    targets_only = prepared(base, cfg, make, begin, voice=0.0)
    needs.step(targets_only)
    assert np.allclose(targets_only.agencies.focus, targets_only.agencies.priorities)
    heard = prepared(base, cfg, make, begin, voice=1.0)
    needs.step(heard)
    share = needs.need_share(heard)
    assert np.allclose(heard.agencies.focus, np.tile(share, (heard.n_agencies, 1)))
    assert heard.recorded("need_target_alignment") == pytest.approx(1.0)
    assert targets_only.recorded("need_target_alignment") < 1.0
    half = prepared(base, cfg, make, begin, voice=0.5)
    needs.step(half)
    ag = half.agencies
    assert np.allclose(ag.focus, 0.5 * ag.priorities + 0.5 * share)
    alignments = [m.recorded("need_target_alignment") for m in (targets_only, half, heard)]
    assert alignments[0] < alignments[1] < alignments[2]
    assert all(0.0 <= a <= 1.0 for a in alignments)


def test_learning_moves_focus_as_voice_does(base, cfg, make, begin):
    m = prepared(base, cfg, make, begin, voice=0.0)
    m.board.learning = 1.0
    needs.step(m)
    assert np.allclose(m.agencies.focus, np.tile(needs.need_share(m), (m.n_agencies, 1)))


@pytest.mark.parametrize("where", ["twin", "dissolved"])
def test_without_a_board_focus_is_own_targets(base, cfg, make, begin, where):
    m = prepared(base, cfg, make, begin, voice=1.0, partnership=where != "twin")
    if where == "dissolved":
        lifecycle.dissolve(m)
    needs.step(m)
    assert np.allclose(m.agencies.focus, m.agencies.priorities)


def test_unaligned_joint_work_follows_need_aligned_follows_strategy(base, cfg, make, begin):
    m = prepared(base, cfg, make, begin, voice=0.0)
    s = m.staff
    s.alignment[:] = 0.0
    needs.step(m)
    total = s.joint_output.sum()
    assert m.joint_effort.sum() == pytest.approx(total)
    assert np.allclose(m.joint_effort, total * needs.need_share(m))
    s.alignment[:] = 1.0
    needs.step(m)
    aligned = np.bincount(s.agency, s.joint_output, m.n_agencies) @ m.agencies.priorities
    assert np.allclose(m.joint_effort, aligned)
    assert m.recorded("joint_effort") == pytest.approx(total)
