"""The brief's bands count every simulated future once: a (draw, replicate) pair."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from sim.report.charts import _band
from sim.report.options import Option
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[3]


def test_a_band_over_draws_takes_each_run_apart_not_the_draws_mean() -> None:
    runs = {(0, 0): 0.0, (1, 0): 10.0, (0, 1): 1.0, (1, 1): 2.0, (0, 2): 3.0}
    series = pd.DataFrame(
        [
            {"draw": d, "replicate": r, "month": m, "added_value_rate": v}
            for (d, r), v in runs.items()
            for m in (1, 2)
        ]
    )
    scenario = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    option = Option("baseline", scenario, series, ROOT, draws=2)
    months, med, lo, hi = _band(option, "added_value_rate")
    assert months.tolist() == [1, 2]
    values = list(runs.values())
    assert med.tolist() == [np.median(values)] * 2  # 2.0; averaging over draws gave 3.0
    assert lo.tolist() == [np.quantile(values, 0.1)] * 2
    assert hi.tolist() == [np.quantile(values, 0.9)] * 2
