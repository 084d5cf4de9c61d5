"""Plain words for the terms on the dashboard, for a room of managers: shown on hover where
each term appears (HTML ``title`` tooltips on the badge, the charts and the levers) and
all together in the page's "Words on this page" panel.

:func:`every` turns a yearly rate into words ("once every two years"), for the policy
churn lever and anywhere else a rate a year is shown.
"""

from __future__ import annotations

from fractions import Fraction

GLOSSARY: dict[str, str] = {
    "regime": (
        "What the partnership is doing now, judged over the last 12 months: delivering, "
        "facade, organic, inert or dissolved. A new regime shows once it has held 3 "
        "months in a row."
    ),
    "% of need": (
        "The unit of every effect on this page. The need on the partnership's issues "
        "(smoking, obesity, ...) is 100 at month 0; 'adds 2 % of need a year' means the "
        "partnership's extra work removes 2 points of that 100 each year, once the lag "
        "has passed; 'averted 9 % of need so far' means 9 points in total since month 0."
    ),
    "what the partnership adds": (
        "The effect of the board: the partnership's area against the same area with no "
        "board (same staff, same luck), in % of need. Above zero the board helps; below "
        "zero it costs more than it gives."
    ),
    "counterfactual": (
        "A 'what if' world the model runs alongside on the same random numbers: the same "
        "area with no board (practitioners still work together) and the same area with no "
        "joint working at all. The gaps between the worlds are the effects."
    ),
    "joint work on the ground adds": (
        "What practitioners working across agencies achieve without any board: the same "
        "area with no board against no joint working, in % of need a year."
    ),
    "joint work": (
        "The share of frontline staff time spent working with colleagues from other "
        "agencies (shared cases, referrals, joint projects)."
    ),
    "formal activity": (
        "An index from 0 to 1 of the board's formal side: meetings held (times "
        "attendance) and commitments made. 1 is the busiest a board gets; 0, no board. "
        "Busy is not the same as useful: a facade can be very busy."
    ),
    "commitments delivered": (
        "Of the commitments the board made in the last 12 months, the share delivered. "
        "Below the dashed 'mostly kept' line (one half), most lapse."
    ),
    "trust": (
        "An index from 0 to 1 of how far staff rely on each other, on ties within their "
        "own agency and across agencies."
    ),
    "reorganisation": (
        "Posts change hands, the board re-forms and priorities are reshuffled. Numbered "
        "markers are reorganisations you or the scenario caused; dotted grey lines are "
        "the area's own churn (at the policy churn rate)."
    ),
    "policy churn": (
        "How often the centre reorganises the local system: 0.5 a year is about once "
        "every two years."
    ),
    "chair vacant": (
        "The chair has left and the post is not yet filled: the board runs without one for a while."
    ),
    "spread across assumptions": (
        "A faint band: the same levers in other plausible versions of the model's "
        "uncertain constants (10th to 90th percentile)."
    ),
}

# where each term appears: CSS class of the chart box (chart-<name>) -> terms
CHART_TERMS: dict[str, tuple[str, ...]] = {
    "value": ("what the partnership adds", "% of need", "joint work on the ground adds"),
    "outcome": ("% of need", "counterfactual"),
    "joint": ("joint work", "counterfactual"),
    "formal": ("formal activity",),
    "trust": ("trust",),
    "delivery": ("commitments delivered",),
    "network": ("trust",),
    "regime": ("regime", "reorganisation"),
}

_WORDS = {1: "once", 2: "twice", 3: "three times", 4: "four times"}
_NUMBERS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 10: "ten"}


def every(per_year: float) -> str:
    """A yearly rate in words: 0.5 -> "about once every two years", 1 -> "about once a
    year", 2 -> "about twice a year", 0 -> "never"; rates are read to the nearest simple
    fraction, so the words say "about"."""
    if per_year <= 0:
        return "never"
    if per_year >= 1:
        n = round(per_year)
        times = _WORDS.get(n, f"{n} times")
        return f"about {times} a year"
    years = Fraction(1 / per_year).limit_denominator(2)
    if years.denominator == 1:
        n = years.numerator
        return f"about once every {_NUMBERS.get(n, str(n))} years"
    return f"about once every {float(years):g} years"


def tooltip(*terms: str) -> str:
    """The glossary entries of ``terms``, one paragraph each, for a ``title`` tooltip."""
    return "\n\n".join(f"{term[:1].upper()}{term[1:]}: {GLOSSARY[term]}" for term in terms)
