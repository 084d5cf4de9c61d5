"""Analyse a sweep folder end to end and write ``analysis.md`` and ``figures/*.png`` into it.

:func:`analyse` loads the sweep, computes the sensitivity indices of one output, runs
scenario discovery (skipped, with the reason recorded, when EMA Workbench is missing),
draws the phase diagrams over two parameters (by default the two most influential) and
writes the report. Every file is written atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sim.analysis.discovery import Discovery, DiscoveryUnavailable, discover
from sim.analysis.load import (
    DEFAULT_OUTPUT,
    SweepError,
    SweepResults,
    load_sweep_folder,
    parameter_unit,
)
from sim.analysis.phase import draw_phase
from sim.analysis.sensitivity import SensitivityResult, sensitivity
from sim.experiment.io import atomic_write
from sim.experiment.sweepparts import OUTPUTS

DESIGN_DETAILS = ("base_samples", "calc_second_order", "trajectories", "num_levels", "seed")


@dataclass
class Analysis:
    """What :func:`analyse` computed and where it wrote it."""

    sweep: SweepResults
    output: str
    sensitivity: SensitivityResult
    discoveries: list[Discovery] | None
    discovery_skipped: str | None
    pair: tuple[str, str] | None
    figures: list[Path] = field(default_factory=list)
    report: Path | None = None

    def runs_line(self) -> str:
        """Runs ok, failed, missing and duplicates, in one sentence."""
        s = self.sweep
        text = f"{len(s.ok)} runs ok, {len(s.failed)} failed"
        if s.missing:
            text += f", {s.missing} missing"
        if s.duplicates:
            rows = "row" if s.duplicates == 1 else "rows"
            text += f" ({s.duplicates} duplicate {rows} across parts ignored)"
        return text

    def design_line(self) -> str:
        """Design kind, points and replicates, in one sentence."""
        s = self.sweep
        return (
            f"{s.kind} design over {_count(len(s.parameters), 'parameter')}, "
            f"{_count(len(s.design), 'point')} x "
            + (f"{_count(s.draws, 'draw')} of the other constants x " if s.draws else "")
            + _count(s.replicates, "replicate")
        )

    def discovery_lines(self) -> list[str]:
        """PRIM's rules per outcome, or why discovery was skipped."""
        if self.discoveries is None:
            return [f"skipped: {self.discovery_skipped}"]
        return [line for d in self.discoveries for line in d.lines()]

    def text(self) -> str:
        """The printed summary: design, runs, indices, rules and figure paths."""
        lines = [
            f"SweepResults {self.sweep.folder}: {self.design_line()}",
            f"  {self.runs_line()}",
            "",
            self.sensitivity.to_text(),
            "",
            "Scenario discovery (PRIM; coverage = share of the outcome's runs inside the "
            "region, density = share of the region's runs with the outcome):",
        ]
        lines += [f"  {line}" for line in self.discovery_lines()]
        lines.append("")
        if self.figures and self.pair:
            lines.append(f"Phase diagrams over {self.pair[0]} and {self.pair[1]}:")
            lines += [f"  {p}" for p in self.figures]
        else:
            lines.append("No phase diagram: the sweep varies only one parameter.")
        lines.append(f"Report: {self.report}")
        return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _design_markdown(sweep: SweepResults) -> list[str]:
    info = sweep.manifest.get("design", {})
    details = ", ".join(f"{k} {info[k]}" for k in DESIGN_DETAILS if k in info)
    lines = [
        f"- Kind: **{sweep.kind}**" + (f" ({details})" if details else ""),
        f"- Points: {len(sweep.design)}; replicates per point: {sweep.replicates}; "
        + (
            f"draws of the other constants per point: {sweep.draws} (each point's means "
            "average over its draws and replicates); "
            if sweep.draws
            else ""
        )
        + f"root seed: {sweep.manifest.get('root_seed', 'not recorded')}",
        "",
        "| parameter | swept | unit |",
        "|---|---|---|",
    ]
    for p in sweep.parameters:
        lines.append(f"| `{p.path}` | {p.describe()} | {parameter_unit(p.path) or ''} |")
    versions = sweep.manifest.get("versions")
    if isinstance(versions, dict) and versions:
        lines += ["", "Versions: " + ", ".join(f"{k} {v}" for k, v in sorted(versions.items()))]
    return lines


def _failures_markdown(sweep: SweepResults, limit: int = 5) -> list[str]:
    failed = sweep.failed
    if failed.empty:
        return []
    errors = (
        failed["error"].fillna("(no message)").astype(str).map(lambda e: e.strip().splitlines()[-1])
        if "error" in failed
        else None
    )
    lines = ["", "Failed runs are excluded from every statistic. Their errors:", ""]
    if errors is not None:
        counts = errors.value_counts()
        for message, n in counts.head(limit).items():
            example = failed.loc[errors == message, "key"].iloc[0]
            lines.append(f"- {n} x `{message}` (e.g. run `{example}`)")
        if len(counts) > limit:
            lines.append(f"- ... and {len(counts) - limit} other messages")
    return lines


def markdown(result: Analysis) -> str:
    """The text of ``analysis.md``."""
    sweep = result.sweep
    lines = [f"# SweepResults analysis: {sweep.folder.name}", "", "## Design", ""]
    lines += _design_markdown(sweep)
    lines += ["", "## Runs", "", f"{result.runs_line()[0].upper()}{result.runs_line()[1:]}."]
    lines += _failures_markdown(sweep)
    lines += ["", f"## Sensitivity of `{result.output}`", ""]
    meaning = OUTPUTS.get(result.output)
    if meaning:
        lines += [f"`{result.output}`: {meaning}. Model output under assumed constants.", ""]
    lines += [result.sensitivity.to_markdown()]
    lines += [
        "",
        "## Scenario discovery (PRIM)",
        "",
        "Coverage: share of the runs with the outcome that fall inside the region. "
        "Density: share of the runs inside the region that have the outcome.",
        "",
    ]
    lines += [f"- {line}" for line in result.discovery_lines()]
    lines += ["", "## Phase diagrams", ""]
    if result.figures and result.pair:
        lines.append(f"Over `{result.pair[0]}` (x) and `{result.pair[1]}` (y).")
        lines.append("")
        for path in result.figures:
            rel = path.relative_to(sweep.folder).as_posix()
            lines += [f"![{path.stem}]({rel})", ""]
    else:
        lines.append("None: the sweep varies only one parameter.")
    return "\n".join(lines).rstrip() + "\n"


def default_pair(sweep: SweepResults, result: SensitivityResult) -> tuple[str, str] | None:
    """The two most influential parameters by the headline index (``None`` if only one)."""
    ranked = result.ranking()
    if len(ranked) < 2:
        return None
    return ranked[0], ranked[1]


def analyse(
    folder: Path | str,
    *,
    output: str = DEFAULT_OUTPUT,
    pair: Sequence[str] | None = None,
    bins: int = 8,
) -> Analysis:
    """Analyse the sweep in ``folder``; write ``analysis.md`` and ``figures/`` into it.

    ``pair`` picks the two parameters of the phase diagrams (default: the two with the
    largest headline sensitivity index). Raises ``SweepError`` (a ``ValueError``) with a
    readable message for a folder that is not a complete sweep, an unknown output or
    parameter, or a sweep without a successful run.
    """
    sweep = load_sweep_folder(folder)
    if sweep.ok.empty:
        first = sweep.failed["error"].dropna().astype(str) if "error" in sweep.failed else None
        hint = f"; first error: {first.iloc[0].strip()}" if first is not None and len(first) else ""
        raise SweepError(f"{sweep.folder}: all {len(sweep.runs)} runs failed{hint}")
    if output not in sweep.outputs:
        raise SweepError(
            f"--output {output!r} is not an output of this sweep; choose from "
            + ", ".join(sweep.outputs)
        )
    if pair is not None:
        pair = tuple(pair)
        if len(pair) != 2 or pair[0] == pair[1]:
            raise SweepError("--pair needs two different parameters")
        for name in pair:
            if name not in sweep.names:
                raise SweepError(
                    f"--pair: {name!r} is not a varied parameter; choose from "
                    + ", ".join(sweep.names)
                )
    sens = sensitivity(sweep, output)
    try:
        discoveries, skipped = discover(sweep), None
    except DiscoveryUnavailable as exc:
        discoveries, skipped = None, str(exc)
    chosen = (pair[0], pair[1]) if pair is not None else default_pair(sweep, sens)
    result = Analysis(sweep, output, sens, discoveries, skipped, chosen)
    if chosen is not None:
        result.figures = draw_phase(
            sweep, chosen[0], chosen[1], sweep.folder / "figures", effect=output, bins=bins
        )
    result.report = sweep.folder / "analysis.md"
    text = markdown(result)
    atomic_write(result.report, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    return result
