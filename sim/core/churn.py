"""Mechanism 1, churn: reorganisations and background staff turnover.

Reads: ``environment.policy_churn``, ``environment.churn_severity``,
``environment.staff_turnover``, ``staff.champions``, ``staff.ties_within``,
``dynamics.churn.*``, ``dynamics.leadership.buffer``, ``dynamics.frontline.goodwill_base``,
``dynamics.alignment.base_alignment``. Owns: which posts change hands and which
practitioners a reorganisation moves; the ties a newcomer takes over; the board's
re-forming overhead; reshuffled agency priorities; the chair's departure. Records:
``reorganisation``, ``staff_replaced``.

A reorganisation hits a share ``churn_severity`` of the posts. Strategic posts hit change
hands; of the frontline posts hit, a share ``transfer_share`` keep their holders, who are
moved into the new structure (same people, same ties, but a new role to learn), and the
rest change hands. A newcomer takes over part of the predecessor's working relationships
at a discount (``inherit_share``, ``inherit_trust``): partners trust the role before they
know the person. A facilitative chair who stays in post absorbs part of the losses to the
board (``leadership.cushion``).

Evidence: seed 003 ("constant reorganisation"; Leadbeater on "intense, short-term trust"
and on long-term relationships that "risk becoming cosy and collusive"); Fulop et al.
2002 (mergers delayed service development by at least 18 months). An inherited tie is a
new relationship: its age starts at 0, so a newcomer also breaks the complacency of a cosy
tie (``dynamics.trust.complacency``) while keeping part of its trust.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core.leadership import cushion
from sim.core.network import add_within_ties

if TYPE_CHECKING:
    from sim.core.model import PartnershipModel
    from sim.core.state import TieState


def step(m: PartnershipModel, forced_severity: float | None = None) -> None:
    """Draw this month's reorganisation and turnover and replace the posts that change hands.

    The draws are made every month whether or not they are used, so the factual run and
    its counterfactual twin stay on the same random numbers.
    """
    env = m.levers.environment
    rng = m.streams["churn"]
    reorg_draw = rng.random()
    replace_draw = rng.random(m.staff.n)
    reshuffle = m.streams["reshuffle"].dirichlet(np.ones(m.n_issues), m.n_agencies)
    turn = m.streams["turnover"]
    leave_draw = turn.random(m.staff.n)
    champion_draw = turn.random(m.staff.n)

    reorganised = reorg_draw < 1.0 - np.exp(-env.policy_churn / 12.0)
    severity = env.churn_severity
    if forced_severity is not None:
        reorganised, severity = True, forced_severity
    gone = leave_draw < 1.0 - np.exp(-env.staff_turnover / 12.0)
    if reorganised:
        hit, moved = reorganisation_hits(
            replace_draw, m.staff.frontline, severity, m.dyn.churn.transfer_share
        )
        gone |= hit & ~moved
        chair = m.board.leader
        chair_stays = m.partnership and chair >= 0 and not gone[chair]
        restructure(m, severity, reshuffle, chair_stays)
        transfer_posts(m, moved & ~gone)
    replace_posts(m, gone, champion_draw)
    m.record("reorganisation", float(reorganised))
    m.record("staff_replaced", float(gone.sum()))


def reorganisation_hits(
    draw: np.ndarray, frontline: np.ndarray, severity: float, transfer_share: float
) -> tuple[np.ndarray, np.ndarray]:
    """Posts a reorganisation hits (``draw < severity``) and, among them, the frontline
    posts whose holders are moved rather than replaced.

    The same uniform draw decides both: given a hit, ``draw / severity`` is uniform, so
    ``draw < severity * transfer_share`` moves that share of the frontline posts hit and
    no other random number is used (``transfer_share = 0`` moves nobody).
    """
    hit = draw < severity
    moved = hit & frontline & (draw < severity * transfer_share)
    return hit, moved


def restructure(
    m: PartnershipModel, severity: float, reshuffle: np.ndarray, chair_stays: bool = False
) -> None:
    """Reset structures: re-forming overhead, lost clarity and learning, new priorities.

    A facilitative chair who stays in post (``chair_stays``) absorbs a share
    ``leadership.cushion`` of the board's losses; the centre's new priorities are not
    buffered.
    """
    dyn = m.dyn.churn
    mix = severity * dyn.priority_reshuffle
    pr = (1.0 - mix) * m.agencies.priorities + mix * reshuffle
    m.agencies.priorities = pr / pr.sum(axis=1, keepdims=True)
    if not m.partnership:
        return
    board = m.board
    kept = 1.0 - (cushion(m) if chair_stays else 0.0)
    reform = dyn.reform_months * min(1.0, severity / dyn.full_reform_severity) * kept
    board.reform_left = max(board.reform_left, reform)
    loss = severity * kept
    board.goal_clarity *= 1.0 - loss
    board.learning *= 1.0 - loss
    board.efficiency = 1.0 + (board.efficiency - 1.0) * (1.0 - loss)


def transfer_posts(m: PartnershipModel, moved: np.ndarray) -> None:
    """Practitioners in the boolean mask ``moved`` keep their posts in a new structure:
    their ties, goodwill and joint work stay; role clarity, alignment and tenure start
    again."""
    idx = np.flatnonzero(moved)
    if idx.size == 0:
        return
    s = m.staff
    s.tenure[idx] = 0.0
    s.role_clarity[idx] = m.dyn.churn.newcomer_role_clarity
    s.alignment[idx] = m.dyn.alignment.base_alignment


def replace_posts(m: PartnershipModel, gone: np.ndarray, champion_draw: np.ndarray) -> None:
    """Newcomers fill the posts in the boolean mask ``gone``: low role clarity, part of the
    predecessor's ties at discounted trust (:func:`inherit_ties`), fresh colleague ties for
    the rest; a newcomer is a champion with the scenario's champion share."""
    idx = np.flatnonzero(gone)
    if idx.size == 0:
        return
    s = m.staff
    dyn = m.dyn
    s.tenure[idx] = 0.0
    s.goodwill[idx] = dyn.frontline.goodwill_base
    s.role_clarity[idx] = dyn.churn.newcomer_role_clarity
    s.alignment[idx] = dyn.alignment.base_alignment
    s.joint_share[idx] = 0.0
    s.champion[idx] = s.frontline[idx] & (champion_draw[idx] < m.levers.staff.champions)
    inherit_ties(
        m.ties, gone, dyn.churn.inherit_share, dyn.churn.inherit_trust, m.streams["succession"]
    )
    add_within_ties(
        m.ties,
        s,
        m.agencies.first,
        m.agencies.size,
        idx,
        m.levers.staff.ties_within * (1.0 - dyn.churn.inherit_share),
        dyn.churn.newcomer_within_trust,
        m.streams["newcomers"],
    )
    if m.partnership and m.board.leader >= 0 and gone[m.board.leader]:
        m.board.leader = -1
        m.board.vacancy_left = dyn.churn.leader_vacancy_months


def inherit_ties(
    ties: TieState, gone: np.ndarray, share: float, discount: float, rng: np.random.Generator
) -> None:
    """Newcomers in the post mask ``gone`` take over their predecessors' ties, or lose them.

    Each live tie with ``e`` ends in ``gone`` (1 or 2) is kept with chance ``share**e``;
    a kept tie's trust is multiplied by ``discount**e`` and its age restarts at 0 (the
    people are new to each other). The others are dropped. ``share = 0`` drops every such
    tie and draws nothing; ``share = 1`` with ``discount = 1`` keeps every tie as it was.
    """
    ends = gone[ties.a].astype(np.int8) + gone[ties.b].astype(np.int8)
    touched = np.flatnonzero(ties.alive & (ends > 0))
    if touched.size == 0:
        return
    if share <= 0.0:
        ties.alive[touched] = False
        return
    e = ends[touched]
    keep = rng.random(touched.size) < share**e
    ties.alive[touched[~keep]] = False
    kept = touched[keep]
    ties.trust[kept] *= discount ** e[keep]
    ties.age[kept] = 0.0
