"""Results folders: kinds, the writer's lock, unsafe destinations and the reader's checks."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from sim.experiment.folder import (
    LOCK,
    begin,
    check_destination,
    claim,
    finish,
    kind_of,
    read_manifest,
    safe_name,
)
from sim.scenario.loader import ScenarioError

ROOT = Path(__file__).resolve().parents[3]


def _message(exc: pytest.ExceptionInfo[ScenarioError]) -> str:
    return str(exc.value.problems[0])


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_kind_of_reads_the_manifest_or_infers_it(tmp_path: Path) -> None:
    assert kind_of(tmp_path / "absent") is None
    empty = tmp_path / "empty"
    empty.mkdir()
    assert kind_of(empty) is None
    finish(empty, {"kind": "compare"})
    assert kind_of(empty) == "compare"
    old_sweep = tmp_path / "s"
    (old_sweep / "parts").mkdir(parents=True)
    assert kind_of(old_sweep) == "sweep"
    old_run = tmp_path / "r"
    old_run.mkdir()
    (old_run / "timeseries.parquet").write_bytes(b"")
    (old_run / "summary.json").write_text("{}")
    assert kind_of(old_run) == "run"
    (old_run / "comparison.json").write_text("{}")
    assert kind_of(old_run) == "compare"
    legacy = tmp_path / "c"
    legacy.mkdir()
    (legacy / "manifest.json").write_text(json.dumps({"kind": "comparison"}))
    assert kind_of(legacy) == "compare"


def test_claim_takes_and_releases_the_lock(tmp_path: Path) -> None:
    out = tmp_path / "new" / "run"
    with claim(out, "run", command="partnersim run x.yaml"):
        info = json.loads((out / LOCK).read_text())
        assert info["pid"] == os.getpid() and info["host"] == socket.gethostname()
        assert info["command"] == "partnersim run x.yaml" and info["started"]
    assert not (out / LOCK).exists()
    with pytest.raises(KeyboardInterrupt), claim(out, "run", command="x"):
        raise KeyboardInterrupt
    assert not (out / LOCK).exists()


def test_claim_refuses_a_folder_a_live_process_holds(tmp_path: Path) -> None:
    out = tmp_path / "r"
    out.mkdir()
    lock = {"pid": os.getppid(), "host": socket.gethostname(), "command": "partnersim run a"}
    (out / LOCK).write_text(json.dumps(lock))
    with pytest.raises(ScenarioError) as exc, claim(out, "run", command="x"):
        pass
    assert f"is being written by PID {os.getppid()}" in _message(exc)
    assert (out / LOCK).exists()  # not taken from its owner


def test_claim_takes_over_a_dead_process_lock(tmp_path: Path, capsys) -> None:
    out = tmp_path / "r"
    out.mkdir()
    pid = _dead_pid()
    (out / LOCK).write_text(json.dumps({"pid": pid, "host": socket.gethostname()}))
    with claim(out, "run", command="x"):
        assert json.loads((out / LOCK).read_text())["pid"] == os.getpid()
    assert f"took over the lock left by PID {pid}" in capsys.readouterr().err


def test_claim_refuses_another_kind_naming_it(tmp_path: Path) -> None:
    out = tmp_path / "s"
    out.mkdir()
    finish(out, {"kind": "sweep"})
    with pytest.raises(ScenarioError) as exc, claim(out, "run", command="x"):
        pass
    assert "holds a sweep (manifest kind 'sweep'), not a run" in _message(exc)


def test_claim_refuses_a_file(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    refused = pytest.raises(ScenarioError, match="exists and is not a folder")
    with refused, claim(tmp_path / "f", "run", command="x"):
        pass


def test_claim_turns_os_errors_into_one_line(tmp_path: Path) -> None:
    refused = pytest.raises(ScenarioError, match="cannot write: Permission denied")
    with refused, claim(tmp_path / "r", "run", command="x"):
        raise PermissionError(13, "Permission denied", str(tmp_path / "r" / "a"))
    assert not (tmp_path / "r" / LOCK).exists()


@pytest.mark.parametrize(
    "path",
    ["/", "~", str(ROOT), str(ROOT / "sim"), str(ROOT / "sim/core/x"), str(ROOT / ".git/y"),
     str(ROOT / "results"), str(ROOT / "scenarios"), str(ROOT / "tests"), "/proc/x"],
)  # fmt: skip
def test_unsafe_destinations_are_refused(path: str) -> None:
    with pytest.raises(ScenarioError):
        check_destination(Path(path).expanduser())


def test_a_folder_inside_results_is_fine(tmp_path: Path) -> None:
    check_destination(ROOT / "results" / "baseline")
    check_destination(tmp_path / "x")


@pytest.mark.parametrize(
    ("name", "safe"),
    [("../../x", "_.._x"), ("/etc/passwd", "_etc_passwd"), ("", "unnamed"), (".", "unnamed"),
     ("..", "unnamed"), ("baseline", "baseline"), ("a b/c", "a_b_c"), ("-rf", "rf")],
)  # fmt: skip
def test_safe_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe
    assert "/" not in safe_name(name) and safe_name(name) not in ("", ".", "..")


def test_begin_marks_incomplete_and_removes_old_outputs(tmp_path: Path) -> None:
    finish(tmp_path, {"kind": "run", "seed": 1})
    (tmp_path / "figures").mkdir()
    (tmp_path / "figures" / "a.png").write_bytes(b"x")
    (tmp_path / "keep.txt").write_text("x")
    begin(tmp_path, remove=["figures/*.png"])
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest == {"kind": "run", "seed": 1, "complete": False}
    assert not (tmp_path / "figures" / "a.png").exists() and (tmp_path / "keep.txt").exists()


def _manifest(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "manifest.json").write_text(text)
    return folder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"kind": "run", "complete": false}', "'complete' is not true (it says false)"),
        ('{"kind": "run", "complete": "no"}', "'complete' is not true (it says \"no\")"),
        ('{"kind": "run", "complete": 1}', "'complete' is not true (it says 1)"),
        ('{"kind": "run"}', "'complete' is not true (it says nothing)"),
        ("{not json", "cannot be read as JSON"),
        ("[1, 2]", "expected a JSON object, found a list"),
        ('{"kind": "sweep", "complete": true}', "holds a sweep (manifest kind 'sweep')"),
        ('{"complete": true}', "holds no recognisable kind of result"),
    ],
    ids=["false", "no", "one", "absent", "not-json", "list", "sweep", "unknown"],
)
def test_read_manifest_says_what_is_wrong(tmp_path: Path, text: str, expected: str) -> None:
    folder = _manifest(tmp_path / "x", text)
    with pytest.raises(ScenarioError) as exc:
        read_manifest(folder, ("run", "compare"))
    assert expected in _message(exc)
    assert str(folder) in _message(exc)


def test_read_manifest_refuses_a_folder_being_written(tmp_path: Path) -> None:
    folder = _manifest(tmp_path / "x", '{"kind": "run", "complete": true}')
    (folder / LOCK).write_text(json.dumps({"pid": os.getpid(), "host": socket.gethostname()}))
    with pytest.raises(ScenarioError, match=f"is being written by PID {os.getpid()}"):
        read_manifest(folder, ("run",))
    (folder / LOCK).write_text(json.dumps({"pid": _dead_pid(), "host": socket.gethostname()}))
    assert read_manifest(folder, ("run",))["complete"] is True


def test_read_manifest_missing_and_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such folder"):
        read_manifest(tmp_path / "nope", ("run",))
    (tmp_path / "f").write_text("x")
    with pytest.raises(ScenarioError, match="is not a folder"):
        read_manifest(tmp_path / "f", ("run",))
    (tmp_path / "d").mkdir()
    with pytest.raises(ScenarioError, match=r"manifest\.json: missing"):
        read_manifest(tmp_path / "d", ("run",))
