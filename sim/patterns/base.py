"""What a pattern check is: its settings, its checks, its result, and shared helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sim.core.run import ReplicateResult
from sim.experiment.batch import Hook, Job, run_jobs, shared_pool
from sim.scenario.levers import apply_changes
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Agency, Scenario

BASELINE = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"


@dataclass(frozen=True)
class Settings:
    """How big the experiments are. ``quick`` is what CI runs; the full run is the default.

    Replicates are numbered from the runner's ``first`` (0, or 1000 for the held-out
    patterns) under the base scenario's seed, so every check is deterministic; scenario
    variants share replicate numbers (common random numbers).
    """

    quick: bool = False
    workers: int = 1
    progress: bool = True
    base: Path = BASELINE
    overrides: tuple[tuple[str, Any], ...] = ()  # key path, value: applied to the base

    def describe(self) -> str:
        """The base scenario and its overrides, for the report (e.g. a knock-out)."""
        sets = ", ".join(f"{k}={v}" for k, v in self.overrides)
        return f"base {self.base.name}" + (f" with {sets}" if sets else "")

    def reps(self, quick: int, full: int) -> int:
        """Replicates per condition."""
        return quick if self.quick else full


@dataclass(frozen=True)
class Check:
    """One statistic against its expectation."""

    statistic: str
    expected: str
    observed: str
    passed: bool


@dataclass
class PatternResult:
    """The outcome of one pattern: its checks, the design that produced them, a figure."""

    number: int
    title: str
    source: str
    design: str  # conditions, replicates, seeds
    checks: list[Check]
    figure: Figure
    runs: int
    expected_failure: str | None = None
    notes: list[str] = field(default_factory=list)
    label: str = ""  # "1".."11", "H1".."H7"; empty: the number

    def __post_init__(self) -> None:
        if not self.label:
            self.label = str(self.number)

    @property
    def verdict(self) -> str:
        """``pass`` when every check passes, else ``fail``."""
        return "pass" if all(c.passed for c in self.checks) else "fail"


@dataclass(frozen=True)
class Pattern:
    """A pattern of the model brief and the experiment that tests it (the experiment's
    result carries the title and source)."""

    number: int
    run: Callable[[Settings], PatternResult]
    expected_failure: str | None = None  # why it does not emerge (kept honest, not hidden)
    prefix: str = ""  # "H" for the held-out patterns of docs/held-out-patterns.md

    @property
    def label(self) -> str:
        """How reports and knock-outs name the pattern: "1".."11", "H1".."H7"."""
        return f"{self.prefix}{self.number}"


class Runner:
    """Builds scenario variants of the base scenario and runs their replicates.

    Replicates are numbered from ``first`` (0 for the calibration patterns, 1000 for the
    held-out ones, so that no held-out run repeats a calibration run's random numbers).
    """

    def __init__(self, settings: Settings, first: int = 0):
        self.settings = settings
        self.base = load_scenario(settings.base, dict(settings.overrides))
        self.first = first
        self.count = 0

    def variant(self, changes: dict[str, Any] | None = None, **fields: Any) -> Scenario:
        """The base scenario with lever ``changes`` (key paths) and top-level ``fields``."""
        sc = apply_changes(self.base, changes or {}) if changes else self.base
        return sc.model_copy(update=fields) if fields else sc

    def with_agencies(
        self, scenario: Scenario, update: Callable[[Agency], dict[str, Any]]
    ) -> Scenario:
        """``scenario`` with every agency's fields changed by ``update(agency)`` (e.g.
        ``{"power": 0.5}``), validated again as a whole scenario."""
        data = scenario.model_dump(by_alias=True)
        data["agencies"] = [a.model_dump(by_alias=True) | update(a) for a in scenario.agencies]
        return Scenario.model_validate(data)

    def run(
        self,
        scenarios: Sequence[Scenario],
        replicates: int,
        hooks: Sequence[tuple[int, Hook]] = (),
        desc: str = "runs",
    ) -> list[list[ReplicateResult]]:
        """Replicates ``first .. first+n-1`` of each scenario; one list of results per
        scenario."""
        numbers = range(self.first, self.first + replicates)
        jobs = [Job(sc, r, tuple(hooks)) for sc in scenarios for r in numbers]
        self.count += len(jobs)
        workers = self.settings.workers
        flat = run_jobs(
            jobs,
            workers=workers,
            progress=self.settings.progress,
            desc=desc,
            # one pool for every batch: a pattern runs many small batches, and a new pool
            # of spawned workers costs as much as hundreds of runs
            executor=shared_pool(workers) if workers > 1 and len(jobs) > 1 else None,
        )
        return [flat[i * replicates : (i + 1) * replicates] for i in range(len(scenarios))]

    def seeds(self, replicates: int) -> str:
        """How the runs were seeded, for the report."""
        return f"seed {self.base.seed}, replicates {self.first}-{self.first + replicates - 1}"


# -- per-run measures ----------------------------------------------------------------


def mean_of(results: Sequence[ReplicateResult], key: str, start: int = 0, stop: int | None = None):
    """Per-run mean of series ``key`` over months ``start+1 .. stop`` (array over runs)."""
    return np.array([np.nanmean(r.series[key][start:stop]) for r in results])


def over_months(results: Sequence[ReplicateResult], key: str, first: int, last: int) -> np.ndarray:
    """Per-run mean of series ``key`` over reported months ``first`` to ``last``
    inclusive (1-based, as the patterns state them)."""
    return mean_of(results, key, first - 1, last)


def in_month(results: Sequence[ReplicateResult], key: str, month: int) -> np.ndarray:
    """Per-run value of series ``key`` in reported month ``month`` (1-based)."""
    return np.array([r.series[key][month - 1] for r in results], float)


def alive_in(results: Sequence[ReplicateResult], month: int) -> np.ndarray:
    """Which runs have a board in reported month ``month`` (a boolean mask over runs)."""
    return in_month(results, "board_alive", month) > 0.5


def keep(results: Sequence[ReplicateResult], mask: np.ndarray) -> list[ReplicateResult]:
    """The runs a boolean ``mask`` selects, in order."""
    return [r for r, k in zip(results, mask, strict=True) if k]


def final_effect(results: Sequence[ReplicateResult], months: int = 12) -> np.ndarray:
    """Per-run partnership effect, averaged over the last ``months`` months."""
    return mean_of(results, "partnership_effect", -months)


def share_of(results: Sequence[ReplicateResult], regime_code: int) -> np.ndarray:
    """Per-run share of months spent in a regime."""
    return np.array([np.mean(r.series["regime_code"] == regime_code) for r in results])


def band(results: Sequence[ReplicateResult], key: str) -> tuple[np.ndarray, ...]:
    """Median and 10th/90th percentile of a series across runs, month by month."""
    data = np.stack([r.series[key] for r in results])
    return (
        np.nanmedian(data, axis=0),
        np.nanpercentile(data, 10, axis=0),
        np.nanpercentile(data, 90, axis=0),
    )


def fmt_p(p: float) -> str:
    """A p-value for a table."""
    return f"p = {p:.2g}"


def new_figure(panels: int = 1, width: float = 4.2) -> tuple[Figure, list[Any]]:
    """A figure of ``panels`` side-by-side axes (no pyplot state, safe in workers)."""
    fig = Figure(figsize=(width * panels, 3.4), layout="constrained")
    axes = [fig.add_subplot(1, panels, k + 1) for k in range(panels)]
    for ax in axes:
        ax.grid(alpha=0.3)
    return fig, axes


def levels_plot(ax: Any, levels: Sequence[float], values: Sequence[np.ndarray], label: str) -> None:
    """Median with a 10-90% band of a measure across the levels of a lever."""
    med = [np.median(v) for v in values]
    lo = [np.percentile(v, 10) for v in values]
    hi = [np.percentile(v, 90) for v in values]
    ax.fill_between(levels, lo, hi, alpha=0.25, color="C0", label="10-90% of runs")
    ax.plot(levels, med, "o-", color="C0", label="median")
    ax.set_ylabel(label)
