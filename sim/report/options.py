"""Read results folders (of ``partnersim run`` or ``partnersim compare``) as options."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ValidationError

from sim.core.regimes import REGIMES
from sim.experiment.folder import read_manifest
from sim.experiment.spread import deciding, ranking, spreads
from sim.report.files import read_parquet
from sim.scenario.fields import provenance
from sim.scenario.interventions import SetLevers
from sim.scenario.levers import lever_paths
from sim.scenario.loader import Problem, ScenarioError
from sim.scenario.schema import Scenario


@dataclass
class Option:
    """One option: its resolved scenario and its monthly series (tidy, all replicates).

    ``first_month`` is the first month the option is judged on: 1, or the month after the
    branch when the options continued one shared history (``compare --branch-at``).
    ``draws`` is the number of draws of the model's constants its runs cover (0: none,
    every run with the scenario's own constants); each simulated future is one run, keyed
    by (draw, replicate).
    """

    name: str
    scenario: Scenario
    series: pd.DataFrame  # columns: draw, replicate, month, outputs..., regime
    folder: Path
    first_month: int = 1
    draws: int = 0

    @property
    def replicates(self) -> list[int]:
        """Replicate numbers, sorted."""
        return sorted(self.series["replicate"].unique().tolist())

    @property
    def runs(self) -> list[tuple[int, int]]:
        """The (draw, replicate) of every run, sorted: the simulated futures."""
        pairs = self.series[RUN].drop_duplicates().itertuples(index=False)
        return sorted((int(d), int(r)) for d, r in pairs)

    @property
    def horizon(self) -> int:
        """The last reported month."""
        return int(self.series["month"].max())

    def final(self, column: str, months: int = 12) -> pd.Series:
        """Per-replicate mean of ``column`` over the last ``months`` months."""
        recent = self.series[self.series["month"] > self.horizon - months]
        return recent.groupby(RUN)[column].mean()

    def per_year(self, column: str) -> pd.Series:
        """Per-replicate mean of a rate (``added_value_rate``, ``ground_value_rate``: % of
        need per year) over the months judged, ``first_month`` to the horizon."""
        judged = self.series[self.series["month"] >= self.first_month]
        return judged.groupby(RUN)[column].mean()

    def at_horizon(self, column: str) -> pd.Series:
        """Per-replicate value of ``column`` in the last month (cumulative measures)."""
        last = self.series[self.series["month"] == self.horizon]
        return last.set_index(RUN)[column].sort_index()

    def regime_shares(self) -> dict[str, float]:
        """Share of all months (all replicates) in each regime."""
        counts = self.series["regime"].astype(str).value_counts(normalize=True)
        return {str(k): float(v) for k, v in counts.items()}

    def end_regimes(self) -> dict[str, int]:
        """How many runs end (are, in the last month) in each regime; regimes no run ends in
        are left out, the most frequent first (ties in the order of ``REGIMES``)."""
        last = self.series[self.series["month"] == self.horizon]["regime"].astype(str)
        counts = {r: int((last == r).sum()) for r in REGIMES}
        return dict(sorted(((r, n) for r, n in counts.items() if n), key=lambda kv: -kv[1]))

    def paths(self) -> dict[tuple[str, ...], int]:
        """Each run's path through the regimes (its labels in month order, repeats
        collapsed) and how many runs took it, the most frequent first."""
        counts: dict[tuple[str, ...], int] = {}
        ordered = self.series.sort_values([*RUN, "month"])
        for _, run in ordered.groupby(RUN, sort=True)["regime"]:
            labels = run.astype(str).tolist()
            path = tuple(r for k, r in enumerate(labels) if k == 0 or r != labels[k - 1])
            counts[path] = counts.get(path, 0) + 1
        return dict(sorted(counts.items(), key=lambda kv: -kv[1]))

    def ending_in(self, regime: str) -> Option:
        """The same option restricted to the runs that end in ``regime``."""
        last = self.series[self.series["month"] == self.horizon]
        keep = last.loc[last["regime"].astype(str) == regime, RUN]
        rows = self.series.merge(keep, on=RUN, how="inner")
        return replace(self, series=rows)


RUN = ["draw", "replicate"]
"""The columns that key one run (one simulated future)."""

NUMERIC = (
    "replicate",
    "month",
    "partnership_effect",
    "outcome_index",
    "boardless_outcome_index",
    "counterfactual_outcome_index",
    "added_value_rate",
    "ground_value_rate",
    "added_value",
    "ground_value",
    "joint_work_share",
    "formal_activity",
    "trust_across",
    "target_pressure",
    "delivery_ratio",
    "alignment_vertical",
    "board_alive",
)
"""Columns of ``timeseries.parquet`` the brief reads, besides ``scenario`` and ``regime``."""


def _problem(where: Path, what: str) -> ScenarioError:
    return ScenarioError([Problem(str(where), "", what)])


def _scenario(data: Any, where: Path, key: str) -> Scenario:
    try:
        return Scenario.model_validate(data, strict=False)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        loc = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise _problem(
            where, f"{key}: not a valid scenario ({loc}: {str(first['msg'])[:80]})"
        ) from None


def _scenarios(manifest: dict[str, Any], where: Path) -> list[Scenario]:
    if "scenario" in manifest:  # partnersim run
        return [_scenario(manifest["scenario"], where, "scenario")]
    listed = manifest.get("scenarios")  # partnersim compare
    if not isinstance(listed, list) or not listed:
        raise _problem(where, "holds no scenario (neither 'scenario' nor a list 'scenarios')")
    return [_scenario(sc, where, f"scenarios[{k}]") for k, sc in enumerate(listed)]


def _first_month(branch_at: Any, frame: pd.DataFrame, where: Path) -> int:
    """The first month judged: 1, or the month after a branch inside the horizon."""
    if branch_at is None or frame.empty:
        return 1  # an empty table is refused by the caller, naming the scenario
    horizon = int(frame["month"].max())
    if (
        isinstance(branch_at, bool)
        or not isinstance(branch_at, int)
        or not (1 <= branch_at < horizon)
    ):
        raise _problem(where, f"branch_at: expected a month from 1 to {horizon - 1} or null")
    return branch_at + 1


def _draws(record: Any, frame: pd.DataFrame, where: Path) -> int:
    """The number of draws the manifest declares, checked against the table's draws."""
    if record is None:
        declared = 0
    elif isinstance(record, dict) and isinstance(record.get("draws"), int):
        declared = record["draws"]
    else:
        raise _problem(where, "uncertainty: expected null or an object with a whole 'draws'")
    found = sorted(frame["draw"].unique().tolist()) if not frame.empty else []
    if found and found != list(range(max(declared, 1))):
        raise _problem(
            where,
            f"uncertainty: declares {declared} draws but timeseries.parquet holds draws {found}",
        )
    return declared


def load_options(folders: list[Path]) -> list[Option]:
    """Options from results folders, in the order given (a comparison gives several).

    Each folder must be a complete ``run`` or ``compare`` folder
    (:func:`sim.experiment.folder.read_manifest`) whose ``timeseries.parquet`` is readable
    and has the brief's columns; otherwise :class:`ScenarioError` says what is wrong.
    """
    options: list[Option] = []
    for folder in folders:
        manifest = read_manifest(folder, ("run", "compare"))
        scenarios = _scenarios(manifest, folder / "manifest.json")
        table = folder / "timeseries.parquet"
        frame = read_parquet(table, ("scenario", "regime", *NUMERIC), NUMERIC)
        if "draw" not in frame:  # written before draws of the constants existed
            frame.insert(0, "draw", 0)
        first = _first_month(manifest.get("branch_at"), frame, folder / "manifest.json")
        draws = _draws(manifest.get("uncertainty"), frame, folder / "manifest.json")
        for sc in scenarios:
            rows = frame[frame["scenario"] == sc.name]
            if rows.empty:
                raise _problem(table, f"has no rows for scenario {sc.name!r}")
            name = sc.name
            if any(o.name == name for o in options):
                name = f"{name} ({folder.name})"
            options.append(Option(name, sc, rows.reset_index(drop=True), folder, first, draws))
    return options


def paired(a: Option, b: Option) -> bool:
    """True when two options ran on common random numbers (same seed, runs, horizon) and,
    with draws of the constants, the same design of draws."""
    return (
        a.scenario.seed == b.scenario.seed
        and a.runs == b.runs
        and a.draws == b.draws
        and a.scenario.uncertainty.design == b.scenario.uncertainty.design
        and a.horizon == b.horizon
        and a.first_month == b.first_month
    )


def difference(a: Option, b: Option, column: str = "added_value_rate") -> dict[str, Any]:
    """``a`` minus ``b`` on the per-year mean of the rate ``column`` over the months judged
    (:meth:`Option.per_year`): paired by replicate when the two ran on common random
    numbers, otherwise a conservative range from the two distributions."""
    fa, fb = a.per_year(column), b.per_year(column)
    if paired(a, b):
        d = (fa - fb).to_numpy()  # both indexed by (draw, replicate), sorted
        out: dict[str, Any] = {
            "paired": True,
            "median": float(np.median(d)),
            "p10": float(np.percentile(d, 10)),
            "p90": float(np.percentile(d, 90)),
            "higher": int((d > 0).sum()),
            "lower": int((d < 0).sum()),
            "level": int((d == 0).sum()),
            "n": int(d.size),
            "values": d,
        }
        if a.draws:
            out["uncertainty"] = {
                **spreads(d, a.draws),
                "ranking": ranking(d, a.draws),
                "deciding": deciding(d, a.draws, drawn_constants(b)),
            }
        return out
    return {
        "paired": False,
        "median": float(fa.median() - fb.median()),
        "p10": float(np.percentile(fa, 10) - np.percentile(fb, 90)),
        "p90": float(np.percentile(fa, 90) - np.percentile(fb, 10)),
        "higher": None,
        "lower": None,
        "level": None,
        "n": int(min(fa.size, fb.size)),
        "values": None,
    }


def _get(obj: Any, path: str) -> tuple[Any, type[BaseModel], str]:
    parts = path.split(".")
    for part in parts[:-1]:
        obj = getattr(obj, part)
    return getattr(obj, parts[-1]), type(obj), parts[-1]


def number(value: Any) -> str:
    """A lever value as the brief prints it (0.0 as 0, 0.5 as 0.5, text as it is)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def timeline(scenario: Scenario, path: str) -> list[tuple[int, int, Any]]:
    """The ``set`` windows of ``scenario`` that name the lever ``path``: (first month, last
    month, value), in file order; a change without ``until`` lasts to the horizon."""
    out = []
    for event in scenario.interventions:
        if isinstance(event, SetLevers) and path in event.changes:
            last = event.until if event.until is not None else scenario.months
            out.append((event.first_month(), last, event.changes[path]))
    return out


def shown_value(scenario: Scenario, path: str, value: Any) -> str:
    """A lever's value with its changes over time: ``0.5; 0 in months 12-48``."""
    text = number(value)
    for first, last, new in timeline(scenario, path):
        when = f"month {first}" if first == last else f"months {first}-{last}"
        text += f"; {number(new)} in {when}"
    return text


def lever_rows(options: list[Option]) -> list[dict[str, Any]]:
    """Every public lever: its value in each option (with its changes over time, from the
    option's ``interventions``), unit, source and meaning; ``differs`` when the values or
    the timelines differ between options."""
    rows = []
    for path in lever_paths(options[0].scenario):
        values = []
        for o in options:
            value, owner, field = _get(o.scenario, path)
            values.append(shown_value(o.scenario, path, value))
        prov = provenance(owner, field)
        rows.append(
            {"path": path, "values": values, **prov, "differs": any(v != values[0] for v in values)}
        )
    return rows


def windows(scenario: Scenario) -> list[tuple[int, int, str]]:
    """The scenario's timeline for the charts: (first month, last month, label) of every
    intervention, a one-off event being one month long."""
    out = []
    for event in scenario.interventions:
        if isinstance(event, SetLevers):
            last = event.until if event.until is not None else scenario.months
            what = ", ".join(
                f"{k.rsplit('.', 1)[-1].replace('_', ' ')} {number(v)}"
                for k, v in event.changes.items()
            )
        else:
            last = event.first_month()
            what = event.action.replace("_", " ")
        out.append((event.first_month(), last, what))
    return out


def drawn_constants(o: Option) -> dict[str, np.ndarray]:
    """Each constant that varies across ``o``'s draws: its value in each draw, from the
    folder's ``draws.parquet`` (empty when the folder has none or it lacks the option)."""
    path = o.folder / "draws.parquet"
    if not o.draws or not path.exists():
        return {}
    table = read_parquet(path, ("draw",))
    if "scenario" in table:
        table = table[table["scenario"] == o.scenario.name]
    table = table.sort_values("draw")
    if len(table) != o.draws:
        return {}
    cols = [c for c in table.columns if c not in ("draw", "scenario")]
    return {c: table[c].to_numpy(float) for c in cols if np.ptp(table[c].to_numpy(float)) > 0}
