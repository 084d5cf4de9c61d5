"""The compiled world shares the Python side's buffers, scalars and streams."""

from __future__ import annotations

import copy
import inspect

import numpy as np
from numba import njit

from sim.core import world
from sim.core.model import PartnershipModel
from sim.core.world import ARRAYS, STREAMS, tie_arrays


def test_the_constructor_sets_every_field_once() -> None:
    source = inspect.getsource(world._new_world.py_func)
    fields = [*ARRAYS, "p", "s", "rec", *(f"rng_{n}" for n in STREAMS)]
    assigned = [line.split("=")[0].strip()[2:] for line in source.splitlines() if " w." in line]
    assert assigned == fields
    assert list(inspect.signature(world._new_world.py_func).parameters) == fields


def test_python_and_the_world_share_buffers_and_scalars(small) -> None:
    m = PartnershipModel(small, 0)
    trust = tie_arrays(m.w)[2]
    assert np.shares_memory(trust, m.ties.trust)
    m.board.goal_clarity = 0.25
    assert _goal_clarity(m.w) == 0.25
    m.agencies.pressure = np.full(m.n_agencies, 0.75)  # writes into the shared buffer
    assert np.shares_memory(m.agencies.pressure, _pressure(m.w))
    assert np.all(_pressure(m.w) == 0.75)


@njit
def _goal_clarity(w):
    return w.s[0].goal_clarity


@njit
def _pressure(w):
    return w.pressure


def test_a_pool_grown_in_python_is_pushed_to_the_world(small) -> None:
    m = PartnershipModel(small, 0)
    size = m.ties.a.size
    m.ties._grow(10)
    assert m.ties.a.size > size
    assert tie_arrays(m.w)[0].size == m.ties.a.size
    assert np.shares_memory(tie_arrays(m.w)[2], m.ties.trust)


def test_a_pool_grown_in_the_world_is_pulled(small) -> None:
    m = PartnershipModel(small, 0)
    size = m.ties.a.size
    world.grow_ties(m.w, 5)
    m.ties.pull()
    assert m.ties.a.size > size
    assert np.shares_memory(tie_arrays(m.w)[2], m.ties.trust)


def test_a_deep_copy_gets_its_own_world(small) -> None:
    m = PartnershipModel(small, 0)
    c = copy.deepcopy(m)
    assert not np.shares_memory(tie_arrays(c.w)[2], m.ties.trust)
    assert np.shares_memory(tie_arrays(c.w)[2], c.ties.trust)
    c.step()
    m.step()
    assert np.array_equal(c.ties.trust, m.ties.trust)
