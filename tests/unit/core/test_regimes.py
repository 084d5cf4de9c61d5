"""Regimes: each month classified over a rolling window of recorded series."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import regimes
from sim.core.regimes import CODES, classify, names, rolling_sum
from sim.scenario.schema import Regimes

RULES = Regimes(
    window_months=12, joint_threshold=0.12, delivery_threshold=0.5, formal_threshold=0.3
)
N = 24


def series(joint=0.0, formal=0.0, made=0.0, delivered=0.0, alive=1.0, n=N):
    def col(x):
        return np.broadcast_to(np.asarray(x, float), (n,)).copy()

    return {
        "joint_work_share": col(joint),
        "formal_activity": col(formal),
        "commitments_made": col(made),
        "commitments_delivered": col(delivered),
        "board_alive": col(alive),
    }


def regime(data) -> list[str]:
    return list(names(classify(data, RULES)["regime_code"]))


@pytest.mark.parametrize(
    ("case", "data", "expected"),
    [
        ("kept promises", series(0.2, 0.5, 1.0, 0.8), "delivering"),
        ("organic, no promises", series(0.2, 0.1, 0.0, 0.0), "delivering"),
        ("quiet board, joint work", series(0.2, 0.1, 2.0, 0.2), "delivering"),
        ("busy board, little joint work", series(0.02, 0.6, 2.0, 0.2), "facade"),
        ("busy board, broken promises", series(0.2, 0.6, 2.0, 0.2), "facade"),
        ("busy board, kept promises, no joint work", series(0.02, 0.6, 2.0, 2.0), "facade"),
        ("little of either", series(0.02, 0.1, 0.0, 0.0), "inert"),
        ("dissolved", series(0.2, 0.6, 1.0, 1.0, alive=0.0), "dissolved"),
        ("dissolved and idle", series(alive=0.0), "dissolved"),
    ],
)
def test_hand_made_series_fall_in_their_regime(case, data, expected):
    assert set(regime(data)) == {expected}, case


def test_regimes_change_as_the_window_moves_on():
    joint = np.r_[np.full(12, 0.3), np.full(24, 0.0)]
    data = series(joint=joint, formal=0.1, n=36)
    got = regime(data)
    assert got[:12] == ["delivering"] * 12
    # month t's window holds 23 - t months of 0.3: below 0.12 once 23 - t < 4.8, t = 19
    first_inert = got.index("inert")
    assert first_inert == 19
    assert got[first_inert:] == ["inert"] * (36 - first_inert)


def test_dissolution_shows_in_its_own_month():
    alive = np.r_[np.ones(10), np.zeros(14)]
    got = regime(series(0.2, 0.1, alive=alive))
    assert got == ["delivering"] * 10 + ["dissolved"] * 14


def test_delivery_ratio_over_the_window():
    made = np.zeros(N)
    made[[2, 5]] = 1.0
    delivered = np.zeros(N)
    delivered[8] = 1.0
    out = classify(series(made=made, delivered=delivered), RULES)
    ratio = out["delivery_ratio"]
    assert np.all(np.isnan(ratio[:2]))  # nothing made yet
    assert ratio[2] == 0.0
    assert ratio[8] == pytest.approx(0.5)
    assert ratio[16] == pytest.approx(1.0)  # only the second commitment is in the window
    assert np.all(np.isnan(ratio[17:]))  # none made in the window
    # over-delivery (delivering commitments made before the window) is capped at 1
    capped = classify(series(made=1.0, delivered=3.0), RULES)["delivery_ratio"]
    assert np.all(capped == 1.0)


def test_facade_index_is_formal_activity_times_shortfall():
    cases = [
        (0.0, 0.8, 2.0, 0.0),
        (0.06, 0.8, 2.0, 1.0),
        (0.3, 0.8, 2.0, 2.0),
        (0.1, 0.5, 0.0, 0.0),
        (0.2, 0.0, 0.0, 0.0),
    ]
    for joint, formal, made, delivered in cases:
        out = classify(series(joint, formal, made, delivered), RULES)
        ratio = 1.0 if made == 0 else min(1.0, delivered / made)
        want = formal * (1.0 - min(1.0, joint / 0.24) * ratio)
        assert np.allclose(out["facade_index"], want)
        assert np.all((out["facade_index"] >= 0) & (out["facade_index"] <= 1))
    assert np.allclose(classify(series(0.0, 0.9, 2.0, 0.0), RULES)["facade_index"], 0.9)


def test_window_means_are_reported():
    joint = np.arange(N, dtype=float) / 100
    out = classify(series(joint=joint, formal=0.4), RULES)
    for t in range(N):
        lo = max(0, t + 1 - 12)
        assert out["joint_work_window"][t] == pytest.approx(joint[lo : t + 1].mean())
    assert np.allclose(out["formal_activity_window"], 0.4)


def test_rolling_sum_matches_a_plain_loop():
    x = np.random.default_rng(3).random(40)
    for w in (1, 5, 12, 50):
        want = [x[max(0, i + 1 - w) : i + 1].sum() for i in range(x.size)]
        assert np.allclose(rolling_sum(x, w), want)


def test_names_and_codes_agree():
    assert list(names(np.array([0, 1, 2, 3]))) == list(regimes.REGIMES)
    assert all(regimes.REGIMES[code] == name for name, code in CODES.items())


def test_the_model_badge_matches_the_classification_of_its_series(base, make):
    m = make(base.model_copy(update={"months": 30}))
    for _ in range(30):
        m.step()
        data = {k: m.recorder.upto(k) for k in regimes.SERIES}
        code = classify(data, m.levers.regimes)["regime_code"][-1]
        assert m.regime == regimes.REGIMES[code]
