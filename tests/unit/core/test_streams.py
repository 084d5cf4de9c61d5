"""Named random streams, and the common random numbers of the counterfactual twin."""

from __future__ import annotations

import zlib

import numpy as np
import pytest

from sim.core.draws import uniforms
from sim.core.run import TwinRun
from sim.core.streams import KERNEL_STREAMS, Streams, stream_key

NAMES = ("churn", "turnover", "population", "frontline", "init")


def draw(streams: Streams, name: str, n: int) -> np.ndarray:
    """``n`` uniforms from stream ``name``: a kernel stream's state, or a Generator."""
    if name in KERNEL_STREAMS:
        return uniforms(streams.state(name), n)
    return streams[name].random(n)


def test_a_stream_depends_only_on_seed_replicate_and_name():
    forward = Streams(11, 2)
    backward = Streams(11, 2)
    drawn_forward = {name: draw(forward, name, 5) for name in NAMES}
    drawn_backward = {name: draw(backward, name, 5) for name in reversed(NAMES)}
    for name in NAMES:
        assert np.array_equal(drawn_forward[name], drawn_backward[name])


def test_using_one_stream_does_not_move_another():
    busy, idle = Streams(11, 0), Streams(11, 0)
    draw(busy, "frontline", 10_000)
    assert np.array_equal(draw(busy, "churn", 5), draw(idle, "churn", 5))
    busy["init"].random(10_000)
    assert np.array_equal(draw(busy, "churn", 5), draw(idle, "churn", 5))


def test_a_stream_is_created_once_and_continues():
    s = Streams(5, 0)
    for name in ("churn", "init"):
        first = draw(s, name, 3)
        again = draw(s, name, 3)
        assert not np.array_equal(first, again)
        fresh = draw(Streams(5, 0), name, 6)
        assert np.array_equal(fresh, np.r_[first, again])
    assert s["init"] is s["init"]
    assert s.state("churn") is s.state("churn")


def test_a_kernel_stream_is_not_a_python_generator():
    with pytest.raises(KeyError, match="compiled kernels"):
        Streams(5, 0)["churn"]
    with pytest.raises(KeyError, match="not drawn in the compiled kernels"):
        Streams(5, 0).state("init")


@pytest.mark.parametrize(
    ("other", "what"),
    [((11, 2, "turnover"), "name"), ((11, 3, "churn"), "replicate"), ((12, 2, "churn"), "seed")],
)
def test_different_names_replicates_or_seeds_differ(other, what):
    reference = draw(Streams(11, 2), "churn", 8)
    seed, replicate, name = other
    assert not np.array_equal(draw(Streams(seed, replicate), name, 8), reference), what


def test_stream_keys_are_stable_crc32():
    for name in NAMES:
        assert stream_key(name) == zlib.crc32(name.encode("utf-8"))
        assert 0 <= stream_key(name) < 2**32
    assert len({stream_key(n) for n in NAMES}) == len(NAMES)


def test_seed_int_is_a_32_bit_seed():
    s = Streams(1, 0)
    value = s.seed_int("network_x")
    assert isinstance(value, int) and 0 <= value < 2**32
    assert Streams(1, 0).seed_int("network_x") == value


SHARED = ("reorganisation", "staff_replaced", "users", "initiatives")


def test_the_twin_draws_the_same_churn_turnover_and_population(base, cfg):
    sc = cfg(
        base,
        {
            "environment.policy_churn": 3.0,
            "environment.churn_severity": 0.4,
            "environment.staff_turnover": 0.3,
            "environment.initiatives_per_year": 4.0,
            "staff.champions": 0.2,
        },
        months=36,
    )
    run = TwinRun(sc, replicate=1, with_agents=False)
    for _ in range(36):
        run.step()
    factual = run.model.recorder.data
    assert factual["reorganisation"].sum() > 0
    assert factual["staff_replaced"].sum() > 0
    for other in (run.boardless, run.twin):
        for name in SHARED:
            assert np.array_equal(factual[name], other.recorder.data[name]), name
        # the same posts changed hands and the same champions remain
        assert np.array_equal(run.model.staff.tenure, other.staff.tenure)
        assert np.array_equal(run.model.staff.champion, other.staff.champion)
        assert np.array_equal(run.model.agencies.priorities, other.agencies.priorities)


def test_the_twin_has_no_partnership(base):
    run = TwinRun(base.model_copy(update={"months": 12}), replicate=0, with_agents=False)
    for _ in range(12):
        run.step()
    twin = run.twin.recorder.data
    for name in (
        "board_alive",
        "joint_work_share",
        "commitments_made",
        "leader_present",
        "formal_activity",
        "monitoring_quality",
        "process_overhead_share",
        "seamless_share",
        "ties_across_per_staff",
    ):
        assert np.all(twin[name] == 0.0), name
    assert np.all(run.model.recorder.data["board_alive"] == 1.0)


def test_the_partnership_effect_is_outcome_minus_counterfactual(base):
    run = TwinRun(base.model_copy(update={"months": 12}), replicate=0, with_agents=False)
    for _ in range(12):
        run.step()
    data = run.series()
    assert run.month == 12
    assert np.allclose(
        data["partnership_effect"], data["outcome_index"] - data["counterfactual_outcome_index"]
    )
    assert np.array_equal(
        data["counterfactual_outcome_index"], run.twin.recorder.reported("outcome_index", 12)
    )
