"""Named random streams derived from the scenario seed.

Every stochastic process draws from its own stream, named after it (``"churn"``,
``"turnover"``, ``"population"``...). A stream depends only on the root seed, the
replicate number and its name, never on the order in which other streams are used. So
the counterfactual twin, built from the same seed and replicate, draws exactly the same
numbers for the processes it shares with the factual run (common random numbers).
"""

from __future__ import annotations

import zlib
from functools import lru_cache

import numpy as np

from sim.core.draws import seed_state

# Streams drawn in the compiled kernels (``sim/core/draws.py``): each is a one-word state,
# :meth:`Streams.state`. The others (``init``, ``network``, ``mesa``, ``interventions``)
# are numpy Generators drawn on the Python side, ``streams[name]``.
KERNEL_STREAMS = (
    "board",
    "board_contacts",
    "churn",
    "frontline",
    "initiatives",
    "leadership",
    "lifecycle",
    "meeting_ties",
    "newcomers",
    "population",
    "register",
    "reshuffle",
    "succession",
    "ties",
    "turnover",
)


@lru_cache(maxsize=4096)
def _initial_state(seed: int, replicate: int, name: str) -> np.ndarray:
    """A kernel stream's first state (the worlds of a replicate share it; callers copy)."""
    return seed_state(seed_sequence(seed, replicate, name))


def seed_sequence(seed: int, replicate: int, name: str) -> np.random.SeedSequence:
    """The seed sequence of stream ``name`` of ``replicate`` under root ``seed``."""
    return np.random.SeedSequence(seed, spawn_key=(replicate, stream_key(name)))


def stream_key(name: str) -> int:
    """Stable 32-bit key of a stream name (CRC-32, the same on every platform)."""
    return zlib.crc32(name.encode("utf-8"))


class Streams:
    """The named streams of one replicate: numpy Generators for the Python side, one-word
    states for the compiled kernels (:data:`KERNEL_STREAMS`)."""

    def __init__(self, seed: int, replicate: int):
        self.seed = int(seed)
        self.replicate = int(replicate)
        self._cache: dict[str, np.random.Generator] = {}
        self._states: dict[str, np.ndarray] = {}

    def __getitem__(self, name: str) -> np.random.Generator:
        if name in KERNEL_STREAMS:
            raise KeyError(
                f"stream {name!r} is drawn in the compiled kernels: its state is "
                f"Streams.state({name!r}) (sim/core/draws.py)"
            )
        if name not in self._cache:
            sequence = seed_sequence(self.seed, self.replicate, name)
            self._cache[name] = np.random.Generator(np.random.PCG64(sequence))
        return self._cache[name]

    def state(self, name: str) -> np.ndarray:
        """The one-word state of kernel stream ``name`` (shared with the compiled world)."""
        if name not in KERNEL_STREAMS:
            raise KeyError(f"stream {name!r} is not drawn in the compiled kernels")
        if name not in self._states:
            self._states[name] = _initial_state(self.seed, self.replicate, name).copy()
        return self._states[name]

    def seed_int(self, name: str) -> int:
        """A 32-bit integer seed for libraries that take one (e.g. networkx)."""
        return int(self[name].integers(2**32 - 1))
