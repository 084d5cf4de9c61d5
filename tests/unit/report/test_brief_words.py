"""The brief's words on synthetic options: where runs end (counts at the last month, not
shares of months), the verdict between two options (no clear difference when the range
includes zero, every run accounted for), and levers changed over time."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from sim.report.brief import _lever_table, ends, months_words, paths_words, verdict, why
from sim.report.charts import mark_windows
from sim.report.options import NUMERIC, Option, lever_rows
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[3]
BASE = load_scenario(ROOT / "scenarios" / "baseline.yaml")
STABLE = load_scenario(ROOT / "scenarios" / "stable_three_years.yaml")


def option(
    name: str, scenario: Scenario, labels: list[list[str]], added: list[float] | None = None
) -> Option:
    """An option whose run r has the monthly regime labels ``labels[r]`` and the added
    value a year ``added[r]`` in every month; other measures constant."""
    rows = []
    for r, months in enumerate(labels):
        for m, label in enumerate(months, start=1):
            row = {c: 0.5 for c in NUMERIC}
            row.update(draw=0, replicate=r, month=m, regime=label, scenario=scenario.name)
            row["board_alive"] = 0.0 if label == "dissolved" else 1.0
            if added is not None:
                row["added_value_rate"] = added[r]
            rows.append(row)
    return Option(name, scenario, pd.DataFrame(rows), Path("/nowhere"))


def facade_then(last: list[str]) -> list[list[str]]:
    """Runs that spend months 1-9 as facades, then end in ``last[r]`` for months 10-12."""
    return [["facade"] * 9 + [end] * 3 for end in last]


def test_where_runs_end_is_counted_at_the_last_month_not_over_months() -> None:
    ending = ["dissolved"] * 5 + ["inert"] * 4 + ["facade"]
    o = option("stable_three_years", STABLE, facade_then(ending))
    assert o.end_regimes() == {"dissolved": 5, "inert": 4, "facade": 1}
    assert ends(o) == (
        "<b>dissolved</b> in 5 of 10 simulated futures, <b>inert</b> in 4, <b>facade</b> in 1"
    )
    # facade holds most months (93/120), yet only one run ends there: both are said, apart
    assert months_words(o) == "facade 78%, dissolved 12%, inert 10% of months"
    assert paths_words(o) == (
        "facade, then dissolved (5); facade, then inert (4); facade throughout (1)"
    )
    text = why(o)
    assert text.startswith("At year 1 (month 12), the horizon, it ends <b>dissolved</b> in 5")
    assert "mostly" not in text.lower() and "most runs" not in text.lower()
    assert "<b>The 5 that end dissolved</b>" in text and "<b>The one that ends facade</b>" in text


def test_a_single_end_says_all() -> None:
    o = option("baseline", BASE, facade_then(["delivering"] * 4))
    assert ends(o) == "<b>delivering</b> in all 4 simulated futures"


def test_a_range_that_includes_zero_is_no_clear_difference_and_every_run_is_counted() -> None:
    ref = option("baseline", BASE, facade_then(["facade"] * 10), [0.5] * 10)
    spread = [-0.4, -0.2, 0.0, 0.3, 0.5, 0.6, 0.8, 1.0, 1.1, 1.2]
    o = option("stable_three_years", STABLE, facade_then(["facade"] * 10),
               [0.5 + d for d in spread])  # fmt: skip
    text = verdict(o, ref)
    assert text.startswith("<b>No clear difference between stable three years and baseline</b>")
    assert "adds more" not in text and "does better" not in text
    assert "a point is 1% of the area's need averted a year" in text
    assert (
        "of the 10 simulated futures, stable three years is ahead in 7, behind in 2, level in 1."
        in text
    )


def test_a_range_clear_of_zero_is_a_difference_with_ties_counted_apart() -> None:
    ref = option("baseline", BASE, facade_then(["facade"] * 10), [0.5] * 10)
    o = option("stable_three_years", STABLE, facade_then(["facade"] * 10),
               [0.5] + [0.6] * 9)  # fmt: skip
    text = verdict(o, ref)
    assert text.startswith("<b>stable three years: the partnership adds more than under baseline")
    assert text.endswith(
        "of the 10 simulated futures, stable three years is ahead in 9, level in 1."
    )


def test_a_range_that_ends_at_zero_from_level_futures_is_more_or_as_much() -> None:
    # two futures come out exactly level (both boards gone before the options differ): the
    # 10% point is 0, which is no spread across zero, and no difference either
    ref = option("baseline", BASE, facade_then(["facade"] * 10), [0.5] * 10)
    o = option("stable_three_years", STABLE, facade_then(["facade"] * 10),
               [0.5, 0.5] + [0.5 + d for d in np.linspace(0.1, 0.8, 8)])  # fmt: skip
    text = verdict(o, ref)
    assert text.startswith(
        "<b>stable three years: the partnership adds more than or as much as under baseline</b>"
    )
    assert "in some futures the two come out exactly level" in text
    assert "ahead in 8, level in 2." in text
    one_behind = [0.4, 0.5] + [0.5 + d for d in np.linspace(0.1, 0.8, 8)]
    o = option("stable_three_years", STABLE, facade_then(["facade"] * 10), one_behind)
    assert verdict(o, ref).startswith("<b>No clear difference")  # the range crosses zero


def test_unpaired_options_with_a_range_across_zero_are_not_called_better() -> None:
    ref = option("baseline", BASE.model_copy(update={"seed": 1}),
                 facade_then(["facade"] * 10), list(np.linspace(0.0, 2.0, 10)))  # fmt: skip
    o = option("stable_three_years", STABLE, facade_then(["facade"] * 10),
               list(np.linspace(1.0, 3.1, 10)))  # fmt: skip
    text = verdict(o, ref)
    assert text.startswith("<b>No clear difference between stable three years and baseline</b>")
    assert "did not share random numbers" in text and "ahead in" not in text


def test_a_timeline_change_shows_in_the_lever_table_as_a_difference() -> None:
    base = option("baseline", BASE, facade_then(["facade"]))
    stable = option("stable_three_years", STABLE, facade_then(["facade"]))
    rows = {r["path"]: r for r in lever_rows([base, stable])}
    churn = rows["environment.policy_churn"]
    assert churn["values"] == ["0.5", "0.5; 0 in months 12-48"] and churn["differs"]
    assert [p for p, r in rows.items() if r["differs"]] == ["environment.policy_churn"]
    table = _lever_table([base, stable])
    shown, collapsed = table.split("<details>")
    assert '<tr class="differs"><td><code>environment.policy_churn</code>' in shown
    assert "<td>0.5; 0 in months 12-48</td>" in shown
    assert "environment.policy_churn" not in collapsed and "<code>partnership." in collapsed


def test_intervention_windows_are_shaded_and_labelled_on_the_charts() -> None:
    ax = Figure().add_subplot()
    mark_windows(ax, [option("baseline", BASE, [["facade"]]),
                      option("stable_three_years", STABLE, [["facade"]])])  # fmt: skip
    spans = [p.get_x() for p in ax.patches]
    assert len(ax.patches) == 1 and spans[0] == pytest.approx(11 / 12)  # month 12 starts
    assert ax.patches[0].get_width() == pytest.approx(48 / 12 - 11 / 12)
    labels = [t.get_text() for t in ax.texts]
    assert labels == ["stable three years: policy churn 0\n(months 12-48)"]
