"""Patterns of the environment and the structure: churn, formality, targets,
information sharing, and the dip after a reorganisation (patterns 1, 2, 3, 9, 11).

Replicates: 8 per condition in the quick run (what CI runs), 30 in the full run.
"""

from __future__ import annotations

import numpy as np

from sim.patterns.base import (
    Check,
    PatternResult,
    Runner,
    Settings,
    band,
    final_effect,
    fmt_p,
    levels_plot,
    mean_of,
    new_figure,
)
from sim.patterns.checks import ALPHA, SEED_003, above, decreasing
from sim.patterns.stats import mann_whitney, quadratic_peak
from sim.scenario.interventions import Reorganise

# 1 ------------------------------------------------------------------------------------


def churn_erodes(settings: Settings) -> PatternResult:
    """Higher policy churn lowers cross-agency trust, joint work and the partnership effect."""
    runner = Runner(settings)
    levels = [0.0, 0.25, 0.5, 1.0, 2.0]
    reps = settings.reps(8, 30)
    scs = [runner.variant({"environment.policy_churn": c}) for c in levels]
    res = runner.run(scs, reps, desc="pattern 1")
    x = np.repeat(levels, reps)
    trust = [mean_of(r, "trust_across", 12) for r in res]
    joint = [mean_of(r, "joint_work_share", 12) for r in res]
    effect = [final_effect(r) for r in res]
    checks = [
        decreasing("churn, cross-agency trust", x, np.concatenate(trust)),
        decreasing("churn, joint-work share", x, np.concatenate(joint)),
        decreasing("churn, partnership effect", x, np.concatenate(effect)),
    ]
    fig, axes = new_figure(3)
    for ax, vals, label in zip(
        axes,
        (trust, joint, effect),
        ("cross-agency trust (mean, months 13-120)", "joint-work share", "partnership effect"),
        strict=True,
    ):
        levels_plot(ax, levels, vals, label)
        ax.set_xlabel("policy churn (reorganisations per year)")
    axes[0].legend(fontsize=8)
    return PatternResult(
        1,
        "Higher policy churn lowers cross-agency trust, joint work and the partnership effect",
        f"{SEED_003}: 'constant reorganisation' erodes relationships; Fulop et al. 2002",
        f"policy_churn in {levels}; {reps} replicates each; {runner.seeds(reps)}",
        checks,
        fig,
        runner.count,
    )


# 2 ------------------------------------------------------------------------------------


def formality_hump(settings: Settings) -> PatternResult:
    """Outcome against formality is hump-shaped: some structure beats none and too much."""
    runner = Runner(settings)
    levels = [0.0, 0.15, 0.3, 0.45, 0.6, 0.75, 0.9, 1.0]
    reps = settings.reps(8, 30)
    res = runner.run(
        [runner.variant({"partnership.formality": f}) for f in levels], reps, desc="pattern 2"
    )
    effect = [final_effect(r) for r in res]
    x = np.repeat(levels, reps)
    y = np.concatenate(effect)
    curv, vertex = quadratic_peak(x, y)
    medians = [np.median(e) for e in effect]
    best = int(np.argmax(medians))
    checks = [
        Check(
            "quadratic fit of effect on formality: peak (vertex) and its 90% interval",
            "concave, interval inside (0, 1)",
            f"curvature {curv:+.2f}, vertex {vertex}",
            curv < 0 and vertex.lo > 0.0 and vertex.hi < 1.0,
        ),
        above(
            f"effect at best level ({levels[best]}) - at no structure (0)",
            effect[best],
            effect[0],
        ),
        above(
            f"effect at best level ({levels[best]}) - at full formality (1)",
            effect[best],
            effect[-1],
        ),
    ]
    fig, (ax,) = new_figure(1, 5.5)
    levels_plot(ax, levels, effect, "partnership effect (outcome points)")
    if curv < 0:
        xs = np.linspace(0, 1, 50)
        ax.plot(xs, np.polyval(np.polyfit(x, y, 2), xs), "--", color="C3", label="quadratic")
    ax.set_xlabel("formality")
    ax.legend(fontsize=8)
    return PatternResult(
        2,
        "Outcome against formality is hump-shaped",
        f"{SEED_003}, fourth lesson (over-engineered structures); seed 002",
        f"formality in {levels}; {reps} replicates each; {runner.seeds(reps)}",
        checks,
        fig,
        runner.count,
    )


# 3 ------------------------------------------------------------------------------------


def target_silos(settings: Settings) -> PatternResult:
    """Own-target pressure without shared targets lowers joint work; shared targets help."""
    runner = Runner(settings)
    reps = settings.reps(8, 30)
    conditions = {
        "low pressure": {"environment.target_pressure": 0.2, "partnership.shared_targets": 0.0},
        "high pressure": {"environment.target_pressure": 0.9, "partnership.shared_targets": 0.0},
        "high pressure + shared targets": {
            "environment.target_pressure": 0.9,
            "partnership.shared_targets": 0.8,
        },
    }
    res = runner.run([runner.variant(c) for c in conditions.values()], reps, desc="pattern 3")
    joint = [mean_of(r, "joint_work_share", 12) for r in res]
    low, high, shared = joint
    p1 = mann_whitney(high, low, "less")
    p2 = mann_whitney(shared, high, "greater")
    recovered = (np.median(shared) - np.median(high)) / max(np.median(low) - np.median(high), 1e-9)
    checks = [
        Check(
            "Mann-Whitney: joint work under high vs low pressure",
            f"lower, p < {ALPHA}",
            f"medians {np.median(high):.3f} vs {np.median(low):.3f}, {fmt_p(p1)}",
            p1 < ALPHA and np.median(high) < np.median(low),
        ),
        Check(
            "Mann-Whitney: joint work under high pressure with vs without shared targets",
            f"higher, p < {ALPHA}",
            f"medians {np.median(shared):.3f} vs {np.median(high):.3f}, {fmt_p(p2)}; "
            f"recovers {recovered:.0%} of the loss",
            p2 < ALPHA and np.median(shared) > np.median(high),
        ),
    ]
    fig, (ax,) = new_figure(1, 5.5)
    ax.boxplot(joint, tick_labels=list(conditions))
    ax.set_ylabel("joint-work share (mean, months 13-120)")
    return PatternResult(
        3,
        "Own-target pressure without shared targets lowers joint work; shared targets help",
        f"{SEED_003} ('terror by targets'; 'not our problem'); Repenning & Sterman 2001",
        f"{'; '.join(f'{k}: {v}' for k, v in conditions.items())}; {reps} replicates each; "
        f"{runner.seeds(reps)}",
        checks,
        fig,
        runner.count,
    )


# 9 ------------------------------------------------------------------------------------


def information_sharing(settings: Settings) -> PatternResult:
    """Without information sharing, service users are re-assessed more often."""
    runner = Runner(settings)
    reps = settings.reps(8, 30)
    levels = [0.0, 0.25, 0.5, 0.75, 1.0]
    res = runner.run(
        [runner.variant({"partnership.information_sharing": v}) for v in levels],
        reps,
        desc="pattern 9",
    )
    re = [mean_of(r, "reassessments_per_user", 12) for r in res]
    checks = [
        decreasing(
            "information sharing, re-assessments per user",
            np.repeat(levels, reps),
            np.concatenate(re),
        ),
        above("re-assessments per user, no sharing - full sharing", re[0], re[-1]),
    ]
    fig, (ax,) = new_figure(1, 5.5)
    levels_plot(ax, levels, re, "re-assessments per user (mean, months 13-120)")
    ax.set_xlabel("information sharing")
    return PatternResult(
        9,
        "Without information sharing, service users are re-assessed more often",
        f"{SEED_003} (users re-assessed by a succession of services)",
        f"information_sharing in {levels}; {reps} replicates each; {runner.seeds(reps)}",
        checks,
        fig,
        runner.count,
    )


# 11 -----------------------------------------------------------------------------------

REORG_MONTH = 48
RECOVERED = 0.9  # recovered when back to this share of the no-reorganisation level


def _recovery(shock: np.ndarray, calm: np.ndarray, start: int) -> tuple[float, int | None]:
    """Deepest relative dip after ``start`` and months until the median run is back."""
    ratio = shock[start:] / np.maximum(calm[start:], 1e-12)
    dip = float(1 - ratio[:12].min())
    back = np.flatnonzero(ratio >= RECOVERED)
    after_low = back[back > int(np.argmin(ratio[:12]))]
    return dip, (int(after_low[0]) + 1 if after_low.size else None)


def reorganisation_dip(settings: Settings) -> PatternResult:
    """After a reorganisation joint work and trust dip and take time to recover."""
    runner = Runner(settings)
    reps = settings.reps(8, 30)
    calm = runner.variant({"environment.policy_churn": 0.0})
    shock = calm.model_copy(
        update={"interventions": [Reorganise(action="reorganise", at=REORG_MONTH + 1)]}
    )
    res_calm, res_shock = runner.run([calm, shock], reps, desc="pattern 11")
    checks = []
    recoveries = {}
    fig, axes = new_figure(2)
    months = np.arange(1, calm.months + 1)
    for ax, key in zip(axes, ("joint_work_share", "trust_across_capital"), strict=True):
        c = band(res_calm, key)[0]
        s = band(res_shock, key)[0]
        dip, months_back = _recovery(s, c, REORG_MONTH)
        recoveries[key] = months_back
        checks.append(
            Check(
                f"{key}: dip after a reorganisation (median run vs no reorganisation)",
                "dip >= 20% and back to 90% within 6-48 months",
                f"dip {dip:.0%}, back after "
                + (f"{months_back} months" if months_back else "never"),
                dip >= 0.2 and months_back is not None and 6 <= months_back <= 48,
            )
        )
        ax.plot(months, c, color="C0", label="no reorganisation")
        ax.plot(months, s, color="C3", label=f"reorganisation in month {REORG_MONTH + 1}")
        ax.axvline(REORG_MONTH + 1, color="grey", ls=":")
        ax.set_xlabel("month")
        ax.set_ylabel(key.replace("_", " "))
    axes[0].legend(fontsize=8)
    rec = recoveries["trust_across_capital"] or calm.months
    fast = 12.0 / rec * 2  # reorganisations twice as often as the network recovers
    (res_fast,) = runner.run(
        [runner.variant({"environment.policy_churn": fast})], reps, desc="pattern 11b"
    )
    cap_fast = mean_of(res_fast, "trust_across_capital", 60)
    cap_calm = mean_of(res_calm, "trust_across_capital", 60)
    level = float(np.median(cap_fast / np.maximum(cap_calm, 1e-12)))
    checks.append(
        Check(
            f"trust capital, months 61-120, reorganising every {12 / fast:.0f} months "
            "(twice the recovery rate) / no reorganisation, median of paired runs",
            f"< {RECOVERED} (never recovers)",
            f"{level:.2f}",
            level < RECOVERED,
        )
    )
    return PatternResult(
        11,
        "Reorganisation dip: trust and joint work drop and take time to recover; faster "
        "reorganisation means no recovery",
        "Fulop et al. 2002 (mergers delayed development by at least 18 months); "
        f"{SEED_003} ('constant reorganisation'; 'changing everything every five minutes'); "
        "seed 001 (churn makes it 'difficult to sustain long-term relationships'). No seed "
        "gives a recovery time: the 6-48 month window is an assumption",
        f"no policy churn, one forced reorganisation in month {REORG_MONTH + 1} (default "
        f"severity) vs none, paired; then policy churn {fast:.2f}/yr; {reps} replicates "
        f"each; {runner.seeds(reps)}",
        checks,
        fig,
        runner.count,
    )
