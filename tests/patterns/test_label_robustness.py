"""The regime labels do not hinge on their thresholds: each moved by a fifth either way
changes no library scenario's dominant regime and no time-weighted share by more than 0.15.
"""

from __future__ import annotations

import pytest

from sim.patterns import labels

REPLICATES = 6


@pytest.fixture(scope="module")
def table() -> list[labels.Robustness]:
    return labels.library(REPLICATES)


def test_every_library_scenario_is_checked(table):
    assert len(table) == len(list(labels.LIBRARY.glob("*.yaml"))) >= 8
    for row in table:
        assert set(row.shares) == {"reference"} | {
            f"{name} x{f}" for name in labels.THRESHOLDS for f in ("0.8", "1.2")
        }


@pytest.mark.parametrize("k", range(8))
def test_no_label_flips_when_a_threshold_moves_by_a_fifth(table, k):
    row = table[k]
    assert not row.flips(), (row.scenario, row.flips(), row.shares)
    assert row.largest_change() <= labels.MAX_SHARE_CHANGE, (row.scenario, row.shares)


def test_the_check_can_fail():
    """A share that moves by more than the limit, or a dominant regime that changes, is
    caught (so the test above is not true by construction)."""
    import numpy as np

    ref = np.array([0.5, 0.1, 0.1, 0.1, 0.2])
    moved = np.array([0.3, 0.3, 0.1, 0.1, 0.2])
    row = labels.Robustness("x", {"reference": ref, "value_z x0.8": moved})
    assert not row.robust and row.largest_change() == pytest.approx(0.2)
    flipped = np.array([0.35, 0.4, 0.05, 0.0, 0.2])
    assert labels.Robustness("x", {"reference": ref, "kept_ratio x1.2": flipped}).flips()
