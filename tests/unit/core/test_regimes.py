"""Regimes: each month classified over a rolling window from what the partnership adds."""

from __future__ import annotations

import numpy as np
import pytest

from sim.core import regimes
from sim.core.regimes import CODES, classify, clearly_positive, names, persist, rolling_sum
from sim.core.run import TwinRun
from sim.scenario.schema import Regimes

RULES = Regimes(window_months=12, value_z=2.0, kept_ratio=0.5, persist_months=1)
N = 24
WIGGLE = np.tile([-0.05, 0.05], N)  # month-to-month noise so that a mean has an error


def series(added=0.0, ground=0.0, formal=0.0, made=0.0, delivered=0.0, alive=1.0, n=N):
    def col(x):
        return np.broadcast_to(np.asarray(x, float), (n,)).copy()

    return {
        "added_value_rate": col(added) + WIGGLE[:n],
        "ground_value_rate": col(ground) + WIGGLE[:n],
        "formal_activity": col(formal),
        "commitments_made": col(made),
        "commitments_delivered": col(delivered),
        "board_alive": col(alive),
    }


def regime(data, rules=RULES) -> list[str]:
    return list(names(classify(data, rules)["regime_code"]))


@pytest.mark.parametrize(
    ("case", "data", "expected"),
    [
        ("adds value, keeps promises", series(0.8, 0.3, 0.5, 1.0, 0.8), "delivering"),
        ("adds value, no promises", series(0.8, 0.0, 0.1), "delivering"),
        ("adds value, promises lapse", series(0.8, 0.3, 0.5, 2.0, 0.2), "delivering"),
        ("adds nothing, promises lapse", series(0.0, 0.3, 0.6, 2.0, 0.2), "facade"),
        ("costs more than it adds, promises lapse", series(-0.5, 0.0, 0.8, 2.0, 0.4), "facade"),
        ("adds nothing, promises kept, ground work", series(0.0, 0.4, 0.6, 2.0, 2.0), "organic"),
        ("adds nothing, no promises, ground work", series(-0.1, 0.4, 0.1), "organic"),
        ("nothing anywhere", series(0.0, 0.0, 0.1), "inert"),
        ("dissolved", series(0.8, 0.4, 0.6, 1.0, 1.0, alive=0.0), "dissolved"),
        ("dissolved and idle", series(alive=0.0), "dissolved"),
    ],
)
def test_hand_made_series_fall_in_their_regime(case, data, expected):
    assert set(regime(data)[2:]) == {expected}, case


def test_clearly_above_zero_weighs_the_mean_against_its_standard_error():
    steady = np.full(12, 0.1) + np.tile([-0.01, 0.01], 6)
    noisy = np.full(12, 0.1) + np.tile([-1.0, 1.0], 6)
    assert clearly_positive(steady, 12, 2.0)[1][-1]
    assert not clearly_positive(noisy, 12, 2.0)[1][-1]
    assert not clearly_positive(-steady, 12, 2.0)[1][-1]
    # one month is not a window: nothing is clear from it
    assert not clearly_positive(steady, 12, 2.0)[1][0]


def test_no_label_before_the_window_has_two_months():
    out = regime(series(0.8, 0.3))
    assert out[0] == "inert" and out[1] == "delivering"


def test_regimes_change_as_the_window_moves_on():
    added = np.r_[np.full(12, 1.0), np.full(24, -0.2)]
    got = regime(series(added=added, n=36))
    assert got[1:12] == ["delivering"] * 11
    first = got.index("inert", 1)
    # the window mean turns non-positive once -0.2 months outweigh 1.0 months: t >= 21
    assert 15 <= first <= 22
    assert got[first:] == ["inert"] * (36 - first)


def test_hysteresis_needs_a_new_label_to_hold_before_it_shows():
    d, f = CODES["delivering"], CODES["facade"]
    raw = np.array([d, d, f, d, f, f, f, d, d, d], np.int8)
    assert list(persist(raw, 3)) == [d, d, d, d, d, d, f, f, f, d]
    assert list(persist(raw, 1)) == list(raw)


def test_dissolution_shows_at_once_despite_hysteresis():
    alive = np.r_[np.ones(10), np.zeros(14)]
    rules = RULES.model_copy(update={"persist_months": 6})
    got = regime(series(0.8, 0.1, alive=alive), rules)
    assert got[10:] == ["dissolved"] * 14
    assert got[:6] == ["inert"] * 6 and got[6:10] == ["delivering"] * 4


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
    capped = classify(series(made=1.0, delivered=3.0), RULES)["delivery_ratio"]
    assert np.all(capped == 1.0)


def test_facade_index_is_formal_activity_times_the_share_lapsing():
    for formal, made, delivered in [(0.8, 2.0, 0.0), (0.8, 2.0, 1.0), (0.5, 0.0, 0.0)]:
        out = classify(series(formal=formal, made=made, delivered=delivered), RULES)
        lapse = 0.0 if made == 0 else 1.0 - min(1.0, delivered / made)
        assert np.allclose(out["facade_index"], formal * lapse)
        assert np.all((out["facade_index"] >= 0) & (out["facade_index"] <= 1))


def test_window_means_are_reported():
    added = np.arange(N, dtype=float) / 100
    out = classify(series(added=added, formal=0.4), RULES)
    for t in range(N):
        lo = max(0, t + 1 - 12)
        want = (added + WIGGLE[:N])[lo : t + 1].mean()
        assert out["added_value_window"][t] == pytest.approx(want)
    assert np.allclose(out["formal_activity_window"], 0.4)


def test_rolling_sum_matches_a_plain_loop():
    x = np.random.default_rng(3).random(40)
    for w in (1, 5, 12, 50):
        want = [x[max(0, i + 1 - w) : i + 1].sum() for i in range(x.size)]
        assert np.allclose(rolling_sum(x, w), want)


def test_names_and_codes_agree():
    assert list(names(np.array([0, 1, 2, 3, 4]))) == list(regimes.REGIMES)
    assert all(regimes.REGIMES[code] == name for name, code in CODES.items())


def test_a_run_judges_month_one_with_a_window_reaching_into_the_spin_up(base):
    sc = base.model_copy(update={"months": 6})
    run = TwinRun(sc, 0, with_agents=False)
    for _ in range(6):
        run.step()
    got = run.series()
    spin = run.model.spin_up
    assert spin >= sc.regimes.window_months
    rec = run.model.recorder.data
    w = sc.regimes.window_months
    want = rec["formal_activity"][spin - w + 1 : spin + 1].mean()
    assert got["formal_activity_window"][0] == pytest.approx(want)
    assert got["regime_code"].shape == (6,)


def test_the_listed_columns_are_what_classify_returns():
    assert tuple(classify(series(), RULES)) == regimes.COLUMNS


def test_rolling_sum_is_the_cumsum_difference_to_the_last_bit():
    """The compiled running sums add in the order ``np.cumsum`` does (signed zeros and nan
    included), so the regime columns are those of the numpy formula bit for bit."""
    rng = np.random.default_rng(7)
    for n, w in [(0, 3), (1, 1), (40, 7), (181, 12)]:
        x = rng.normal(size=n) * 10.0 ** rng.uniform(-6, 6, n)
        x[rng.random(n) < 0.2] = -0.0
        x[rng.random(n) < 0.05] = np.nan
        c = np.cumsum(np.r_[0.0, x])
        idx = np.arange(1, n + 1)
        want = c[idx] - c[np.maximum(idx - w, 0)]
        assert rolling_sum(x, w).tobytes() == want.tobytes()
        assert rolling_sum(x[::-1], w).tobytes() == rolling_sum(x[::-1].copy(), w).tobytes()
