"""Mechanism 5, trust dynamics: the glue, built slowly and lost quickly.

Reads: ``dynamics.trust.*``, ``dynamics.frontline.*`` (success chances),
``dynamics.leadership.trust_bonus``. Owns: trust on every tie, tie ages, forgetting of
faded ties; the board-level trust loop between strategic managers. Records:
``trust_within``, ``trust_across``, ``trust_across_strategic``,
``trust_across_frontline``, ``ties_across_per_staff``, ``trust_across_capital`` (summed
cross-agency trust per staff member: falls when ties are lost as well as when they weaken).

Vangen & Huxham's loop: joint work that meets expectations raises trust, a partner who
does not deliver lowers it, and the loss per failure is larger than the gain per success.
Ties not used this month fade; faded ties are forgotten. Colleagues in one agency work
together every month, so their ties are used. Board meetings are joint work between
strategic managers of different agencies. Evidence: seed 003; Vangen & Huxham 2003;
Slovic 1993 (asymmetry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core.frontline import success_chance

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel

EPISODES_PER_MEETING_MONTH = 2.0  # board contacts per strategic tie at full formality
WEIGHT_EPISODES = 2.0  # episodes after which a month's evidence counts fully (assumption)
COLLEAGUE_USE = 0.5  # share of a success's gain colleagues get from daily work (assumption)


def step(m: PartnershipModel) -> None:
    """Update every tie from this month's episodes, fade unused ties, forget faded ones."""
    t, s, dyn = m.ties, m.staff, m.dyn.trust
    if m.partnership:
        _board_contacts(m)
        # ties made after the episodes were counted (pool growth) had no episodes yet
        k = np.zeros(t.a.size, np.int64)
        wins = np.zeros(t.a.size, np.int64)
        k[: m.episodes.size] = m.episodes
        wins[: m.successes.size] = m.successes
        used = k > 0
        frac = np.where(used, wins / np.maximum(k, 1), 0.0)
        weight = np.minimum(1.0, k / WEIGHT_EPISODES)
        delta = weight * (dyn.gain * frac * (1 - t.trust) - dyn.loss * (1 - frac) * t.trust)
        within = t.alive & ~t.cross
        t.trust = np.where(used, t.trust + delta, t.trust)
        t.trust = np.where(within, t.trust + COLLEAGUE_USE * dyn.gain * (1 - t.trust), t.trust)
        fade = t.alive & t.cross & ~used
        t.trust = np.where(fade, t.trust * (1.0 - dyn.fade), t.trust)
        t.trust = np.clip(t.trust, 0.0, 1.0)
        t.alive &= ~(t.cross & (t.trust < dyn.drop_below))
    t.age += 1.0
    _record(m, s)


def _board_contacts(m: PartnershipModel) -> None:
    """Strategic managers meet at the board: episodes of joint work on their cross ties."""
    if not m.board_active or m.meeting_intensity <= 0:
        return
    t, s = m.ties, m.staff
    idx = np.flatnonzero(t.alive & t.cross & ~s.frontline[t.a] & ~s.frontline[t.b])
    if idx.size == 0:
        return
    rng = m.streams["board_contacts"]
    k = rng.poisson(EPISODES_PER_MEETING_MONTH * m.meeting_intensity, idx.size)
    m.episodes[idx] = k
    m.successes[idx] = rng.binomial(k, success_chance(m, idx))


def _record(m: PartnershipModel, s) -> None:
    t = m.ties
    live = t.alive
    cross = live & t.cross
    within = live & ~t.cross
    fl_a, fl_b = s.frontline[t.a], s.frontline[t.b]

    def mean(mask: np.ndarray) -> float:
        return float(t.trust[mask].mean()) if mask.any() else 0.0

    m.record("trust_within", mean(within))
    m.record("trust_across", mean(cross))
    m.record("trust_across_strategic", mean(cross & ~fl_a & ~fl_b))
    m.record("trust_across_frontline", mean(cross & fl_a & fl_b))
    m.record("ties_across_per_staff", 2.0 * float(cross.sum()) / max(s.n, 1))
    m.record("trust_across_capital", 2.0 * float(t.trust[cross].sum()) / max(s.n, 1))
