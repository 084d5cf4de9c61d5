"""State arrays: staff, ties, agencies, board and population, updated in bulk.

Mesa agents (``sim/core/agents.py``) are views onto these arrays. A staff slot is a post:
when its holder leaves, the slot's values are reset for the newcomer who fills it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class StaffState:
    """One entry per staff post (N posts, agencies contiguous, strategic posts first)."""

    agency: np.ndarray  # int32, agency index of each post
    frontline: np.ndarray  # bool, frontline practitioner (else strategic manager)
    capacity: np.ndarray  # FTE available before process overhead
    tenure: np.ndarray  # months in post
    goodwill: np.ndarray  # 0-1
    role_clarity: np.ndarray  # 0-1
    alignment: np.ndarray  # 0-1, alignment of own work with the board's strategy
    champion: np.ndarray  # bool, local champion
    joint_share: np.ndarray  # 0-1, share of capacity offered to joint work (frontline)
    joint_done: np.ndarray  # FTE of joint work actually done this month
    joint_output: np.ndarray  # FTE of successful joint work this month
    overhead: np.ndarray  # FTE spent on meetings and reporting this month

    @property
    def n(self) -> int:
        """Number of posts."""
        return int(self.agency.size)


WITHIN, PRACTITIONERS, MANAGERS, MIXED = 0, 1, 2, 3  # tie kinds


@dataclass
class TieState:
    """Pool of trust ties (undirected, ``a < b``); dead slots are reused for new ties.

    ``kind`` sorts each tie by its ends once, when it is made, so that the monthly step
    selects ties by cheap comparisons instead of looking up both ends' roles:
    ``WITHIN`` (same agency), ``PRACTITIONERS`` (frontline in different agencies),
    ``MANAGERS`` (strategic in different agencies), ``MIXED`` (one of each, across).
    A post's role never changes, so a tie's kind is fixed for its life.
    """

    a: np.ndarray  # int32
    b: np.ndarray  # int32
    trust: np.ndarray  # 0-1
    alive: np.ndarray  # bool
    cross: np.ndarray  # bool, ends in different agencies
    age: np.ndarray  # months since the tie formed
    kind: np.ndarray  # int8, WITHIN / PRACTITIONERS / MANAGERS / MIXED
    roles: np.ndarray | None = None  # bool per post, frontline; None: cross ties are MIXED

    def add(
        self, a: np.ndarray, b: np.ndarray, trust: np.ndarray | float, cross: np.ndarray
    ) -> None:
        """Add ties ``a[k]-b[k]`` into free slots, growing the pool when it is full."""
        k = int(a.size)
        if k == 0:
            return
        free = np.flatnonzero(~self.alive)
        if free.size < k:
            self._grow(k - free.size)
            free = np.flatnonzero(~self.alive)
        slots = free[:k]
        lo, hi = np.minimum(a, b), np.maximum(a, b)
        self.a[slots] = lo
        self.b[slots] = hi
        self.trust[slots] = trust
        self.alive[slots] = True
        self.cross[slots] = cross
        self.age[slots] = 0.0
        self.kind[slots] = self._kinds(lo, hi, np.asarray(cross, bool))

    def _kinds(self, a: np.ndarray, b: np.ndarray, cross: np.ndarray) -> np.ndarray:
        kinds = np.full(a.size, MIXED, np.int8)
        if self.roles is not None:
            fa, fb = self.roles[a], self.roles[b]
            kinds[fa & fb] = PRACTITIONERS
            kinds[~fa & ~fb] = MANAGERS
        kinds[~cross] = WITHIN
        return kinds

    def live(self, kind: int | None = None) -> np.ndarray:
        """Slots of live ties, all or of one kind; ``-1`` selects every cross-agency kind."""
        if kind is None:
            return np.flatnonzero(self.alive)
        if kind == -1:
            return np.flatnonzero(self.alive & self.cross)
        return np.flatnonzero(self.alive & (self.kind == kind))

    def _grow(self, extra: int) -> None:
        size = self.a.size
        new = max(extra, size // 2, 64)
        self.a = np.concatenate([self.a, np.zeros(new, np.int32)])
        self.b = np.concatenate([self.b, np.zeros(new, np.int32)])
        self.trust = np.concatenate([self.trust, np.zeros(new)])
        self.alive = np.concatenate([self.alive, np.zeros(new, bool)])
        self.cross = np.concatenate([self.cross, np.zeros(new, bool)])
        self.age = np.concatenate([self.age, np.zeros(new)])
        self.kind = np.concatenate([self.kind, np.zeros(new, np.int8)])

    def drop_touching(self, gone: np.ndarray) -> None:
        """Remove every tie with an end in the boolean post mask ``gone``."""
        self.alive &= ~(gone[self.a] | gone[self.b])


@dataclass
class AgencyState:
    """One entry per agency."""

    power: np.ndarray  # 0-1
    priorities: np.ndarray  # A x I, rows sum to 1: weights of each agency's own targets
    pressure: np.ndarray  # 0-1, felt target pressure
    pull: np.ndarray  # 0-1, share of joint work pulled back to the silo
    commitment: np.ndarray  # 0-1, commitment to the partnership
    focus: np.ndarray  # A x I, strategic focus after community voice and learning
    first: np.ndarray  # int, first post of each agency
    size: np.ndarray  # int, posts per agency


@dataclass
class BoardState:
    """The partnership board, its chair and its register of commitments."""

    alive: bool
    goal_clarity: float
    monitoring: float  # 0-1, quality of monitoring the structure buys
    reform_left: float  # months of re-forming overhead still to run
    pending: np.ndarray  # open commitments by age in months (length = horizon)
    made: int = 0
    delivered: int = 0
    lapsed: int = 0
    formal_activity: float = 0.0
    leader: int = -1  # post of the chair, -1 when vacant
    leader_tenure: float = 0.0
    vacancy_left: float = 0.0
    leader_strength: float = 0.0  # effective strength this month
    learning: float = 0.0  # 0-1, how far focus has moved to what works
    efficiency: float = 1.0  # effectiveness multiplier of joint work from learning
    chase: float = 0.0  # pressure added by target-chasing monitoring
    initiative_pressure: float = 0.0
    low_commitment_months: int = 0
    dissolved_month: int = 0
    commitment_effort: np.ndarray = field(default_factory=lambda: np.zeros(0))


@dataclass
class PopulationState:
    """The issues' need levels and the service users."""

    need: np.ndarray  # current need per issue
    need0: np.ndarray  # need at month 0
    noise: np.ndarray  # AR(1) population noise per issue (log scale)
    lagged_effort: np.ndarray  # effort index after the response lag (1 = business as usual)
    reference_effort: np.ndarray  # silo effort per issue at month 0, full capacity
    effort: np.ndarray  # effort index this month
    users: np.ndarray  # users arrived this month per issue
    seamless: float = 0.0
    reassessments: float = 0.0
