"""Sums for the compiled kernels that add up exactly as numpy does.

numpy adds a float array pairwise (blocks of at most 128 values, eight lanes each, halved
recursively); a plain loop adds in sequence and differs in the last bits. The kernels use
:func:`total` and :func:`mean` wherever the numpy code they replace used ``sum`` or
``mean``, so results stay equal to the last bit where the draws are the same.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def _block(a: np.ndarray, lo: int, n: int) -> float:
    """numpy's sum of a block of at most 128 values ``a[lo:lo + n]`` (eight lanes)."""
    if n < 8:
        res = -0.0
        for i in range(lo, lo + n):
            res += a[i]
        return res
    r0, r1, r2, r3 = a[lo], a[lo + 1], a[lo + 2], a[lo + 3]
    r4, r5, r6, r7 = a[lo + 4], a[lo + 5], a[lo + 6], a[lo + 7]
    full = n - n % 8
    for i in range(lo + 8, lo + full, 8):
        r0 += a[i]
        r1 += a[i + 1]
        r2 += a[i + 2]
        r3 += a[i + 3]
        r4 += a[i + 4]
        r5 += a[i + 5]
        r6 += a[i + 6]
        r7 += a[i + 7]
    res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
    for i in range(lo + full, lo + n):
        res += a[i]
    return res


@njit(cache=True)
def _half(n: int) -> int:
    """Where numpy splits ``n > 128`` values: about half, a multiple of 8."""
    half = n // 2
    return half - half % 8


@njit(cache=True)
def _halves3(a: np.ndarray, lo: int, n: int) -> float:
    """numpy's sum of ``a[lo:lo + n]``: three levels of halving, then :func:`_stacked`."""
    if n <= 128:
        return _block(a, lo, n)
    if n > 1024:
        return _stacked(a[lo : lo + n])
    h = _half(n)
    return _halves2(a, lo, h) + _halves2(a, lo + h, n - h)


@njit(cache=True)
def _halves2(a: np.ndarray, lo: int, n: int) -> float:
    """As :func:`_halves3`, two levels."""
    if n <= 128:
        return _block(a, lo, n)
    h = _half(n)
    return _halves1(a, lo, h) + _halves1(a, lo + h, n - h)


@njit(cache=True)
def _halves1(a: np.ndarray, lo: int, n: int) -> float:
    """As :func:`_halves3`, one level (values up to 256 end in blocks here)."""
    if n <= 128:
        return _block(a, lo, n)
    h = _half(n)
    return _halves0(a, lo, h) + _halves0(a, lo + h, n - h)


@njit(cache=True)
def _halves0(a: np.ndarray, lo: int, n: int) -> float:
    """A block, or the general walk for a longer run."""
    if n <= 128:
        return _block(a, lo, n)
    return _stacked(a[lo : lo + n])


@njit(cache=True)
def total(a: np.ndarray) -> float:
    """Sum of a contiguous float array, bit for bit as ``np.sum`` adds it (numpy's pairwise
    halving into blocks of at most 128: up to 1,024 values by nested halving that needs no
    memory, beyond with a stack, as numba's cache cannot hold a recursive function)."""
    return _halves3(a, 0, a.size)


@njit(cache=True)
def _stacked(a: np.ndarray) -> float:
    """:func:`total` walked with an explicit stack (any length)."""
    if a.size <= 128:
        return _block(a, 0, a.size)
    los = np.empty(128, np.int64)
    ns = np.empty(128, np.int64)
    split = np.zeros(128, np.bool_)  # the frame's halves are summed: add them
    sums = np.empty(128)
    top, depth = 0, 0
    los[0], ns[0] = 0, a.size
    while top >= 0:
        lo, n, done = los[top], ns[top], split[top]
        top -= 1
        if n <= 128:
            sums[depth] = _block(a, lo, n)
            depth += 1
        elif done:
            depth -= 1
            sums[depth - 1] = sums[depth - 1] + sums[depth]
        else:
            half = n // 2
            half -= half % 8
            top += 1
            los[top], ns[top], split[top] = lo, n, True
            top += 1
            los[top], ns[top], split[top] = lo + half, n - half, False
            top += 1
            los[top], ns[top], split[top] = lo, half, False
    return sums[0]


@njit(cache=True)
def vec_mat(v: np.ndarray, mat: np.ndarray, out: np.ndarray) -> None:
    """``out[:] = v @ mat`` summed over rows in index order."""
    out[:] = 0.0
    for k in range(mat.shape[0]):
        for j in range(mat.shape[1]):
            out[j] += v[k] * mat[k, j]


@njit(cache=True)
def mean(a: np.ndarray) -> float:
    """``a.mean()`` of a contiguous float array, bit for bit (nan when empty)."""
    return total(a) / a.size if a.size else np.nan
