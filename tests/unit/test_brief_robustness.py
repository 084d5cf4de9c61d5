"""The brief's sentence on robustness across plausible versions of the model: counts in
plain words, the leading option first, what goes with the answer when versions disagree."""

from __future__ import annotations

from types import SimpleNamespace

from sim.report.brief import _robustness


def option(name: str) -> SimpleNamespace:
    return SimpleNamespace(name=name, replicates=[0, 1, 2])


def unc(better: int, worse: int, tied: int, p10: float, p90: float, deciding=()) -> dict:
    ranking = {
        "draws": better + worse + tied,
        "better": better,
        "worse": worse,
        "tied": tied,
        "clearly_better": better // 2,
        "clearly_worse": worse // 2,
    }
    return {
        "ranking": ranking,
        "assumptions": {"p10": p10, "p90": p90, "median": (p10 + p90) / 2},
        "deciding": list(deciding),
    }


def test_an_option_ahead_in_every_version_says_all_and_no_caveat() -> None:
    text = _robustness(option("shared_targets"), option("baseline"), unc(20, 0, 0, 1.0, 6.0))
    assert "shared targets does better than baseline in all 20 plausible versions" in text
    assert "by +1.0 to +6.0% of need a year" in text
    assert "not the same in every version" not in text


def test_an_option_behind_leads_with_the_reference_and_flips_the_sign() -> None:
    text = _robustness(option("over_engineered"), option("baseline"), unc(1, 19, 0, -3.0, -0.5))
    assert "baseline does better than over engineered in 19 of 20 plausible versions" in text
    assert "by +0.5 to +3.0% of need a year" in text
    assert "in 1 over engineered does better (not clearly)" in text


def test_disagreeing_versions_name_what_goes_with_the_answer_and_ties_apart() -> None:
    found = [{"constant": "dynamics.trust.gain", "rho": -0.8}]
    text = _robustness(option("b"), option("a"), unc(11, 7, 2, -1.0, 2.0, found))
    assert "b does better than a in 11 of 20 plausible versions" in text
    assert "in 7 a does better (3 of them clearly) and in 2 they are exactly level" in text
    assert "dynamics.trust.gain" in text and "lower values favour b" in text


def test_identical_options_say_so() -> None:
    text = _robustness(option("a"), option("a"), unc(0, 0, 5, 0.0, 0.0))
    assert "give the same result in all 5 plausible versions" in text
