"""Named random streams derived from the scenario seed.

Every stochastic process draws from its own stream, named after it (``"churn"``,
``"turnover"``, ``"population"``...). A stream depends only on the root seed, the
replicate number and its name, never on the order in which other streams are used. So
the counterfactual twin, built from the same seed and replicate, draws exactly the same
numbers for the processes it shares with the factual run (common random numbers).
"""

from __future__ import annotations

import zlib

import numpy as np


def stream_key(name: str) -> int:
    """Stable 32-bit key of a stream name (CRC-32, the same on every platform)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """Factory of named ``numpy.random.Generator`` streams for one replicate."""

    def __init__(self, seed: int, replicate: int):
        self.seed = int(seed)
        self.replicate = int(replicate)
        self._cache: dict[str, np.random.Generator] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name not in self._cache:
            seq = np.random.SeedSequence(self.seed, spawn_key=(self.replicate, stream_key(name)))
            self._cache[name] = np.random.Generator(np.random.PCG64(seq))
        return self._cache[name]

    def seed_int(self, name: str) -> int:
        """A 32-bit integer seed for libraries that take one (e.g. networkx)."""
        return int(self[name].integers(2**32 - 1))
