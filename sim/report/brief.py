"""The brief: a self-contained HTML page for a reader who will never open a terminal.

The main part, one printed A4 page for two options, states the question and the headline
in plain words with its uncertainty (each option against the first in points, a point being
1% of the area's need averted a year; what the partnership adds over the same area without
a board, beside what joint work on the ground is worth; how far need falls; where the runs
end), the paired difference run by run, and the added value over time with the options'
timeline changes shaded. The appendix, from a new page, gives the options, how the figures
are made, the three worlds, where each option ends and how it got there, the levers that
differ (the others collapsed) with their sources, and the limits of what a simulation can
say.
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.core.regimes import REGIMES
from sim.report.charts import (
    figure_added_value,
    figure_outcome,
    figure_paired,
    figure_regimes,
)
from sim.report.options import RUN, Option, difference, lever_rows, number
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
    "tracer issues), so a longer run does not make them bigger: a <b>point</b> is 1% of the "
    "area's need averted a year. The cumulative figure adds them up to the horizon. All are "
    "model output under assumed constants: use them to compare options, not as forecasts."
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
    "are assumptions informed by the evidence, not measurements (see "
    '<a href="#assumptions">Assumptions and their sources</a> and docs/odd.md).',
    "The range shown (10-90%) is the spread across simulated futures that share the same "
    "random luck between options; it is not a confidence interval for a real area.",
    "The regime labels summarise the model's own measures with rules whose settings are "
    "assumptions (under <code>regimes:</code> in a scenario file); read them as a summary, not a "
    "verdict.",
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


def signed(value: float, decimals: int) -> str:
    """``value`` with its sign to ``decimals`` places; a value that rounds to zero is
    written 0 (0.00), never -0 or +0."""
    text = f"{value:+.{decimals}f}"
    return f"{0:.{decimals}f}" if math.isfinite(value) and float(text) == 0 else text


def in_words(med: float, lo: float, hi: float, unit: str, label: str = "10-90%") -> str:
    """``+0.21% of need a year (10-90%: -0.05 to +0.48)``, the median in bold."""
    d = digits(lo, hi) if math.isfinite(lo) and lo != hi else digits(med)
    return f"<b>{signed(med, d)}{unit}</b> ({label}: {signed(lo, d)} to {signed(hi, d)})"


def judged_months(o: Option) -> str:
    """The months the per-year figures average over, in words."""
    if o.first_month > 1:
        return f"months {o.first_month}-{o.horizon}, after the shared history"
    return f"months 1-{o.horizon}"


def years(months: float) -> str:
    """A span of months in years, in words: ``10 years``, ``2.5 years``, ``1 year``."""
    value = months / 12
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"{text} year" + ("" if text == "1" else "s")


def in_year(month: float) -> str:
    """A month as a point in time, in years first: ``year 3 (month 36)``."""
    value = month / 12
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
    return f"year {text} (month {month:.0f})"


def ends(o: Option) -> str:
    """Where the runs end, as counts: ``dissolved in 5 of 10 simulated futures, inert in
    4, facade in 1``."""
    counts = list(o.end_regimes().items())
    n = len(o.runs)
    if len(counts) == 1:
        every = {1: "the one simulated future", 2: "both simulated futures"}
        return f"<b>{counts[0][0]}</b> in {every.get(n, f'all {n} simulated futures')}"
    first = f"<b>{counts[0][0]}</b> in {counts[0][1]} of {n} simulated futures"
    return ", ".join([first, *(f"<b>{r}</b> in {k}" for r, k in counts[1:])])


def _path_words(path: tuple[str, ...]) -> str:
    if len(path) == 1:
        return f"{path[0]} throughout"
    return ", then ".join(path)


def paths_words(o: Option) -> str:
    """How the runs got to their end: each path through the regimes with its count."""
    found = list(o.paths().items())
    return "; ".join(f"{_path_words(p)} ({n})" for p, n in found)


def months_words(o: Option) -> str:
    """Share of months in each regime, largest first: ``delivering 62% of months, ...``."""
    shares = sorted(o.regime_shares().items(), key=lambda kv: -kv[1])
    parts = [f"{r} {v:.0%}" if v >= 0.005 else f"{r} under 1%" for r, v in shares if v > 0]
    return ", ".join(parts) + " of months"


def _median_month_dissolved(o: Option) -> float | None:
    gone = o.series[o.series["board_alive"] < 0.5].groupby(RUN)["month"].min()
    return float(gone.median()) if len(gone) else None


def mechanism(o: Option, regime: str) -> str:
    """Plain words on why the runs of ``o`` (all ending in ``regime``) end there, from
    their measures: medians and means over these runs only."""
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
    if regime == "dissolved":
        month = _median_month_dissolved(o)
        when = f" around {in_year(month)}" if month is not None else ""
        return (
            f"In the typical one the board broke up{when}: its members' "
            "commitment fell below the point where they keep coming, because the time meetings "
            "and re-forming after reorganisations took, and the pull of their own targets "
            f"(pressure {pressure:.2f} on a 0-1 scale), outweighed what the partnership gave "
            f"them. Joint work on the ground does not need the board: it was worth {ground} "
            f"(median), and the partnership added {added} over the run."
        )
    if regime == "facade":
        return (
            f"The board keeps meeting and promising (formal activity {formal:.2f}), but "
            f"{delivered}, little links the board to the frontline (alignment "
            f"{alignment:.2f}), and over the same area without a board it adds {added} "
            "(median)."
        )
    if regime == "delivering":
        return (
            f"Its added value is {added} (median). Trust across "
            f"agencies ({trust:.2f}) carries joint work on the ground ({joint:.1%} of "
            f"frontline time), and {delivered}."
        )
    if regime == "organic":
        return (
            f"Joint work on the ground is worth {ground} over no joint working (median), "
            f"while the board adds {added} on top of it. Joint work takes {joint:.1%} of "
            f"frontline time; the board's formal activity is {formal:.2f}."
        )
    return (
        f"The board adds {added} and joint work on the ground {ground} (medians). The "
        f"board asks little (formal activity {formal:.2f}) and joint work takes "
        f"{joint:.1%} of frontline time."
    )


def why(o: Option) -> str:
    """Where an option's runs end (counts at the last month), how they got there (share of
    months, paths) and, for each end, why, from the measures of the runs that end there."""
    text = (
        f"At {in_year(o.horizon)}, the horizon, it ends {ends(o)}. On the way: "
        f"{months_words(o)}. Paths (simulated futures): {paths_words(o)}."
    )
    for regime, n in o.end_regimes().items():
        runs = "the one" if n == 1 else f"the {n}"
        text += (
            f" <b>{runs.capitalize()} that end{'s' if n == 1 else ''} {regime}</b>: "
            f"{MEANING[regime]}. {mechanism(o.ending_in(regime), regime)}"
        )
    return text


POINT = "a point is 1% of the area's need averted a year"
"""What a point is, stated wherever the brief speaks of points."""


def levels(o: Option) -> str:
    """Absolute levels at the horizon: how far need has fallen in each of the three worlds
    (outcome index, % fall in need; medians of each run's mean over the last 12 months)."""
    parts = [
        f"{spread(o.final(column))[0]:.1f}% {label}"
        for column, label in (
            ("outcome_index", "with the partnership"),
            ("boardless_outcome_index", "in the same area without a board"),
            ("counterfactual_outcome_index", "with no joint working"),
        )
    ]
    return f"need has fallen by {parts[0]}, {parts[1]} and {parts[2]} (medians over the last year)"


def _option_line(o: Option) -> str:
    """An option's added value, ground value, cumulative value, levels and end."""
    added = spread(o.per_year("added_value_rate"))
    ground = spread(o.per_year("ground_value_rate"))
    total = spread(o.at_horizon("added_value"))
    line = (
        f"<b>{_pretty(o.name)}</b>: the partnership adds "
        f"{in_words(*added, '% of need a year', '10-90% of simulated futures')} over the "
        "same area without a board. Joint work on the ground is worth "
        f"{in_words(*ground, '% of need a year')} over no joint working. By "
        f"{in_year(o.horizon)}, the horizon, the partnership's added value comes to "
        f"{in_words(*total, '% of need')}, and {levels(o)}. It ends {ends(o)}."
    )
    if added[1] < 0:
        line += " In at least one simulated future in ten the partnership adds nothing or less."
    return line


def counts_words(d: dict, name: str) -> str:
    """``of the 10 simulated futures, X is ahead in 9, level in 1``: every run accounted
    for, ties apart."""
    parts = [
        f"{word} in {d[key]}"
        for word, key in (("ahead", "higher"), ("behind", "lower"), ("level", "level"))
        if d[key]
    ]
    return f"of the {d['n']} simulated futures, {name} is {', '.join(parts)}"


def verdict(o: Option, ref: Option) -> str:
    """``o`` against the reference on the partnership's added value a year, in points.

    Only a 10-90% range of the difference that stays on one side of zero is called a
    difference; a paired range that ends exactly at zero (futures in which the two come out
    level) is "more than or as much as"; otherwise the words are "no clear difference",
    paired or not."""
    d = difference(o, ref)
    name, other = _pretty(o.name), _pretty(ref.name)
    size = in_words(d["median"], d["p10"], d["p90"], " points a year", "10-90%")
    size = f"{name} minus {other} is {size}, where {POINT}"
    if d["p10"] > 0 or d["p90"] < 0:
        more = "more" if d["median"] > 0 else "less"
        line = f"<b>{name}: the partnership adds {more} than under {other}</b>: {size}"
    elif d["paired"] and (d["p10"] == 0 < d["p90"] or d["p10"] < 0 == d["p90"]):
        # the range ends exactly at zero: futures in which the two come out level (e.g.
        # both boards gone before the options differ), not a spread across zero
        more = "more than or as much as" if d["p90"] > 0 else "less than or as much as"
        line = (
            f"<b>{name}: the partnership adds {more} under {other}</b>: {size}; the range "
            "ends at zero because in some futures the two come out exactly level"
        )
    else:
        line = (
            f"<b>No clear difference between {name} and {other}</b> in what the "
            f"partnership adds: {size}; the range includes zero"
        )
    if d["paired"]:
        line += f"; {counts_words(d, name)}"
        if o.draws:
            line += (
                f" ({o.draws} plausible versions of the model, {len(o.replicates)} futures "
                "each, taken together)"
            )
        line += "."
    else:
        line += (
            ". The two did not share random numbers (separate runs), so the range compares "
            "their two spreads and no future can be set against its twin."
        )
    return line


def _headline(options: Sequence[Option]) -> list[str]:
    """The verdict of each option after the first against the first (with the robustness
    across plausible versions of the model first, when there are draws), then one line per
    option: its added value, ground value, cumulative value, levels and where it ends."""
    ref = options[0]
    lines = []
    for o in options[1:]:
        d = difference(o, ref)
        if "uncertainty" in d:
            lines.append(_robustness(o, ref, d["uncertainty"]))
        lines.append(verdict(o, ref))
    lines += [_option_line(o) for o in options]
    lines += [_option_assumptions(o) for o in options if o.draws]
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
        + in_words(*spread(o.final("partnership_effect")), " points of the outcome index")
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
        detail = ", ".join(f"{k} = {number(v)}" for k, v in {**changes, **rest}.items())
        items.append(f"{when}: {action}" + (f" {detail}" if detail else ""))
    return "; ".join(items)


CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:980px;margin:2em auto;padding:0 1.2em;
color:#1a1a1a;line-height:1.5;font-size:17px}
h1{font-size:1.9em;margin:0 0 0.1em}h2{margin-top:1.4em;border-bottom:2px solid #ddd}
.lede{font-size:1.15em;color:#333;margin-top:0}.headline{background:#f3f7fb;
border-left:6px solid #1f77b4;padding:0.5em 1.1em;font-size:1.05em}
.headline p{margin:0.45em 0}table{border-collapse:collapse;width:100%;font-size:0.85em;
font-family:system-ui,sans-serif}td,th{border:1px solid #ccc;padding:4px 6px;vertical-align:top}
th{background:#f0f0f0;text-align:left}.differs{background:#fff6d6}img{max-width:100%}
.small{font-size:0.85em;color:#555}img.paired{width:80%}details summary{cursor:pointer;
font-family:system-ui,sans-serif;font-size:0.9em;margin:0.6em 0}
.appendix{margin-top:3em;border-top:4px double #bbb}footer{margin-top:2em}
@page{size:A4;margin:11mm 13mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:9.6pt;line-height:1.32}
h1{font-size:17pt}h2{font-size:12pt;margin:0.7em 0 0.25em;break-after:avoid}
.lede{font-size:10.5pt;margin-bottom:0.3em}.headline{font-size:9.6pt;padding:0.2em 0.8em}
.headline p{margin:0.3em 0}main p{margin:0.3em 0}main .small{font-size:8.3pt}
main img.paired{width:64%}main img.over-time{width:92%}
.appendix{break-before:page;margin-top:0;border-top:none}
img,table tr,.headline{break-inside:avoid}a{color:inherit;text-decoration:none}
}
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


def _lever_table(options: Sequence[Option]) -> str:
    """The levers where the options differ (values and timelines), then every other lever
    in a collapsed block."""
    e = html.escape
    levers = lever_rows(list(options))
    head = "".join(f"<th>{_pretty(o.name)}</th>" for o in options)

    def table(rows: list[dict]) -> str:
        body = "".join(
            f'<tr class="{"differs" if r["differs"] else ""}"><td><code>{e(r["path"])}</code>'
            f"<br><span class='small'>{e(r['doc'])}</span></td>"
            + "".join(f"<td>{e(str(v))}</td>" for v in r["values"])
            + f"<td>{e(r['unit'])}</td><td>{e(r['source'])}</td></tr>"
            for r in rows
        )
        return f"<table><tr><th>lever</th>{head}<th>unit</th><th>source</th></tr>{body}</table>"

    differ = [r for r in levers if r["differs"]]
    same = [r for r in levers if not r["differs"]]
    if len(options) < 2:
        first = ""
    elif differ:
        first = (
            f"<p>{'The lever' if len(differ) == 1 else f'The {len(differ)} levers'} where the "
            "options differ, in their values or in their changes over time (the months given "
            "are months of the run):</p>" + table(differ)
        )
    else:
        first = "<p>The options set every lever alike.</p>"
    label = "Every lever" if len(options) < 2 else "The other levers, alike in every option"
    rest = (
        f"<details><summary>{label} ({len(same)}): show</summary>{table(same)}</details>"
        if same
        else ""
    )
    return first + rest


def render(options: Sequence[Option], question: str | None = None) -> str:
    """The whole brief as one HTML string (figures embedded as data URIs).

    The main part (``<main>``) holds the question, the headline, the paired difference,
    the added value over time and where each option ends; printed (A4) it takes one page
    for two options. The appendix (``<section class="appendix">``) starts on a new page:
    the options, how the figures are made, the three worlds, the regimes, the assumptions
    and the limits."""
    e = html.escape
    ref = options[0]
    if question is None:
        question = default_question(options)
    opts_rows = "".join(
        f"<tr><td><b>{_pretty(o.name)}</b></td><td>{e(o.scenario.description)}</td>"
        f"<td>{e(_interventions(o.scenario))}</td></tr>"
        for o in options
    )
    headline = "".join(f"<p>{line}</p>" for line in _headline(options))
    whys = "".join(f"<p><b>{_pretty(o.name)}.</b> {why(o)}</p>" for o in options)
    runs = len(ref.runs)
    spin = ref.scenario.dynamics.start.spin_up_months
    rules = ref.scenario.regimes
    regime_defs = "".join(f"<li><b>{r}</b>: {MEANING[r]}</li>" for r in REGIMES)
    outcome_figs = "".join(
        f'<img alt="outcome with and without a board and joint working" '
        f'src="data:image/png;base64,{figure_outcome(o)}">'
        for o in options[:2]
    )
    limits = "".join(f"<li>{t}</li>" for t in LIMITS)
    paired = ""
    if len(options) > 1:
        paired = f"""<h2 id="difference">The difference, future by future</h2>
<img class="paired" alt="paired difference in added value"
src="data:image/png;base64,{figure_paired(options)}">
<p class="small">Each dot is one simulated future: the partnership's added value a year under
{"each option" if len(options) > 2 else _pretty(options[1].name)} minus that under
{_pretty(ref.name)} with the same random luck ({POINT}). The bar is the median, the line
holds the middle 80% of futures (10-90%).</p>"""
    windows_note = (
        " Shaded spans mark changes over time (interventions), labelled with what changes."
        if any(o.scenario.interventions for o in options)
        else ""
    )
    folders = list(dict.fromkeys(str(o.folder) for o in options))
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Partnership brief: {e(question)}</title><style>{CSS}</style></head><body>
<main id="main">
<h1>Partnership brief</h1>
<p class="lede">{e(question)}</p>
<h2>The headline</h2>
<div class="headline">{headline}</div>
{paired}
<h2 id="over-time">What happens over time</h2>
<img class="over-time" alt="added value over time"
src="data:image/png;base64,{figure_added_value(options, (10, 3.6))}">
<p class="small">Left: what the partnership adds over the same area without a board; right:
what joint work on the ground adds over no joint working, each the mean of the past 12 months,
over {years(ref.horizon)}. Lines are medians, bands hold the middle 80% of simulated
futures.{windows_note} Model output under assumed constants, not a forecast: how the figures
are made, where each option ends and why, the assumptions and the limits are in the
<a href="#appendix">appendix</a>.</p>
</main>
<section class="appendix" id="appendix">
<h2>Appendix: the options</h2>
<table><tr><th>option</th><th>what it is</th><th>changes over time</th></tr>{opts_rows}</table>
<h2 id="method">How the figures are made</h2>
<p>{TWINS}</p>
<p class="small">Each option was simulated {runs} times over {ref.horizon} months
({years(ref.horizon)}), after {spin} months of run-in that are not reported{_versions(ref)}.
Figures a year are averaged over {judged_months(ref)}; each is the median across simulated
futures, with the range that holds the middle 80% of them (10-90%). Model output under
assumed constants.</p>
<p class="small">Secondary figure, not the headline: the <b>total effect</b> (outcome index
minus that of the same area with no joint working, in points of the outcome index, that is
% fall in need, a level rather than a rate a year; mean of the last 12 months) adds the board
and the joint work on the ground together, and grows with the length of the run:
{_total_effect(options)}.</p>
<h2 id="worlds">The three worlds</h2>
<p class="small">The outcome (% fall in need) with the partnership, in the same area without a
board and with no joint working, median and 10-90% band.</p>
{outcome_figs}
<h2 id="regimes">Where each option ends up, and how it got there</h2>
<img alt="regimes at the end and on the way" src="data:image/png;base64,{figure_regimes(options)}">
<ul class="small">{regime_defs}</ul>
<p class="small">Each month is labelled from the {rules.window_months} months up to and
including it; the label changes only once a new one has held for {rules.persist_months} months
in a row (dissolution applies at once). Where an option ends is the label of its last month,
counted over the simulated futures; the paths list the labels each future went through.</p>
{whys}
<h2 id="assumptions">Assumptions and their sources</h2>
<p class="small">The levers of each option, with their units and the evidence behind their
defaults (rows where the options differ are highlighted). The behaviour of agencies and staff
rests on further constants, each with its source, listed in docs/odd.md.</p>
{_lever_table(options)}
<h2 id="limits">Limits</h2>
<ul>{limits}</ul>
<footer class="small">Generated {time.strftime("%Y-%m-%d")} by partnersim from
{", ".join(e(f) for f in folders)}; seed {ref.scenario.seed}, replicates
{ref.replicates[0]}-{ref.replicates[-1]}.</footer>
</section>
</body></html>
"""
