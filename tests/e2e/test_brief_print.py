"""The brief printed: its main part takes one A4 page for two options and the appendix
starts on a new page (Chromium's print to PDF); the brief's cross-references, footer and
timeline; ``export`` of a comparison.

How "one page" is measured: the brief is printed three times, whole, with the appendix
hidden and with the main part hidden (a style added to a copy of the page). The main part
alone must print on exactly one page, and the whole brief on one page more than the
appendix alone: so the appendix starts on page 2 and the main part fills page 1 only.
Pages are counted as ``/Type /Page`` objects in the PDF (``/Pages`` excluded).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.chromium import CHROMIUM, HEADLESS
from tests.e2e.clirun import cli

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "results" / "brief_screenshots"
FLAGS = [*HEADLESS, "--no-pdf-header-footer"]
HIDE_APPENDIX = ".appendix{display:none!important}"
HIDE_MAIN = "main{display:none!important}"


@pytest.fixture(scope="module")
def moratorium(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """baseline against stable_three_years (a churn moratorium in months 12-48)."""
    out = tmp_path_factory.mktemp("print") / "moratorium"
    res = cli("compare", "baseline", "stable_three_years", "--replicates", "3", "--months",
              "60", "--out", out, "--quiet", "--no-figures")  # fmt: skip
    assert res.returncode == 0, res.stderr
    return out


@pytest.fixture(scope="module")
def brief(moratorium: Path) -> Path:
    out = moratorium / "brief.html"
    res = cli("report", moratorium, "--out", out)
    assert res.returncode == 0, res.stderr
    return out


def pages(pdf: Path) -> int:
    """Pages of a PDF: its ``/Type /Page`` objects."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf.read_bytes()))


def printed(html: Path, style: str, pdf: Path) -> int:
    """Print a copy of ``html`` with ``style`` added to A4 PDF; its page count."""
    copy = pdf.with_suffix(".html")
    copy.write_text(html.read_text().replace("</style>", f"{style}</style>", 1))
    subprocess.run([str(CHROMIUM), *FLAGS, f"--print-to-pdf={pdf}", copy.as_uri()],
                   capture_output=True, timeout=180, check=False)  # fmt: skip
    assert pdf.exists(), "chromium wrote no PDF"
    return pages(pdf)


@pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed")
def test_the_main_part_prints_on_one_a4_page_and_the_appendix_after_it(
    brief: Path, tmp_path: Path
) -> None:
    page = brief.read_text()
    assert "@page{size:A4;" in page and ".appendix{break-before:page" in page
    main = printed(brief, HIDE_APPENDIX, tmp_path / "main.pdf")
    appendix = printed(brief, HIDE_MAIN, tmp_path / "appendix.pdf")
    whole = printed(brief, "", tmp_path / "brief.pdf")
    assert main == 1, f"the main part takes {main} pages"
    assert appendix >= 1 and whole == 1 + appendix, (whole, appendix)
    SHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copy(tmp_path / "brief.pdf", SHOTS / "brief_two_options.pdf")
    # page 1 as on screen, and as printed (the print styles applied to the screen, at the
    # width of an A4 page inside its margins)
    as_printed = tmp_path / "as_printed.html"
    as_printed.write_text(
        brief.read_text()
        .replace("@media print{", "@media all{", 1)
        .replace("</style>", f"{HIDE_APPENDIX}body{{width:184mm}}</style>", 1)
    )
    for name, page in (("page1", brief), ("page1_print", as_printed)):
        shot = SHOTS / f"brief_two_options_{name}.png"
        shot.unlink(missing_ok=True)
        subprocess.run([str(CHROMIUM), *FLAGS, "--hide-scrollbars", "--window-size=794,1123",
                        f"--screenshot={shot}", page.as_uri()],
                       capture_output=True, timeout=180, check=False)  # fmt: skip
        assert shot.exists() and shot.stat().st_size > 10_000


def _main(page: str) -> str:
    return page[page.index("<main") : page.index("</main>")]


def test_the_main_part_holds_the_headline_the_paired_difference_and_levels(brief: Path) -> None:
    main = _main(brief.read_text())
    assert '<div class="headline">' in main and 'alt="paired difference' in main
    assert "a point is 1% of the area's need averted a year" in main
    assert "need has fallen by " in main and "with no joint working" in main
    assert "By year 5 (month 60), the horizon" in main
    assert "lever" not in main  # the lever table is in the appendix
    # time in years in the brief's own words (the question is the scenario's description)
    words = re.sub("<[^>]+>", "", main[main.index("<h2>The headline") :])
    assert "month " not in re.sub(r"\(month \d+\)|months 12-48", "", words)


def test_cross_references_point_to_anchors_and_the_footer_names_each_folder_once(
    brief: Path, moratorium: Path
) -> None:
    page = brief.read_text()
    targets = re.findall(r'href="#([^"]+)"', page)
    assert targets and all(f'id="{t}"' in page for t in targets)
    text = re.sub("<[^>]+>", "", page)
    assert not re.search(r"\b(see|shown|charts?|figures?|table)\b[^.]{0,40}\b(below|above)\b", text)
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert footer.count(str(moratorium)) == 1


def test_the_appendix_lists_the_levers_that_differ_then_the_rest_collapsed(brief: Path) -> None:
    page = brief.read_text()
    appendix = page[page.index('<section class="appendix"') :]
    shown, collapsed = appendix.split("<details>", 1)
    assert '<tr class="differs"><td><code>environment.policy_churn</code>' in shown
    assert "<td>0.5</td><td>0.5; 0 in months 12-48</td>" in shown
    assert shown.count('<tr class="differs">') == 1
    assert "environment.policy_churn" not in collapsed
    assert "The other levers, alike in every option" in collapsed


def test_two_separate_runs_whose_range_includes_zero_read_no_clear_difference(
    tmp_path: Path,
) -> None:
    """The same scenario run twice with different seeds: a difference of luck alone."""
    folders = []
    for name, seed in (("one", "1"), ("two", "2")):
        out = tmp_path / name
        res = cli("run", "baseline", "--replicates", "3", "--months", "36", "--seed", seed,
                  "--out", out, "--quiet", "--no-figures")  # fmt: skip
        assert res.returncode == 0, res.stderr
        folders.append(out)
    rates = [
        pd.read_parquet(f / "timeseries.parquet").groupby("replicate")["added_value_rate"].mean()
        for f in folders
    ]
    lo = np.percentile(rates[1], 10) - np.percentile(rates[0], 90)
    hi = np.percentile(rates[1], 90) - np.percentile(rates[0], 10)
    assert lo <= 0 <= hi  # the premise: the unpaired range includes zero
    res = cli("report", *folders, "--out", tmp_path / "brief.html")
    assert res.returncode == 0, res.stderr
    page = (tmp_path / "brief.html").read_text()
    headline = page[page.index('<div class="headline">') : page.index("</div>")]
    assert "<b>No clear difference between baseline (two) and baseline</b>" in headline
    assert "did not share random numbers" in headline
    assert "adds more" not in headline and "adds less" not in headline
    assert "does better" not in headline


def test_export_of_a_comparison_writes_effects_differences_and_regimes(
    moratorium: Path, tmp_path: Path
) -> None:
    res = cli("export", moratorium, "--out", tmp_path)
    assert res.returncode == 0, res.stderr

    def read(name: str) -> pd.DataFrame:
        path = tmp_path / f"moratorium_{name}.csv"
        assert path.read_bytes()[:3] == b"\xef\xbb\xbf"
        return pd.read_csv(path, encoding="utf-8-sig")

    series = pd.read_parquet(moratorium / "timeseries.parquet")
    per_year = series.groupby(["scenario", "replicate"])["added_value_rate"].mean()
    effects = read("effects").set_index(["option", "measure"])
    for option in ("baseline", "stable_three_years"):
        row = effects.loc[(option, "added_value_per_year")]
        assert row["median"] == pytest.approx(per_year.loc[option].median())
    diffs = read("differences").set_index("measure")
    row = diffs.loc["added_value_per_year"]
    paired = per_year.loc["stable_three_years"] - per_year.loc["baseline"]
    assert row["median"] == pytest.approx(paired.median())
    assert (row["runs_ahead"], row["runs_behind"], row["runs_level"]) == (
        (paired > 0).sum(), (paired < 0).sum(), (paired == 0).sum())  # fmt: skip
    runs = read("paired_runs")
    assert np.allclose(runs["difference"], paired.to_numpy())
    regimes = read("regimes").set_index(["option", "regime"])
    last = series[series["month"] == 60]
    for (option, regime), row in regimes.iterrows():
        at_end = (last[last["scenario"] == option]["regime"].astype(str) == regime).sum()
        assert row["runs_ending_in_it"] == at_end
        months = (series[series["scenario"] == option]["regime"].astype(str) == regime).mean()
        assert row["share_of_months"] == pytest.approx(months)
    assert regimes.groupby("option")["runs_ending_in_it"].sum().tolist() == [3, 3]
