"""Damaged results folders and impossible output paths: exit 2, one clear first line.

Each reader case copies a real folder (a run, a comparison or a sweep written by the CLI
in this session), damages it, runs ``report``, ``export`` or ``analyse`` on it and checks
the first line of the error. Each output case gives a writer an ``--out`` it must refuse
before doing any work.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Callable
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from tests.robustness.conftest import ROOT, SCENARIOS, assert_refused, run_cli
from tests.robustness.folder_builds import built, copy

BASE = SCENARIOS / "baseline.yaml"
SMALL = ("--replicates", "1", "--months", "6", "--quiet", "--no-figures")


@pytest.fixture(scope="session")
def real(tmp_path_factory) -> dict[str, Path]:
    return built(tmp_path_factory)


# -- damage -------------------------------------------------------------------------------


def edit_manifest(**changes) -> Callable[[Path], Path]:
    def damage(folder: Path) -> Path:
        manifest = json.loads((folder / "manifest.json").read_text())
        manifest.update(changes)
        (folder / "manifest.json").write_text(json.dumps(manifest))
        return folder

    return damage


def drop_from_manifest(key: str) -> Callable[[Path], Path]:
    def damage(folder: Path) -> Path:
        manifest = json.loads((folder / "manifest.json").read_text())
        del manifest[key]
        (folder / "manifest.json").write_text(json.dumps(manifest))
        return folder

    return damage


def write(name: str, data: bytes) -> Callable[[Path], Path]:
    def damage(folder: Path) -> Path:
        (folder / name).write_bytes(data)
        return folder

    return damage


def remove(name: str) -> Callable[[Path], Path]:
    def damage(folder: Path) -> Path:
        (folder / name).unlink()
        return folder

    return damage


def truncate(name: str, keep: float = 0.5) -> Callable[[Path], Path]:
    def damage(folder: Path) -> Path:
        path = folder / name
        data = path.read_bytes()
        path.write_bytes(data[: int(len(data) * keep)])
        return folder

    return damage


def drop_column(name: str, column: str) -> Callable[[Path], Path]:
    def damage(folder: Path) -> Path:
        table = pq.read_table(folder / name)
        pq.write_table(table.drop_columns([column]), folder / name)
        return folder

    return damage


def text_column(name: str, column: str) -> Callable[[Path], Path]:
    def damage(folder: Path) -> Path:
        table = pq.read_table(folder / name)
        i = table.column_names.index(column)
        values = [str(v) for v in table.column(column).to_pylist()]
        pq.write_table(table.set_column(i, column, [values]), folder / name)
        return folder

    return damage


def no_rows(name: str) -> Callable[[Path], Path]:
    def damage(folder: Path) -> Path:
        table = pq.read_table(folder / name)
        pq.write_table(table.slice(0, 0), folder / name)
        return folder

    return damage


def locked(folder: Path) -> Path:
    lock = {"pid": os.getppid(), "host": socket.gethostname(), "command": "partnersim run x"}
    (folder / ".partnersim.lock").write_text(json.dumps(lock))
    return folder


def a_file(folder: Path) -> Path:
    path = folder.with_name(folder.name + ".txt")
    path.write_text("not a folder")
    return path


def absent(folder: Path) -> Path:
    return folder.with_name("no_such_folder")


def part(name_damage: Callable[[str], Callable[[Path], Path]]) -> Callable[[Path], Path]:
    """``name_damage`` applied to the sweep's first part file."""

    def damage(folder: Path) -> Path:
        first = sorted((folder / "parts").glob("*.parquet"))[0]
        name_damage(f"parts/{first.name}")(folder)
        return folder

    return damage


NO_MANIFEST = "manifest.json: missing: not a results folder"
NOT_COMPLETE = "'complete' is not true"
BAD_PARQUET = "timeseries.parquet: cannot be read as Parquet"

# (id, folder, damage, reader, expected first line)
CASES = [
    ("run-no-manifest", "run", remove("manifest.json"), "report", NO_MANIFEST),
    ("run-no-manifest-export", "run", remove("manifest.json"), "export", NO_MANIFEST),
    ("run-complete-false", "run", edit_manifest(complete=False), "report", NOT_COMPLETE),
    ("run-complete-false-export", "run", edit_manifest(complete=False), "export", NOT_COMPLETE),
    ("run-complete-no", "run", edit_manifest(complete="no"), "report", '(it says "no")'),
    ("run-complete-1", "run", edit_manifest(complete=1), "export", "(it says 1)"),
    ("run-complete-absent", "run", drop_from_manifest("complete"), "report", "(it says nothing)"),
    ("run-manifest-not-json", "run", write("manifest.json", b"{oops"), "report",
     "manifest.json: cannot be read as JSON"),
    ("run-manifest-binary", "run", write("manifest.json", b"\xff\xfe\x00garbage"), "export",
     "manifest.json: cannot be read as JSON"),
    ("run-manifest-list", "run", write("manifest.json", b"[1, 2]"), "report",
     "manifest.json: expected a JSON object, found a list"),
    ("run-manifest-empty", "run", write("manifest.json", b""), "export",
     "manifest.json: cannot be read as JSON"),
    ("run-kind-patterns", "run", edit_manifest(kind="patterns"), "report",
     "holds a pattern report (manifest kind 'patterns')"),
    ("run-scenario-broken", "run", edit_manifest(scenario={"months": "many"}), "report",
     "manifest.json: scenario: not a valid scenario"),
    ("run-scenario-missing", "run", drop_from_manifest("scenario"), "report",
     "manifest.json: holds no scenario"),
    ("run-parquet-truncated", "run", truncate("timeseries.parquet"), "report", BAD_PARQUET),
    ("run-parquet-truncated-export", "run", truncate("timeseries.parquet"), "export", BAD_PARQUET),
    ("run-parquet-empty", "run", write("timeseries.parquet", b""), "report", BAD_PARQUET),
    ("run-parquet-garbage", "run", write("timeseries.parquet", b"PAR1" + b"x" * 200), "export",
     BAD_PARQUET),
    ("run-parquet-missing", "run", remove("timeseries.parquet"), "report",
     "timeseries.parquet: missing"),
    ("run-parquet-no-column", "run", drop_column("timeseries.parquet", "partnership_effect"),
     "report", "timeseries.parquet: lacks column(s) partnership_effect"),
    ("run-parquet-text-column", "run", text_column("timeseries.parquet", "trust_across"),
     "report", "timeseries.parquet: column trust_across holds text, not numbers"),
    ("run-parquet-no-rows", "run", no_rows("timeseries.parquet"), "report",
     "timeseries.parquet: has no rows for scenario 'baseline'"),
    ("run-summary-broken", "run", truncate("summary.json"), "export",
     "summary.json: cannot be read as JSON"),
    ("run-summary-list", "run", write("summary.json", b"[]"), "export",
     "summary.json: expected a JSON object"),
    ("run-is-a-file", "run", a_file, "report", "is not a folder"),
    ("run-absent", "run", absent, "export", "no such folder"),
    ("run-locked", "run", locked, "report", f"is being written by PID {os.getppid()}"),
    ("run-locked-export", "run", locked, "export", f"is being written by PID {os.getppid()}"),
    ("compare-interrupted", "compare", remove("manifest.json"), "report", NO_MANIFEST),
    ("compare-interrupted-export", "compare", edit_manifest(complete=False), "export",
     NOT_COMPLETE),
    ("compare-scenarios-broken", "compare", edit_manifest(scenarios=[{"seed": "x"}]), "report",
     "manifest.json: scenarios[0]: not a valid scenario"),
    ("compare-parquet-garbage", "compare", write("timeseries.parquet", b"garbage"), "report",
     BAD_PARQUET),
    ("sweep-for-report", "sweep", lambda f: f, "report",
     "holds a sweep ("),
    ("run-for-analyse", "run", lambda f: f, "analyse", "holds a run (manifest kind 'run')"),
    ("sweep-no-manifest", "sweep", remove("manifest.json"), "analyse", NO_MANIFEST),
    ("sweep-no-manifest-export", "sweep", remove("manifest.json"), "export", NO_MANIFEST),
    ("sweep-complete-no", "sweep", edit_manifest(complete="no"), "analyse", '(it says "no")'),
    ("sweep-manifest-list", "sweep", write("manifest.json", b"[]"), "analyse",
     "manifest.json: expected a JSON object, found a list"),
    ("sweep-locked", "sweep", locked, "analyse", "is being written by PID"),
    ("sweep-design-truncated", "sweep", truncate("design.parquet"), "analyse",
     "design.parquet: cannot be read as Parquet"),
    ("sweep-design-truncated-export", "sweep", truncate("design.parquet"), "export",
     "design.parquet: cannot be read as Parquet"),
    ("sweep-part-garbage", "sweep", part(lambda n: write(n, b"garbage")), "analyse",
     "cannot be read as Parquet"),
    ("sweep-part-garbage-export", "sweep", part(lambda n: write(n, b"garbage")), "export",
     "cannot be read as Parquet"),
    ("sweep-part-empty-export", "sweep", part(lambda n: write(n, b"")), "export",
     "cannot be read as Parquet"),
]  # fmt: skip


def read(reader: str, target: Path, tmp_path: Path):
    if reader == "report":
        return run_cli("report", target, "--out", tmp_path / "brief.html")
    if reader == "export":
        return run_cli("export", target, "--out", tmp_path / "csv")
    return run_cli("analyse", target, "--quiet")


@pytest.mark.parametrize(
    ("source", "damage", "reader", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_damaged_folder_is_refused_with_a_clear_line(
    real: dict[str, Path], tmp_path: Path, source: str, damage, reader: str, expected: str
) -> None:
    target = damage(copy(real[source], tmp_path / source))
    result = read(reader, target, tmp_path)
    assert_refused(result, expected)
    assert not (tmp_path / "brief.html").exists()
    assert not list((tmp_path / "csv").glob("*.csv")) if (tmp_path / "csv").exists() else True


def test_the_intact_folders_are_read(real: dict[str, Path], tmp_path: Path) -> None:
    for source, reader in [("run", "report"), ("compare", "report"), ("run", "export"),
                           ("sweep", "export")]:  # fmt: skip
        result = read(reader, copy(real[source], tmp_path / f"{source}_{reader}"), tmp_path)
        assert result.code == 0, (source, reader, result.err[:500])


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "a_file"
    path.write_text("x")
    return path


# (id, command line given tmp_path, expected first line)
OUTPUTS = [
    ("run-out-root", lambda t: ("run", BASE, *SMALL, "--out", "/"), "is the filesystem root"),
    ("run-out-home", lambda t: ("run", BASE, *SMALL, "--out", Path.home()), "is your home folder"),
    ("run-out-repo", lambda t: ("run", BASE, *SMALL, "--out", ROOT), "is the project's own folder"),
    ("run-out-sim", lambda t: ("run", BASE, *SMALL, "--out", ROOT / "sim"),
     "is the project's own sim/ folder"),
    ("run-out-in-git", lambda t: ("run", BASE, *SMALL, "--out", ROOT / ".git" / "x"),
     "is inside the project's own .git/ folder"),
    ("run-out-results", lambda t: ("run", BASE, *SMALL, "--out", ROOT / "results"),
     "is the results folder itself"),
    ("run-out-scenarios", lambda t: ("run", BASE, *SMALL, "--out", SCENARIOS),
     "is the project's own scenarios/ folder"),
    ("run-out-proc", lambda t: ("run", BASE, *SMALL, "--out", "/proc/partnersim"),
     "is under /proc, a system folder"),
    ("run-out-a-file", lambda t: ("run", BASE, *SMALL, "--out", _file(t)),
     "exists and is not a folder"),
    ("run-out-under-a-file", lambda t: ("run", BASE, *SMALL, "--out", _file(t) / "x"),
     "is not a folder"),
    ("compare-out-root", lambda t: ("compare", BASE, BASE, *SMALL, "--out", "/"),
     "is the filesystem root"),
    ("compare-out-tests", lambda t: ("compare", BASE, BASE, *SMALL, "--out", ROOT / "tests"),
     "is the project's own tests/ folder"),
    ("report-out-a-folder", lambda t: ("report", t, "--out", t), "is a folder; give a file name"),
    ("report-out-in-sim", lambda t: ("report", t, "--out", ROOT / "sim" / "b.html"),
     "is inside the project's own sim/ folder"),
    ("export-out-a-file", lambda t: ("export", t, "--out", _file(t)), "is not a folder"),
    ("export-out-root", lambda t: ("export", t, "--out", "/"), "is the filesystem root"),
    ("library-out-a-folder", lambda t: ("library", t, "--out", t),
     "is a folder; give a file name"),
    ("library-out-in-git", lambda t: ("library", t, "--out", ROOT / ".git" / "t.md"),
     "is inside the project's own .git/ folder"),
    ("patterns-out-docs", lambda t: ("patterns", "--only", "9", "--out", ROOT / "docs"),
     "is the project's own docs/ folder"),
    ("patterns-out-a-run", lambda t: ("patterns", "--only", "9", "--out", t / "run"),
     "holds a run"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "expected"), [c[1:] for c in OUTPUTS], ids=[c[0] for c in OUTPUTS]
)
def test_an_impossible_output_is_refused_before_any_work(
    real: dict[str, Path], tmp_path: Path, args, expected: str
) -> None:
    copy(real["run"], tmp_path / "run")
    (tmp_path / "s.yaml").write_text(f"extends: {BASE}\n")
    result = run_cli(*args(tmp_path))
    assert_refused(result, expected)


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores folder permissions")
def test_run_into_a_read_only_folder_is_one_line(tmp_path: Path) -> None:
    locked_dir = tmp_path / "ro"
    locked_dir.mkdir()
    locked_dir.chmod(0o500)
    try:
        assert_refused(run_cli("run", BASE, *SMALL, "--out", locked_dir / "x"), "Permission denied")
    finally:
        locked_dir.chmod(0o700)
