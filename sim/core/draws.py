"""Random draws in the compiled kernels.

Each named stream the kernels draw from (``sim/core/streams.py``, ``KERNEL_STREAMS``) is a
SplitMix64 generator: a one-word state (a ``uint64`` array of length 1, shared by Python
and the kernels) that advances by a fixed odd constant, each output a bijective mix of the
state (Steele, Lea & Flood 2014, "Fast splittable pseudorandom number generators"; it
passes TestU01's BigCrush). The state starts from the stream's own ``SeedSequence``
(root seed, replicate, stream name), so streams stay independent and reproducible.

The samplers are exact for their distributions and cheap for the small means the model
draws every month (most draws are Poisson with a mean below 1 and binomials of a few
trials), which is where the time of a run went with numpy's general-purpose samplers:

* :func:`poisson`: inversion of the cumulative distribution from one uniform (means above
  30 are split into parts of at most 30, whose sum is Poisson with the whole mean); the
  first four partial sums are formed without a branch each, as a count of 0 to 3 is the
  usual outcome and a branch per term is mispredicted about half the time;
* :func:`binomial`: the sum of ``n`` Bernoulli trials;
* :func:`normal`: Marsaglia's polar method; :func:`exponential`: inversion;
* :func:`integer`: an unbiased integer in ``[0, k)`` by rejection.

The samplers drawn inside the kernels' loops are inlined into their callers
(``inline="always"``): a call that passes the stream's state array costs a reference
count increment and decrement, which cost more than the draw.
"""

from __future__ import annotations

import numpy as np
from numba import njit

_gamma = np.uint64(0x9E3779B97F4A7C15)  # the odd increment (2**64 over the golden ratio)
_mix1 = np.uint64(0xBF58476D1CE4E5B9)
_mix2 = np.uint64(0x94D049BB133111EB)
_s30, _s27, _s31, _s11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
_to_unit = 1.0 / 9007199254740992.0  # 2**-53
_poisson_part = 30.0  # largest mean inverted in one piece


@njit(cache=True, inline="always")
def next_u64(state: np.ndarray) -> np.uint64:
    """The stream's next 64 random bits."""
    z = state[0] + _gamma
    state[0] = z
    z = (z ^ (z >> _s30)) * _mix1
    z = (z ^ (z >> _s27)) * _mix2
    return z ^ (z >> _s31)


@njit(cache=True, inline="always")
def uniform(state: np.ndarray) -> float:
    """A uniform number in [0, 1) with 53 random bits."""
    return float(next_u64(state) >> _s11) * _to_unit


@njit(cache=True)
def skip(state: np.ndarray, k: int) -> None:
    """Advance the stream past its next ``k`` 64-bit outputs without making them (the state
    moves by the increment per output, so this is where ``k`` draws leave it)."""
    state[0] = state[0] + np.uint64(k) * _gamma


@njit(cache=True)
def uniforms(state: np.ndarray, n: int) -> np.ndarray:
    """``n`` uniform numbers in [0, 1), in order."""
    out = np.empty(n)
    for i in range(n):
        out[i] = uniform(state)
    return out


@njit(cache=True, inline="always")
def _poisson_inverse(state: np.ndarray, lam: float, p0: float) -> int:
    """Inversion from one uniform; ``p0`` is ``exp(-lam)``."""
    u = uniform(state)
    # the first four terms without a branch each (the divisions do not wait on one
    # another): the count of partial sums below ``u`` is the first ``x`` with ``u <= cdf``,
    # as the sums never fall; ``not u > c3`` also returns 0 for a NaN mean, as the loop did
    p1 = p0 * (lam / 1)
    c1 = p0 + p1
    p2 = p1 * (lam / 2)
    c2 = c1 + p2
    p3 = p2 * (lam / 3)
    c3 = c2 + p3
    if not u > c3:
        return (u > p0) + (u > c1) + (u > c2)
    p = p3
    cdf = c3
    x = 3
    # the tail beyond lam + 40 sd holds less than 1e-300: stop there if rounding keeps cdf < u
    cap = lam + 40.0 * np.sqrt(lam) + 40.0
    while u > cdf and x < cap:
        x += 1
        p *= lam / x
        cdf += p
    return x


@njit(cache=True, inline="always")
def poisson(state: np.ndarray, lam: float) -> int:
    """A Poisson count with mean ``lam`` (0 for ``lam <= 0``; no draw then)."""
    if lam <= 0.0:
        return 0
    x = 0
    while lam > _poisson_part:
        x += _poisson_inverse(state, _poisson_part, np.exp(-_poisson_part))
        lam -= _poisson_part
    return x + _poisson_inverse(state, lam, np.exp(-lam))


@njit(cache=True)
def poisson_many(state: np.ndarray, lam: float, n: int) -> np.ndarray:
    """``n`` Poisson counts of one mean, in order (the same draws as ``n`` calls of
    :func:`poisson`, with ``exp(-lam)`` computed once)."""
    out = np.zeros(n, np.int64)
    if lam <= 0.0:
        return out
    if lam > _poisson_part:
        for i in range(n):
            out[i] = poisson(state, lam)
        return out
    p0 = np.exp(-lam)
    for i in range(n):
        out[i] = _poisson_inverse(state, lam, p0)
    return out


@njit(cache=True, inline="always")
def poisson_p0(state: np.ndarray, lam: float, p0: float) -> int:
    """:func:`poisson` given ``p0 = exp(-lam)``, computed once for many draws of one mean
    (the same draw as :func:`poisson`)."""
    if lam <= 0.0:
        return 0
    if lam > _poisson_part:
        return poisson(state, lam)
    return _poisson_inverse(state, lam, p0)


@njit(cache=True, inline="always")
def binomial(state: np.ndarray, n: int, p: float) -> int:
    """Successes in ``n`` trials of chance ``p`` (no draw when ``n <= 0``, ``p <= 0`` or
    ``p >= 1``)."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    x = 0
    for _ in range(n):
        if uniform(state) < p:
            x += 1
    return x


@njit(cache=True)
def normal(state: np.ndarray) -> float:
    """A standard normal number (Marsaglia's polar method; the pair's second is dropped)."""
    while True:
        u = 2.0 * uniform(state) - 1.0
        v = 2.0 * uniform(state) - 1.0
        s = u * u + v * v
        if 0.0 < s < 1.0:
            return u * np.sqrt(-2.0 * np.log(s) / s)


@njit(cache=True)
def exponential(state: np.ndarray) -> float:
    """A standard exponential number (the gamma of shape 1)."""
    return -np.log(1.0 - uniform(state))


@njit(cache=True)
def integer(state: np.ndarray, k: int) -> int:
    """An integer in ``[0, k)``, every value equally likely (``k >= 1``)."""
    bound = np.uint64(k)
    floor = (np.uint64(0) - bound) % bound  # 2**64 mod k: below it, the residues are biased
    while True:
        x = next_u64(state)
        if x >= floor:
            return int(x % bound)


def seed_state(sequence: np.random.SeedSequence) -> np.ndarray:
    """The one-word state of a stream from its seed sequence."""
    return sequence.generate_state(1, np.uint64)
