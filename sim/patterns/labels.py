"""How robust the regime labels are: every regime threshold moved by a fifth either way.

For each library scenario the same runs are classified again with each threshold of
``regimes`` (``value_z``, ``kept_ratio``) at 80% and 120% of its value. A label is robust
when no move changes the scenario's dominant regime (the one with the largest share of
run-months) and no regime's time-weighted share moves by more than ``MAX_SHARE_CHANGE``.
``python -m sim.patterns.labels`` prints the table kept in ``docs/validation.md``.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sim.core.regimes import CODES, REGIMES
from sim.core.run import TwinRun
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Regimes

THRESHOLDS = ("value_z", "kept_ratio")
SETTINGS = ("window_months", "persist_months")  # not thresholds: reported, not tested
SHIFT = 0.2
MAX_SHARE_CHANGE = 0.15
LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"


@dataclass(frozen=True)
class Robustness:
    """Regime shares of one scenario under its thresholds and under each move."""

    scenario: str
    shares: dict[str, np.ndarray]  # "reference" or "<threshold> x0.8" -> share per regime

    @property
    def reference(self) -> np.ndarray:
        """Time-weighted share of each regime under the scenario's own thresholds."""
        return self.shares["reference"]

    def dominant(self, key: str = "reference") -> str:
        """The regime with the largest share under ``key``."""
        return REGIMES[int(np.argmax(self.shares[key]))]

    def largest_change(self) -> float:
        """Largest move of any regime's share under any threshold move."""
        return max(
            float(np.abs(v - self.reference).max())
            for k, v in self.shares.items()
            if k != "reference"
        )

    def flips(self) -> list[str]:
        """Threshold moves that change the dominant regime."""
        return [k for k in self.shares if self.dominant(k) != self.dominant()]

    @property
    def robust(self) -> bool:
        """No flip of the dominant regime and no share moved by more than the limit."""
        return not self.flips() and self.largest_change() <= MAX_SHARE_CHANGE


def variants(rules: Regimes, names: tuple[str, ...] = THRESHOLDS) -> dict[str, Regimes]:
    """The scenario's rules and each of ``names`` moved by -20% and +20% (whole months
    rounded, at least one month apart from the reference)."""
    out = {"reference": rules}
    for name in names:
        base = getattr(rules, name)
        for factor in (1.0 - SHIFT, 1.0 + SHIFT):
            value = base * factor
            if isinstance(base, int):
                step = max(1, round(abs(value - base)))
                value = max(base + (step if factor > 1 else -step), 1)
            if name == "kept_ratio":
                value = min(value, 1.0)
            out[f"{name} x{factor:.1f}"] = rules.model_copy(update={name: value})
    return out


def check(
    path: Path,
    replicates: int,
    months: int | None = None,
    names: tuple[str, ...] = THRESHOLDS,
) -> Robustness:
    """Run ``replicates`` runs of the scenario at ``path`` and classify them every way."""
    sc = load_scenario(path)
    if months is not None:
        sc = sc.model_copy(update={"months": months})
    rules = variants(sc.regimes, names)
    codes: dict[str, list[np.ndarray]] = {k: [] for k in rules}
    for rep in range(replicates):
        run = TwinRun(sc, rep, with_agents=False)
        run.run_to(sc.months)
        for key, r in rules.items():
            codes[key].append(run.regimes(r)["regime_code"])
    shares = {
        key: np.array([(np.stack(c) == CODES[g]).mean() for g in REGIMES])
        for key, c in codes.items()
    }
    return Robustness(sc.name, shares)


def library(
    replicates: int, months: int | None = None, names: tuple[str, ...] = THRESHOLDS
) -> list[Robustness]:
    """:func:`check` for every scenario of the library."""
    return [check(p, replicates, months, names) for p in sorted(LIBRARY.glob("*.yaml"))]


def markdown(rows: list[Robustness]) -> str:
    """The table for ``docs/validation.md``."""
    head = "| scenario | dominant | " + " | ".join(REGIMES) + " | largest change | flips |"
    lines = [head, "|" + "---|" * (len(REGIMES) + 4)]
    for r in rows:
        shares = " | ".join(f"{v:.2f}" for v in r.reference)
        flips = ", ".join(r.flips()) or "none"
        lines.append(
            f"| {r.scenario} | {r.dominant()} | {shares} | {r.largest_change():.2f} | {flips} |"
        )
    return "\n".join(lines)


def main() -> None:
    """Print the robustness table of the library."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicates", type=int, default=20)
    parser.add_argument("--months", type=int, default=None)
    parser.add_argument(
        "--settings", action="store_true", help="move the window and persistence instead"
    )
    args = parser.parse_args()
    names = SETTINGS if args.settings else THRESHOLDS
    print(markdown(library(args.replicates, args.months, names)))


if __name__ == "__main__":
    main()
