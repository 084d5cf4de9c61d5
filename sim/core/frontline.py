"""Mechanism 6, frontline joint work and champions.

Reads: ``partnership.information_sharing``, ``dynamics.frontline.*``,
``dynamics.trust.new_tie_trust``,
``dynamics.board.reporting_share``, ``dynamics.leadership.trust_bonus``,
``dynamics.trust.complacency*``. Owns: each practitioner's joint-work share, the joint
work done and its success on each cross-agency tie, goodwill, the ties that champions,
ordinary joint work and routine casework make. Records: ``joint_work_share``, ``joint_success``,
``goodwill``, ``champions``, ``ties_made``, ``reporting_overhead``.

Practitioners offer a share of their capacity to joint work with trusted colleagues in
other agencies; the offer grows with goodwill, role clarity and summed cross-agency trust
and shrinks with their agency's target pull. Joint work on a tie needs both ends: it is
the geometric mean of the two offers, scaled so nobody exceeds their own offer. It
succeeds more with trust, clarity and information sharing, and less when the partners'
agencies are under pressure. Evidence: seed 003 (second lesson; "local champions"; "the glue").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core.leadership import facilitation
from sim.core.network import add_cross_ties
from sim.core.state import PRACTITIONERS

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def success_chance(m: PartnershipModel, idx: np.ndarray) -> np.ndarray:
    """Chance that one episode of joint work on the ties ``idx`` succeeds."""
    s, t, dyn = m.staff, m.ties, m.dyn.frontline
    a, b = t.a[idx], t.b[idx]
    info = m.levers.partnership.information_sharing if m.board_active else 0.0
    press = 0.5 * (m.agencies.pressure[s.agency[a]] + m.agencies.pressure[s.agency[b]])
    p = (
        dyn.base_success
        + dyn.trust_success * t.trust[idx]
        + dyn.clarity_success * 0.5 * (s.role_clarity[a] + s.role_clarity[b])
        + dyn.info_success * info
        + m.dyn.leadership.trust_bonus * facilitation(m)
        - dyn.pressure_failure * press
    )
    return np.clip(p, dyn.success_floor, dyn.success_ceiling)


def cosy(m: PartnershipModel, idx: np.ndarray) -> np.ndarray:
    """Boolean mask of ties in ``idx`` that have become complacent (switchable)."""
    dyn = m.dyn.trust
    if not dyn.complacency:
        return np.zeros(idx.size, bool)
    t = m.ties
    return (t.trust[idx] > dyn.complacency_trust) & (t.age[idx] > dyn.complacency_months)


def step(m: PartnershipModel) -> None:
    """Allocate, do and score this month's joint work; champions and joint work make ties."""
    s, t, ag, dyn = m.staff, m.ties, m.agencies, m.dyn.frontline
    n = s.n
    t.episodes[:] = 0
    t.successes[:] = 0
    if not m.partnership:
        s.joint_done[:] = 0.0
        s.joint_output[:] = 0.0
        _record(m, 0.0, 0.0, 0.0, 0)
        return
    ff = t.live(PRACTITIONERS)
    a, b, w = t.a[ff], t.b[ff], t.trust[ff]
    sumtrust = np.bincount(a, w, n) + np.bincount(b, w, n)
    connect = 1.0 - np.exp(-sumtrust / dyn.trust_saturation)
    desire = (
        dyn.max_joint_share
        * (dyn.goodwill_floor + (1.0 - dyn.goodwill_floor) * s.goodwill)
        * (dyn.clarity_floor + (1.0 - dyn.clarity_floor) * s.role_clarity)
        * connect
        * (1.0 - ag.pull[s.agency])
    )
    desire[~s.frontline] = 0.0
    s.joint_share += (desire - s.joint_share) / (dyn.adapt_months + m.decision_delay)

    avail = np.maximum(s.capacity - s.overhead - m.assessment_load, 0.0)
    offer = s.joint_share * avail
    safe = np.where(sumtrust > 0, sumtrust, 1.0)
    # joint work needs both ends: the geometric mean of the two offers on the tie, scaled
    # down so that nobody does more joint work than they offered
    effort = 2.0 * np.sqrt(offer[a] * w / safe[a] * (offer[b] * w / safe[b]))
    asked = np.bincount(a, effort, n) / 2 + np.bincount(b, effort, n) / 2
    room = np.minimum(1.0, offer / np.where(asked > 0, asked, 1.0))
    effort *= np.minimum(room[a], room[b])
    # reporting is a share of the joint-work time, not extra time on top of it
    joint_time = np.bincount(a, effort, n) / 2 + np.bincount(b, effort, n) / 2
    reporting = min(m.dyn.board.reporting_share * m.board_cost, 1.0)
    s.joint_done = (1.0 - reporting) * joint_time
    s.overhead += reporting * joint_time

    rng = m.streams["frontline"]
    k = rng.poisson(effort * (1.0 - reporting) * dyn.episodes_per_month)
    p = success_chance(m, ff)
    wins = rng.binomial(k, p)
    m.episodes[ff] = k
    m.successes[ff] = wins
    value = (
        wins
        / dyn.episodes_per_month
        * np.where(cosy(m, ff), 1 - m.dyn.trust.complacency_penalty, 1.0)
    )
    s.joint_output = np.bincount(a, value, n) / 2 + np.bincount(b, value, n) / 2

    made = _make_ties(m)
    _update_goodwill(m)
    fl = s.frontline
    share = float((s.joint_done[fl] / np.maximum(avail[fl], 1e-12)).mean()) if fl.any() else 0.0
    succ = float(wins.sum() / k.sum()) if k.sum() else 0.0
    _record(m, share, succ, float((reporting * joint_time).sum()), made)


def _make_ties(m: PartnershipModel) -> int:
    s, dyn = m.staff, m.dyn.frontline
    rng = m.streams["ties"]
    champs = np.flatnonzero(s.champion)
    n_champ = rng.poisson(dyn.champion_tie_rate, champs.size)
    active = np.flatnonzero(s.frontline & (s.joint_done > 0))
    rate = dyn.organic_tie_rate * s.joint_share[active] / max(dyn.max_joint_share, 1e-9)
    n_org = rng.poisson(rate)
    practitioners = np.flatnonzero(s.frontline)
    n_routine = rng.poisson(dyn.routine_tie_rate, practitioners.size)
    sources = np.concatenate(
        [
            np.repeat(champs, n_champ),
            np.repeat(active, n_org),
            np.repeat(practitioners, n_routine),
        ]
    )
    return add_cross_ties(m.ties, s, sources, m.dyn.trust.new_tie_trust, rng)


def _update_goodwill(m: PartnershipModel) -> None:
    s, t, dyn = m.staff, m.ties, m.dyn.frontline
    near = np.zeros(s.n)
    if s.champion.any():
        live = t.live()
        a, b = t.a[live], t.b[live]
        near = np.bincount(a, s.champion[b], s.n) + np.bincount(b, s.champion[a], s.n)
    wanted = (
        dyn.goodwill_base
        + dyn.champion_goodwill * (1.0 - np.exp(-near))
        + dyn.facilitation_goodwill * facilitation(m)
        - dyn.stress_goodwill * m.agencies.pressure[s.agency]
    )
    wanted = np.where(s.champion, dyn.champion_own_goodwill, np.clip(wanted, 0.0, 1.0))
    s.goodwill += (wanted - s.goodwill) / dyn.goodwill_months


def _record(m: PartnershipModel, share: float, succ: float, rep: float, made: int) -> None:
    s = m.staff
    m.record("joint_work_share", share)
    m.record("joint_success", succ)
    m.record("goodwill", float(s.goodwill.mean()))
    m.record("champions", float(s.champion.sum()))
    m.record("ties_made", float(made))
    m.record("reporting_overhead", rep)
