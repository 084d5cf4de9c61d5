"""Tidy tables of runs: one row per (scenario, replicate, month)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from sim.core.regimes import REGIMES
from sim.core.run import ReplicateResult

KEY_COLUMNS = ("scenario", "replicate", "month")


def tidy(scenario_name: str, results: list[ReplicateResult]) -> pa.Table:
    """Stack replicate series into one tidy Arrow table (columns in a stable order)."""
    results = sorted(results, key=lambda r: r.replicate)
    months = results[0].series["outcome_index"].size
    n = len(results)
    cols: dict[str, pa.Array] = {
        "scenario": pa.array([scenario_name] * (n * months), pa.string()),
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
