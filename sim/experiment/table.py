"""Tidy tables of runs: one row per (scenario, draw, replicate, month).

``draw`` numbers the draw of the model's constants (``--uncertainty``); a run without
draws has one, numbered 0, with the scenario's own constants (the manifest's
``uncertainty`` says which).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sim.core.regimes import REGIMES
from sim.core.run import ReplicateResult

KEY_COLUMNS = ("scenario", "draw", "replicate", "month")


def tidy(scenario_name: str, results: list[ReplicateResult]) -> pa.Table:
    """Stack replicate series into one tidy Arrow table (columns in a stable order)."""
    results = sorted(results, key=lambda r: (r.draw, r.replicate))
    months = results[0].series["outcome_index"].size
    n = len(results)
    cols: dict[str, pa.Array] = {
        "scenario": pa.array([scenario_name] * (n * months), pa.string()),
        "draw": pa.array(np.repeat([r.draw for r in results], months), pa.int32()),
        "replicate": pa.array(np.repeat([r.replicate for r in results], months), pa.int32()),
        "month": pa.array(np.tile(np.arange(1, months + 1), n), pa.int32()),
    }
    names = [k for k in results[0].series if k != "regime_code"]
    for name in names:
        cols[name] = pa.array(np.concatenate([r.series[name] for r in results]), pa.float64())
    codes = np.concatenate([r.series["regime_code"] for r in results]).astype(np.int8)
    cols["regime"] = pa.DictionaryArray.from_arrays(
        pa.array(codes, pa.int8()), pa.array(list(REGIMES), pa.string())
    )
    return pa.table(cols)
