"""The brief: a self-contained HTML page for a reader who will never open a terminal.

It states the question, the options, the headline in plain words with its uncertainty,
the figures (embedded), which regime each option tends to and why, the assumptions behind
the levers with their sources, and the limits of what a simulation can say.
"""

from __future__ import annotations

import base64
import html
import io
import time
from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from sim.core.regimes import REGIMES
from sim.report.options import Option, difference, lever_rows
from sim.scenario.schema import Scenario

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
REGIME_COLOURS = {
    "delivering": "#1b9e77",
    "facade": "#d95f02",
    "inert": "#9e9e9e",
    "dissolved": "#444444",
}
MEANING = {
    "delivering": "joint work on the ground, and the board's commitments kept",
    "facade": "meetings held and commitments made, little delivered",
    "inert": "little formal activity and little joint work",
    "dissolved": "the partnership has broken up",
}
LIMITS = [
    "These are simulations of a stylised locality, not forecasts. The model shows how "
    "partnership working tends to behave under each option, as the evidence describes it; "
    "the numbers are outcome points on an index (the % fall in need since the start), not "
    "counts of people.",
    "The partnership effect is known exactly only because the model also runs each future "
    "without the partnership. In a real area that comparison does not exist: a before/after "
    "reading mixes the partnership with national trends and chance, and says little about "
    "its impact.",
    "Left out: budgets and pooled money, elected members and local politics, the content of "
    "individual services, and individual service users' outcomes. Most behavioural constants "
    "are assumptions informed by the evidence, not measurements (see the assumptions below "
    "and docs/odd.md).",
    "The range shown (10-90%) is the spread across simulated futures that share the same "
    "random luck between options; it is not a confidence interval for a real area.",
]


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110)
    return base64.b64encode(buf.getvalue()).decode()


def _band(option: Option, column: str) -> tuple[np.ndarray, ...]:
    g = option.series.groupby("month")[column]
    return (
        g.median().index.to_numpy(),
        g.median().to_numpy(),
        g.quantile(0.1).to_numpy(),
        g.quantile(0.9).to_numpy(),
    )


def figure_effect(options: Sequence[Option]) -> str:
    """Partnership effect over time, median and 10-90% band per option."""
    fig = Figure(figsize=(9, 4.2), layout="constrained")
    ax = fig.add_subplot()
    for k, o in enumerate(options):
        months, med, lo, hi = _band(o, "partnership_effect")
        colour = COLOURS[k % len(COLOURS)]
        ax.fill_between(months, lo, hi, color=colour, alpha=0.15)
        ax.plot(months, med, color=colour, lw=2.2, label=o.name.replace("_", " "))
    ax.axhline(0, color="grey", lw=0.8)
    ax.set_xlabel("month", fontsize=12)
    ax.set_ylabel("partnership effect\n(outcome points over no partnership)", fontsize=12)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=11, frameon=False)
    return _png(fig)


def figure_outcome(option: Option) -> str:
    """Outcome against its counterfactual for one option."""
    fig = Figure(figsize=(9, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for column, label, colour in (
        ("outcome_index", "with the partnership", "#1f77b4"),
        ("counterfactual_outcome_index", "same area, no partnership", "#7f7f7f"),
    ):
        months, med, lo, hi = _band(option, column)
        ax.fill_between(months, lo, hi, color=colour, alpha=0.15)
        ax.plot(months, med, color=colour, lw=2.2, label=label)
    ax.set_xlabel("month", fontsize=12)
    ax.set_ylabel("outcome index\n(% fall in need)", fontsize=12)
    ax.set_title(option.name.replace("_", " "), fontsize=12)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=11, frameon=False)
    return _png(fig)


def figure_regimes(options: Sequence[Option]) -> str:
    """Share of months in each regime, one bar per option."""
    fig = Figure(figsize=(9, 0.9 + 0.7 * len(options)), layout="constrained")
    ax = fig.add_subplot()
    names = [o.name.replace("_", " ") for o in options]
    left = np.zeros(len(options))
    for regime in REGIMES:
        share = np.array([o.regime_shares().get(regime, 0.0) for o in options])
        ax.barh(names, share, left=left, color=REGIME_COLOURS[regime], label=regime)
        for y, (x0, w) in enumerate(zip(left, share, strict=True)):
            if w > 0.07:
                ax.text(
                    x0 + w / 2, y, f"{w:.0%}", ha="center", va="center", color="white", fontsize=11
                )
        left += share
    ax.set_xlim(0, 1)
    ax.invert_yaxis()
    ax.set_xlabel("share of months, all simulated futures", fontsize=12)
    ax.tick_params(labelsize=11)
    ax.legend(ncol=4, fontsize=10, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0))
    return _png(fig)


def _median_month_dissolved(o: Option) -> float | None:
    gone = o.series[o.series["board_alive"] < 0.5].groupby("replicate")["month"].min()
    return float(gone.median()) if len(gone) else None


def why(o: Option) -> str:
    """Plain words on the regime an option tends to, from its recorded mechanisms."""
    shares = o.regime_shares()
    regime = max(REGIMES, key=lambda r: shares.get(r, 0.0))
    s = o.series
    joint = float(s["joint_work_share"].mean())
    formal = float(s["formal_activity"].mean())
    trust = float(s["trust_across"].mean())
    pressure = float(s["target_pressure"].mean())
    ratio = float(s["delivery_ratio"].mean())  # NaN: no commitment fell due in any month
    alignment = float(s["alignment_vertical"].mean())
    text = f"Mostly <b>{regime}</b> ({shares.get(regime, 0):.0%} of months): {MEANING[regime]}. "
    if regime == "dissolved":
        month = _median_month_dissolved(o)
        text += (
            f"In the typical future the board broke up around month {month:.0f}: its members' "
            "commitment fell below the point where they keep coming, because the time meetings "
            "and re-forming after reorganisations took, and the pull of their own targets "
            f"(pressure {pressure:.2f} on a 0-1 scale), outweighed what the partnership gave "
            "them."
        )
    elif regime == "facade":
        text += (
            f"The board keeps meeting and promising (formal activity {formal:.2f}), but "
            + (
                f"only {ratio:.0%} of commitments are delivered"
                if np.isfinite(ratio)
                else "none of its commitments has fallen due yet"
            )
            + ": joint work on the ground takes "
            f"{joint:.1%} of frontline time and little links the board to the frontline "
            f"(alignment {alignment:.2f})."
        )
    elif regime == "delivering":
        text += (
            f"Trust across agencies ({trust:.2f}) carries joint work on the ground "
            f"({joint:.1%} of frontline time), which delivers the board's commitments "
            + (f"({ratio:.0%} delivered)." if np.isfinite(ratio) else "(none fallen due yet).")
        )
    else:
        text += (
            f"The board asks little (formal activity {formal:.2f}) and joint work takes "
            f"{joint:.1%} of frontline time."
        )
    return text


def _headline(options: Sequence[Option]) -> list[str]:
    ref = options[0]
    eff = ref.final("partnership_effect")
    lines = [
        f"With <b>{html.escape(ref.name.replace('_', ' '))}</b>, the partnership improves the "
        f"outcome by <b>{eff.median():+.1f} points</b> over the same area without a "
        f"partnership (10-90% of simulated futures: {np.percentile(eff, 10):+.1f} to "
        f"{np.percentile(eff, 90):+.1f})."
    ]
    for o in options[1:]:
        d = difference(o, ref)
        better = "better" if d["median"] > 0 else "worse"
        line = (
            f"<b>{html.escape(o.name.replace('_', ' '))}</b> does {better} than "
            f"{html.escape(ref.name.replace('_', ' '))} by <b>{abs(d['median']):.1f} points</b> "
            f"(10-90%: {d['p10']:+.1f} to {d['p90']:+.1f})"
        )
        if d["paired"]:
            line += f"; it comes out ahead in {d['higher']} of {d['n']} simulated futures."
        else:
            line += " (the options did not share random numbers, so this range is wide)."
        lines.append(line)
    return lines


def _interventions(sc: Scenario) -> str:
    if not sc.interventions:
        return ""
    items = []
    for ev in sc.interventions:
        data = ev.model_dump(by_alias=True, exclude_none=True)
        when = (
            f"month {data['at']}"
            if "at" in data
            else f"months {data.get('from')}-{data.get('until', sc.months)}"
        )
        action = data.pop("action").replace("_", " ")
        changes = data.pop("changes", {})
        rest = {k: v for k, v in data.items() if k not in ("at", "from", "until")}
        detail = ", ".join(f"{k} = {v}" for k, v in {**changes, **rest}.items())
        items.append(f"{when}: {action}" + (f" {detail}" if detail else ""))
    return "; ".join(items)


CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:980px;margin:2em auto;padding:0 1.2em;
color:#1a1a1a;line-height:1.5;font-size:17px}
h1{font-size:1.9em;margin-bottom:0.2em}h2{margin-top:1.6em;border-bottom:2px solid #ddd}
.lede{font-size:1.15em;color:#333}.headline{background:#f3f7fb;border-left:6px solid #1f77b4;
padding:0.8em 1.2em;font-size:1.1em}table{border-collapse:collapse;width:100%;font-size:0.85em;
font-family:system-ui,sans-serif}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#f0f0f0;text-align:left}.differs{background:#fff6d6}img{max-width:100%}
.small{font-size:0.85em;color:#555}
"""


def render(options: Sequence[Option], question: str | None = None) -> str:
    """The whole brief as one HTML string (figures embedded as data URIs)."""
    e = html.escape
    ref = options[0]
    if question is None:
        if len(options) == 2 and options[1].scenario.description:
            question = options[1].scenario.description
        elif len(options) > 2:
            question = (
                f"What difference do these {len(options) - 1} options make, compared "
                f"with {ref.name.replace('_', ' ')}?"
            )
        else:
            question = ref.scenario.description or "What does this partnership deliver?"
    opts_rows = "".join(
        f"<tr><td><b>{e(o.name.replace('_', ' '))}</b></td><td>{e(o.scenario.description)}</td>"
        f"<td>{e(_interventions(o.scenario))}</td></tr>"
        for o in options
    )
    headline = "".join(f"<p>{line}</p>" for line in _headline(options))
    whys = "".join(f"<p><b>{e(o.name.replace('_', ' '))}.</b> {why(o)}</p>" for o in options)
    levers = lever_rows(list(options))
    head_cells = "".join(f"<th>{e(o.name.replace('_', ' '))}</th>" for o in options)
    lever_html = "".join(
        f'<tr class="{"differs" if r["differs"] else ""}"><td><code>{e(r["path"])}</code><br>'
        f"<span class='small'>{e(r['doc'])}</span></td>"
        + "".join(f"<td>{e(str(v))}</td>" for v in r["values"])
        + f"<td>{e(r['unit'])}</td><td>{e(r['source'])}</td></tr>"
        for r in levers
    )
    runs = len(ref.replicates)
    regime_defs = "".join(f"<li><b>{r}</b>: {MEANING[r]}</li>" for r in REGIMES)
    outcome_figs = "".join(
        f'<img alt="outcome" src="data:image/png;base64,{figure_outcome(o)}">' for o in options[:2]
    )
    limits = "".join(f"<li>{e(t)}</li>" for t in LIMITS)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Partnership brief: {e(question)}</title><style>{CSS}</style></head><body>
<h1>Partnership brief</h1>
<p class="lede">{e(question)}</p>
<h2>The options</h2>
<table><tr><th>option</th><th>what it is</th><th>changes over time</th></tr>{opts_rows}</table>
<h2>The headline</h2>
<div class="headline">{headline}</div>
<p class="small">Each option was simulated {runs} times over {ref.series["month"].max()} months.
"Outcome points" are points on an index of the fall in need since the start, averaged over the
last year.</p>
<h2>What happens over time</h2>
<img alt="partnership effect over time" src="data:image/png;base64,{figure_effect(options)}">
{outcome_figs}
<h2>Where each option tends to end up, and why</h2>
<img alt="regimes" src="data:image/png;base64,{figure_regimes(options)}">
<ul class="small">{regime_defs}</ul>
{whys}
<h2>Assumptions and their sources</h2>
<p class="small">The levers of each option, with their units and the evidence behind their
defaults (rows where the options differ are highlighted). The behaviour of agencies and staff
rests on further constants, each with its source, listed in docs/odd.md.</p>
<table><tr><th>lever</th>{head_cells}<th>unit</th><th>source</th></tr>{lever_html}</table>
<h2>Limits</h2>
<ul>{limits}</ul>
<p class="small">Generated {time.strftime("%Y-%m-%d")} by partnersim from
{", ".join(e(str(o.folder)) for o in options)}; seed {ref.scenario.seed}, replicates
{ref.replicates[0]}-{ref.replicates[-1]}.</p>
</body></html>
"""
