"""Overview of a scenario library: what each partnership adds, and its regimes.

Per scenario: the added value of the partnership (% of need a year over its board-less
twin), the value of joint work on the ground (the board-less twin over no joint working),
the dominant regime and the time-weighted share of each of the five regimes, and the
share of runs whose board is still in place at the horizon.

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


def _band(p: dict[str, float]) -> str:
    return f"{p['median']:+.2f} [{p['p10']:+.2f}, {p['p90']:+.2f}]"


def dominant(shares: dict[str, float]) -> str:
    """The regime with the largest share (the first in :data:`REGIMES` order on a tie)."""
    return max(REGIMES, key=lambda g: shares[g])


def markdown_table(rows: Sequence[LibraryRow]) -> str:
    """One row per scenario: added value and ground value per year (median [p10, p90]),
    the dominant regime, the time-weighted regime shares and the board at the horizon."""
    head = (
        "| scenario | added value, % of need a year | joint work on the ground, % of need a "
        "year | dominant regime | " + " | ".join(REGIMES) + " | board in place at the end |"
    )
    rule = "|---|---|---|---|" + "---|" * len(REGIMES) + "---|"
    lines = [head, rule]
    for row in rows:
        s = row.summary
        shares = s["regime_share_time_weighted"]
        lines.append(
            f"| {row.name} | {_band(s['added_value_per_year'])} | "
            f"{_band(s['ground_value_per_year'])} | {dominant(shares)} | "
            + " | ".join(f"{shares[g]:.2f}" for g in REGIMES)
            + f" | {s['board_alive_final']:.0%} of runs |"
        )
    n = rows[0].summary["replicates"] if rows else 0
    months = rows[0].summary["months"] if rows else 0
    lines.append("")
    lines.append(
        f"Over {n} replicates x {months} months; median [10th, 90th percentile] across "
        "replicates. Added value: what the partnership (board, chair, shared targets, "
        "protocol) adds over the same area without a board, in % of need averted a year, "
        "mean over the months. Joint work on the ground: what practitioners working across "
        "agencies add without a board, over no joint working. Regime shares: share of all "
        "months in each regime; the dominant regime has the largest. Model output under "
        "assumed constants, not a forecast."
    )
    return "\n".join(lines)
