"""The tutorial notebooks run top to bottom, at small sizes, on this environment's Python.

Each notebook is executed with papermill: its ``parameters`` cell is overridden with the
small sizes below and ``OUT_DIR`` points into ``tmp_path``, so nothing is written into the
project. The kernel is a kernel spec written into ``tmp_path`` that starts
``sys.executable``, so a ``python3`` kernel registered elsewhere on the machine cannot be
picked up by mistake. The committed notebooks must carry no outputs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

papermill = pytest.importorskip(
    "papermill", reason='the notebook tests need papermill: pip install "partnersim[notebooks]"'
)
pytest.importorskip(
    "ipykernel", reason='the notebook tests need ipykernel: pip install "partnersim[notebooks]"'
)
import nbformat  # noqa: E402  (installed with papermill)

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
KERNEL = "partnersim-test"

SMALL: dict[str, dict[str, object]] = {
    # stable_three_years.yaml schedules a change until month 48, so 48 months at least
    "01_first_what_if.ipynb": {"REPLICATES": 3, "MONTHS": 48, "BRANCH_AT": 24, "WORKERS": 1},
    "02_sweeps_and_phase_diagrams.ipynb": {
        "CHURN_LEVELS": [0.0, 1.0, 2.0],
        "FORMALITY_STEPS": 3,
        "REPLICATES": 2,
        "MONTHS": 36,
        "WORKERS": 2,  # the worker-process path, from inside a kernel
    },
    "03_sensitivity_and_discovery.ipynb": {
        "BASE_SAMPLES": 8,
        "REPLICATES": 2,
        "MONTHS": 24,  # 144 runs, each with three worlds and their run-in
        "WORKERS": 2,
    },
    "04_build_your_partnership.ipynb": {"REPLICATES": 3, "MONTHS": 36, "WORKERS": 1},
}
"""Sizes for CI: every notebook in about a minute or less."""

SAYS: dict[str, tuple[str, ...]] = {
    "01_first_what_if.ipynb": (
        "The partnership adds +",
        "% of need a year (10-90%: ",
        "over the same area without a board",
        "Joint work on the ground is worth ",
        "share of months organic",
        "Stopping reorganisation for three years changes the partnership's added value by ",
    ),
    "02_sweeps_and_phase_diagrams.ipynb": (
        "added value highest at formality",
        "organic dominates in ",
    ),
    "03_sensitivity_and_discovery.ipynb": ("Sobol indices of added_value_per_year",),
    "04_build_your_partnership.ipynb": (
        "Best two by median added value: ",
        "added value +",
    ),
}
"""What each executed notebook prints: the headline measures and the five regimes."""


@pytest.fixture()
def kernel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A kernel spec that runs this interpreter (JUPYTER_PATH is searched first)."""
    spec = tmp_path / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel_json = {"argv": argv, "display_name": "partnersim tests", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel_json))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    return KERNEL


def _snapshot(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def _run(source: Path, out: Path, kernel: str, parameters: dict[str, object]) -> None:
    papermill.execute_notebook(
        str(source),
        str(out),
        parameters=parameters,
        kernel_name=kernel,
        cwd=str(NOTEBOOKS),
        progress_bar=False,
        log_output=False,
        execution_timeout=300,
    )


def test_every_notebook_has_ci_sizes() -> None:
    assert sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")) == sorted(SMALL) == sorted(SAYS)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_notebook_is_committed_clean(name: str) -> None:
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), (
        f"{name} holds outputs; clear them before committing"
    )
    tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1, f"{name} needs exactly one cell tagged 'parameters'"
    for key in SMALL[name]:
        assert f"{key} = " in tagged[0].source, f"{name}: {key} is not in the parameters cell"
    assert "OUT_DIR = " in tagged[0].source


def test_kernel_runs_this_python_with_the_project(kernel: str, tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    probe = "import sys\nimport sim\nprint(sys.executable)\nprint(sim.__file__)"
    nb.cells = [nbformat.v4.new_code_cell(probe)]
    source = tmp_path / "probe.ipynb"
    nbformat.write(nb, source)
    _run(source, tmp_path / "probe_out.ipynb", kernel, {})
    text = nbformat.read(tmp_path / "probe_out.ipynb", as_version=4).cells[-1].outputs[0].text
    executable, package = text.split()
    assert Path(executable).resolve() == Path(sys.executable).resolve()
    assert Path(package).resolve().is_relative_to(ROOT)


@pytest.mark.parametrize("name", sorted(SMALL))
def test_notebook_runs_top_to_bottom(name: str, kernel: str, tmp_path: Path) -> None:
    out_dir = tmp_path / "files"
    scenarios = _snapshot(ROOT / "scenarios")
    executed = tmp_path / name
    _run(NOTEBOOKS / name, executed, kernel, {**SMALL[name], "OUT_DIR": str(out_dir)})

    nb = nbformat.read(executed, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    figures = [o for o in outputs if "image/png" in o.get("data", {})]
    assert figures, f"{name} showed no figure inline"
    printed = "".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    for text in SAYS[name]:
        assert text in printed, f"{name} did not print {text!r}"
    assert any(out_dir.rglob("*")), f"{name} wrote nothing to OUT_DIR"
    assert _snapshot(ROOT / "scenarios") == scenarios, f"{name} changed scenarios/"
