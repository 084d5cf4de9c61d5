"""The comparison of a ``compare`` folder as flat tables for spreadsheets.

- ``effects``: one row per option and measure (median, 10th and 90th percentiles across
  simulated futures, unit and meaning), from ``comparison.json``'s summaries;
- ``differences``: one row per option, reference and measure (the paired difference,
  option minus reference: median, percentiles and how many runs are ahead, behind and
  level), from ``comparison.json``'s differences;
- ``regimes``: one row per option and regime: how many simulated futures end in it (the
  label of the last month), that count as a share of the futures, and the share of all
  months spent in it, from ``timeseries.parquet``;
- ``paired_runs``: one row per option after the first and simulated future: the
  partnership's added value a year under the option and under the reference, and the
  difference, the numbers behind the brief's paired-difference figure.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.regimes import REGIMES
from sim.report.files import read_json_object
from sim.report.options import RUN, load_options, paired
from sim.scenario.loader import Problem, ScenarioError

SKIP = {"measures", "uncertainty", "draw_means", "deciding", "against", "scenario"}
"""Keys of ``comparison.json`` entries that are not measures (or not flat)."""


def _walk(record: dict[str, Any], prefix: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Each measure under ``record``: its dotted name and its numbers (a spread with
    ``median``, or a single value)."""
    out: list[tuple[str, dict[str, Any]]] = []
    for key, value in sorted(record.items()):
        if key in SKIP:
            continue
        name = f"{prefix}{key}"
        if isinstance(value, dict) and "median" in value:
            out.append((name, value))
        elif isinstance(value, dict):
            out += _walk(value, f"{name}.")
        elif isinstance(value, int | float) and not isinstance(value, bool):
            out.append((name, {"median": value}))
    return out


def _problem(where: Path, what: str) -> ScenarioError:
    return ScenarioError([Problem(str(where), "", what)])


def effects(record: dict[str, Any], where: Path) -> pd.DataFrame:
    """The ``effects`` table from a comparison record."""
    summaries = record.get("summaries")
    if not isinstance(summaries, dict):
        raise _problem(where, "summaries: expected an object with one entry per option")
    rows = []
    for option, summary in summaries.items():
        if not isinstance(summary, dict):
            raise _problem(where, f"summaries.{option}: expected an object")
        meaning = summary.get("measures") if isinstance(summary.get("measures"), dict) else {}
        for name, numbers in _walk(summary):
            about = meaning.get(name.split(".")[0], {})
            about = about if isinstance(about, dict) else {}
            rows.append(
                {
                    "option": option,
                    "measure": name,
                    "median": numbers.get("median"),
                    "p10": numbers.get("p10"),
                    "p90": numbers.get("p90"),
                    "unit": about.get("unit", ""),
                    "meaning": about.get("meaning", ""),
                }
            )
    return pd.DataFrame(rows)


def differences(record: dict[str, Any], where: Path, runs: dict[str, int]) -> pd.DataFrame:
    """The ``differences`` table from a comparison record; ``runs`` gives each option's
    number of simulated futures, so that the level runs are counted too."""
    listed = record.get("differences")
    if not isinstance(listed, list):
        raise _problem(where, "differences: expected a list")
    rows = []
    for k, entry in enumerate(listed):
        if not isinstance(entry, dict):
            raise _problem(where, f"differences[{k}]: expected an object")
        option, against = entry.get("scenario"), entry.get("against")
        for name, numbers in _walk(entry):
            higher = numbers.get("replicates_higher")
            lower = numbers.get("replicates_lower")
            n = runs.get(str(option))
            level = n - higher - lower if None not in (n, higher, lower) else None
            rows.append(
                {
                    "option": option,
                    "against": against,
                    "measure": name,
                    "median": numbers.get("median"),
                    "p10": numbers.get("p10"),
                    "p90": numbers.get("p90"),
                    "runs_ahead": higher,
                    "runs_behind": lower,
                    "runs_level": level,
                    "runs": n,
                }
            )
    return pd.DataFrame(rows)


def comparison_tables(folder: Path) -> dict[str, pd.DataFrame]:
    """The four tables of a complete ``compare`` folder (:class:`ScenarioError` naming the
    file when ``comparison.json`` or ``timeseries.parquet`` is damaged)."""
    where = folder / "comparison.json"
    record = read_json_object(where)
    options = load_options([folder])
    runs = {o.scenario.name: len(o.runs) for o in options}
    regimes = []
    for o in options:
        ends = o.end_regimes()
        shares = o.regime_shares()
        for regime in REGIMES:
            regimes.append(
                {
                    "option": o.scenario.name,
                    "regime": regime,
                    "runs_ending_in_it": ends.get(regime, 0),
                    "share_of_runs_at_end": ends.get(regime, 0) / len(o.runs),
                    "share_of_months": shares.get(regime, 0.0),
                    "runs": len(o.runs),
                    "last_month": o.horizon,
                }
            )
    pairs = []
    ref = options[0]
    for o in options[1:]:
        if not paired(o, ref):
            continue
        mine, theirs = o.per_year("added_value_rate"), ref.per_year("added_value_rate")
        for key in mine.index:
            pairs.append(
                {
                    "option": o.scenario.name,
                    "against": ref.scenario.name,
                    **dict(zip(RUN, (int(x) for x in key), strict=True)),
                    "added_value_per_year": float(mine[key]),
                    "against_added_value_per_year": float(theirs[key]),
                    "difference": float(mine[key] - theirs[key]),
                }
            )
    columns = ["option", "against", *RUN, "added_value_per_year",
               "against_added_value_per_year", "difference"]  # fmt: skip
    return {
        "effects": effects(record, where),
        "differences": differences(record, where, runs),
        "regimes": pd.DataFrame(regimes),
        "paired_runs": pd.DataFrame(pairs, columns=columns).astype({"difference": np.float64}),
    }
