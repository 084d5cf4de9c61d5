"""The words a room of managers needs: rates a year in plain words, and a glossary entry
for every term the charts explain on hover."""

from __future__ import annotations

import pytest

from sim.dashboard import glossary, plots
from sim.dashboard.components import marker_html


@pytest.mark.parametrize(
    ("rate", "words"),
    [
        (0.5, "about once every two years"),
        (1.0, "about once a year"),
        (2.0, "about twice a year"),
        (0.33, "about once every three years"),
        (0.25, "about once every four years"),
        (0.4, "about once every 2.5 years"),
        (0.1, "about once every ten years"),
        (0.0, "never"),
    ],
)
def test_a_rate_a_year_in_words(rate: float, words: str) -> None:
    assert glossary.every(rate) == words


def test_every_term_a_chart_explains_is_in_the_glossary() -> None:
    for terms in glossary.CHART_TERMS.values():
        for term in terms:
            assert glossary.GLOSSARY[term]
    for needed in ("counterfactual", "% of need", "formal activity", "policy churn"):
        assert needed in glossary.GLOSSARY
    assert "points" in glossary.GLOSSARY["% of need"]
    assert "once every two years" in glossary.GLOSSARY["policy churn"]


def test_tooltip_names_each_term() -> None:
    text = glossary.tooltip("formal activity", "counterfactual")
    assert text.startswith("Formal activity: ")
    assert "\n\nCounterfactual: " in text


def test_marker_line_lists_own_reorganisations_apart_from_shocks() -> None:
    assert "No shocks, lever changes or reorganisations yet" in marker_html([], ())
    line = marker_html([(1, 8, "reorganisation")], (23, 47))
    assert "<b>1</b>month 8: reorganisation" in line
    assert "reorganisations of the area's own churn: months 23, 47" in line
    assert "month 9" in marker_html([], (9,)) and "months" not in marker_html([], (9,))


def test_reorganisations_are_dotted_grey_lines_labelled() -> None:
    (line,) = plots.reorganisation_lines([23])
    assert line["xAxis"] == 23
    assert line["lineStyle"]["type"] == "dotted"
    assert line["label"]["formatter"] == "reorganisation"
    assert line["label"]["fontSize"] >= 16
