"""The brief: a self-contained HTML page for a reader who will never open a terminal.

It states the question, the options, the headline in plain words with its uncertainty (what
the partnership adds over the same area without a board, beside what joint work on the
ground is worth, each in % of need a year), the figures (embedded), which regime each option
tends to and why, the assumptions behind the levers with their sources, and the limits of
what a simulation can say.
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.core.regimes import REGIMES
from sim.report.charts import figure_added_value, figure_outcome, figure_regimes
from sim.report.options import Option, difference, lever_rows
from sim.scenario.schema import Scenario

MEANING = {
    "delivering": "the partnership adds value clearly above zero over the same area without "
    "a board",
    "facade": "the board meets and makes commitments, most of them lapse, and it adds nothing "
    "over the same area without a board",
    "organic": "the board adds nothing, but joint work on the ground delivers",
    "inert": "neither the board nor joint work on the ground adds value that stands out from "
    "chance",
    "dissolved": "the board has broken up (joint work on the ground may carry on; its value is "
    "counted separately)",
}
TWINS = (
    "Every simulated future is run three times on the same random luck: <b>with the "
    "partnership</b> as the option sets it out; in <b>the same area without a board</b> (the "
    "same agencies, staff and luck, and the ordinary joint work on the ground that trusted "
    "colleagues do anyway, such as referrals, but no board, no chair, no shared targets and no "
    "protocol); and in <b>the same area with no joint working</b> at all. The <b>added value of "
    "the partnership</b> is the first minus the second: what the board, its chair, shared "
    "targets and protocol add. The <b>value of joint work on the ground</b> is the second minus "
    "the third. Both are rates, in % of the area's need averted a year (averaged over the four "
    "tracer issues), so a longer run does not make them bigger; the cumulative figure adds "
    "them up to the horizon. All are model output under assumed constants: use them to compare "
    "options, not as forecasts."
)
LIMITS = [
    "These are simulations of a stylised locality, not forecasts. The model shows how "
    "partnership working tends to behave under each option, as the evidence describes it; "
    "the numbers are model output under assumed constants, in % of the area's need (the fall "
    "in need an option brings about), not counts of people.",
    "The added value is known only because the model also runs each future without a board "
    "and without any joint working. In a real area neither comparison exists: a before/after "
    "reading mixes the partnership with national trends and chance, and says little about "
    "its impact.",
    "Left out: budgets and pooled money, elected members and local politics, the content of "
    "individual services, and individual service users' outcomes. Most behavioural constants "
    "are assumptions informed by the evidence, not measurements (see the assumptions below "
    "and docs/odd.md).",
    "The range shown (10-90%) is the spread across simulated futures that share the same "
    "random luck between options; it is not a confidence interval for a real area.",
    "The regime labels summarise the model's own measures with rules whose settings are "
    "assumptions (under regimes: in a scenario file); read them as a summary, not a verdict.",
]


# -- numbers in words -----------------------------------------------------------------------


def digits(*values: float) -> int:
    """Decimals for a median and its range: about two significant figures of the range's
    width (0 to 2 decimals), so that no figure looks more precise than its spread."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return 1
    width = max(finite) - min(finite)
    scale = width if width > 0 else max(abs(v) for v in finite)
    if scale == 0:
        return 2
    return int(min(2, max(0, 1 - math.floor(math.log10(scale)))))


def spread(values: pd.Series | np.ndarray) -> tuple[float, float, float]:
    """Median, 10th and 90th percentiles across simulated futures."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return (math.nan, math.nan, math.nan)
    return (float(np.median(v)), float(np.percentile(v, 10)), float(np.percentile(v, 90)))


def in_words(med: float, lo: float, hi: float, unit: str, label: str = "10-90%") -> str:
    """``+0.21% of need a year (10-90%: -0.05 to +0.48)``, the median in bold."""
    d = digits(lo, hi) if math.isfinite(lo) and lo != hi else digits(med)
    return f"<b>{med:+.{d}f}{unit}</b> ({label}: {lo:+.{d}f} to {hi:+.{d}f})"


def judged_months(o: Option) -> str:
    """The months the per-year figures average over, in words."""
    if o.first_month > 1:
        return f"months {o.first_month}-{o.horizon}, after the shared history"
    return f"months 1-{o.horizon}"


def _second(shares: dict[str, float], first: str) -> str:
    rest = sorted((r for r in REGIMES if r != first), key=lambda r: -shares.get(r, 0.0))
    if rest and shares.get(rest[0], 0.0) >= 0.2:
        return f", then <b>{rest[0]}</b> ({shares[rest[0]]:.0%})"
    return ""


def _median_month_dissolved(o: Option) -> float | None:
    gone = o.series[o.series["board_alive"] < 0.5].groupby("replicate")["month"].min()
    return float(gone.median()) if len(gone) else None


def why(o: Option) -> str:
    """Plain words on the regime an option tends to, from its measures and mechanisms."""
    shares = o.regime_shares()
    regime = max(REGIMES, key=lambda r: shares.get(r, 0.0))
    s = o.series
    added_all = o.per_year("added_value_rate")
    ground_all = o.per_year("ground_value_rate")
    d = digits(*spread(added_all)[1:], *spread(ground_all)[1:])
    added = f"{added_all.median():+.{d}f}% of need a year"
    ground = f"{ground_all.median():+.{d}f}% of need a year"
    joint = float(s["joint_work_share"].mean())
    formal = float(s["formal_activity"].mean())
    trust = float(s["trust_across"].mean())
    pressure = float(s["target_pressure"].mean())
    ratio = float(s["delivery_ratio"].mean())  # NaN: no commitment fell due in any month
    alignment = float(s["alignment_vertical"].mean())
    delivered = (
        f"{ratio:.0%} of its commitments are delivered"
        if np.isfinite(ratio)
        else "none of its commitments has fallen due yet"
    )
    text = (
        f"Mostly <b>{regime}</b> ({shares.get(regime, 0):.0%} of months){_second(shares, regime)}: "
        f"{MEANING[regime]}. "
    )
    if regime == "dissolved":
        month = _median_month_dissolved(o)
        when = f" around month {month:.0f}" if month is not None else ""
        text += (
            f"In the typical future the board broke up{when}: its members' "
            "commitment fell below the point where they keep coming, because the time meetings "
            "and re-forming after reorganisations took, and the pull of their own targets "
            f"(pressure {pressure:.2f} on a 0-1 scale), outweighed what the partnership gave "
            f"them. Joint work on the ground does not need the board: it was worth {ground} "
            f"(median), and the partnership added {added} over the run."
        )
    elif regime == "facade":
        text += (
            f"The board keeps meeting and promising (formal activity {formal:.2f}), but "
            f"{delivered}, little links the board to the frontline (alignment "
            f"{alignment:.2f}), and over the same area without a board it adds {added} "
            "(median)."
        )
    elif regime == "delivering":
        text += (
            f"Its added value is {added} (median). Trust across "
            f"agencies ({trust:.2f}) carries joint work on the ground ({joint:.1%} of "
            f"frontline time), and {delivered}."
        )
    elif regime == "organic":
        text += (
            f"Joint work on the ground is worth {ground} over no joint working (median), "
            f"while the board adds {added} on top of it. Joint work takes {joint:.1%} of "
            f"frontline time; the board's formal activity is {formal:.2f}."
        )
    else:
        text += (
            f"The board adds {added} and joint work on the ground {ground} (medians). The "
            f"board asks little (formal activity {formal:.2f}) and joint work takes "
            f"{joint:.1%} of frontline time."
        )
    return text


def _headline(options: Sequence[Option]) -> list[str]:
    """One line per option (added value, ground value, cumulative added value), then one
    per option after the first: its paired difference in added value a year."""
    e = html.escape
    lines = []
    for o in options:
        added = spread(o.per_year("added_value_rate"))
        ground = spread(o.per_year("ground_value_rate"))
        total = spread(o.at_horizon("added_value"))
        line = (
            f"<b>{e(o.name.replace('_', ' '))}</b>: the partnership adds "
            f"{in_words(*added, '% of need a year', '10-90% of simulated futures')} over the "
            "same area without a board. Joint work on the ground is worth "
            f"{in_words(*ground, '% of need a year')} over no joint working. By month "
            f"{o.horizon}, the horizon, the partnership's added value comes to "
            f"{in_words(*total, '% of need')}."
        )
        if added[1] < 0:
            line += " In at least one simulated future in ten it adds nothing or less."
        lines.append(line)
    ref = options[0]
    for o in options:
        if o.draws:
            lines.append(_option_assumptions(o))
    for o in options[1:]:
        d = difference(o, ref)
        more = "more" if d["median"] > 0 else "less"
        line = (
            f"<b>{e(o.name.replace('_', ' '))}</b> adds {more} than "
            f"{e(ref.name.replace('_', ' '))}: "
            f"{in_words(d['median'], d['p10'], d['p90'], '% of need a year', 'difference, 10-90%')}"
        )
        if d["paired"]:
            tied = d["n"] - d["higher"] - d["lower"]
            line += (
                f"; it comes out ahead in {d['higher']} of {d['n']} simulated futures, behind "
                f"in {d['lower']}" + (f" and exactly level in {tied}" if tied else "") + "."
            )
        else:
            line += " (the options did not share random numbers, so this range is wide)."
        if d["p10"] < 0 < d["p90"]:
            line += " The range spans zero: the model does not tell these two options apart."
        if "uncertainty" in d:
            lines.insert(0, _robustness(o, ref, d["uncertainty"]))
        lines.append(line)
    return lines


def _pretty(name: str) -> str:
    return html.escape(name.replace("_", " "))


def _robustness(o: Option, ref: Option, unc: dict) -> str:
    """The headline's first sentence when the options ran across plausible versions of the
    model: in how many versions each option comes out ahead, by how much, and, when the
    versions disagree, what goes with the answer. Counts, never a threshold on them."""
    r, a = unc["ranking"], unc["assumptions"]
    n = r["draws"]
    name, other = _pretty(o.name), _pretty(ref.name)
    if r["tied"] == n:
        return (
            f"<b>{name} and {other} give the same result in all {n} plausible versions of "
            "the model.</b>"
        )
    ahead = r["better"] >= r["worse"]
    lo, hi = (a["p10"], a["p90"]) if ahead else (-a["p90"], -a["p10"])  # lead minus trail
    d = digits(lo, hi)
    size = f"by {lo:+.{d}f} to {hi:+.{d}f}% of need a year (10-90% across versions)"
    lead, trail = (name, other) if ahead else (other, name)
    wins, losses = (r["better"], r["worse"]) if ahead else (r["worse"], r["better"])
    clear = r["clearly_better"] if ahead else r["clearly_worse"]
    count = f"all {n}" if wins == n else f"{wins} of {n}"
    text = (
        f"<b>{lead} does better than {trail} in {count} plausible versions of the model</b> "
        f"(versions differ in the model's uncertain constants), {size}. "
        f"In {clear} of them the difference stands out from the luck of the "
        f"{len(o.replicates)} simulated futures each version ran."
    )
    if wins == n:
        return text
    against = r["clearly_worse"] if ahead else r["clearly_better"]
    if losses == 1:
        clearly = "clearly" if against else "not clearly"
    else:
        clearly = "none of them clearly" if against == 0 else f"{against} of them clearly"
    rest = [f"in {losses} {trail} does better ({clearly})"] if losses else []
    if r["tied"]:
        rest.append(f"in {r['tied']} they are exactly level")
    text += f" The ranking is not the same in every version: {' and '.join(rest)}."
    found = unc.get("deciding") or []
    if found:
        named = "; ".join(
            f"<code>{html.escape(str(f['constant']))}</code> "
            f"({'higher' if float(f['rho']) > 0 else 'lower'} values favour {name})"
            for f in found
        )
        return text + f" The constants that go with the answer most: {named}."
    return text + (
        " No single constant stands out as deciding it across these versions "
        "(partnersim robustness screens them all)."
    )


def _option_assumptions(o: Option) -> str:
    """An option's added value across plausible assumptions beside its spread from luck."""
    from sim.experiment.spread import spreads

    s = spreads(o.per_year("added_value_rate").to_numpy(), o.draws)
    a, f = s["assumptions"], s["random_futures"]
    d = digits(a["p10"], a["p90"], f["p10"], f["p90"])
    return (
        f"<b>{_pretty(o.name)}</b> across {o.draws} plausible versions of the model: the "
        f"partnership adds {a['p10']:+.{d}f} to {a['p90']:+.{d}f}% of need a year (10-90% "
        f"across versions, each averaged over its simulated futures); within one version, "
        f"luck alone spreads it over {f['p10']:+.{d}f} to {f['p90']:+.{d}f} (10-90%, typical "
        "version)."
    )


def _total_effect(options: Sequence[Option]) -> str:
    """The total effect, as a secondary figure with its label."""
    parts = [
        f"{html.escape(o.name.replace('_', ' '))} "
        + in_words(*spread(o.final("partnership_effect")), " points")
        for o in options
    ]
    return "; ".join(parts)


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


def _versions(o: Option) -> str:
    if not o.draws:
        return (
            "; every run used the model's constants as set, so these ranges leave out what "
            "we do not know about them (partnersim compare --uncertainty N adds it)"
        )
    return (
        f" ({len(o.replicates)} simulated futures in each of {o.draws} plausible versions of "
        "the model, whose uncertain constants were drawn across their plausible ranges)"
    )


def default_question(options: Sequence[Option]) -> str:
    """The brief's question when none is given: with two options, the second's
    description; with more, what difference they make against the first; with one (or a
    second without a description), the first's description."""
    ref = options[0]
    if len(options) == 2 and options[1].scenario.description:
        return options[1].scenario.description
    if len(options) > 2:
        return (
            f"What difference do these {len(options) - 1} options make, compared "
            f"with {ref.name.replace('_', ' ')}?"
        )
    return ref.scenario.description or "What does this partnership deliver?"


def render(options: Sequence[Option], question: str | None = None) -> str:
    """The whole brief as one HTML string (figures embedded as data URIs)."""
    e = html.escape
    ref = options[0]
    if question is None:
        question = default_question(options)
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
    runs = len(ref.runs)
    spin = ref.scenario.dynamics.start.spin_up_months
    rules = ref.scenario.regimes
    regime_defs = "".join(f"<li><b>{r}</b>: {MEANING[r]}</li>" for r in REGIMES)
    outcome_figs = "".join(
        f'<img alt="outcome with and without a board and joint working" '
        f'src="data:image/png;base64,{figure_outcome(o)}">'
        for o in options[:2]
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
<p>{TWINS}</p>
<p class="small">Each option was simulated {runs} times over {ref.horizon} months, after
{spin} months of run-in that are not reported{_versions(ref)}. Figures a year are averaged over
{judged_months(ref)}; each is the median across simulated futures, with the range that holds
the middle 80% of them (10-90%). Model output under assumed constants.</p>
<p class="small">Secondary figure, not the headline: the <b>total effect</b> (outcome index
minus that of the same area with no joint working, in points, mean of the last 12 months) adds
the board and the joint work on the ground together, and grows with the length of the run:
{_total_effect(options)}.</p>
<h2>What happens over time</h2>
<img alt="added value over time" src="data:image/png;base64,{figure_added_value(options)}">
<p class="small">Left: what the partnership adds over the same area without a board; right: what
joint work on the ground adds over no joint working. Lines are medians, bands hold the middle
80% of simulated futures. The outcome charts below show the three worlds themselves.</p>
{outcome_figs}
<h2>Where each option tends to end up, and why</h2>
<img alt="regimes" src="data:image/png;base64,{figure_regimes(options)}">
<ul class="small">{regime_defs}</ul>
<p class="small">Each month is labelled from the {rules.window_months} months up to and
including it; the label changes only once a new one has held for {rules.persist_months} months
in a row (dissolution applies at once).</p>
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
