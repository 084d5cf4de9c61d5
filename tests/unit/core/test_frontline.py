"""Mechanism 6, frontline joint work: offered, done, scored; champions and goodwill."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import frontline, leadership, lifecycle, trust

DYN = {
    "frontline.max_joint_share": 0.5,
    "frontline.trust_saturation": 1.0,
    "frontline.adapt_months": 2.0,
    "frontline.base_success": 0.45,
    "frontline.trust_success": 0.45,
    "frontline.clarity_success": 0.2,
    "frontline.info_success": 0.15,
    "frontline.pressure_failure": 0.35,
    "frontline.episodes_per_month": 20.0,
    "frontline.goodwill_base": 0.5,
    "frontline.champion_goodwill": 0.4,
    "frontline.champion_own_goodwill": 1.0,
    "frontline.champion_tie_rate": 0.25,
    "frontline.organic_tie_rate": 0.1,
    "frontline.routine_tie_rate": 0.0,
    "frontline.goodwill_months": 6.0,
    "frontline.goodwill_floor": 0.5,
    "frontline.clarity_floor": 0.5,
    "frontline.success_floor": 0.02,
    "frontline.success_ceiling": 0.98,
    "frontline.facilitation_goodwill": 0.1,
    "frontline.stress_goodwill": 0.2,
    "board.reporting_share": 0.25,
    "board.cost_exponent": 1.5,
    "leadership.trust_bonus": 0.15,
    "trust.complacency": False,
}


def model(base, cfg, make, levers=None, dynamics=None, partnership=True):
    return make(cfg(base, levers or {}, {**DYN, **(dynamics or {})}), partnership=partnership)


def front_ties(m) -> np.ndarray:
    t, s = m.ties, m.staff
    return np.flatnonzero(t.alive & t.cross & s.frontline[t.a] & s.frontline[t.b])


def test_success_chance_follows_trust_clarity_sharing_and_pressure(base, cfg, make):
    m = model(base, cfg, make, {"partnership.information_sharing": 0.4})
    s, t = m.staff, m.ties
    i = front_ties(m)[:1]
    a, b = t.a[i[0]], t.b[i[0]]
    s.role_clarity[[a, b]] = 0.5
    m.agencies.pressure[:] = 0.2
    t.trust[i] = 0.3
    expected = 0.45 + 0.45 * 0.3 + 0.2 * 0.5 + 0.15 * 0.4 - 0.35 * 0.2
    assert frontline.success_chance(m, i)[0] == pytest.approx(expected)
    t.trust[i] = 0.8
    assert frontline.success_chance(m, i)[0] > expected
    t.trust[i] = 0.3
    m.agencies.pressure[:] = 0.9
    assert frontline.success_chance(m, i)[0] < expected


def test_success_chance_stays_a_probability(base, cfg, make):
    m = model(base, cfg, make, {"partnership.information_sharing": 1.0})
    i = front_ties(m)
    m.ties.trust[i] = 1.0
    m.staff.role_clarity[:] = 1.0
    m.agencies.pressure[:] = 0.0
    assert np.all(frontline.success_chance(m, i) == m.dyn.frontline.success_ceiling)
    m.ties.trust[i] = 0.0
    m.staff.role_clarity[:] = 0.0
    m.agencies.pressure[:] = 1.0
    lifecycle.dissolve(m)
    low = frontline.success_chance(m, i)
    dyn = m.dyn.frontline
    assert np.all(low >= dyn.success_floor) and np.all(low <= dyn.success_ceiling)


def test_the_sharing_protocol_and_the_facilitator_need_a_board(base, cfg, make, begin):
    levers = {
        "partnership.information_sharing": 1.0,
        "partnership.leadership.style": "facilitative",
        "partnership.leadership.strength": 1.0,
    }
    m = model(base, cfg, make, levers)
    begin(m)
    leadership.step(m)
    i = front_ties(m)
    with_board = frontline.success_chance(m, i)
    lifecycle.dissolve(m)
    leadership.step(m)
    without = frontline.success_chance(m, i)
    assert np.allclose(
        np.minimum(without + 0.15 + 0.15, m.dyn.frontline.success_ceiling), with_board
    )


def test_only_practitioners_with_partners_elsewhere_do_joint_work(base, cfg, make, begin):
    m = model(base, cfg, make)
    s, t = m.staff, m.ties
    s.joint_share[s.frontline] = 0.3
    begin(m)
    frontline.step(m)
    ff = front_ties(m)
    partnered = np.zeros(s.n, bool)
    partnered[t.a[ff]] = True
    partnered[t.b[ff]] = True
    assert np.all(s.joint_done[~s.frontline] == 0.0)
    assert np.all(s.joint_done[~partnered] == 0.0)
    assert s.joint_done[partnered].sum() > 0.0


def test_joint_work_is_done_reported_and_scored(base, cfg, make, begin):
    m = model(base, cfg, make, {"partnership.formality": 0.8})
    s = m.staff
    s.joint_share[s.frontline] = 0.4
    s.overhead[:] = 0.0
    m.assessment_load = np.where(s.frontline, 0.1, 0.0)
    avail = s.capacity - m.assessment_load
    begin(m)
    frontline.step(m)
    reporting = 0.25 * 0.8**1.5
    joint_time = s.overhead + s.joint_done  # reporting is a share of joint-work time
    assert np.allclose(s.overhead, reporting * joint_time)
    assert m.recorded("reporting_overhead") == pytest.approx(s.overhead.sum())
    offer = s.joint_share * avail
    assert np.all(joint_time <= offer + 1e-12)  # nobody does more than they offered
    assert np.all(s.overhead + s.joint_done <= avail + 1e-12)
    k, wins = m.episodes, m.successes
    assert k.sum() > 0
    assert np.all(wins <= k)
    assert m.recorded("joint_success") == pytest.approx(wins.sum() / k.sum())
    fl = s.frontline
    share = m.recorded("joint_work_share")
    assert share == pytest.approx(np.mean(s.joint_done[fl] / avail[fl]))
    assert 0.0 < share < 1.0


def test_joint_work_on_a_tie_needs_both_ends(base, cfg, make, begin):
    m = model(base, cfg, make)
    s, t = m.staff, m.ties
    s.joint_share[s.frontline] = 0.3
    m.agencies.pull[:] = 0.0
    m.agencies.pull[0] = 1.0  # agency 0 pulls all its practitioners back to the silo
    idle = s.agency == 0
    s.joint_share[idle] = 0.0
    begin(m)
    frontline.step(m)
    assert np.all(s.joint_share[idle] == 0.0)
    assert np.all(s.joint_done[idle] == 0.0)
    ff = front_ties(m)
    touching = ff[idle[t.a[ff]] | idle[t.b[ff]]]
    assert touching.size > 0
    assert np.all(m.episodes[touching] == 0)
    assert s.joint_done[~idle].sum() > 0.0  # the others still work with each other


def hub(base, cfg, make, partners: int):
    """One practitioner tied across agencies to ``partners`` practitioners who have no other
    cross-agency tie; everyone offers the most a willing, well-connected practitioner does."""
    sc = cfg(
        base,
        {"environment.target_pressure": 0.0},
        {"frontline.trust_saturation": 0.01, "frontline.adapt_months": 1.0},
    )
    m = make(sc)
    s, t = m.staff, m.ties
    t.alive &= ~t.cross
    centre = int(np.flatnonzero(s.frontline & (s.agency == 0))[0])
    others = np.flatnonzero(s.frontline & (s.agency != 0))[:partners]
    t.add(np.full(others.size, centre), others, 1.0, np.ones(others.size, bool))
    s.goodwill[:] = 1.0
    s.role_clarity[:] = 1.0
    s.overhead[:] = 0.0
    m.agencies.pull[:] = 0.0
    m.assessment_load = np.zeros(s.n)
    return m, centre


def test_a_well_connected_practitioner_works_no_more_than_capacity(base, cfg, make, begin):
    m, centre = hub(base, cfg, make, partners=9)
    begin(m)
    frontline.step(m)
    s = m.staff
    offer = s.joint_share[centre] * s.capacity[centre]
    assert 0.0 < s.joint_done[centre] + s.overhead[centre] <= offer + 1e-12
    assert s.joint_done[centre] + s.overhead[centre] <= s.capacity[centre] + 1e-12
    assert np.all(s.joint_done <= s.joint_share * s.capacity + 1e-12)


def test_a_pair_works_together_as_much_as_the_less_willing_offers(base, cfg, make, begin):
    m, centre = hub(base, cfg, make, partners=1)
    s, t = m.staff, m.ties
    (slot,) = np.flatnonzero(t.alive & t.cross)
    partner = int(t.b[slot] if t.a[slot] == centre else t.a[slot])
    s.goodwill[partner] = 0.0  # offers 3/4 of what the centre offers
    begin(m)
    frontline.step(m)
    pair = [centre, partner]
    offers = s.joint_share[pair] * s.capacity[pair]
    assert offers[1] < offers[0]
    joint_time = s.joint_done[pair] + s.overhead[pair]  # reporting is part of joint time
    assert joint_time == pytest.approx([offers.min(), offers.min()])


def test_the_offer_follows_goodwill_clarity_trust_and_pull(base, cfg, make, begin):
    m = model(base, cfg, make)
    s, t, ag = m.staff, m.ties, m.agencies
    s.goodwill[:] = 0.6
    s.role_clarity[:] = 0.4
    ag.pull[:] = np.linspace(0.0, 0.5, m.n_agencies)
    s.joint_share[:] = 0.1
    s.joint_share[~s.frontline] = 0.0
    ff = front_ties(m)
    sumtrust = np.bincount(t.a[ff], t.trust[ff], s.n) + np.bincount(t.b[ff], t.trust[ff], s.n)
    desire = 0.5 * 0.8 * 0.7 * (1 - np.exp(-sumtrust)) * (1 - ag.pull[s.agency])
    desire[~s.frontline] = 0.0
    m.decision_delay = 0.0
    begin(m)
    frontline.step(m)
    assert np.allclose(s.joint_share, np.where(s.frontline, 0.1 + (desire - 0.1) / 2.0, 0.0))


def test_the_floors_set_what_goodwill_and_clarity_leave_of_the_offer(base, cfg, make, begin):
    floors = {"frontline.goodwill_floor": 0.2, "frontline.clarity_floor": 0.9}
    m = model(base, cfg, make, dynamics=floors)
    s, t, ag = m.staff, m.ties, m.agencies
    s.goodwill[:] = 0.0
    s.role_clarity[:] = 0.0
    ag.pull[:] = 0.0
    s.joint_share[:] = 0.0
    ff = front_ties(m)
    sumtrust = np.bincount(t.a[ff], t.trust[ff], s.n) + np.bincount(t.b[ff], t.trust[ff], s.n)
    desire = np.where(s.frontline, 0.5 * 0.2 * 0.9 * (1 - np.exp(-sumtrust)), 0.0)
    m.decision_delay = 0.0
    begin(m)
    frontline.step(m)
    assert np.allclose(s.joint_share, desire / 2.0)


def test_success_chance_is_clipped_to_its_floor_and_ceiling(base, cfg, make):
    bounds = {"frontline.success_floor": 0.15, "frontline.success_ceiling": 0.7}
    m = model(base, cfg, make, {"partnership.information_sharing": 1.0}, bounds)
    i = front_ties(m)
    m.ties.trust[i] = 1.0
    m.staff.role_clarity[:] = 1.0
    m.agencies.pressure[:] = 0.0
    assert np.all(frontline.success_chance(m, i) == 0.7)
    m.ties.trust[i] = 0.0
    m.staff.role_clarity[:] = 0.0
    m.agencies.pressure[:] = 1.0
    lifecycle.dissolve(m)
    assert np.all(frontline.success_chance(m, i) == 0.15)


def test_full_pull_and_slow_decisions_hold_joint_work_back(base, cfg, make, begin):
    fast, slow = model(base, cfg, make), model(base, cfg, make)
    for m, delay in ((fast, 0.0), (slow, 6.0)):
        m.staff.joint_share[m.staff.frontline] = 0.3
        m.agencies.pull[:] = 1.0
        m.decision_delay = delay
        begin(m)
        frontline.step(m)
    fl = fast.staff.frontline
    assert np.allclose(fast.staff.joint_share[fl], 0.3 * (1 - 1 / 2.0))
    assert np.allclose(slow.staff.joint_share[fl], 0.3 * (1 - 1 / 8.0))


def test_the_twin_does_no_joint_work(base, cfg, make, begin):
    twin = model(base, cfg, make, partnership=False)
    twin.staff.joint_share[twin.staff.frontline] = 0.3
    begin(twin)
    frontline.step(twin)
    assert np.all(twin.staff.joint_done == 0.0)
    assert np.all(twin.staff.joint_output == 0.0)
    assert twin.recorded("joint_work_share") == 0.0


def test_champions_are_keen_and_warm_their_neighbours(base, cfg, make):
    m = model(base, cfg, make)
    s, t = m.staff, m.ties
    s.champion[:] = False
    live = np.flatnonzero(t.alive & s.frontline[t.a] & s.frontline[t.b])
    champ, friend = int(t.a[live[0]]), int(t.b[live[0]])
    s.champion[champ] = True
    near = np.sum(
        t.alive & (((t.a == champ) & (t.b == friend)) | ((t.b == champ) & (t.a == friend)))
    )
    pressure = m.agencies.pressure[s.agency]
    s.goodwill[:] = 0.5
    frontline._update_goodwill(m)
    assert s.goodwill[champ] == pytest.approx(0.5 + (1.0 - 0.5) / 6.0)
    wanted = 0.5 + 0.4 * (1 - np.exp(-near)) - m.dyn.frontline.stress_goodwill * pressure[friend]
    assert s.goodwill[friend] == pytest.approx(0.5 + (wanted - 0.5) / 6.0)
    lonely = ~s.champion & (np.arange(s.n) != friend)
    neighbours = np.zeros(s.n, bool)
    neighbours[t.a[t.alive & (t.b == champ)]] = True
    neighbours[t.b[t.alive & (t.a == champ)]] = True
    lonely &= ~neighbours
    wanted_lonely = np.clip(0.5 - m.dyn.frontline.stress_goodwill * pressure, 0, 1)
    assert np.allclose(s.goodwill[lonely], (0.5 + (wanted_lonely - 0.5) / 6.0)[lonely])


def test_a_champion_moves_toward_their_own_goodwill(base, cfg, make):
    m = model(base, cfg, make, dynamics={"frontline.champion_own_goodwill": 0.9})
    s = m.staff
    s.champion[:] = False
    s.champion[np.flatnonzero(s.frontline)[0]] = True
    s.goodwill[:] = 0.3
    m.agencies.pressure[:] = 1.0
    frontline._update_goodwill(m)
    assert s.goodwill[s.champion] == pytest.approx(0.3 + (0.9 - 0.3) / 6.0)


def test_a_facilitative_chair_warms_and_target_stress_chills_goodwill(base, cfg, make, begin):
    levers = {
        "partnership.leadership.style": "facilitative",
        "partnership.leadership.strength": 1.0,
    }
    gains = {"frontline.facilitation_goodwill": 0.3, "frontline.stress_goodwill": 0.6}
    m = model(base, cfg, make, levers, gains)
    s = m.staff
    s.champion[:] = False
    s.goodwill[:] = 0.5
    m.agencies.pressure[:] = np.linspace(0.0, 0.5, m.n_agencies)
    begin(m)
    leadership.step(m)
    f = leadership.facilitation(m)
    assert f > 0.0
    frontline._update_goodwill(m)
    wanted = np.clip(0.5 + 0.3 * f - 0.6 * m.agencies.pressure[s.agency], 0.0, 1.0)
    assert np.allclose(s.goodwill, 0.5 + (wanted - 0.5) / 6.0)


def test_champions_make_cross_agency_ties(base, cfg, make, begin):
    m = model(
        base,
        cfg,
        make,
        dynamics={"frontline.champion_tie_rate": 2.0, "frontline.organic_tie_rate": 0.0},
    )
    s = m.staff
    s.champion[:] = False
    champs = np.flatnonzero(s.frontline)[:10]
    s.champion[champs] = True
    s.joint_share[:] = 0.0  # no ordinary joint work, so no organic ties
    free = ~m.ties.alive.copy()
    begin(m)
    frontline.step(m)
    t = m.ties
    fresh = t.alive & np.r_[free, np.ones(t.a.size - free.size, bool)]
    assert m.recorded("ties_made") == fresh.sum() > 0
    assert np.all(np.isin(t.a[fresh], champs) | np.isin(t.b[fresh], champs))
    assert np.all(t.cross[fresh])
    no_champions = model(base, cfg, make, dynamics={"frontline.organic_tie_rate": 0.0})
    no_champions.staff.champion[:] = False
    begin(no_champions)
    frontline.step(no_champions)
    assert no_champions.recorded("ties_made") == 0.0


def test_every_practitioner_makes_routine_ties_even_without_joint_work(base, cfg, make, begin):
    rate = 0.5
    m = model(
        base,
        cfg,
        make,
        dynamics={
            "frontline.routine_tie_rate": rate,
            "frontline.champion_tie_rate": 0.0,
            "frontline.organic_tie_rate": 0.0,
        },
    )
    s = m.staff
    s.joint_share[:] = 0.0
    t = m.ties
    t.alive &= ~t.cross  # a newcomer-like network: nobody has a partner in another agency
    free = ~t.alive.copy()
    begin(m)
    frontline.step(m)
    fresh = t.alive & np.r_[free, np.ones(t.a.size - free.size, bool)]
    made = int(fresh.sum())
    assert m.recorded("ties_made") == made
    assert np.all(t.cross[fresh] & s.frontline[t.a[fresh]] & s.frontline[t.b[fresh]])
    expected = rate * s.frontline.sum() * (1 - 1 / m.n_agencies)  # same-agency draws dropped
    assert abs(made - expected) <= 5 * np.sqrt(expected)
    assert np.allclose(t.trust[fresh], m.dyn.trust.new_tie_trust)


def fill_tie_pool(m) -> None:
    """Occupy every free slot of the tie pool with colleague ties (the next tie must grow it)."""
    t, s = m.ties, m.staff
    free = int((~t.alive).sum())
    a = np.repeat(np.flatnonzero(s.frontline)[:1], free)
    b = a + 1
    t.add(a, b, 0.6, np.zeros(free, bool))
    assert t.alive.all()


def test_ties_made_by_joint_work_do_not_break_the_trust_update(base, cfg, make, begin):
    m = model(
        base,
        cfg,
        make,
        {"staff.champions": 1.0},
        {"frontline.champion_tie_rate": 2.0, "trust.fade": 0.1, "trust.new_tie_trust": 0.25},
    )
    m.staff.champion[:] = m.staff.frontline
    fill_tie_pool(m)
    size = m.ties.a.size
    begin(m)
    frontline.step(m)
    assert m.ties.a.size > size  # the pool grew inside the frontline step
    m.meeting_intensity = 0.0
    trust.step(m)
    new = size + np.flatnonzero(m.ties.alive[size:])
    assert new.size > 0
    assert np.allclose(m.ties.trust[new], 0.25 * (1 - 0.1))


def test_reporting_on_joint_work_fits_in_capacity(base, cfg, make, begin):
    sc = cfg(
        base,
        {"partnership.formality": 1.0, "environment.target_pressure": 0.0},
        {
            "frontline.max_joint_share": 1.0,
            "frontline.trust_saturation": 0.01,
            "frontline.adapt_months": 1.0,
            "board.reporting_share": 0.5,
            "board.cost_exponent": 1.5,
        },
    )
    m = make(sc)
    s, t = m.staff, m.ties
    t.alive &= ~t.cross
    centre = int(np.flatnonzero(s.frontline & (s.agency == 0))[0])
    partner = int(np.flatnonzero(s.frontline & (s.agency == 1))[0])
    t.add(np.array([centre]), np.array([partner]), 1.0, np.ones(1, bool))
    s.goodwill[:] = 1.0
    s.role_clarity[:] = 1.0
    s.overhead[:] = 0.0
    m.agencies.pull[:] = 0.0
    m.assessment_load = np.zeros(s.n)
    begin(m)
    frontline.step(m)
    pair = [centre, partner]
    # reporting is half of the joint-work time at full formality: it is carved out of the
    # time offered, never added on top of it
    reporting = s.overhead[pair]
    assert np.all(s.joint_done[pair] > 0.25)
    assert np.allclose(reporting, s.joint_done[pair])
    assert np.all(reporting + s.joint_done[pair] <= s.capacity[pair] + 1e-9)
