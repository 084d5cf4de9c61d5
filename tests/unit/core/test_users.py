"""Mechanism 9, service users: seamless or re-assessed, and the assessment load."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from sim.core import lifecycle, users

DYN = {
    "outcomes.assessment_fte": 0.002,
    "outcomes.informal_sharing": 0.3,
    "outcomes.engaged_share": 0.02,
}


def served(base, cfg, make, begin, info: float, engaged: bool = True, partnership=True, trust=0.2):
    sc = cfg(base, {"partnership.information_sharing": info}, DYN)
    m = make(sc, partnership=partnership)
    s = m.staff
    s.joint_share[:] = np.where(s.frontline, 0.3 if engaged else 0.0, 0.0)
    begin(m)
    m.record("trust_across_frontline", trust)
    users.step(m)
    return m


def plain_reassessments(m) -> float:
    arrivals = m.population.users
    return float((arrivals * (m.agencies_per_user - 1.0)).sum() / arrivals.sum())


def test_information_sharing_lowers_reassessments_per_user(base, cfg, make, begin):
    runs = [served(base, cfg, make, begin, info) for info in (0.0, 0.3, 0.6, 1.0)]
    arrivals = runs[0].population.users
    for m in runs[1:]:
        assert np.array_equal(m.population.users, arrivals)  # the same users arrive
    per_user = [m.recorded("reassessments_per_user") for m in runs]
    assert all(a > b for a, b in itertools.pairwise(per_user))
    assert per_user[-1] == 0.0
    for m, info in zip(runs, (0.0, 0.3, 0.6, 1.0), strict=True):
        seamless = min(1.0, info + 0.3 * 0.2)
        assert m.recorded("seamless_share") == pytest.approx(seamless)
        assert m.recorded("reassessments_per_user") == pytest.approx(
            plain_reassessments(m) * (1 - seamless)
        )


def test_without_engaged_practitioners_every_agency_assesses(base, cfg, make, begin):
    m = served(base, cfg, make, begin, 1.0, engaged=False)
    assert m.recorded("seamless_share") == 0.0
    assert m.recorded("reassessments_per_user") == pytest.approx(plain_reassessments(m))


def test_seamless_share_follows_the_engaged_share_of_practitioners(base, cfg, make, begin):
    sc = cfg(base, {"partnership.information_sharing": 1.0}, DYN)
    m = make(sc)
    s = m.staff
    front = np.flatnonzero(s.frontline)
    s.joint_share[:] = 0.0
    s.joint_share[front[: front.size // 4]] = 0.3
    begin(m)
    m.record("trust_across_frontline", 0.0)
    users.step(m)
    engaged = (front.size // 4) / front.size
    assert m.recorded("seamless_share") == pytest.approx(engaged)


def test_a_practitioner_is_engaged_from_the_engaged_share_up(base, cfg, make, begin):
    for threshold, seamless in ((0.3, 1.0), (0.31, 0.0)):
        sc = cfg(
            base,
            {"partnership.information_sharing": 1.0},
            {**DYN, "outcomes.engaged_share": threshold},
        )
        m = make(sc)
        m.staff.joint_share[:] = 0.3
        begin(m)
        m.record("trust_across_frontline", 0.0)
        users.step(m)
        assert m.recorded("seamless_share") == seamless


def test_informal_sharing_along_trusted_ties_counts_without_a_protocol(base, cfg, make, begin):
    low = served(base, cfg, make, begin, 0.0, trust=0.1)
    high = served(base, cfg, make, begin, 0.0, trust=0.9)
    assert high.recorded("seamless_share") == pytest.approx(0.3 * 0.9)
    assert high.recorded("reassessments_per_user") < low.recorded("reassessments_per_user")


def test_assessments_load_frontline_staff_only(base, cfg, make, begin):
    m = served(base, cfg, make, begin, 0.3)
    s, pop = m.staff, m.population
    extra = (m.agencies_per_user - 1.0) * (1.0 - pop.seamless)
    load = float((pop.users * (1.0 + extra)).sum()) * 0.002
    assert m.recorded("assessment_load") == pytest.approx(load)
    assert m.assessment_load.sum() == pytest.approx(load)
    assert np.all(m.assessment_load[~s.frontline] == 0.0)
    assert np.allclose(m.assessment_load[s.frontline], load / s.frontline.sum())
    assert m.recorded("users") == pop.users.sum()


@pytest.mark.parametrize("where", ["twin", "dissolved"])
def test_the_protocol_needs_a_partnership(base, cfg, make, begin, where):
    sc = cfg(base, {"partnership.information_sharing": 1.0}, DYN)
    m = make(sc, partnership=where != "twin")
    if where == "dissolved":
        lifecycle.dissolve(m)
    m.staff.joint_share[m.staff.frontline] = 0.3
    begin(m)
    m.record("trust_across_frontline", 0.0)
    users.step(m)
    assert m.recorded("seamless_share") == 0.0
    assert m.recorded("reassessments_per_user") == pytest.approx(plain_reassessments(m))


def test_arrivals_follow_the_issues_rates(base, cfg, make, begin):
    m = make(cfg(base, dynamics=DYN))
    total = np.zeros(m.n_issues)
    months = 300
    for _ in range(months):
        users.step(m)
        total += m.population.users
    rate = m.users_per_month
    assert np.all(np.abs(total / months - rate) <= 5.0 * np.sqrt(rate / months))
