"""``partnersim analyse SWEEP_DIR`` end to end on a synthetic Sobol sweep."""

from __future__ import annotations

import argparse
import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

from sim.analysis.discovery import prim_available
from sim.cli import analyse_cmd
from tests.e2e.clirun import cli

_spec = importlib.util.spec_from_file_location(
    "synthetic_sweeps", Path(__file__).resolve().parents[1] / "unit/analysis/synthetic_sweeps.py"
)
synthetic = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(synthetic)


def _main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="partnersim")
    analyse_cmd.add_parser(parser.add_subparsers(dest="command", required=True))
    return analyse_cmd.run(parser.parse_args(argv))


@pytest.fixture()
def sweep_dir(tmp_path: Path) -> Path:
    params = synthetic.bounds_params(["x1", "x2", "x3"])
    x, design = synthetic.sobol_design(params, 64)
    return synthetic.write_sweep(
        tmp_path / "sweep",
        x,
        design,
        params,
        synthetic.facade_truth,
        replicates=2,
        chunk=37,
        failed=[(5, 1)],
        duplicate=[(0, 0), (2, 1)],
    )


def test_analyse_prints_indices_rules_and_figures(
    sweep_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(["analyse", str(sweep_dir)]) == 0
    out = capsys.readouterr().out
    assert "sobol design over 3 parameters, 320 points x 2 replicates" in out
    assert "639 runs ok, 1 failed (2 duplicate rows across parts ignored)" in out
    assert re.search(r"^  x1 +1\.\d\d \+/- ", out, re.M)
    assert "warning: ST of x3 (" in out and "is within noise" in out
    if prim_available():
        assert re.search(r"facades dominate when x1 > 0\.[56]\d and x2 < 0\.[34]\d", out)
        assert "delivery dominates when x1 < 0." in out
        assert re.search(r"organic working dominates when x1 between 0\.[234]\d and 0\.[56]\d", out)
    else:
        assert 'pip install "partnersim[discovery]"' in out
    figures = sorted((sweep_dir / "figures").glob("*.png"))
    # the default output is the added value of the partnership
    assert "Sobol indices of added_value_per_year" in out
    assert [f.name for f in figures] == [
        "phase_added_value_per_year_x1__x2.png",
        "phase_regimes_x1__x2.png",
    ]
    for f in figures:
        assert str(f) in out
    assert f"Report: {sweep_dir / 'analysis.md'}" in out


def test_quiet_run_writes_analysis_md_linking_the_figures(
    sweep_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _main(["analyse", str(sweep_dir), "--quiet"]) == 0
    assert capsys.readouterr().out.strip() == f"report: {sweep_dir / 'analysis.md'}"
    text = (sweep_dir / "analysis.md").read_text(encoding="utf-8")
    for heading in ("## Design", "## Runs", "## Sensitivity of `added_value_per_year`", "## Phase"):
        assert heading in text
    assert "% of need per year" in text and "assumed constants" in text
    assert "| `x1` | 0 to 1 |" in text
    assert "1 x `RuntimeError: synthetic failure`" in text
    links = re.findall(r"!\[[^]]*\]\(([^)]+)\)", text)
    assert len(links) == 2
    for link in links:
        assert not Path(link).is_absolute() and (sweep_dir / link).is_file()


def test_options_pick_output_and_pair(sweep_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = _main(["analyse", str(sweep_dir), "--output", "share_organic", "--pair", "x2", "x3"])
    assert code == 0
    out = capsys.readouterr().out
    assert "Sobol indices of share_organic" in out
    assert (sweep_dir / "figures" / "phase_share_organic_x2__x3.png").is_file()
    assert _main(["analyse", str(sweep_dir), "--output", "effect_final", "--quiet"]) == 0
    text = (sweep_dir / "analysis.md").read_text(encoding="utf-8")
    assert "## Sensitivity of `effect_final`" in text and "total effect" in text


def test_the_help_names_the_default_output() -> None:
    from sim.analysis.load import DEFAULT_OUTPUT

    sub = argparse.ArgumentParser(prog="partnersim").add_subparsers(dest="command")
    analyse_cmd.add_parser(sub)
    assert f"(default: {DEFAULT_OUTPUT}," in " ".join(sub.choices["analyse"].format_help().split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--output", "nonsense"], "--output 'nonsense' is not an output"),
        (["--pair", "x1", "x9"], "--pair: 'x9' is not a varied parameter"),
        (["--pair", "x1", "x1"], "--pair needs two different parameters"),
    ],
)
def test_bad_options_exit_2(
    sweep_dir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert _main(["analyse", str(sweep_dir), *args]) == 2
    assert message in capsys.readouterr().err


def test_incomplete_sweep_exits_2(sweep_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    manifest = sweep_dir / "manifest.json"
    manifest.write_text(manifest.read_text().replace('"complete": true', '"complete": false'))
    assert _main(["analyse", str(sweep_dir)]) == 2
    err = capsys.readouterr().err
    assert "manifest.json: 'complete' is not true" in err


def test_all_runs_failed_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    params = synthetic.bounds_params(["x1", "x2"])
    x, design = synthetic.lhs_design(params, 3)
    failed = [(p, r) for p in range(3) for r in range(2)]
    folder = synthetic.write_sweep(
        tmp_path / "s", x, design, params, synthetic.facade_truth, failed=failed
    )
    assert _main(["analyse", str(folder)]) == 2
    assert "all 6 runs failed; first error: RuntimeError" in capsys.readouterr().err


def test_missing_folder_in_a_subprocess_gives_no_traceback(tmp_path: Path) -> None:
    code = (
        "import sys, argparse; from sim.cli import analyse_cmd as a; "
        "p = argparse.ArgumentParser(); a.add_parser(p.add_subparsers()); "
        "sys.exit(a.run(p.parse_args(sys.argv[1:])))"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "analyse", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "manifest.json: missing" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_without_ema_workbench_discovery_is_skipped_with_the_install_hint(
    sweep_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ema_workbench", "ema_workbench.analysis", "ema_workbench.analysis.prim"):
        monkeypatch.setitem(sys.modules, name, None)
    assert _main(["analyse", str(sweep_dir)]) == 0
    hint = 'skipped: scenario discovery needs EMA Workbench: pip install "partnersim[discovery]"'
    assert hint in capsys.readouterr().out
    assert hint in (sweep_dir / "analysis.md").read_text(encoding="utf-8")


def test_a_sweep_with_a_deleted_part_exits_2_naming_the_missing_runs(
    sweep_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parts = sorted((sweep_dir / "parts").glob("*.parquet"))
    parts[1].unlink()  # 37 of the 640 runs (320 points x 2 replicates)
    assert _main(["analyse", str(sweep_dir)]) == 2
    err = capsys.readouterr().err
    assert "37 of 640 runs are missing" in err
    assert not (sweep_dir / "analysis.md").exists()


def _hump(params, rng):
    """added value = 4 x1 (1 - x1) + noise: highest at x1 0.4-0.6; x2 does nothing."""
    x1 = params["x1"].to_numpy()
    return {"added_value_per_year": 4 * x1 * (1 - x1) + rng.normal(0.0, 0.2, len(params))}


def test_a_grid_is_decomposed_and_a_hump_is_named(tmp_path: Path) -> None:
    x, design, params = synthetic.grid_design(
        {"x1": [0.0, 0.2, 0.4, 0.6, 0.8, 1.0], "x2": [0.0, 0.5, 1.0]}
    )
    folder = synthetic.write_sweep(tmp_path / "grid", x, design, params, _hump, replicates=4)
    result = cli("analyse", folder)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Variance decomposition (main effects and interactions over the grid)" in out
    assert re.search(r"^  x1 +0\.\d\d \+/- 0\.\d+ +<0\.001 +hump, highest at 0\.4-0\.6 ", out, re.M)
    assert "x1 is non-monotone: hump, highest at 0.4-0.6" in out
    assert "rho of x1" not in out and "share of x1" not in out
    report = (folder / "analysis.md").read_text()
    assert "| parameter | share | p | shape | rho |" in report
    assert "| `x1` |" in report and "hump, highest at 0.4-0.6" in report
    assert "- Interaction x1 x x2: share " in report
