"""State arrays: staff, ties, agencies, board and population, updated in bulk.

Mesa agents (``sim/core/agents.py``) are views onto these arrays. A staff slot is a post:
when its holder leaves, the slot's values are reset for the newcomer who fills it.

The compiled kernels see the same buffers through the model's
:class:`~sim.core.world.World`, so an array is never replaced once the world is built:
assigning to an array field writes into the buffer it already has (:class:`Shared`).
Only the tie pool is reallocated when it grows (:meth:`TieState.pull`,
:meth:`TieState._grow`). The board's and the population's scalars live in the model's
one-row state record (``sim/core/world.py`` ``STATE_FIELDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.core.world import STATE, scalar, set_tie_arrays, tie_arrays


class Shared:
    """Assigning an array to an array field copies it into the field's buffer, which the
    compiled world shares (a differently shaped value is an error)."""

    def __setattr__(self, name: str, value: Any) -> None:
        old = self.__dict__.get(name)
        if isinstance(old, np.ndarray) and self.__dict__.get("_shared", False):
            value = np.asarray(value)
            if value.shape != old.shape:
                raise ValueError(
                    f"{type(self).__name__}.{name} has shape {old.shape}; "
                    f"cannot assign shape {value.shape}"
                )
            old[...] = value
            return
        object.__setattr__(self, name, value)

    def share(self) -> None:
        """From now on array fields keep their buffers."""
        object.__setattr__(self, "_shared", True)


def shared_array(name: str) -> property:
    """A property for an array the owner keeps in ``self._arrays``: the first assignment
    stores it, later ones write into its buffer (which the compiled world shares)."""

    def get(self: Any) -> np.ndarray:
        return self._arrays[name]

    def put(self: Any, value: Any) -> None:
        old = self._arrays.get(name)
        if old is None:
            self._arrays[name] = np.ascontiguousarray(value)
            return
        value = np.asarray(value)
        if value.shape != old.shape:
            raise ValueError(f"{name} has shape {old.shape}; cannot assign shape {value.shape}")
        old[...] = value

    return property(get, put)


@dataclass
class StaffState(Shared):
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
    episodes: np.ndarray | None = None  # int64, episodes of joint work this month
    successes: np.ndarray | None = None  # int64, of which succeeded
    world: Any = None  # the compiled world sharing these buffers, once built

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
        if self.episodes is None:
            self.episodes = np.zeros(size, np.int64)
            self.successes = np.zeros(size, np.int64)
        self.a = np.concatenate([self.a, np.zeros(new, np.int32)])
        self.b = np.concatenate([self.b, np.zeros(new, np.int32)])
        self.trust = np.concatenate([self.trust, np.zeros(new)])
        self.alive = np.concatenate([self.alive, np.zeros(new, bool)])
        self.cross = np.concatenate([self.cross, np.zeros(new, bool)])
        self.age = np.concatenate([self.age, np.zeros(new)])
        self.kind = np.concatenate([self.kind, np.zeros(new, np.int8)])
        self.episodes = np.concatenate([self.episodes, np.zeros(new, np.int64)])
        self.successes = np.concatenate([self.successes, np.zeros(new, np.int64)])
        if self.world is not None:
            self.push()

    def __getstate__(self) -> dict:
        state = self.__dict__.copy()
        state["world"] = None  # rebuilt by the model over the copied buffers
        return state

    # the pool's arrays, in the order of ``sim.core.world.TIE_ARRAYS``
    FIELDS = ("a", "b", "trust", "alive", "cross", "age", "kind", "episodes", "successes")

    def arrays(self) -> tuple[np.ndarray, ...]:
        """The pool's arrays in the order of :data:`FIELDS`."""
        return tuple(getattr(self, name) for name in self.FIELDS)

    def push(self) -> None:
        """Point the compiled world at this pool's arrays (after the pool grew here)."""
        set_tie_arrays(self.world, *self.arrays())

    def pull(self) -> None:
        """Take the compiled world's arrays if a kernel grew the pool."""
        if self.world is None:
            return
        arrays = tie_arrays(self.world)
        if arrays[0].size != self.a.size:
            for name, array in zip(self.FIELDS, arrays, strict=True):
                setattr(self, name, array)

    def drop_touching(self, gone: np.ndarray) -> None:
        """Remove every tie with an end in the boolean post mask ``gone``."""
        self.alive &= ~(gone[self.a] | gone[self.b])


@dataclass
class AgencyState(Shared):
    """One entry per agency."""

    power: np.ndarray  # 0-1
    priorities: np.ndarray  # A x I, rows sum to 1: weights of each agency's own targets
    pressure: np.ndarray  # 0-1, felt target pressure
    pull: np.ndarray  # 0-1, share of joint work pulled back to the silo
    commitment: np.ndarray  # 0-1, commitment to the partnership
    focus: np.ndarray  # A x I, strategic focus after community voice and learning
    first: np.ndarray  # int, first post of each agency
    size: np.ndarray  # int, posts per agency


BOARD_SCALARS = (
    "alive", "goal_clarity", "monitoring", "reform_left", "made", "delivered", "lapsed",
    "formal_activity", "leader", "leader_tenure", "vacancy_left", "leader_strength",
    "learning", "efficiency", "chase", "initiative_pressure", "low_commitment_months",
    "dissolved_month",
)  # fmt: skip


class BoardState(Shared):
    """The partnership board, its chair and its register of commitments.

    Arrays: ``pending`` (open commitments by age in months, length = horizon) and
    ``commitment_effort`` (per issue). Scalars (``sim/core/world.py`` ``STATE_FIELDS``) live
    in the state record ``state``, shared with the compiled world.
    """

    def __init__(
        self,
        state: np.ndarray,
        pending: np.ndarray,
        commitment_effort: np.ndarray,
        **scalars: Any,
    ):
        self._s = state
        self.pending = pending
        self.commitment_effort = commitment_effort
        defaults = {"leader": -1, "efficiency": 1.0}
        for name in BOARD_SCALARS:
            setattr(self, name, scalars.pop(name, defaults.get(name, 0)))
        if scalars:
            raise TypeError(f"unknown board fields: {sorted(scalars)}")
        self.share()


for _name in BOARD_SCALARS:
    setattr(BoardState, _name, scalar(_name))


@dataclass
class PopulationState(Shared):
    """The issues' need levels and the service users (``seamless`` and ``reassessments``
    live in the state record ``_s``, shared with the compiled world)."""

    need: np.ndarray  # current need per issue
    need0: np.ndarray  # need at month 0
    noise: np.ndarray  # AR(1) population noise per issue (log scale)
    lagged_effort: np.ndarray  # effort index after the response lag (1 = business as usual)
    reference_effort: np.ndarray  # silo effort per issue at month 0, full capacity
    effort: np.ndarray  # effort index this month
    users: np.ndarray  # users arrived this month per issue
    _s: np.ndarray = None  # type: ignore[assignment]  # the model's state record

    def __post_init__(self) -> None:
        if self._s is None:
            self._s = np.zeros(1, STATE)
        self.share()

    seamless = scalar("seamless")
    reassessments = scalar("reassessments")
