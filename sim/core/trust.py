"""Mechanism 5, trust dynamics: the glue, built slowly and lost quickly.

Reads: ``dynamics.trust.*``, ``dynamics.frontline.*`` (success chances),
``dynamics.leadership.trust_bonus``, ``dynamics.board.meeting_tie_rate``,
``dynamics.board.commitments_per_month``; the board's commitments delivered and lapsed
last month. Owns: trust on
every tie, tie ages, forgetting of faded ties; the board-level trust loop between
strategic managers and the ties they make at meetings. Records: ``trust_within``,
``trust_across``, ``trust_across_strategic``, ``trust_across_frontline``,
``ties_across_per_staff``, ``trust_across_capital`` (summed cross-agency trust per staff
member: falls when ties are lost as well as when they weaken), ``ties_made_at_board``.

Vangen & Huxham's loop: joint work that meets expectations raises trust, a partner who
does not deliver lowers it, and the loss per failure is larger than the gain per success.
Ties not used this month fade; faded ties are forgotten. Colleagues in one agency work
together every month, so their ties are used. Board meetings are joint work between
strategic managers of different agencies, and where they meet new partners. The board's
promises are judged there too: commitments delivered raise trust on every strategic cross
tie, commitments that lapse lower it, more than delivery raises it (seed 003: members say
"that's something we'll do", "and then it doesn't necessarily happen"). Evidence: seed
003; Vangen & Huxham 2003 (not checked against the text); Slovic 1993 (asymmetry).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core.frontline import success_chance
from sim.core.network import add_cross_ties
from sim.core.state import MANAGERS, PRACTITIONERS, WITHIN

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


def step(m: PartnershipModel) -> None:
    """Update every tie from this month's episodes, fade unused ties, forget faded ones."""
    t, s, dyn = m.ties, m.staff, m.dyn.trust
    if m.partnership:
        _promises(m)
        _board_contacts(m)
        # episodes happen only on cross ties; ties made after the episodes were counted
        # (pool growth) had none yet
        cross = t.live(-1)
        counted = cross[cross < m.episodes.size]
        k = np.zeros(cross.size, np.int64)
        wins = np.zeros(cross.size, np.int64)
        k[: counted.size] = m.episodes[counted]  # cross is sorted, so counted is its head
        wins[: counted.size] = m.successes[counted]
        used = k > 0
        trust = t.trust[cross]
        frac = wins[used] / k[used]
        weight = np.minimum(1.0, k[used] / dyn.full_evidence_episodes)
        old = trust[used]
        trust[used] = old + weight * (dyn.gain * frac * (1 - old) - dyn.loss * (1 - frac) * old)
        trust[~used] *= 1.0 - dyn.fade
        np.clip(trust, 0.0, 1.0, out=trust)
        t.trust[cross] = trust
        t.alive[cross[trust < dyn.drop_below]] = False
        within = t.live(WITHIN)
        t.trust[within] += dyn.colleague_use * dyn.gain * (1 - t.trust[within])
        m.record("ties_made_at_board", float(_meeting_ties(m)))
    else:
        m.record("ties_made_at_board", 0.0)
    t.age += 1.0
    _record(m, s)


def _promises(m: PartnershipModel) -> None:
    """Last month's kept and broken promises move trust on every strategic cross tie.

    Commitments are made by the board, so the managers who meet there judge one another by
    them: a month in which the board delivers as many commitments as a fully formal board
    makes raises trust by ``promise_gain`` of the headroom, one in which as many lapse
    lowers it by ``promise_loss`` of the trust; fewer in proportion. With both at 0 trust
    ignores promises.
    """
    dyn, board = m.dyn.trust, m.board
    if not m.board_active or (dyn.promise_gain <= 0 and dyn.promise_loss <= 0):
        return
    cpm = m.dyn.board.commitments_per_month
    if cpm <= 0:
        return
    kept = min(1.0, board.delivered / cpm)
    broken = min(1.0, board.lapsed / cpm)
    if kept == 0 and broken == 0:
        return
    idx = m.ties.live(MANAGERS)
    old = m.ties.trust[idx]
    new = old + dyn.promise_gain * kept * (1.0 - old) - dyn.promise_loss * broken * old
    m.ties.trust[idx] = np.clip(new, 0.0, 1.0)


def _board_contacts(m: PartnershipModel) -> None:
    """Strategic managers meet at the board: episodes of joint work on their cross ties."""
    if not m.board_active or m.meeting_intensity <= 0:
        return
    idx = m.ties.live(MANAGERS)
    if idx.size > 0:
        _draw_contacts(m, idx)


def _draw_contacts(m: PartnershipModel, idx: np.ndarray) -> None:
    rng = m.streams["board_contacts"]
    k = rng.poisson(m.dyn.trust.board_episodes * m.meeting_intensity, idx.size)
    m.episodes[idx] = k
    m.successes[idx] = rng.binomial(k, success_chance(m, idx))


def _meeting_ties(m: PartnershipModel) -> int:
    """Managers meet members of other agencies at the board and make ties with them."""
    if not m.board_active or m.meeting_intensity <= 0:
        return 0
    s = m.staff
    managers = np.flatnonzero(~s.frontline)
    rng = m.streams["meeting_ties"]
    count = rng.poisson(m.dyn.board.meeting_tie_rate * m.meeting_intensity, managers.size)
    sources = np.repeat(managers, count)
    return add_cross_ties(m.ties, s, sources, m.dyn.trust.new_tie_trust, rng, frontline=False)


def _record(m: PartnershipModel, s) -> None:
    t = m.ties
    live = t.live()
    kind = t.kind[live]
    trust = t.trust[live]
    cross = kind != WITHIN

    def mean(mask: np.ndarray) -> float:
        return float(trust[mask].mean()) if mask.any() else 0.0

    m.record("trust_within", mean(~cross))
    m.record("trust_across", mean(cross))
    m.record("trust_across_strategic", mean(kind == MANAGERS))
    m.record("trust_across_frontline", mean(kind == PRACTITIONERS))
    m.record("ties_across_per_staff", 2.0 * float(cross.sum()) / max(s.n, 1))
    m.record("trust_across_capital", 2.0 * float(trust[cross].sum()) / max(s.n, 1))
