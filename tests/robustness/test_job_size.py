"""Jobs too big for the machine are refused up front, with an estimate and the way out.

Each case is a command line and the expected first line of its error; every refusal must
come within the robustness suite's time limit, exit 2, print no traceback and write
nothing. None of these jobs is ever started: on code without the check they would run for
days or exhaust memory.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.limits import LIFT_FLAG, MAX_DASHBOARD_STAFF
from tests.robustness.conftest import SCENARIOS, assert_refused, run_cli

BASELINE = SCENARIOS / "baseline.yaml"
HUGE = ("--replicates", "100000", "--months", "1200")  # ~100 GB of series in memory


def scenario(folder: Path, name: str, agencies: int, frontline: int) -> Path:
    """A valid scenario file of ``agencies`` agencies of ``frontline`` practitioners each."""
    rows = "\n".join(
        f"  - {{name: a{k}, strategic: 2, frontline: {frontline}, priorities: {{x: 1}}}}"
        for k in range(agencies)
    )
    path = folder / f"{name}.yaml"
    path.write_text(
        f"name: {name}\nmonths: 120\nreplicates: 20\nagencies:\n{rows}\nissues:\n  - {{name: x}}\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """Scenario files for the cases: a huge staff, a time-bound staff, a library folder."""
    library = tmp_path / "library"
    library.mkdir()
    scenario(library, "small", 2, 10)
    scenario(library, "crowded", 30, 1_000_000)
    return {
        "crowded": scenario(tmp_path, "crowded", 30, 1_000_000),  # 30 x 1,000,000 staff
        "slow": scenario(tmp_path, "slow", 2, 500_000),  # fits in memory, runs for days
        "drawn": scenario(tmp_path, "drawn", 2, MAX_DASHBOARD_STAFF),  # too many to draw
        "library": library,
        "out": tmp_path / "out",
    }


# (id, command line with {name} placeholders, expected first line of the error)
CASES = [
    ("run-100k-replicates-1200-months", ("run", BASELINE, *HUGE), "job too big"),
    ("run-30-agencies-of-1M-staff", ("run", "{crowded}"), "job too big for this machine"),
    ("run-1M-staff-1000-replicates", ("run", "{slow}", "--replicates", "1000"), "job too big:"),
    ("compare-100k-replicates", ("compare", BASELINE, BASELINE, *HUGE), "job too big"),
    ("compare-with-1M-staff", ("compare", BASELINE, "{crowded}"), "job too big for this machine"),
    ("library-100k-replicates", ("library", SCENARIOS, *HUGE), "job too big"),
    ("library-with-1M-staff", ("library", "{library}"), "job too big for this machine"),
    ("dashboard-30M-staff", ("dashboard", "{crowded}"), "job too big for this machine"),
    ("dashboard-too-many-to-draw", ("dashboard", "{drawn}"), "job too big:"),
]


def fill(args: tuple, files: dict[str, Path]) -> list[str]:
    """The command line with ``{name}`` placeholders replaced by the fixture's files."""
    return [str(a).format(**{k: str(v) for k, v in files.items()}) for a in args]


@pytest.mark.parametrize(("args", "first_line"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_huge_jobs_are_refused_before_they_start(
    args: tuple, first_line: str, files: dict[str, Path]
) -> None:
    argv = fill(args, files)
    if argv[0] in ("run", "compare", "library"):
        argv += ["--out", str(files["out"])]
    outcome = run_cli(*argv)
    assert_refused(outcome, first_line)
    assert "about" in outcome.first_error_line  # the estimate
    assert not files["out"].exists()  # refused before anything was written


def test_a_soft_refusal_names_the_flag_that_lifts_it(files: dict[str, Path]) -> None:
    outcome = run_cli("run", files["slow"], "--replicates", "1000", "--out", files["out"])
    assert_refused(outcome, "job too big:")
    assert LIFT_FLAG in outcome.first_error_line
    assert "days" in outcome.first_error_line or "hours" in outcome.first_error_line


def test_the_flag_does_not_lift_the_machine_memory(files: dict[str, Path]) -> None:
    outcome = run_cli("run", files["crowded"], LIFT_FLAG, "--out", files["out"])
    assert_refused(outcome, "job too big for this machine")
    assert f"{LIFT_FLAG} cannot lift this" in outcome.first_error_line
    assert not files["out"].exists()


def test_an_existing_results_folder_is_left_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "results"
    out.mkdir()
    (out / "manifest.json").write_text('{"complete": true}', encoding="utf-8")
    outcome = run_cli("run", BASELINE, *HUGE, "--out", out)
    assert_refused(outcome, "job too big")
    assert [p.name for p in out.iterdir()] == ["manifest.json"]
    assert (out / "manifest.json").read_text(encoding="utf-8") == '{"complete": true}'


def test_a_normal_job_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    argv = ("run", BASELINE, "--replicates", "2", "--months", "12", "--no-figures", "--quiet")
    outcome = run_cli(*argv, "--out", out)
    assert outcome.code == 0, outcome.err[:500]
    assert (out / "manifest.json").is_file()
