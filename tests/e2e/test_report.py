"""``partnersim report`` and ``partnersim export`` end to end, the brief rendered in Chromium."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sim.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )


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


def test_the_brief_is_one_self_contained_page_with_every_section(comparison, tmp_path):
    brief = tmp_path / "brief.html"
    res = cli("report", str(comparison), "--out", str(brief))
    assert res.returncode == 0, res.stderr
    page = brief.read_text()
    for section in (
        "The options",
        "The headline",
        "What happens over time",
        "Where each option tends to end up, and why",
        "Assumptions and their sources",
        "Limits",
    ):
        assert section in page
    assert "facilitative leadership</b> does" in page and "simulated futures" in page
    assert page.count("data:image/png;base64,") >= 3
    assert "http://" not in page and "https://" not in page  # nothing fetched from outside
    assert "environment.policy_churn" in page and "assumption" in page


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
    assert set(table["regime"]) <= {"delivering", "facade", "inert", "dissolved"}
    assert np.allclose(table["outcome_index"], original["outcome_index"])


def test_report_of_a_folder_without_results_exits_2(tmp_path):
    res = cli("report", str(tmp_path))
    assert res.returncode == 2
    assert "not a results folder" in res.stderr and "Traceback" not in res.stderr
