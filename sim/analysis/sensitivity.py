"""Sensitivity indices of one output over the swept parameters, with their uncertainty.

The output is first averaged over the successful runs of each design point (its
replicates, or every draw and replicate in a sweep with ``uncertainty: N`` draws of the
model's other constants), so the indices describe how the parameters move the *expected*
output; how much of a single run's variation is chance (or, with draws, the other
constants) rather than parameters is reported separately (:class:`Noise`).

- ``sobol`` designs: total-order (``ST``) and first-order (``S1``) Sobol indices with
  bootstrap confidence intervals (``SALib.analyze.sobol.analyze``). A block of the
  Saltelli sample (the rows A, AB_1..AB_D, B) in which any point has no successful run is
  dropped whole, which keeps the estimator valid.
- ``morris`` designs: ``mu_star`` (mean absolute elementary effect: the output's change
  over a step divided by the step as a share of the parameter's range, so in output units
  per full range), ``mu`` and ``sigma``, with a bootstrap interval on ``mu_star``
  (``SALib.analyze.morris.analyze``). Trajectories with a missing point are dropped whole.
- ``grid`` designs (any full factorial over the parameters' levels): a variance
  decomposition (:mod:`sim.analysis.variance`): the ``share`` of the variance of single
  runs explained by each parameter's main effect, with a bootstrap interval (runs
  resampled within points) and an F-test ``p`` against the replicate noise; the
  ``shape`` of its level means (``rising``, ``falling``, ``hump, highest at 0.2-0.4``,
  ``dip``, ``flat``); the share of each pair's interaction, of higher-order interactions
  and of the residual (replicate noise). Rank correlation ``rho`` follows as a secondary
  column: it cannot see an effect that rises then falls, a main effect can.
- ``lhs`` designs (and a grid that is not a full factorial): Spearman rank correlation
  ``rho`` between each parameter and the output over the design points, with a Fisher-z
  interval (a screening measure, not a variance decomposition).

Every index whose confidence interval includes 0 or is wider than the index itself gets
a warning, e.g. ``ST of partnership.formality (0.03 +/- 0.05) is within noise``. Replicate
noise left in the point means inflates ``ST`` and ``mu_star`` of every parameter (the
estimators compare nearby points, each with its own noise); an ``ST`` or ``mu_star``
whose interval does not clear that noise level is flagged too. A main-effect ``share``
is within noise when its F-test does not reject "no effect" at the confidence level.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from sim.analysis.load import DEFAULT_OUTPUT, SweepError, SweepResults
from sim.analysis.variance import Decomposition, decompose, has_levels

NOISE_WARN = 0.3
"""Warn when more than this share of an output's run-to-run variance lies between
replicates of the same design point."""

METHODS = {
    "sobol": "Sobol indices",
    "morris": "Morris screening",
    "anova": "Variance decomposition (main effects and interactions over the grid)",
    "rank": "Rank correlation",
}


@dataclass(frozen=True)
class Noise:
    """Replicate noise of one output (with draws: the variation within a design point,
    between draws of the other constants and between replicates).

    ``share`` is the pooled within-point variance of single runs divided by their total
    variance (0: replicates agree; 1: the parameters explain nothing). ``share_of_means``
    estimates the part of the variance of the point means that is still noise
    (within-point variance / runs per point, over the variance of the means). Both are
    ``None`` when no point has two successful runs. ``replicates`` is the mean number of
    successful runs per point (draws x replicates in a sweep with draws).

    With ``draws`` > 0, ``replicate_share`` is the pooled variance within each draw of a
    point over the total variance, and ``draw_share`` the rest of ``share``: the part
    between draws of the model's other constants (``None`` when no draw of a point has
    two successful replicates; the two are then pooled in ``share``). ``share_of_means``
    and the noise floors of the indices pool the two.
    """

    output: str
    share: float | None
    share_of_means: float | None
    replicates: float
    within: float | None = None
    harmonic_replicates: float | None = None
    draws: int = 0
    draw_share: float | None = None
    replicate_share: float | None = None

    @property
    def label(self) -> str:
        """What the noise is, as a line's title."""
        return "variation within a point" if self.draws else "replicate noise"

    @property
    def mean_noise_var(self) -> float | None:
        """Estimated noise variance of a point's replicate mean."""
        if self.within is None or not self.harmonic_replicates:
            return None
        return self.within / self.harmonic_replicates

    def describe(self) -> str:
        """One sentence on the replicate noise (with draws: on both parts of it)."""
        if self.share is None:
            runs = "runs" if self.draws else "replicates"
            return (
                f"cannot be estimated for {self.output} (no design point has two successful {runs})"
            )
        if not self.draws:
            text = (
                f"{self.share:.0%} of the run-to-run variance of {self.output} lies between "
                f"replicates of the same point"
            )
        elif self.draw_share is None or self.replicate_share is None:
            text = (
                f"{self.share:.0%} of the run-to-run variance of {self.output} lies within "
                "a design point, between draws of the other constants and replicates "
                "pooled (one replicate per draw: the two cannot be told apart)"
            )
        else:
            text = (
                f"{self.share:.0%} of the run-to-run variance of {self.output} lies within "
                f"a design point: {self.draw_share:.0%} between draws of the other "
                f"constants, {self.replicate_share:.0%} between replicates of the same draw"
            )
        if self.share_of_means is not None:
            runs = "runs (draws x replicates)" if self.draws else "replicates"
            text += (
                f"; averaging {self.replicates:.3g} {runs} leaves about "
                f"{self.share_of_means:.0%} of the variance of the point means as noise"
            )
            if self.draws:
                text += " (draws and replicates pooled)"
        return text


@dataclass
class SensitivityResult:
    """Indices of one output: a table (one row per parameter) plus warnings.

    ``table`` columns by method: sobol ``ST, ST_conf, S1, S1_conf``; morris
    ``mu_star, mu_star_conf, mu, sigma``; anova ``share, share_conf, p, floor, shape,
    rho, rho_conf`` (``floor``: the share noise alone gives; ``shape``: words); rank
    ``rho, rho_conf``. ``*_conf`` is the half-width of the confidence interval at
    ``conf_level``. Rows are sorted by the headline index ``main`` (``ST``, ``mu_star``,
    ``share`` or ``|rho|``), largest first. ``decomposition`` holds the anova's
    interactions, higher-order and residual shares.
    """

    output: str
    method: str
    main: str
    table: pd.DataFrame
    warnings: list[str]
    noise: Noise
    points_used: int
    points_total: int
    conf_level: float = 0.95
    notes: list[str] = field(default_factory=list)
    decomposition: Decomposition | None = None

    def ranking(self) -> list[str]:
        """Parameters from most to least influential by the headline index."""
        return list(self.table.index)

    def _pairs(self) -> list[tuple[str, str]]:
        if self.method == "sobol":
            return [("ST", "ST_conf"), ("S1", "S1_conf")]
        if self.method == "morris":
            return [("mu_star", "mu_star_conf"), ("mu", ""), ("sigma", "")]
        if self.method == "anova":
            return [("share", "share_conf"), ("p", ""), ("shape", ""), ("rho", "rho_conf")]
        return [("rho", "rho_conf")]

    def _cells(self, name: str) -> list[str]:
        row = self.table.loc[name]
        digits = ".3g" if self.method == "morris" else ".2f"
        out = []
        for value, conf in self._pairs():
            if value == "shape":
                out.append(str(row[value]))
                continue
            cell = p_value(row[value]) if value == "p" else _num(row[value], digits)
            if conf:
                cell += f" +/- {_num(row[conf], digits)}"
            out.append(cell)
        return out

    def decomposition_lines(self) -> list[str]:
        """The anova's other terms: each pair's interaction, higher order, residual."""
        d = self.decomposition
        if d is None:
            return []
        lines = []
        for effect in d.pairs.values():
            tested = f", p {p_value(effect.p)}" if np.isfinite(effect.p) else ""
            lines.append(
                f"interaction {effect.name}: share {_num(effect.share, '.2f')} +/- "
                f"{_num(effect.conf, '.2f')}{tested}"
            )
        if len(d.mains) > 2:
            lines.append(f"higher-order interactions: share {_num(d.higher, '.2f')}")
        lines.append(
            f"residual ({self.noise.label}): share {_num(d.residual, '.2f')}"
            + (f"; the tests use {d.noise_from} as noise" if d.noise_from != "replicates" else "")
        )
        return lines

    def headline(self) -> str:
        """What was computed, on how many points, at which confidence."""
        used = (
            f"{self.points_used} of {self.points_total} design points"
            if self.points_used != self.points_total
            else f"{self.points_total} design points"
        )
        means = "means over draws and replicates" if self.noise.draws else "replicate means"
        if self.method == "anova" and self.decomposition is not None:
            return (
                f"{METHODS[self.method]} of {self.output} ({used}, "
                f"{self.decomposition.runs} runs; shares of the variance of single runs, "
                f"rho over the {means}; {self.conf_level:.0%} confidence)"
            )
        return (
            f"{METHODS[self.method]} of {self.output} ({used}, {means}; "
            f"{self.conf_level:.0%} confidence)"
        )

    def columns(self) -> list[str]:
        """Column titles of the printed table."""
        return [value for value, _ in self._pairs()]

    def to_text(self) -> str:
        """A fixed-width table with warnings, for the terminal."""
        width = max(len("parameter"), *(len(n) for n in self.table.index))
        cols = self.columns()
        cells = {n: self._cells(n) for n in self.table.index}
        widths = [max(len(c), *(len(cells[n][k]) for n in cells)) for k, c in enumerate(cols)]
        lines = [self.headline() + ":"]
        lines.append(
            "  "
            + "parameter".ljust(width)
            + "".join("  " + c.rjust(w) for c, w in zip(cols, widths, strict=True))
        )
        for n in self.table.index:
            lines.append(
                "  "
                + n.ljust(width)
                + "".join("  " + c.rjust(w) for c, w in zip(cells[n], widths, strict=True))
            )
        lines += [f"  {line}" for line in self.decomposition_lines()]
        lines += [f"  note: {n}" for n in self.notes]
        lines += [f"  warning: {w}" for w in self.warnings]
        lines.append(f"  {self.noise.label}: {self.noise.describe()}")
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """A Markdown table followed by notes and warnings."""
        cols = self.columns()
        lines = [
            self.headline() + ".",
            "",
            "| parameter | " + " | ".join(cols) + " |",
            "|---|" + "---:|" * len(cols),
        ]
        for n in self.table.index:
            lines.append(f"| `{n}` | " + " | ".join(self._cells(n)) + " |")
        lines.append("")
        lines += [f"- {line[0].upper()}{line[1:]}" for line in self.decomposition_lines()]
        lines += [f"- Note: {n}" for n in self.notes]
        lines += [f"- Warning: {w}" for w in self.warnings]
        lines.append(f"- {self.noise.label.capitalize()}: {self.noise.describe()}.")
        return "\n".join(lines)


def _num(value: float, digits: str) -> str:
    """``digits`` is a format spec; with ``.2f``, values below 0.1 keep two significant
    digits (0.0067, not 0.01)."""
    if value is None or not np.isfinite(value):
        return "nan"
    value = float(value)
    if digits == ".2f" and 0 < abs(value) < 0.1:
        return format(value, ".2g")
    return format(value, digits)


def p_value(p: float) -> str:
    """An F-test p-value in a table cell: ``<0.001``, three decimals, or ``-`` (no test)."""
    if p is None or not np.isfinite(p):
        return "-"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _pooled_within(ok: pd.DataFrame, by: list[str], output: str) -> float | None:
    """The pooled variance of ``output`` within the groups ``by`` (None: no group has
    two values)."""
    grouped = ok.groupby(by)[output]
    df = (grouped.count() - 1).clip(lower=0)
    if df.sum() == 0:
        return None
    return float(grouped.var(ddof=1).fillna(0.0).mul(df).sum() / df.sum())


def replicate_noise(sweep: SweepResults, output: str) -> Noise:
    """How much of ``output``'s variance is between runs of the same design point: its
    replicates, and with draws also its draws of the other constants (:class:`Noise`)."""
    draws = sweep.draws
    ok = sweep.ok[["point", "draw", output]].dropna()
    counts = ok.groupby("point")[output].count()
    reps = float(counts.mean()) if len(counts) else 0.0
    within = _pooled_within(ok, ["point"], output)
    if within is None or len(ok) < 3:
        return Noise(output, None, None, reps, draws=draws)
    total = float(ok[output].var(ddof=1))
    harmonic = len(counts) / float((1.0 / counts).sum())
    if total <= 0:
        zero = 0.0 if draws else None
        return Noise(output, 0.0, 0.0, reps, within, harmonic, draws, zero, zero)
    share = min(1.0, within / total)
    means = ok.groupby("point")[output].mean()
    var_means = float(means.var(ddof=1)) if len(means) > 1 else 0.0
    of_means = min(1.0, within / harmonic / var_means) if var_means > 0 else None
    draw_share = replicate_share = None
    if draws:
        in_draw = _pooled_within(ok, ["point", "draw"], output)
        if in_draw is not None:
            replicate_share = min(share, in_draw / total)
            draw_share = share - replicate_share
    return Noise(
        output, share, of_means, reps, within, harmonic, draws, draw_share, replicate_share
    )


def _within_noise(
    label: str,
    name: str,
    value: float,
    conf: float,
    digits: str,
    floor: float | None = None,
    noise: str = "replicate noise",
) -> str | None:
    """A warning when the interval ``value +/- conf`` includes 0, is wider than the value,
    or (given the level ``floor`` that replicate noise alone produces) does not clear it."""
    if not (np.isfinite(value) and np.isfinite(conf)):
        return f"{label} of {name} could not be estimated"
    text = f"{label} of {name} ({_num(value, digits)} +/- {_num(conf, digits)}) is within noise"
    if value - conf <= 0 <= value + conf or conf > abs(value):
        return text
    if floor is not None and np.isfinite(floor) and value - conf <= floor:
        return text + f" ({noise} alone gives about {_num(floor, digits)})"
    return None


def _complete_blocks(
    y: np.ndarray, size: int, what: str, blocks: str, indices: str
) -> tuple[np.ndarray, list[str]]:
    """Indices of the rows of the blocks of ``size`` rows with no NaN, and a note on the
    blocks dropped. Raises :class:`SweepError` unless at least two blocks are complete.

    ``what`` names one block (with its size rule), ``blocks`` the blocks in a note and
    ``indices`` the indices that need them."""
    if y.size % size:
        raise SweepError(
            f"the design has {y.size} points, not a multiple of the {what} size {size}"
        )
    keep = ~np.isnan(y.reshape(-1, size)).any(axis=1)
    rows = (np.flatnonzero(keep)[:, None] * size + np.arange(size)).ravel()
    notes = []
    if not keep.all():
        notes.append(
            f"{int((~keep).sum())} of {keep.size} {blocks} dropped: "
            "a point in them has no successful run"
        )
    if keep.sum() < 2:
        raise SweepError(
            f"{indices} indices need at least 2 {blocks} with every point run successfully"
        )
    return rows, notes


def _check_sobol_structure(x: np.ndarray) -> None:
    d = x.shape[1]
    blocks = x.reshape(-1, d + 2, d)
    a, b = blocks[:, 0, :], blocks[:, -1, :]
    for i in range(d):
        ab = blocks[:, 1 + i, :]
        expect = a.copy()
        expect[:, i] = b[:, i]
        if not np.allclose(ab, expect, rtol=1e-9, atol=1e-12):
            raise SweepError(
                "design.parquet: rows are not in SALib's Saltelli order "
                "(A, AB_1..AB_D, B per block); Sobol indices cannot be computed"
            )


def _check_morris_structure(x: np.ndarray) -> None:
    d = x.shape[1]
    traj = x.reshape(-1, d + 1, d)
    changed = ~np.isclose(np.diff(traj, axis=1), 0.0, rtol=0, atol=1e-12)
    if not (changed.sum(axis=2) == 1).all():
        raise SweepError(
            "design.parquet: rows are not Morris trajectories (consecutive rows of a "
            "trajectory must differ in exactly one parameter)"
        )


def _problem(sweep: SweepResults) -> dict:
    return {
        "num_vars": len(sweep.parameters),
        "names": sweep.names,
        "bounds": [list(p.bounds) for p in sweep.parameters],
    }


def _seed(sweep: SweepResults) -> int:
    design = sweep.manifest.get("design", {})
    seed = design.get("seed", sweep.manifest.get("root_seed", 0))
    return int(seed) if isinstance(seed, int | float) else 0


def _sobol(
    sweep: SweepResults, y: np.ndarray, noise: Noise, num_resamples: int, conf_level: float
) -> tuple[pd.DataFrame, int, list[str], dict[str, float]]:
    """Sobol table, points used, notes, and the ST that noise alone produces: the noise
    variance of a replicate mean over the variance of the means (f(A) - f(AB_i) carries
    two independent noises, so E[ST_i] = noise share for a parameter without effect)."""
    from SALib.analyze import sobol

    d = len(sweep.parameters)
    x = sweep.design[sweep.names].to_numpy()
    rows, notes = _complete_blocks(
        y, d + 2, "Saltelli block (parameters + 2)", "Saltelli blocks", "Sobol"
    )
    _check_sobol_structure(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = sobol.analyze(
            _problem(sweep),
            y[rows],
            calc_second_order=False,
            num_resamples=num_resamples,
            conf_level=conf_level,
            seed=_seed(sweep),
        )
    table = pd.DataFrame(
        {k: np.asarray(si[k], dtype=float) for k in ("ST", "ST_conf", "S1", "S1_conf")},
        index=pd.Index(sweep.names, name="parameter"),
    )
    floors = {}
    if noise.mean_noise_var is not None and np.var(y[rows]) > 0:
        floors["ST"] = noise.mean_noise_var / float(np.var(y[rows]))
    return table.sort_values("ST", ascending=False), len(rows), notes, floors


def _morris(
    sweep: SweepResults, y: np.ndarray, noise: Noise, num_resamples: int, conf_level: float
) -> tuple[pd.DataFrame, int, list[str], dict[str, float]]:
    """Morris table, points used, notes, and the mu_star that noise alone produces: an
    elementary effect of a parameter without effect is (noise - noise) / delta, whose mean
    absolute value is 2 sd / (sqrt(pi) delta)."""
    from SALib.analyze import morris

    d = len(sweep.parameters)
    x = sweep.design[sweep.names].to_numpy()
    rows, notes = _complete_blocks(
        y, d + 1, "Morris trajectory (parameters + 1)", "Morris trajectories", "Morris"
    )
    _check_morris_structure(x)
    levels = int(sweep.manifest.get("design", {}).get("num_levels", 4))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        si = morris.analyze(
            _problem(sweep),
            x[rows],
            y[rows],
            num_resamples=num_resamples,
            conf_level=conf_level,
            num_levels=levels,
            seed=_seed(sweep),
        )
    table = pd.DataFrame(
        {k: np.asarray(si[k], dtype=float) for k in ("mu_star", "mu_star_conf", "mu", "sigma")},
        index=pd.Index(sweep.names, name="parameter"),
    )
    floors = {}
    if noise.mean_noise_var is not None:
        delta = levels / (2.0 * (levels - 1))
        floors["mu_star"] = 2.0 * math.sqrt(noise.mean_noise_var) / math.sqrt(math.pi) / delta
    return table.sort_values("mu_star", ascending=False), len(rows), notes, floors


def _rank(
    sweep: SweepResults, means: pd.DataFrame, output: str, conf_level: float
) -> tuple[pd.DataFrame, int, list[str], dict[str, float]]:
    data = means.dropna(subset=[output])
    n = len(data)
    if n < 4:
        raise SweepError(f"rank correlations need at least 4 design points with {output}")
    z_crit = stats.norm.ppf(0.5 + conf_level / 2)
    rho, conf = [], []
    for name in sweep.names:
        if data[name].nunique() < 2 or data[output].nunique() < 2:
            rho.append(math.nan)
            conf.append(math.nan)
            continue
        r = float(stats.spearmanr(data[name], data[output]).statistic)
        r_clip = max(min(r, 0.999999), -0.999999)
        z = math.atanh(r_clip)
        se = 1.06 / math.sqrt(max(n - 3, 1))  # Fieller, Hartley & Pearson (1957)
        lo, hi = math.tanh(z - z_crit * se), math.tanh(z + z_crit * se)
        rho.append(r)
        conf.append(max(r - lo, hi - r))
    table = pd.DataFrame({"rho": rho, "rho_conf": conf}, index=pd.Index(sweep.names))
    table.index.name = "parameter"
    order = table["rho"].abs().sort_values(ascending=False, na_position="last").index
    notes = [
        "rank correlation is a screening measure for grid and Latin-hypercube designs; "
        "use a sobol or morris design for variance-based indices"
    ]
    return table.loc[order], n, notes, {}


def _anova(
    sweep: SweepResults,
    means: pd.DataFrame,
    output: str,
    noise: Noise,
    num_resamples: int,
    conf_level: float,
) -> tuple[pd.DataFrame, int, list[str], list[str], Decomposition]:
    """Variance decomposition table (with rank correlation as a secondary column), points
    used, notes, warnings and the decomposition."""
    d = decompose(
        sweep.ok,
        sweep.design,
        sweep.names,
        output,
        conf_level=conf_level,
        resamples=num_resamples,
        seed=_seed(sweep),
    )
    rank, _, _, _ = _rank(sweep, means, output, conf_level)
    names = sweep.names
    table = pd.DataFrame(
        {
            "share": [d.mains[n].share for n in names],
            "share_conf": [d.mains[n].conf for n in names],
            "p": [d.mains[n].p for n in names],
            "floor": [d.mains[n].floor for n in names],
            "shape": [d.shapes[n].words() for n in names],
            "rho": rank.loc[names, "rho"].to_numpy(),
            "rho_conf": rank.loc[names, "rho_conf"].to_numpy(),
        },
        index=pd.Index(names, name="parameter"),
    ).sort_values("share", ascending=False, kind="stable")
    alpha = 1 - conf_level
    notes = list(d.notes)
    warns = []
    for name in table.index:
        effect, form = d.mains[name], d.shapes[name]
        if not np.isfinite(effect.p):
            warns.append(f"share of {name} could not be tested (no estimate of the noise)")
        elif effect.p >= alpha:
            warns.append(
                f"share of {name} ({_num(effect.share, '.2f')} +/- {_num(effect.conf, '.2f')}) "
                f"is within noise (F-test p {p_value(effect.p)}; {noise.label} alone gives "
                f"about {_num(effect.floor, '.2f')})"
            )
        elif not form.monotone and form.top is not None:
            turn = "rise, then fall" if form.kind == "hump" else "fall, then rise"
            notes.append(
                f"{name} is non-monotone: {form.words()} (its level means {turn}, beyond "
                "noise; a rank correlation cannot show this)"
            )
    for effect in d.pairs.values():
        if np.isfinite(effect.p) and effect.p >= alpha:
            warns.append(
                f"interaction {effect.name} ({_num(effect.share, '.2f')} +/- "
                f"{_num(effect.conf, '.2f')}) is within noise (F-test p {p_value(effect.p)})"
            )
    notes.append(
        "share: the part of the variance of single runs explained by the parameter's main "
        "effect (the spread of its level means); p: F-test against the "
        f"{noise.label}; rho: rank correlation over the design points, secondary (blind to "
        "an effect that rises then falls)"
    )
    return table, d.points, notes, warns, d


def sensitivity(
    sweep: SweepResults,
    output: str = DEFAULT_OUTPUT,
    *,
    num_resamples: int = 200,
    conf_level: float = 0.95,
    noise_warn: float = NOISE_WARN,
) -> SensitivityResult:
    """Indices of ``output`` for the sweep's design kind (see the module docstring).

    The output is averaged over successful runs per design point (every draw and
    replicate), in design order.
    Raises ``SweepError`` (a ``ValueError``) when ``output`` is not a numeric output of
    the sweep, when too few points have successful runs, or when a sobol/morris design's
    rows are not in SALib's order. Confidence intervals are bootstrapped with the design's
    seed, so the result is reproducible.
    """
    if output not in sweep.outputs:
        raise SweepError(
            f"output {output!r} is not among the sweep's outputs: {', '.join(sweep.outputs)}"
        )
    means = sweep.point_means([output])
    y = means[output].to_numpy(dtype=float)
    noise = replicate_noise(sweep, output)
    warns: list[str] = []
    finite = y[np.isfinite(y)]
    method = {"sobol": "sobol", "morris": "morris"}.get(sweep.kind, "rank")
    fallback = []
    if method == "rank" and has_levels(sweep.design, sweep.names):
        if np.isfinite(y).all():
            method = "anova"
        else:
            fallback.append(
                f"the grid has {int((~np.isfinite(y)).sum())} points without a successful "
                f"run with {output}: rank correlation instead of a variance decomposition"
            )
    main = {"sobol": "ST", "morris": "mu_star", "anova": "share", "rank": "rho"}[method]
    if finite.size and np.ptp(finite) == 0:
        cols = {
            "sobol": ["ST", "ST_conf", "S1", "S1_conf"],
            "morris": ["mu_star", "mu_star_conf", "mu", "sigma"],
            "anova": ["share", "share_conf", "p", "floor", "shape", "rho", "rho_conf"],
            "rank": ["rho", "rho_conf"],
        }[method]
        table = pd.DataFrame(math.nan, index=pd.Index(sweep.names, name="parameter"), columns=cols)
        warns.append(f"{output} does not vary across the sweep; no index can be computed")
        return SensitivityResult(
            output, method, main, table, warns, noise, len(finite), len(y), conf_level
        )
    decomposition = None
    if method == "anova":
        table, used, notes, warns, decomposition = _anova(
            sweep, means, output, noise, num_resamples, conf_level
        )
        floors, labels = {}, []
    elif method == "sobol":
        table, used, notes, floors = _sobol(sweep, y, noise, num_resamples, conf_level)
        labels = [("ST", "ST_conf"), ("S1", "S1_conf")]
    elif method == "morris":
        table, used, notes, floors = _morris(sweep, y, noise, num_resamples, conf_level)
        labels = [("mu_star", "mu_star_conf")]
    else:
        table, used, notes, floors = _rank(sweep, means, output, conf_level)
        notes = fallback + notes
        labels = [("rho", "rho_conf")]
    digits = ".3g" if method == "morris" else ".2f"
    for name in table.index:
        for value, conf in labels:
            text = _within_noise(
                value,
                name,
                float(table.at[name, value]),
                float(table.at[name, conf]),
                digits,
                floors.get(value),
                noise.label,
            )
            if text:
                warns.append(text)
    if noise.share is not None and noise.share > noise_warn:
        among = "draws and replicates" if noise.draws else "replicates"
        warns.append(
            f"{noise.label} is large: {noise.share:.0%} of the variance of {output} lies "
            f"between {among} of the same point"
            + (
                f" (about {noise.share_of_means:.0%} of the variance of the point means); "
                f"more {among} per point would sharpen the indices"
                if noise.share_of_means is not None
                else ""
            )
        )
    return SensitivityResult(
        output, method, main, table, warns, noise, used, len(y), conf_level, notes, decomposition
    )
