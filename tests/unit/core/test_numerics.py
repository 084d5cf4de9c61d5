"""The kernels' sums add up exactly as numpy does."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core.numerics import mean, total, vec_mat


@pytest.mark.parametrize(
    "k",
    [
        0,
        1,
        3,
        7,
        8,
        9,
        17,
        128,
        129,
        136,
        255,
        256,
        257,
        300,
        512,
        513,
        1001,
        1024,
        1025,
        8191,
        100_003,
    ],
)
def test_total_and_mean_equal_numpy_to_the_last_bit(k: int) -> None:
    rng = np.random.default_rng(k)
    x = rng.random((4, k)) * 10.0 ** rng.uniform(-3, 3, (4, k))
    assert [total(row) for row in x] == x.sum(axis=1).tolist()
    if k:
        assert [mean(row) for row in x] == x.mean(axis=1).tolist()


def test_vec_mat_is_the_vector_matrix_product() -> None:
    rng = np.random.default_rng(3)
    v, m = rng.random(6), rng.random((6, 4))
    out = np.empty(4)
    vec_mat(v, m, out)
    assert np.allclose(out, v @ m, rtol=1e-14, atol=0)
