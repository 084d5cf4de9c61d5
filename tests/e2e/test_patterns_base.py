"""``partnersim patterns --base/--set``: every design built on a chosen base, so that a
mechanism can be knocked out and the patterns it should carry seen to fail."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def patterns(*args: str, out: Path) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "sim.cli.main", "patterns", "--quick", "--quiet", "--only", "9"]
    return subprocess.run(
        [*cmd, "--out", str(out), *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--set", "dynamics.trust.gain"], "expected KEY=VALUE"),
        (["--set", "=0"], "expected KEY=VALUE"),
        (["--set", "dynamics.trust.gain=abc"], "not a number"),
        (["--set", "dynamics.trust.gainn=0"], "unknown key 'gainn'"),
        (["--set", "months.x=1"], "months is a value, not a block of keys"),
        (["--set", "dynamics.trust.gain=[1"], "not valid YAML"),
        (["--base", "no/such/scenario.yaml"], "file not found"),
    ],
)
def test_a_bad_base_or_setting_is_refused_before_anything_runs(tmp_path, args, words):
    out = tmp_path / "report"
    done = patterns(*args, out=out)
    assert done.returncode == 2, done.stderr
    assert words in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_the_settings_reach_every_run_and_the_report_names_them(tmp_path):
    plain = patterns(out=tmp_path / "plain")
    knocked = patterns("--set", "dynamics.outcomes.informal_sharing=1.0", out=tmp_path / "ko")
    assert plain.returncode == knocked.returncode == 0, knocked.stderr
    a = json.loads((tmp_path / "plain" / "patterns.json").read_text())
    b = json.loads((tmp_path / "ko" / "patterns.json").read_text())
    assert a["overrides"] == {} and b["overrides"] == {"dynamics.outcomes.informal_sharing": 1.0}
    observed = [[c["observed"] for c in r["checks"]] for r in (a["patterns"][0], b["patterns"][0])]
    assert observed[0] != observed[1]  # informal sharing everywhere changes re-assessments
    head = (tmp_path / "ko" / "patterns.md").read_text()
    assert "with dynamics.outcomes.informal_sharing=1.0" in head
