"""Paired what-ifs: several scenarios on the same replicates, and branching from a shared past.

``compare`` runs every scenario on the same replicate numbers ``0 .. n-1`` and the same
root seed, so replicate ``r`` of every scenario draws the same random numbers wherever the
scenarios share a process (common random numbers): "same locality, same luck, option A
against option B". Each scenario is summarised, and every scenario after the first is
compared with the first replicate by replicate (paired differences).

The headline of each option is the *added value of the partnership*: the need it averts
a year over its board-less twin, in % of need per year over the compared months, beside
the *value of joint work on the ground* (the board-less twin over no joint working) and
the added value accumulated by the horizon; options differ by their added value per
year. The total effect (partnership and ground work against no joint working,
``partnership_effect``) is kept as a secondary measure (:func:`per_replicate`).

Seed, horizon and replicates are the first scenario's: a later scenario whose ``seed``,
``months`` or ``replicates`` differ is re-validated with the first one's values, and a note
says so (a different seed would break the pairing; a different horizon would make the
final values incomparable).

With ``branch_at=M`` every replicate first runs ONE history of the first scenario to month
``M``; each scenario then continues a deep copy of that state to the horizon under its own
levers and its own interventions after month ``M``. The first ``M`` months are therefore
identical in every scenario. Only scenarios that differ from the first in their levers
(``environment``, ``partnership``, ``staff``) and interventions can branch; anything else
(agencies, issues, dynamics, regimes) is rejected with a :class:`ScenarioError`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
from pydantic import ValidationError

from sim.core.regimes import CODES, REGIMES
from sim.core.run import ReplicateResult
from sim.experiment.assumptions import (
    drawn_scenarios,
    draws_table,
    uncertainty_record,
    varied,
)
from sim.experiment.batch import Job, run_jobs
from sim.experiment.branch import check_branchable, run_branched
from sim.experiment.folder import begin, claim, finish
from sim.experiment.io import git_commit, package_versions, write_json, write_parquet
from sim.experiment.spread import deciding, ranking, spreads
from sim.experiment.summary import summarise
from sim.experiment.table import tidy
from sim.scenario.loader import Problem, ScenarioError, load_scenario, scenario_hash
from sim.scenario.schema import Scenario

FINAL_MONTHS = 12  # the final total effect is the mean over the last 12 months
ALIGNED = ("seed", "months", "replicates")
SEED_DERIVATION = "numpy SeedSequence(seed, spawn_key=(replicate, crc32(stream)))"


@dataclass
class Comparison:
    """The runs of a comparison and their paired statistics.

    ``labels`` are unique scenario names (a repeated name gets ``_2``, ``_3``...);
    ``results[k]`` are scenario ``k``'s replicates ``0 .. replicates-1`` in order;
    ``summaries[k]`` is :func:`~sim.experiment.summary.summarise` of them plus the
    per-scenario statistics over the comparison window (``<measure>_in_window`` for the
    rates in :data:`WINDOWED`, ``final_effect`` and ``regime_share_in_window``);
    ``differences[k-1]`` compares scenario ``k`` with the first on every measure of
    :data:`PAIRED` and on the regime shares. ``window`` is the span of months (1-based,
    inclusive) over which the rates and regime shares are compared: all months, or the
    months after the branch.

    With ``draws`` > 0 (``--uncertainty``), ``results[k]`` holds ``draws`` x
    ``replicates`` runs ordered draw by draw (each run's ``draw`` says which), ``design``
    is the unit design of the draws (:mod:`sim.experiment.assumptions`), and summaries and
    differences carry an ``uncertainty`` entry that keeps random futures and plausible
    assumptions apart (:mod:`sim.experiment.spread`).
    """

    scenarios: list[Scenario]
    sources: list[str]
    labels: list[str]
    results: list[list[ReplicateResult]]
    summaries: list[dict[str, Any]]
    differences: list[dict[str, Any]]
    branch_at: int | None
    window: tuple[int, int]
    notes: list[str] = field(default_factory=list)
    draws: int = 0
    design: np.ndarray | None = None

    @property
    def seed(self) -> int:
        """The root seed every scenario ran on."""
        return self.scenarios[0].seed

    @property
    def months(self) -> int:
        """The common horizon in months."""
        return self.scenarios[0].months

    @property
    def replicates(self) -> int:
        """The number of replicates (numbered ``0 .. replicates-1``) of every scenario."""
        return self.scenarios[0].replicates


# -- loading and checking -------------------------------------------------------------------


def load_scenarios(
    paths: Sequence[str | Path],
    overrides: dict[str, Any] | None = None,
    notices: list[str] | None = None,
) -> list[Scenario]:
    """Load every scenario file with the same ``overrides``; report all files' problems at once.

    ``notices``, when given, means the horizon came from the command line: a timeline past
    it is cut, and a one-line notice per intervention cut or dropped is appended (see
    :func:`~sim.scenario.loader.load_scenario`).

    Raises :class:`ScenarioError` (every problem of every file) on bad input, or when
    fewer than two files are given.
    """
    if len(paths) < 2:
        got = ", ".join(str(p) for p in paths) or "none"
        raise ScenarioError(
            [Problem("command line", "scenarios", f"give at least two scenario files; got {got}")]
        )
    return load_all(paths, overrides, notices)


def load_all(
    paths: Sequence[str | Path],
    overrides: dict[str, Any] | None = None,
    notices: list[str] | None = None,
) -> list[Scenario]:
    """Load every scenario file with the same ``overrides``; raise one :class:`ScenarioError`
    listing every file's problems (``notices`` as in :func:`load_scenarios`)."""
    problems: list[Problem] = []
    scenarios: list[Scenario] = []
    for path in paths:
        try:
            scenarios.append(load_scenario(path, overrides, notices))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return scenarios


def align(
    scenarios: Sequence[Scenario], sources: Sequence[str], replicates: int | None
) -> tuple[list[Scenario], list[str]]:
    """Give every scenario the first one's seed and horizon (and the replicates asked for)."""
    first = scenarios[0]
    want = {
        "seed": first.seed,
        "months": first.months,
        "replicates": first.replicates if replicates is None else replicates,
    }
    out: list[Scenario] = []
    notes: list[str] = []
    problems: list[Problem] = []
    for sc, source in zip(scenarios, sources, strict=True):
        differ = {key: getattr(sc, key) for key in ALIGNED if getattr(sc, key) != want[key]}
        if not differ:
            out.append(sc)
            continue
        for key, value in differ.items():
            if key == "replicates" and replicates is not None:
                continue  # asked for explicitly
            notes.append(
                f"{source}: {key} {value} differs from {sources[0]}'s; using {want[key]} so that "
                "every scenario runs on the same replicates and random numbers"
            )
        data = {**sc.model_dump(by_alias=True), **want}
        try:
            out.append(Scenario.model_validate(data))
        except ValidationError as exc:
            problems.extend(_problems(exc, source))
    if problems:
        raise ScenarioError(problems)
    return out, notes


def _problems(exc: ValidationError, source: str) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        path = ".".join(str(p) for p in err["loc"])
        text = str(err["msg"]).removeprefix("Value error, ")
        for line in text.splitlines():
            sub, sep, msg = line.partition(": ")
            if not path and sep:
                problems.append(Problem(source, sub, msg))
            else:
                problems.append(Problem(source, path, line))
    return problems


def _pct(values: np.ndarray) -> dict[str, float]:
    return {
        "median": float(np.median(values)),
        "p10": float(np.percentile(values, 10)),
        "p90": float(np.percentile(values, 90)),
    }


def _paired(values: np.ndarray) -> dict[str, float | int]:
    return {
        **_pct(values),
        "replicates_higher": int((values > 0).sum()),
        "replicates_lower": int((values < 0).sum()),
        "replicates_level": int((values == 0).sum()),
    }


def per_replicate(results: Sequence[ReplicateResult], window: tuple[int, int]) -> dict:
    """Per-replicate measures that are compared in pairs (arrays over replicates).

    Over the months of ``window`` (1-based, inclusive):

    * ``added_value_per_year``: what the partnership adds over its board-less twin, mean
      of ``added_value_rate`` (% of need per year);
    * ``ground_value_per_year``: what joint work on the ground adds without a board over
      no joint working, mean of ``ground_value_rate`` (% of need per year);
    * ``regime_share[g]``: share of the months spent in regime ``g``.

    At the horizon: ``added_value_cumulative`` (the board-less twin's need averted by the
    last month, % of need in log points), ``final_outcome_index`` (outcome index at the
    last month) and ``final_effect``, the total effect: mean ``partnership_effect`` (the
    partnership and ground work against no joint working, index points) over the last
    12 months (all months if fewer).
    """
    lo, hi = window

    def in_window(key: str) -> np.ndarray:
        return np.array([float(np.mean(r.series[key][lo - 1 : hi])) for r in results])

    def last(key: str) -> np.ndarray:
        return np.array([float(r.series[key][-1]) for r in results])

    codes = np.stack([r.series["regime_code"][lo - 1 : hi] for r in results])
    return {
        "added_value_per_year": in_window("added_value_rate"),
        "ground_value_per_year": in_window("ground_value_rate"),
        "added_value_cumulative": last("added_value"),
        "final_effect": np.array(
            [float(np.mean(r.series["partnership_effect"][-FINAL_MONTHS:])) for r in results]
        ),
        "final_outcome_index": last("outcome_index"),
        "regime_share": {g: (codes == CODES[g]).mean(axis=1) for g in REGIMES},
    }


WINDOWED = ("added_value_per_year", "ground_value_per_year")
"""Rates each scenario's summary gives over the comparison window (``<key>_in_window``)."""

PAIRED = (
    "added_value_per_year",
    "ground_value_per_year",
    "added_value_cumulative",
    "final_effect",
    "final_outcome_index",
)
"""Measures of :func:`per_replicate` compared in pairs, headline (added value) first."""


def _unique_labels(names: Sequence[str]) -> list[str]:
    labels: list[str] = []
    for name in names:
        label, k = name, 1
        while label in labels:
            k += 1
            label = f"{name}_{k}"
        labels.append(label)
    return labels


# -- the comparison -------------------------------------------------------------------------


def compare(
    scenarios: Sequence[Scenario],
    replicates: int | None = None,
    workers: int = 1,
    progress: bool = True,
    branch_at: int | None = None,
    sources: Sequence[str] | None = None,
    uncertainty: int = 0,
) -> Comparison:
    """Run ``scenarios`` on common random numbers and compare each with the first.

    Every scenario runs replicates ``0 .. n-1`` (``n``: ``replicates``, or the first
    scenario's) with the first scenario's seed and horizon (see the module docstring);
    ``sources`` name the scenarios in messages (default: their names). With ``branch_at``
    the scenarios branch from one shared history of the first at that month. Results do
    not depend on ``workers``. With ``uncertainty`` = N > 0 every scenario runs N draws of
    its constants (the same design points for every scenario), each crossed with the
    replicates. Raises :class:`ScenarioError` for fewer than two scenarios, a
    ``branch_at`` outside ``1 .. months-1``, scenarios that cannot branch, or
    ``branch_at`` with ``uncertainty``; nothing is run before every check has passed.
    """
    names = [sc.name for sc in scenarios]
    sources = list(sources) if sources is not None else names
    if len(scenarios) < 2:
        raise ScenarioError(
            [Problem("command line", "scenarios", "give at least two scenarios to compare")]
        )
    aligned, notes = align(scenarios, sources, replicates)
    if branch_at is not None and uncertainty:
        raise ScenarioError(
            [
                Problem(
                    "command line",
                    "--uncertainty",
                    "cannot be combined with --branch-at (each draw would need its own "
                    "shared history); drop one of them",
                )
            ]
        )
    design = None
    if uncertainty:
        design, drawn = drawn_scenarios(aligned, uncertainty)
        n = aligned[0].replicates
        jobs = [
            Job(drawn[k][d], r, draw=d)
            for k in range(len(aligned))
            for d in range(uncertainty)
            for r in range(n)
        ]
        flat = run_jobs(jobs, workers=workers, progress=progress, desc="compare")
        per = uncertainty * n
        results = [flat[k * per : (k + 1) * per] for k in range(len(aligned))]
        window = (1, aligned[0].months)
    elif branch_at is not None:
        notes += check_branchable(aligned, sources, branch_at)
        results = run_branched(aligned, branch_at, workers, progress)
        window = (branch_at + 1, aligned[0].months)
    else:
        n = aligned[0].replicates
        jobs = [Job(sc, r) for sc in aligned for r in range(n)]
        flat = run_jobs(jobs, workers=workers, progress=progress, desc="compare")
        results = [flat[k * n : (k + 1) * n] for k in range(len(aligned))]
        window = (1, aligned[0].months)
    labels = _unique_labels(names)
    measures = [per_replicate(res, window) for res in results]
    summaries = []
    for label, res, m in zip(labels, results, measures, strict=True):
        summaries.append(
            {
                "scenario": label,
                **summarise(res),
                **{f"{key}_in_window": _pct(m[key]) for key in WINDOWED},
                "final_effect": _pct(m["final_effect"]),
                "regime_share_in_window": {g: float(m["regime_share"][g].mean()) for g in REGIMES},
            }
        )
        if uncertainty:
            summaries[-1]["uncertainty"] = {key: spreads(m[key], uncertainty) for key in PAIRED}
    base = measures[0]
    differences = []
    for label, m in zip(labels[1:], measures[1:], strict=True):
        differences.append(
            {
                "scenario": label,
                "against": labels[0],
                **{key: _paired(m[key] - base[key]) for key in PAIRED},
                "regime_share": {
                    g: _paired(m["regime_share"][g] - base["regime_share"][g]) for g in REGIMES
                },
            }
        )
        if uncertainty:
            differences[-1]["uncertainty"] = _robustness(
                m, base, uncertainty, drawn_values(aligned[0], design)
            )
    return Comparison(
        scenarios=aligned,
        sources=sources,
        labels=labels,
        results=results,
        summaries=summaries,
        differences=differences,
        branch_at=branch_at,
        window=window,
        notes=notes,
        draws=uncertainty,
        design=design,
    )


def _robustness(
    m: dict[str, Any], base: dict[str, Any], draws: int, values: dict[str, np.ndarray]
) -> dict[str, Any]:
    """Each paired measure's difference across random futures and across assumptions, how
    often the option is ahead, and (headline measure) the constants that go with it."""
    out: dict[str, Any] = {}
    for key in PAIRED:
        diff = m[key] - base[key]
        out[key] = {**spreads(diff, draws), "ranking": ranking(diff, draws)}
    headline = m[PAIRED[0]] - base[PAIRED[0]]
    out[PAIRED[0]]["deciding"] = deciding(headline, draws, values)
    return out


def drawn_values(scenario: Scenario, design: np.ndarray) -> dict[str, np.ndarray]:
    """Each constant that varies in ``scenario``: its value in each draw of ``design``."""
    table = draws_table(scenario, design)
    return {e.constant.path: table.column(e.constant.path).to_numpy() for e in varied(scenario)}


# -- the results folder ---------------------------------------------------------------------


UNITS = {
    "added_value_per_year": "% of need per year",
    "ground_value_per_year": "% of need per year",
    "added_value_cumulative": "% of need (log points)",
    "final_effect": "index points",
    "final_outcome_index": "% fall in need",
    "regime_share": "share of months (0-1)",
}
"""Units of the compared measures (``comparison.json`` carries them under ``units``)."""

DEFINITIONS = {
    "added_value_per_year": "added value of the partnership: need averted a year over the "
    "board-less twin (same area, staff and luck, joint work on the ground, no board, chair, "
    "shared targets or protocol), mean over the months of the window; the headline",
    "ground_value_per_year": "value of joint work on the ground: the board-less twin's need "
    "averted a year over the twin with no joint working, mean over the months of the window",
    "added_value_cumulative": "the board-less twin's need the partnership has averted by the "
    "last month",
    "final_effect": f"total effect (partnership and ground work vs no joint working): mean "
    f"outcome index minus the no-joint-work twin's over the last {FINAL_MONTHS} months",
    "final_outcome_index": "outcome index at the last month",
    "regime_share": "share of the months in the window spent in each regime",
    "paired_difference": "scenario minus the reference, replicate by replicate; "
    "median, 10th and 90th percentiles across replicates",
    "window": "all months, or the months after the branch month with --branch-at",
    "caveat": "model output under assumed constants, not a forecast",
}
"""What ``comparison.json`` says each measure means (under ``definitions``)."""


def comparison_record(comparison: Comparison) -> dict[str, Any]:
    """What ``comparison.json`` holds (JSON-ready)."""
    c = comparison
    return {
        "scenarios": [
            {"label": label, "name": sc.name, "source": source, "scenario_hash": scenario_hash(sc)}
            for label, sc, source in zip(c.labels, c.scenarios, c.sources, strict=True)
        ],
        "reference": c.labels[0],
        "seed": c.seed,
        "replicates": list(range(c.replicates)),
        "months": c.months,
        "seed_derivation": SEED_DERIVATION,
        "common_random_numbers": "replicate r of every scenario uses seed and replicate r",
        "branch_at": c.branch_at,
        "uncertainty": uncertainty_record(c.scenarios[0], c.draws),
        "window": {"first_month": c.window[0], "last_month": c.window[1]},
        "definitions": DEFINITIONS,
        "units": UNITS,
        "summaries": {label: s for label, s in zip(c.labels, c.summaries, strict=True)},
        "differences": c.differences,
        "notes": c.notes,
        "versions": package_versions(),
        "git_commit": git_commit(),
    }


def timeseries_table(comparison: Comparison) -> pa.Table:
    """Tidy table of every scenario: one row per scenario x replicate x month."""
    tables = [
        tidy(label, res) for label, res in zip(comparison.labels, comparison.results, strict=True)
    ]
    return pa.concat_tables(tables, promote_options="default")


OLD_OUTPUTS = (
    "timeseries.parquet",
    "comparison.json",
    "draws.parquet",
    "figures/*.png",
    "brief.html",
    "timeseries.csv",
)
"""What a rewrite removes first: the comparison's files and those made from them."""


def write_comparison(comparison: Comparison, out: Path, figures: bool = True) -> dict[str, Any]:
    """Write the results folder; return the ``comparison.json`` record.

    Claims ``out`` (:func:`sim.experiment.folder.claim`; a caller may hold the claim
    already: refused if it holds another kind of result or another live process writes
    it), marks it incomplete and removes :data:`OLD_OUTPUTS`, then writes
    ``timeseries.parquet``, ``comparison.json``, ``figures/*.png`` (unless ``figures`` is
    false) and, last, ``manifest.json`` with ``"kind": "compare"`` and ``"complete": true``;
    every file is written atomically, so a folder is complete exactly when its manifest
    says so.
    """
    with claim(out, "compare", command=f"partnersim compare ({', '.join(comparison.labels)})"):
        begin(out, remove=OLD_OUTPUTS)
        write_parquet(out / "timeseries.parquet", timeseries_table(comparison))
        record = comparison_record(comparison)
        write_json(out / "comparison.json", record)
        files = ["timeseries.parquet", "comparison.json"]
        if comparison.draws:
            assert comparison.design is not None
            tables = [
                draws_table(sc, comparison.design).append_column(
                    "scenario", pa.array([label] * comparison.draws, pa.string())
                )
                for label, sc in zip(comparison.labels, comparison.scenarios, strict=True)
            ]
            write_parquet(out / "draws.parquet", pa.concat_tables(tables))
            files.append("draws.parquet")
        if figures:
            from sim.viz.compare import draw_all

            files += [str(p.relative_to(out)) for p in draw_all(comparison, out / "figures")]
        manifest = {
            "kind": "compare",
            "scenarios": [sc.model_dump(mode="json", by_alias=True) for sc in comparison.scenarios],
            "scenario_hashes": [scenario_hash(sc) for sc in comparison.scenarios],
            "sources": comparison.sources,
            "seed": comparison.seed,
            "replicates": list(range(comparison.replicates)),
            "months": comparison.months,
            "branch_at": comparison.branch_at,
            "uncertainty": record["uncertainty"],
            "seed_derivation": SEED_DERIVATION,
            "files": files,
            "versions": record["versions"],
            "git_commit": record["git_commit"],
        }
        finish(out, manifest)
    return record
