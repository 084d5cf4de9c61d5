"""Fuzzing every folder reader: random truncation and byte flips of real output files.

Each example copies a real folder (run, comparison or sweep, written by the CLI in this
session), truncates one of its files or flips a few of its bytes, and reads it with
``report``, ``export`` or ``analyse``. Whatever the damage: exit 0 (a flip may leave the
file valid) or 2, never a traceback, never past the time limit of ``run_cli``.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.robustness.conftest import run_cli
from tests.robustness.folder_builds import built

# reader: {folder: files it reads}
READS = {
    "report": {
        "run": ["manifest.json", "timeseries.parquet"],
        "compare": ["manifest.json", "timeseries.parquet"],
    },
    "export": {
        "run": ["manifest.json", "summary.json", "timeseries.parquet"],
        "compare": ["manifest.json", "timeseries.parquet"],
        "sweep": ["manifest.json", "design.parquet", "parts/*"],
    },
    "analyse": {"sweep": ["manifest.json", "design.parquet", "parts/*"]},
}


@pytest.fixture(scope="session")
def real(tmp_path_factory) -> dict[str, Path]:
    return built(tmp_path_factory)


@st.composite
def damages(draw):
    reader = draw(st.sampled_from(sorted(READS)))
    source = draw(st.sampled_from(sorted(READS[reader])))
    name = draw(st.sampled_from(READS[reader][source]))
    if draw(st.booleans()):
        change = ("truncate", draw(st.floats(0.0, 1.0, exclude_max=True)))
    else:
        flips = st.tuples(st.floats(0.0, 1.0, exclude_max=True), st.integers(1, 255))
        change = ("flip", draw(st.lists(flips, min_size=1, max_size=8)))
    return source, name, reader, change


def damage(path: Path, change: tuple) -> None:
    data = bytearray(path.read_bytes())
    kind, how = change
    if kind == "truncate":
        path.write_bytes(bytes(data[: int(len(data) * how)]))
        return
    for where, mask in how:
        i = int(len(data) * where)
        data[i] ^= mask
    path.write_bytes(bytes(data))


def read(reader: str, folder: Path, scratch: Path):
    if reader == "report":
        return run_cli("report", folder, "--out", scratch / "brief.html")
    if reader == "export":
        return run_cli("export", folder, "--out", scratch / "csv")
    return run_cli("analyse", folder, "--quiet")


@settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(case=damages())
def test_a_damaged_file_never_gives_a_traceback(real: dict[str, Path], case) -> None:
    source, name, reader, change = case
    scratch = Path(tempfile.mkdtemp(prefix="fuzz_"))
    try:
        folder = shutil.copytree(real[source], scratch / source)
        target = sorted(folder.glob(name))[0]
        damage(target, change)
        result = read(reader, folder, scratch)
        assert result.code in (0, 2), (case, result.code, result.err[:500])
        assert "Traceback" not in result.err, (case, result.err[:500])
        if result.code == 2:
            assert result.first_error_line, case
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
