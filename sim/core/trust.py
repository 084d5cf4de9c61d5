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

The arithmetic runs in compiled kernels on the model's world (``sim/core/world.py``):
:func:`kernel` is the monthly step; the Python functions are thin wrappers over it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numba import njit

from sim.core.draws import binomial, poisson
from sim.core.frontline import chance_k, chance_terms_k
from sim.core.network import add_cross_ties_k
from sim.core.numerics import total
from sim.core.state import MANAGERS, PRACTITIONERS, WITHIN
from sim.core.world import World, board_active

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel


# -- Python API: thin wrappers over the kernels ------------------------------------------


def step(m: PartnershipModel) -> None:
    """Update every tie from this month's episodes, fade unused ties, forget faded ones."""
    kernel(m.w)
    m.ties.pull()


def _board_contacts(m: PartnershipModel) -> None:
    """Strategic managers meet at the board: episodes of joint work on their cross ties."""
    _board_contacts_k(m.w)


def _meeting_ties(m: PartnershipModel) -> int:
    """Managers meet members of other agencies at the board and make ties with them."""
    made = _meeting_ties_k(m.w)
    m.ties.pull()
    return made


# -- kernels ----------------------------------------------------------------------------


@njit(cache=True)
def kernel(w: World) -> None:
    """:func:`step` on the compiled world (the caller pulls a grown tie pool)."""
    p, s = w.p[0], w.s[0]
    r = w.rec[s.row]
    if s.partnership:
        trust, alive, kind, cross = w.trust, w.tie_alive, w.tie_kind, w.tie_cross
        episodes, successes = w.episodes, w.successes
        contacts = _contacts(w)
        gain_step, loss_step, promised = _promises(w)
        # strategic cross ties: last month's promises, then this month's board episodes
        # (every tie's count is drawn before any success), then their successes
        rng = w.rng_board_contacts
        if promised or contacts:
            lam = p.trust_board_episodes * s.meeting_intensity
            for i in range(trust.size):
                if alive[i] & (kind[i] == MANAGERS):
                    if promised:
                        old = trust[i]
                        new = old + gain_step * (1.0 - old) - loss_step * old
                        trust[i] = min(max(new, 0.0), 1.0)
                    if contacts:
                        episodes[i] = poisson(rng, lam)
        info, bonus = chance_terms_k(w)
        if contacts:
            for i in range(trust.size):
                if alive[i] & (kind[i] == MANAGERS):
                    successes[i] = binomial(rng, episodes[i], chance_k(w, i, info, bonus))
        # every tie: the update from this month's episodes (unused cross ties fade and are
        # forgotten below the threshold; colleague ties are used every month). Both
        # updates are computed on every slot and the one that applies is kept, without a
        # branch; a slot that neither applies to keeps its trust.
        gain, loss, fade = p.trust_gain, p.trust_loss, p.trust_fade
        full, drop = p.trust_full_evidence_episodes, p.trust_drop_below
        use = p.trust_colleague_use * gain
        for i in range(trust.size):
            old = trust[i]
            k = episodes[i]
            some = max(k, 1)  # = k where it is used
            frac = successes[i] / some
            weight = min(1.0, some / full)
            learnt = old + weight * (gain * frac * (1 - old) - loss * (1 - frac) * old)
            new = learnt if k > 0 else old * (1.0 - fade)
            new = min(max(new, 0.0), 1.0)
            colleague = old + use * (1 - old)
            live, across = alive[i], cross[i]
            same = kind[i] == WITHIN
            trust[i] = new if live & across else (colleague if live & same else old)
            alive[i] = live & (not (across & (new < drop)))
        r.ties_made_at_board = float(_meeting_ties_k(w))
    else:
        r.ties_made_at_board = 0.0
    _record(w)


@njit(cache=True)
def _contacts(w: World) -> bool:
    """Board meetings are held this month."""
    s = w.s[0]
    return board_active(w) and s.meeting_intensity > 0


@njit(cache=True)
def _promises(w: World) -> tuple[float, float, bool]:
    """Last month's kept and broken promises: the shares of headroom gained and of trust
    lost on every strategic cross tie, and whether they move trust at all.

    Commitments are made by the board, so the managers who meet there judge one another by
    them: a month in which the board delivers as many commitments as a fully formal board
    makes raises trust by ``promise_gain`` of the headroom, one in which as many lapse
    lowers it by ``promise_loss`` of the trust; fewer in proportion. With both at 0 trust
    ignores promises.
    """
    p, s = w.p[0], w.s[0]
    if not board_active(w) or (p.trust_promise_gain <= 0 and p.trust_promise_loss <= 0):
        return 0.0, 0.0, False
    cpm = p.board_commitments_per_month
    if cpm <= 0:
        return 0.0, 0.0, False
    kept = min(1.0, s.delivered / cpm)
    broken = min(1.0, s.lapsed / cpm)
    if kept == 0 and broken == 0:
        return 0.0, 0.0, False
    return p.trust_promise_gain * kept, p.trust_promise_loss * broken, True


@njit(cache=True)
def _board_contacts_k(w: World) -> None:
    """Episodes of joint work at the board on every strategic cross tie, and successes."""
    if not _contacts(w):
        return
    p, s = w.p[0], w.s[0]
    rng = w.rng_board_contacts
    lam = p.trust_board_episodes * s.meeting_intensity
    for i in range(w.tie_a.size):
        if w.tie_alive[i] and w.tie_kind[i] == MANAGERS:
            w.episodes[i] = poisson(rng, lam)
    info, bonus = chance_terms_k(w)
    for i in range(w.tie_a.size):
        if w.tie_alive[i] and w.tie_kind[i] == MANAGERS:
            w.successes[i] = binomial(rng, w.episodes[i], chance_k(w, i, info, bonus))


@njit(cache=True)
def _meeting_ties_k(w: World) -> int:
    """Managers meet members of other agencies at the board and make ties with them."""
    if not _contacts(w):
        return 0
    p, s = w.p[0], w.s[0]
    rng = w.rng_meeting_ties
    lam = p.board_meeting_tie_rate * s.meeting_intensity
    n = w.agency.size
    counts = np.zeros(n, np.int64)
    total = 0
    for j in range(n):
        if not w.frontline[j]:
            counts[j] = poisson(rng, lam)
            total += counts[j]
    sources = np.empty(total, np.int64)
    at = 0
    for j in range(n):
        for _ in range(counts[j]):
            sources[at] = j
            at += 1
    return add_cross_ties_k(w, sources, p.trust_new_tie_trust, rng, False)


@njit(cache=True)
def _record(w: World) -> None:
    """Every tie ages a month; record trust within and across agencies."""
    r = w.rec[w.s[0].row]
    pool = w.tie_a.size
    age, alive, kinds, trust = w.tie_age, w.tie_alive, w.tie_kind, w.trust
    values = np.empty(4 * pool)  # one allocation for the four lists of trust values
    within, cross = values[:pool], values[pool : 2 * pool]
    managers, front = values[2 * pool : 3 * pool], values[3 * pool :]
    nw = nc = nm = nf = 0
    for i in range(pool):  # every value is written, and kept where the slot counts
        age[i] += 1.0
        live, kind, t = alive[i], kinds[i], trust[i]
        within[nw] = t
        nw += live & (kind == WITHIN)
        cross[nc] = t
        nc += live & (kind != WITHIN)
        managers[nm] = t
        nm += live & (kind == MANAGERS)
        front[nf] = t
        nf += live & (kind == PRACTITIONERS)
    n = max(w.agency.size, 1)
    across = total(cross[:nc])
    r.trust_within = total(within[:nw]) / nw if nw else 0.0
    r.trust_across = across / nc if nc else 0.0
    r.trust_across_strategic = total(managers[:nm]) / nm if nm else 0.0
    r.trust_across_frontline = total(front[:nf]) / nf if nf else 0.0
    r.ties_across_per_staff = 2.0 * nc / n
    r.trust_across_capital = 2.0 * across / n
