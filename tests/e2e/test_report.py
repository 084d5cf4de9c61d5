"""``partnersim report`` and ``partnersim export`` end to end, the brief rendered in Chromium."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.chromium import HEADLESS
from tests.e2e.clirun import cli

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [*HEADLESS, "--hide-scrollbars"]


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cmp") / "options"
    res = cli(
        "compare",
        "scenarios/baseline.yaml",
        "scenarios/facilitative_leadership.yaml",
        "--replicates",
        "3",
        "--months",
        "36",
        "--out",
        str(out),
        "--quiet",
        "--no-figures",
    )
    assert res.returncode == 0, res.stderr
    return out


def _brief(folder: Path, out: Path) -> str:
    res = cli("report", str(folder), "--out", str(out))
    assert res.returncode == 0, res.stderr
    return out.read_text()


def _between(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end, page.index(start))]


def test_the_brief_is_one_self_contained_page_with_every_section(comparison, tmp_path):
    page = _brief(comparison, tmp_path / "brief.html")
    for section in (
        "Appendix: the options",
        "The headline",
        "The difference, future by future",
        "What happens over time",
        "Where each option ends up, and how it got there",
        "Assumptions and their sources",
        "Limits",
    ):
        assert section in page
    assert "<b>facilitative leadership</b>: the partnership adds" in page
    assert "simulated futures" in page
    assert page.count("data:image/png;base64,") >= 5  # paired, added value, 2 outcomes, regimes
    assert "http://" not in page and "https://" not in page  # nothing fetched from outside
    assert "environment.policy_churn" in page and "assumption" in page


def test_the_headline_is_added_value_beside_joint_work_on_the_ground(comparison, tmp_path):
    page = _brief(comparison, tmp_path / "brief.html")
    headline = _between(page, '<div class="headline">', "</div>")
    for name in ("baseline", "facilitative leadership"):
        line = _between(headline, f"<p><b>{name}</b>:", "</p>")
        assert "the partnership adds <b>" in line and "over the same area without a board" in line
        assert "Joint work on the ground is worth <b>" in line and "over no joint working" in line
        assert "% of need a year</b>" in line and "10-90%" in line
        assert "By year 3 (month 36), the horizon" in line  # the cumulative value, its horizon
        assert "need has fallen by " in line and "with no joint working (medians" in line
    # the total effect is not the headline: it comes after it, labelled as secondary; the
    # headline's points are defined where they are used
    assert "total effect" not in headline.lower()
    assert "points" in headline and "a point is 1% of the area's need averted a year" in headline
    assert "Secondary figure, not the headline: the <b>total effect</b>" in page
    assert page.index("Secondary figure") > page.index('<div class="headline">')
    # the two twins in plain words, and no figure surer than the model
    assert "the same area without a board</b> (the same agencies, staff and luck" in page
    assert "the same area with no joint working</b> at all" in page
    assert page.lower().count("model output under assumed constants") >= 2


def _shown(line: str) -> tuple[float, float]:
    """The bold median of a headline line, and half the last printed digit."""
    text = re.search(r"<b>([+-]?[0-9.]+)% of need a year</b>", line).group(1)
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), 0.5 * 10**-decimals


def test_the_headline_figures_are_the_runs_per_year_medians(comparison, tmp_path):
    page = _brief(comparison, tmp_path / "brief.html")
    table = pd.read_parquet(comparison / "timeseries.parquet")
    per_year = table.groupby(["scenario", "replicate"])[["added_value_rate"]].mean()
    headline = _between(page, '<div class="headline">', "</div>")
    medians = {}
    for scenario, name in (("baseline", "baseline"), ("facilitative_leadership",
                                                       "facilitative leadership")):  # fmt: skip
        line = _between(headline, f"<p><b>{name}</b>:", "</p>")
        shown, rounding = _shown(line)
        medians[scenario] = per_year.loc[scenario]["added_value_rate"]
        assert abs(shown - medians[scenario].median()) <= rounding + 1e-9
    paired = medians["facilitative_leadership"] - medians["baseline"]
    lo, hi = np.percentile(paired, 10), np.percentile(paired, 90)
    if lo > 0 or hi < 0:
        more = "more" if paired.median() > 0 else "less"
        line = _between(headline, "<p><b>facilitative leadership: the partnership adds", "</p>")
        assert f"adds {more} than under baseline" in line
    else:
        line = _between(headline, "<p><b>No clear difference between facilitative", "</p>")
    counts = [f"{word} in {n}" for word, n in (("ahead", (paired > 0).sum()),
              ("behind", (paired < 0).sum()), ("level", (paired == 0).sum())) if n]  # fmt: skip
    assert f"of the {paired.size} simulated futures, facilitative leadership is " in line
    assert ", ".join(counts) + "." in line


def test_the_brief_names_five_regimes_with_their_meaning(comparison, tmp_path):
    from sim.core.regimes import REGIMES

    page = _brief(comparison, tmp_path / "brief.html")
    assert len(REGIMES) == 5 and "organic" in REGIMES
    for regime in REGIMES:
        assert f"<li><b>{regime}</b>: " in page
    table = pd.read_parquet(comparison / "timeseries.parquet")
    last = table[table["month"] == table["month"].max()].groupby("scenario")["regime"]
    for scenario, name in (("baseline", "baseline"), ("facilitative_leadership",
                                                       "facilitative leadership")):  # fmt: skip
        ends = last.get_group(scenario).astype(str).value_counts()
        ends = ends[ends > 0]
        if len(ends) == 1:
            words = f"<b>{ends.index[0]}</b> in all 3 simulated futures"
        else:
            rest = ", ".join(f"<b>{r}</b> in {n}" for r, n in ends.iloc[1:].items())
            words = f"<b>{ends.index[0]}</b> in {ends.iloc[0]} of 3 simulated futures, {rest}"
        assert f"<p><b>{name}.</b> At year 3 (month 36), the horizon, it ends {words}." in page
    assert "Mostly" not in page


def test_a_branched_comparison_is_judged_after_the_branch(tmp_path):
    out = tmp_path / "branched"
    res = cli("compare", "scenarios/baseline.yaml", "scenarios/shared_targets.yaml",
              "--replicates", "2", "--months", "24", "--branch-at", "12", "--out", str(out),
              "--quiet", "--no-figures")  # fmt: skip
    assert res.returncode == 0, res.stderr
    page = _brief(out, tmp_path / "brief.html")
    assert "months 13-24, after the shared history" in page


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_the_brief_renders_in_a_browser(comparison, tmp_path):
    from PIL import Image

    brief = tmp_path / "brief.html"
    assert cli("report", str(comparison), "--out", str(brief)).returncode == 0
    shot = tmp_path / "brief.png"
    subprocess.run(
        [CHROMIUM, *FLAGS, "--window-size=1100,2400", f"--screenshot={shot}", brief.as_uri()],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.exists(), "chromium wrote no screenshot"
    pixels = np.asarray(Image.open(shot).convert("L"), dtype=float)
    assert pixels.shape[1] == 1100
    assert pixels.std() > 20  # not a blank page: text and figures are drawn
    top = pixels[:200]
    assert (top < 100).mean() > 0.005  # the heading's dark text is at the top


def test_export_writes_csv_that_spreadsheets_read(comparison, tmp_path):
    res = cli("export", str(comparison), "--out", str(tmp_path))
    assert res.returncode == 0, res.stderr
    path = tmp_path / f"{comparison.name}_timeseries.csv"
    assert path.read_bytes()[:3] == b"\xef\xbb\xbf"  # UTF-8 byte-order mark for Excel
    table = pd.read_csv(path, encoding="utf-8-sig")
    original = pd.read_parquet(comparison / "timeseries.parquet")
    assert len(table) == len(original) == 2 * 3 * 36
    assert set(table["regime"]) <= {"delivering", "facade", "organic", "inert", "dissolved"}
    assert np.allclose(table["outcome_index"], original["outcome_index"])


def test_report_of_a_folder_without_results_exits_2(tmp_path):
    res = cli("report", str(tmp_path))
    assert res.returncode == 2
    assert "not a results folder" in res.stderr and "Traceback" not in res.stderr
