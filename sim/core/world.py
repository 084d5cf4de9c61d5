"""The model's state as one compiled structure, shared with Python.

Every mechanism's arithmetic is a kernel compiled with numba (``@njit(cache=True)``,
beside the mechanism it implements). A kernel takes one argument, the :class:`World`: a
numba structref whose fields are the *same* numpy buffers the Python side holds in
``sim/core/state.py`` (staff, ties, agencies, board, population), so a value written on
either side is seen on the other at no cost. Three small record arrays complete it:

* ``w.p[0]``: the parameters, flattened from the scenario (levers and ``dynamics.*``) by
  :func:`params_dtype` (``dynamics.trust.gain`` is ``p.trust_gain``,
  ``partnership.formality`` is ``p.partnership_formality``); refilled when the levers
  change (:func:`fill_params`);
* ``w.s[0]``: the scalar state (:data:`STATE_FIELDS`): the board's clarity, chair and
  register counts, the model's month and recorder row, and so on;
* ``w.rec``: the monthly outputs (``sim/core/record.py``), one row per month, one field per
  output; ``w.rec_issue`` the per-issue outcome columns.

The random streams the kernels draw from are fields too: ``rng_frontline`` is the one-word
state of the stream named ``frontline`` (``sim/core/streams.py``), drawn with the samplers
of ``sim/core/draws.py``.

Only the tie pool can be reallocated (it grows when full, inside a kernel): the Python
side re-reads it after every kernel that can add ties (:meth:`TieState.pull`).
"""

from __future__ import annotations

import typing
from operator import attrgetter
from typing import Any

import numba
import numpy as np
from numba import njit, types
from numba.experimental import structref

from sim.core.record import RECORD
from sim.core.streams import KERNEL_STREAMS
from sim.scenario.dynamics import Dynamics
from sim.scenario.schema import Environment, LeadershipStyle, Partnership, Scenario, Staff

# -- parameters -------------------------------------------------------------------------

STYLES: tuple[str, ...] = typing.get_args(LeadershipStyle)
FACILITATIVE, DIRECTIVE, ABSENT = (STYLES.index(s) for s in ("facilitative", "directive", "absent"))

# lever blocks of a scenario, flattened with their block name as a prefix
LEVER_BLOCKS: dict[str, type] = {
    "environment": Environment,
    "partnership": Partnership,
    "staff": Staff,
}


def _leaf_code(annotation: Any) -> str | None:
    """numpy type code of a schema leaf (``None`` for a nested block)."""
    if annotation is bool:
        return "?"
    if annotation is int:
        return "i8"
    if annotation is float:
        return "f8"
    if typing.get_origin(annotation) is typing.Literal:
        return "i8"  # the index of the value among the literal's choices
    return None


def _walk(model: type, prefix: str) -> list[tuple[str, tuple[str, ...], str]]:
    """(flat name, attribute path, type code) of every numeric leaf of a schema block."""
    out = []
    for key, info in model.model_fields.items():
        code = _leaf_code(info.annotation)
        name = f"{prefix}_{key}" if prefix else key
        if code is not None:
            out.append((name, (key,), code))
        elif isinstance(info.annotation, type) and hasattr(info.annotation, "model_fields"):
            out.extend((n, (key, *path), c) for n, path, c in _walk(info.annotation, name))
    return out


def _param_leaves() -> list[tuple[str, tuple[str, ...], str]]:
    leaves = [(n, ("dynamics", *p), c) for n, p, c in _walk(Dynamics, "")]
    for block, model in LEVER_BLOCKS.items():
        leaves += [(n, (block, *p), c) for n, p, c in _walk(model, block)]
    names = [n for n, _, _ in leaves]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise RuntimeError(f"parameter names collide when flattened: {sorted(dup)}")
    return leaves


PARAM_LEAVES = _param_leaves()


def params_dtype() -> np.dtype:
    """Record type of the parameters: one field per numeric lever and dynamics key."""
    return np.dtype([(name, code) for name, _, code in PARAM_LEAVES], align=True)


PARAMS = params_dtype()
_GETTERS = [attrgetter(".".join(path)) for _, path, _ in PARAM_LEAVES]


def fill_params(out: np.ndarray, scenario: Scenario) -> None:
    """Write the scenario's levers and dynamics into the one-row parameter record ``out``."""
    values = [get(scenario) for get in _GETTERS]
    out[0] = tuple(STYLES.index(v) if isinstance(v, str) else v for v in values)


# -- scalar state -----------------------------------------------------------------------

# name: (type code, meaning). Board fields are views of ``BoardState``; population fields
# of ``PopulationState``; the rest of ``PartnershipModel``.
STATE_FIELDS: dict[str, tuple[str, str]] = {
    # board (sim/core/state.py BoardState)
    "alive": ("?", "the partnership board exists"),
    "goal_clarity": ("f8", "clarity of the partnership's goals"),
    "monitoring": ("f8", "quality of monitoring the structure buys"),
    "reform_left": ("f8", "months of re-forming overhead still to run"),
    "made": ("i8", "commitments made this month"),
    "delivered": ("i8", "commitments delivered this month"),
    "lapsed": ("i8", "commitments lapsed this month"),
    "formal_activity": ("f8", "formal activity index this month"),
    "leader": ("i8", "post of the chair, -1 when vacant"),
    "leader_tenure": ("f8", "months the chair has been in post"),
    "vacancy_left": ("f8", "months until a vacant chair is filled"),
    "leader_strength": ("f8", "effective strength of the chair this month"),
    "learning": ("f8", "how far focus has moved to what works"),
    "efficiency": ("f8", "effectiveness multiplier of joint work from learning"),
    "chase": ("f8", "pressure added by target-chasing monitoring"),
    "initiative_pressure": ("f8", "pressure of new central initiatives"),
    "low_commitment_months": ("i8", "months in a row of low mean commitment"),
    "dissolved_month": ("i8", "month the board dissolved (0: never)"),
    # population (PopulationState)
    "seamless": ("f8", "share of users given one joined-up assessment"),
    "reassessments": ("f8", "extra assessments per user"),
    # model (PartnershipModel)
    "month": ("i8", "reported months simulated so far"),
    "row": ("i8", "recorder row of this month (spin-up months first)"),
    "warming": ("?", "an unreported spin-up month"),
    "partnership": ("?", "joint working on the ground (not the no-joint-work twin)"),
    "enthusiasm": ("f8", "members' enthusiasm beyond value and cost"),
    "decision_delay": ("f8", "months of delay formal decision-making adds"),
    "meeting_intensity": ("f8", "board meetings held, times attendance"),
    "vertical_alignment": ("f8", "mean alignment of practitioners with the strategy"),
}
STATE = np.dtype([(k, code) for k, (code, _) in STATE_FIELDS.items()], align=True)


def _py(value: Any) -> Any:
    """A record value as a plain Python bool, int or float."""
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    return float(value)


def scalar(name: str, store: str = "_s") -> property:
    """A property that reads and writes field ``name`` of the record ``self.<store>[0]``."""

    def get(self: Any) -> Any:
        return _py(getattr(self, store)[0][name])

    def put(self: Any, value: Any) -> None:
        getattr(self, store)[0][name] = value

    return property(get, put, doc=STATE_FIELDS[name][1])


# -- the structure ----------------------------------------------------------------------

STREAMS = KERNEL_STREAMS

f8, i8, i4, i1, b1 = types.float64, types.int64, types.int32, types.int8, types.bool_
A = {"f8": f8[::1], "i8": i8[::1], "i4": i4[::1], "i1": i1[::1], "b1": b1[::1]}
F8_2D = f8[:, ::1]

# name: (numpy dtype, numba type); the order is the constructor's argument order
ARRAYS: dict[str, tuple[str, Any]] = {
    # staff (StaffState), one entry per post
    "agency": ("i4", A["i4"]),
    "frontline": ("b1", A["b1"]),
    "capacity": ("f8", A["f8"]),
    "tenure": ("f8", A["f8"]),
    "goodwill": ("f8", A["f8"]),
    "role_clarity": ("f8", A["f8"]),
    "alignment": ("f8", A["f8"]),
    "champion": ("b1", A["b1"]),
    "joint_share": ("f8", A["f8"]),
    "joint_done": ("f8", A["f8"]),
    "joint_output": ("f8", A["f8"]),
    "overhead": ("f8", A["f8"]),
    "assessment_load": ("f8", A["f8"]),
    # ties (TieState), one entry per slot of the pool
    "tie_a": ("i4", A["i4"]),
    "tie_b": ("i4", A["i4"]),
    "trust": ("f8", A["f8"]),
    "tie_alive": ("b1", A["b1"]),
    "tie_cross": ("b1", A["b1"]),
    "tie_age": ("f8", A["f8"]),
    "tie_kind": ("i1", A["i1"]),
    "episodes": ("i8", A["i8"]),
    "successes": ("i8", A["i8"]),
    # agencies (AgencyState)
    "power": ("f8", A["f8"]),
    "priorities": ("f8", F8_2D),
    "pressure": ("f8", A["f8"]),
    "pull": ("f8", A["f8"]),
    "commitment": ("f8", A["f8"]),
    "focus": ("f8", F8_2D),
    "first": ("i8", A["i8"]),
    "size": ("i8", A["i8"]),
    # board arrays (BoardState)
    "pending": ("i8", A["i8"]),
    "commitment_effort": ("f8", A["f8"]),
    # population (PopulationState) and the model's per-issue arrays
    "need": ("f8", A["f8"]),
    "need0": ("f8", A["f8"]),
    "noise": ("f8", A["f8"]),
    "lagged_effort": ("f8", A["f8"]),
    "reference_effort": ("f8", A["f8"]),
    "effort": ("f8", A["f8"]),
    "users": ("f8", A["f8"]),
    "silo_effort": ("f8", A["f8"]),
    "joint_effort": ("f8", A["f8"]),
    "target_base": ("f8", A["f8"]),
    "log_core": ("f8", A["f8"]),
    "trend": ("f8", A["f8"]),
    "noise_sd": ("f8", A["f8"]),
    "lag_months": ("f8", A["f8"]),
    "efficacy": ("f8", A["f8"]),
    "users_per_month": ("f8", A["f8"]),
    "agencies_per_user": ("f8", A["f8"]),
    "rec_issue": ("f8", F8_2D),
}
TIE_ARRAYS = (
    "tie_a",
    "tie_b",
    "trust",
    "tie_alive",
    "tie_cross",
    "tie_age",
    "tie_kind",
    "episodes",
    "successes",
)


@structref.register
class WorldType(types.StructRef):
    """numba type of :class:`World`."""

    def preprocess_fields(self, fields):
        return tuple((name, types.unliteral(typ)) for name, typ in fields)


class World(structref.StructRefProxy):
    """The compiled view of one model's state (fields: module docstring)."""


def _record_type(dtype: np.dtype) -> Any:
    return numba.from_dtype(dtype)[::1]


def world_type(record_dtype: np.dtype) -> WorldType:
    """The struct type for a recorder record of ``record_dtype`` (``sim/core/record.py``)."""
    fields = [(name, typ) for name, (_, typ) in ARRAYS.items()]
    fields += [
        ("p", _record_type(PARAMS)),
        ("s", _record_type(STATE)),
        ("rec", _record_type(record_dtype)),
    ]
    fields += [(f"rng_{name}", types.uint64[::1]) for name in STREAMS]
    return WorldType(fields)


structref.define_boxing(WorldType, World)


WORLD = world_type(RECORD)


# One argument per field, in the order of ARRAYS, then the records and the streams
# (tests/unit/core/test_world.py checks that every field is set).
@njit(cache=True)
def _new_world(
    agency,
    frontline,
    capacity,
    tenure,
    goodwill,
    role_clarity,
    alignment,
    champion,
    joint_share,
    joint_done,
    joint_output,
    overhead,
    assessment_load,
    tie_a,
    tie_b,
    trust,
    tie_alive,
    tie_cross,
    tie_age,
    tie_kind,
    episodes,
    successes,
    power,
    priorities,
    pressure,
    pull,
    commitment,
    focus,
    first,
    size,
    pending,
    commitment_effort,
    need,
    need0,
    noise,
    lagged_effort,
    reference_effort,
    effort,
    users,
    silo_effort,
    joint_effort,
    target_base,
    log_core,
    trend,
    noise_sd,
    lag_months,
    efficacy,
    users_per_month,
    agencies_per_user,
    rec_issue,
    p,
    s,
    rec,
    rng_board,
    rng_board_contacts,
    rng_churn,
    rng_frontline,
    rng_initiatives,
    rng_leadership,
    rng_lifecycle,
    rng_meeting_ties,
    rng_newcomers,
    rng_population,
    rng_register,
    rng_reshuffle,
    rng_succession,
    rng_ties,
    rng_turnover,
):
    w = structref.new(WORLD)
    w.agency = agency
    w.frontline = frontline
    w.capacity = capacity
    w.tenure = tenure
    w.goodwill = goodwill
    w.role_clarity = role_clarity
    w.alignment = alignment
    w.champion = champion
    w.joint_share = joint_share
    w.joint_done = joint_done
    w.joint_output = joint_output
    w.overhead = overhead
    w.assessment_load = assessment_load
    w.tie_a = tie_a
    w.tie_b = tie_b
    w.trust = trust
    w.tie_alive = tie_alive
    w.tie_cross = tie_cross
    w.tie_age = tie_age
    w.tie_kind = tie_kind
    w.episodes = episodes
    w.successes = successes
    w.power = power
    w.priorities = priorities
    w.pressure = pressure
    w.pull = pull
    w.commitment = commitment
    w.focus = focus
    w.first = first
    w.size = size
    w.pending = pending
    w.commitment_effort = commitment_effort
    w.need = need
    w.need0 = need0
    w.noise = noise
    w.lagged_effort = lagged_effort
    w.reference_effort = reference_effort
    w.effort = effort
    w.users = users
    w.silo_effort = silo_effort
    w.joint_effort = joint_effort
    w.target_base = target_base
    w.log_core = log_core
    w.trend = trend
    w.noise_sd = noise_sd
    w.lag_months = lag_months
    w.efficacy = efficacy
    w.users_per_month = users_per_month
    w.agencies_per_user = agencies_per_user
    w.rec_issue = rec_issue
    w.p = p
    w.s = s
    w.rec = rec
    w.rng_board = rng_board
    w.rng_board_contacts = rng_board_contacts
    w.rng_churn = rng_churn
    w.rng_frontline = rng_frontline
    w.rng_initiatives = rng_initiatives
    w.rng_leadership = rng_leadership
    w.rng_lifecycle = rng_lifecycle
    w.rng_meeting_ties = rng_meeting_ties
    w.rng_newcomers = rng_newcomers
    w.rng_population = rng_population
    w.rng_register = rng_register
    w.rng_reshuffle = rng_reshuffle
    w.rng_succession = rng_succession
    w.rng_ties = rng_ties
    w.rng_turnover = rng_turnover
    return w


@njit(cache=True)
def board_active(w: World) -> bool:
    """The partnership exists and has a board (``PartnershipModel.board_active``)."""
    s = w.s[0]
    return s.partnership and s.alive


@njit(cache=True)
def tie_arrays(w: World) -> tuple:
    """The tie pool's arrays, in the order of :data:`TIE_ARRAYS`."""
    return (
        w.tie_a, w.tie_b, w.trust, w.tie_alive, w.tie_cross, w.tie_age, w.tie_kind,
        w.episodes, w.successes,
    )  # fmt: skip


@njit(cache=True)
def set_tie_arrays(w, a, b, trust, alive, cross, age, kind, episodes, successes):
    """Point the world at a tie pool's arrays (in the order of :data:`TIE_ARRAYS`)."""
    w.tie_a = a
    w.tie_b = b
    w.trust = trust
    w.tie_alive = alive
    w.tie_cross = cross
    w.tie_age = age
    w.tie_kind = kind
    w.episodes = episodes
    w.successes = successes


@njit(cache=True)
def _extend(x, extra):
    out = np.zeros(x.size + extra, x.dtype)
    out[: x.size] = x
    return out


@njit(cache=True)
def grow_ties(w: World, extra: int) -> None:
    """Grow the tie pool by at least ``extra`` free slots (as ``TieState._grow``)."""
    new = max(extra, w.tie_a.size // 2, 64)
    w.tie_a = _extend(w.tie_a, new)
    w.tie_b = _extend(w.tie_b, new)
    w.trust = _extend(w.trust, new)
    w.tie_alive = _extend(w.tie_alive, new)
    w.tie_cross = _extend(w.tie_cross, new)
    w.tie_age = _extend(w.tie_age, new)
    w.tie_kind = _extend(w.tie_kind, new)
    w.episodes = _extend(w.episodes, new)
    w.successes = _extend(w.successes, new)


def build(
    arrays: dict[str, np.ndarray], p: np.ndarray, s: np.ndarray, rec: np.ndarray, streams: Any
) -> World:
    """The compiled world over ``arrays`` (every name of :data:`ARRAYS`, with exactly its
    dtype and C-contiguous, so that the buffers are shared, not copied), the parameter,
    state and output records and the named ``streams``."""
    missing = [k for k in ARRAYS if k not in arrays]
    extra = [k for k in arrays if k not in ARRAYS]
    if missing or extra:
        raise ValueError(f"world arrays: missing {missing}, unknown {extra}")
    for name, (code, _) in ARRAYS.items():
        x = arrays[name]
        if x.dtype != np.dtype(code) or not x.flags.c_contiguous:
            raise TypeError(
                f"world array {name!r} must be C-contiguous {np.dtype(code)}, "
                f"not {x.dtype} (contiguous: {x.flags.c_contiguous})"
            )
    rngs = [streams.state(name) for name in STREAMS]
    return _new_world(*(arrays[k] for k in ARRAYS), p, s, rec, *rngs)
