"""Overview of a scenario library: regime shares and partnership effect per scenario.

Every scenario runs on the same replicate numbers (so on common random numbers where the
scenarios share processes), and the table reads across options at a glance. It is how the
figures quoted in the changelog and the docs are produced:
``partnersim library scenarios/ --replicates 10``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from sim.core.regimes import REGIMES
from sim.core.run import simulate
from sim.experiment.summary import summarise
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class LibraryRow:
    """One scenario's summary across its replicates."""

    name: str
    path: Path
    summary: dict[str, Any]


def library_paths(folder: Path) -> list[Path]:
    """The scenario files directly in ``folder`` (sweep files in sub-folders are skipped)."""
    return sorted(p for p in folder.glob("*.yaml") if p.is_file())


def run_library(
    paths: Sequence[Path],
    overrides: dict[str, Any] | None = None,
    progress: bool = True,
    notices: list[str] | None = None,
) -> list[LibraryRow]:
    """Load every scenario first (so a bad file fails before any run), then run each.

    ``notices``: as for :func:`~sim.scenario.loader.load_scenario` (a ``months`` override
    from the command line cuts timelines that run past it, with a notice for each).
    """
    return run_loaded([(p, load_scenario(p, overrides, notices)) for p in paths], progress)


def run_loaded(
    scenarios: Sequence[tuple[Path, Scenario]], progress: bool = True
) -> list[LibraryRow]:
    """Run every loaded scenario (its file and itself) and summarise each."""
    total = sum(sc.replicates for _, sc in scenarios)
    rows = []
    with tqdm(total=total, desc="library", unit="run", disable=not progress) as bar:
        for path, sc in scenarios:
            results = []
            for r in range(sc.replicates):
                results.append(simulate(sc, r))
                bar.update()
            rows.append(LibraryRow(sc.name, path, summarise(results)))
    return rows


def markdown_table(rows: Sequence[LibraryRow]) -> str:
    """Regime shares (of all months, across replicates) and the final partnership effect."""
    head = "| scenario | " + " | ".join(REGIMES) + " | effect, median [p10, p90] | joint work |"
    rule = "|---|" + "---|" * len(REGIMES) + "---|---|"
    lines = [head, rule]
    for row in rows:
        s = row.summary
        shares = s["regime_share_time_weighted"]
        eff = s["partnership_effect_last_year"]
        joint = s["joint_work_share_final"]["median"]
        lines.append(
            f"| {row.name} | "
            + " | ".join(f"{shares[g]:.2f}" for g in REGIMES)
            + f" | {eff['median']:+.1f} [{eff['p10']:+.1f}, {eff['p90']:+.1f}] | {joint:.3f} |"
        )
    n = rows[0].summary["replicates"] if rows else 0
    months = rows[0].summary["months"] if rows else 0
    lines.append("")
    lines.append(
        f"Shares of months in each regime over {n} replicates x {months} months; effect in "
        "outcome points, mean of the last 12 months (outcome minus its counterfactual); joint "
        "work is the median share of frontline capacity at the last month."
    )
    return "\n".join(lines)
