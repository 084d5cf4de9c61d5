"""The kernels' samplers draw from the distributions they name (chi-square goodness of
fit on large samples from fixed seeds: a wrong sampler fails by orders of magnitude)."""

from __future__ import annotations

import numpy as np
import pytest
from numba import njit
from scipy import stats

from sim.core import draws

N = 200_000


def state(seed: int) -> np.ndarray:
    return draws.seed_state(np.random.SeedSequence(seed))


@njit(cache=True)
def _many_poisson(s, lam, n):
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = draws.poisson(s, lam)
    return out


@njit(cache=True)
def _many_binomial(s, k, p, n):
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = draws.binomial(s, k, p)
    return out


@njit(cache=True)
def _many(s, n, kind, k):
    out = np.empty(n)
    for i in range(n):
        if kind == 0:
            out[i] = draws.normal(s)
        elif kind == 1:
            out[i] = draws.exponential(s)
        else:
            out[i] = draws.integer(s, k)
    return out


def chi_square_p(counts: np.ndarray, probs: np.ndarray) -> float:
    """p-value of observed ``counts`` against ``probs`` (cells under 5 expected pooled)."""
    expected = probs * counts.sum()
    keep = expected >= 5
    obs = np.append(counts[keep], counts[~keep].sum())
    exp = np.append(expected[keep], expected[~keep].sum())
    if exp[-1] < 5:
        obs, exp = obs[:-1], exp[:-1]
    exp *= obs.sum() / exp.sum()
    return float(stats.chisquare(obs, exp).pvalue)


@pytest.mark.parametrize("lam", [0.05, 0.8, 3.0, 12.0, 29.9, 45.0, 200.0])
def test_poisson_fits_its_distribution(lam: float) -> None:
    x = _many_poisson(state(1), lam, N)
    top = int(x.max()) + 1
    counts = np.bincount(x, minlength=top)
    probs = stats.poisson.pmf(np.arange(top), lam)
    probs[-1] += stats.poisson.sf(top - 1, lam)
    assert chi_square_p(counts, probs) > 1e-4
    assert abs(x.mean() - lam) < 5 * np.sqrt(lam / N)


@pytest.mark.parametrize(("n", "p"), [(1, 0.3), (5, 0.6), (30, 0.9), (200, 0.05)])
def test_binomial_fits_its_distribution(n: int, p: float) -> None:
    x = _many_binomial(state(2), n, p, N)
    counts = np.bincount(x, minlength=n + 1)
    assert chi_square_p(counts, stats.binom.pmf(np.arange(n + 1), n, p)) > 1e-4


def test_normal_exponential_and_integers_fit_their_distributions() -> None:
    z = _many(state(3), N, 0, 0)
    assert stats.kstest(z, "norm").pvalue > 1e-4
    e = _many(state(4), N, 1, 0)
    assert stats.kstest(e, "expon").pvalue > 1e-4
    k = _many(state(5), N, 2, 7).astype(np.int64)
    assert chi_square_p(np.bincount(k, minlength=7), np.full(7, 1 / 7)) > 1e-4
    assert k.min() == 0 and k.max() == 6


def test_uniforms_are_uniform_and_independent_of_their_neighbour() -> None:
    u = draws.uniforms(state(6), N)
    assert stats.kstest(u, "uniform").pvalue > 1e-4
    assert abs(np.corrcoef(u[:-1], u[1:])[0, 1]) < 5 / np.sqrt(N)


def test_no_draw_when_the_outcome_is_certain() -> None:
    s = state(7)
    before = s.copy()
    assert draws.poisson(s, 0.0) == 0
    assert draws.binomial(s, 0, 0.5) == 0
    assert draws.binomial(s, 4, 0.0) == 0
    assert draws.binomial(s, 4, 1.0) == 4
    assert np.array_equal(s, before)


def test_a_stream_is_reproducible_from_its_seed() -> None:
    assert np.array_equal(draws.uniforms(state(8), 100), draws.uniforms(state(8), 100))
    assert not np.array_equal(draws.uniforms(state(8), 100), draws.uniforms(state(9), 100))


def _poisson_by_plain_inversion(s: np.ndarray, lam: float) -> int:
    """The inversion written out term by term in Python: partial sums of the probabilities
    (each the previous times ``lam / x``) until one reaches the uniform draw."""
    x = 0
    while lam > 30.0:
        x += _poisson_by_plain_inversion(s, 30.0)
        lam -= 30.0
    if lam <= 0.0:
        return x
    u = draws.uniform(s)
    p = cdf = float(np.exp(-lam))
    k = 0
    cap = lam + 40.0 * np.sqrt(lam) + 40.0
    while u > cdf and k < cap:
        k += 1
        p *= lam / k
        cdf += p
    return x + k


def test_poisson_is_the_plain_inversion_draw_for_draw() -> None:
    """The sampler's first terms are summed without a branch each: every count, and the
    stream's state after it, equal those of the plain inversion, for small, moderate and
    large means (a changed partial sum or comparison changes counts here)."""
    lams = np.r_[1e-12, 0.01, 0.05, 0.3, 0.66, 1.0, 2.5, 4.0, 9.0, 29.9, 30.0, 31.0, 75.0]
    mine, ref = state(11), state(11)
    for lam in np.repeat(lams, 400):
        assert draws.poisson(mine, float(lam)) == _poisson_by_plain_inversion(ref, float(lam))
        assert mine[0] == ref[0]
    nan = state(12)
    assert draws.poisson(nan, float("nan")) == 0


def test_skip_leaves_the_stream_where_the_draws_would() -> None:
    """Skipping k outputs leaves the state where k uniforms (or exponentials) leave it."""
    for k in (0, 1, 7, 143, 10_000):
        drawn, skipped = state(21), state(21)
        draws.uniforms(drawn, k)
        draws.skip(skipped, k)
        assert drawn[0] == skipped[0]
        assert draws.uniform(drawn) == draws.uniform(skipped)
