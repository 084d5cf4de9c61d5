"""Bad scenario files are refused: exit 2, one clear first line, no traceback, no hang,
no file contents or expanded values echoed.

Each case builds an input (a file's text, or a setup for paths that are not plain files)
and gives the expected first line (a substring) of the error of ``partnersim check``. A
few cases go through ``partnersim run``, which must refuse before running anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.robustness.conftest import SCENARIOS, assert_refused, run_cli

BASE = SCENARIOS / "baseline.yaml"
BASE_TEXT = BASE.read_text()


def what_if(body: str) -> str:
    """A scenario that extends the baseline and adds ``body``."""
    return f"extends: {BASE}\n{body}"


def edited(old: str, new: str) -> str:
    """The baseline with one piece of text replaced."""
    assert old in BASE_TEXT, old
    return BASE_TEXT.replace(old, new, 1)


def alias_bomb(levels: int = 9) -> str:
    body = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, levels + 1):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        body += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    return body + f"description: *{chr(ord('a') + levels)}\n"


# (id, file text or bytes, expected first line of the error)
TEXT_CASES: list[tuple[str, str | bytes, str]] = [
    # YAML itself
    ("unclosed-flow-list", "months: [1,\n  2\nseed: 3\n", "invalid YAML at line 3"),
    ("tab-indent", "environment:\n\tpolicy_churn: 0.5\n", "indent with spaces, not tabs"),
    ("two-documents", "months: 1\n---\nmonths: 2\n", "expected a single document"),
    ("duplicate-key", what_if("months: 12\nmonths: 24\n"), "duplicate key 'months'"),
    ("list-as-key", "? [a, b]\n: 1\n", "a key must be text, not a list"),
    ("mapping-as-key", "? {a: 1}\n: 1\n", "a key must be text, not a mapping"),
    ("merge-key", what_if("partnership:\n  <<: {formality: 0.2}\n"), "'<<' merge keys"),
    ("python-tag", "months: !!python/object/apply:os.system ['true']\n", "could not determine"),
    ("undefined-alias", "months: *nowhere\n", "found undefined alias"),
    ("impossible-date", what_if("months: 2020-02-30\n"), "cannot read '2020-02-30' as a date"),
    ("hex-without-digits", what_if("seed: 0x_\n"), "cannot read '0x_' as a whole number"),
    ("5000-digit-int", what_if("seed: 1" + "0" * 5000 + "\n"), "as a whole number"),
    # not a scenario at all
    ("empty-file", "", "agencies: required key is missing"),
    ("comments-only", "# nothing here\n", "agencies: required key is missing"),
    ("top-level-list", "- 1\n- 2\n", "top level is a list; expected a mapping of keys"),
    ("top-level-text", "just some words\n", "top level is a str; expected a mapping"),
    ("binary-garbage", b"\x89PNG\r\n\x1a\n\x00\xff\xfe garbage", "is not UTF-8 text"),
    ("nul-character", "months: 1\x00\n", "character #x0000 is not allowed"),
    ("text-file-keys", "sshd: x\ndaemon: y\nalice: hunter2\n", "is not a scenario file"),
    # limits
    ("deep-nesting", "a: " + "[" * 5000 + "]" * 5000 + "\n", "nested deeper than 64 levels"),
    ("alias-bomb", alias_bomb(), "expands to more than 20,000 values"),
    ("recursive-alias", "a: &a [1, *a]\n", "refers to a value that contains it"),
    ("huge-value", what_if(f"months: '{'9' * 200_000}'\n"), "(200,000 characters)"),
    ("huge-key", what_if(f"partnership:\n  ? {'k' * 100_000}\n  : 1\n"), "unknown key"),
    # wrong types
    ("text-for-number", what_if("environment:\n  policy_churn: lots\n"), "'lots' is not a number"),
    ("quoted-number", what_if("environment:\n  policy_churn: '0.5'\n"), "remove the quotes"),
    ("yaml11-exponent", what_if("environment:\n  policy_churn: 1e-1\n"), "write 1.0e-1 or 0.1"),
    ("number-for-bool", what_if("partnership:\n  mandated: 1\n"), "1 is not true or false"),
    ("list-for-block", what_if("environment: [1, 2]\n"), "is not a mapping of keys"),
    ("fraction-for-int", what_if("months: 12.5\n"), "12.5 is not a whole number"),
    ("bad-category", what_if("partnership:\n  leadership:\n    style: charismatic\n"), "'absent'"),
    # unknown keys at several depths
    ("unknown-top-key", what_if("montsh: 12\n"), "montsh: unknown key 'montsh'; valid keys"),
    ("unknown-block-key", what_if("partnership:\n  formalty: 0.3\n"), "unknown key 'formalty'"),
    (
        "unknown-nested-key",
        what_if("partnership:\n  leadership:\n    styel: directive\n"),
        "partnership.leadership.styel: unknown key 'styel'",
    ),
    ("unknown-dynamics-key", what_if("dynamics:\n  churn:\n    foo: 1\n"), "dynamics.churn.foo"),
    (
        "unknown-agency-key",
        edited("power: 0.7,", "power: 0.7, budget: 9,"),
        "agencies[0].budget: unknown key 'budget'",
    ),
    # ranges and non-finite numbers
    ("out-of-range", what_if("staff:\n  champions: 1.5\n"), "1.5 is out of range; allowed: 0.0 to"),
    ("negative-priority", edited("smoking: 0.3,", "smoking: -0.3,"), "-0.3 is out of range"),
    (
        "nan-priority",
        edited("smoking: 0.3,", "smoking: .nan,"),
        "agencies[0].priorities.smoking: .nan is not a finite number; allowed: a finite number",
    ),
    (
        "inf-initial-need",
        edited("- {name: smoking,", "- {name: smoking, initial_need: .inf,"),
        "issues[0].initial_need: .inf is not a finite number",
    ),
    ("minus-inf-lever", what_if("environment:\n  austerity: -.inf\n"), "-.inf is not a finite"),
    ("overflow-to-inf", what_if("staff:\n  champions: 1.0e+999\n"), ".inf is not a finite"),
    (
        "nan-in-set-change",
        what_if("interventions:\n  - {at: 5, action: set, changes: {staff.champions: .nan}}\n"),
        "interventions[0].changes.staff.champions: .nan is not a finite number",
    ),
    # interventions
    (
        "at-and-from",
        what_if("interventions:\n  - {at: 5, from: 5, action: dissolve}\n"),
        "give either 'at' or 'from'/'until', not both",
    ),
    (
        "until-before-from",
        what_if(
            "interventions:\n"
            "  - {from: 9, until: 5, action: set, changes: {staff.champions: 0.1}}\n"
        ),
        "'until' (5) is before 'from' (9)",
    ),
    (
        "window-for-event",
        what_if("interventions:\n  - {from: 5, until: 9, action: reorganise}\n"),
        "a one-off event takes 'at: MONTH'",
    ),
    ("past-horizon", what_if("interventions:\n  - {at: 500, action: dissolve}\n"), "horizon"),
    ("unknown-action", what_if("interventions:\n  - {at: 5, action: explode}\n"), "'explode'"),
    ("missing-action", what_if("interventions:\n  - {at: 5}\n"), "missing 'action'"),
    (
        "set-unknown-lever",
        what_if("interventions:\n  - {at: 5, action: set, changes: {staff.foo: 1}}\n"),
        "interventions[0].changes.staff.foo: not a lever",
    ),
    (
        "duplicate-agencies",
        edited("name: nhs_commissioner", "name: council_public_health"),
        "agencies: duplicate names",
    ),
]


@pytest.mark.parametrize(
    ("text", "first_line"),
    [pytest.param(text, line, id=name) for name, text, line in TEXT_CASES],
)
def test_a_bad_scenario_file_is_refused(tmp_path: Path, text: str | bytes, first_line: str) -> None:
    path = tmp_path / "case.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    assert_refused(run_cli("check", path), first_line)


def _fifo(tmp: Path) -> Path:
    os.mkfifo(tmp / "pipe.yaml")
    return tmp / "pipe.yaml"


def _extends(target: str | Path) -> Callable[[Path], Path]:
    def setup(tmp: Path) -> Path:
        path = tmp / "what_if.yaml"
        path.write_text(f"extends: {target}\nmonths: 12\n")
        return path

    return setup


def _symlink_loop(tmp: Path) -> Path:
    (tmp / "a.yaml").symlink_to(tmp / "b.yaml")
    (tmp / "b.yaml").symlink_to(tmp / "a.yaml")
    return tmp / "a.yaml"


def _broken_symlink(tmp: Path) -> Path:
    (tmp / "link.yaml").symlink_to(tmp / "gone.yaml")
    return tmp / "link.yaml"


def _huge_sparse(tmp: Path) -> Path:
    path = tmp / "huge.yaml"
    with path.open("wb") as fh:
        fh.truncate(2_000_000_000)
    return path


def _cycle(tmp: Path) -> Path:
    (tmp / "a.yaml").write_text("extends: b.yaml\n")
    (tmp / "b.yaml").write_text("extends: a.yaml\n")
    return tmp / "a.yaml"


def _long_chain(tmp: Path) -> Path:
    (tmp / "f0.yaml").write_text(BASE_TEXT)
    for i in range(1, 200):
        (tmp / f"f{i}.yaml").write_text(f"extends: f{i - 1}.yaml\n")
    return tmp / "f199.yaml"


def _in(tmp: Path, name: str, text: str) -> Path:
    (tmp / name).write_text(text)
    return tmp / name


def _extends_text_file(tmp: Path) -> Path:
    _in(tmp, "shadow", "sshd: '*:19000:0:99999:7:::'\nalice: '$6$salt$hash'\nbob: x\n")
    return _extends(tmp / "shadow")(tmp)


def _extends_fifo(tmp: Path) -> Path:
    _fifo(tmp)
    return _extends("pipe.yaml")(tmp)


def _extends_loop(tmp: Path) -> Path:
    _symlink_loop(tmp)
    return _extends("a.yaml")(tmp)


def _extends_bad_yaml(tmp: Path) -> Path:
    _in(tmp, "base.yaml", "months: [1,\n")
    return _extends("base.yaml")(tmp)


# (id, setup returning the path to check, expected first line of the error)
PATH_CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("missing-file", lambda tmp: tmp / "nope.yaml", "nope.yaml: file not found"),
    ("directory", lambda tmp: tmp, "is a directory, not a regular file"),
    ("dev-zero", lambda tmp: Path("/dev/zero"), "/dev/zero: is a character device"),
    ("fifo", _fifo, "is a named pipe (FIFO), not a regular file"),
    ("symlink-loop", _symlink_loop, "a.yaml: is a symlink loop"),
    ("broken-symlink", _broken_symlink, "is a symlink to a missing file"),
    ("huge-file", _huge_sparse, "is 2,000,000,000 bytes; allowed: at most 262,144 bytes"),
    ("extends-missing", _extends("gone.yaml"), "extends: extended file not found"),
    ("extends-directory", _extends("."), "is a directory, not a regular file"),
    ("extends-cycle", _cycle, "circular extends"),
    ("extends-dev-zero", _extends("/dev/zero"), "extends: /dev/zero: is a character device"),
    ("extends-dev-urandom", _extends("/dev/urandom"), "/dev/urandom: is a character device"),
    ("extends-fifo", _extends_fifo, "is a named pipe (FIFO)"),
    ("extends-symlink-loop", _extends_loop, "is a symlink loop"),
    ("extends-chain-too-long", _long_chain, "the extends chain is longer than 32 files"),
    ("extends-text-file", _extends_text_file, "shadow: is not a scenario file"),
    ("extends-a-list", lambda tmp: _in(tmp, "x.yaml", "extends: [a, b]\n"), "got ['a', 'b']"),
    ("extends-bad-yaml", _extends_bad_yaml, "base.yaml: invalid YAML at line 2"),
]


@pytest.mark.parametrize(
    ("setup", "first_line"),
    [pytest.param(setup, line, id=name) for name, setup, line in PATH_CASES],
)
def test_a_bad_scenario_path_is_refused(
    tmp_path: Path, setup: Callable[[Path], Path], first_line: str
) -> None:
    assert_refused(run_cli("check", setup(tmp_path)), first_line)


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="no /etc/passwd here")
def test_extends_etc_passwd_does_not_print_it(tmp_path: Path) -> None:
    outcome = run_cli("check", _extends("/etc/passwd")(tmp_path))
    assert_refused(outcome, "/etc/passwd")
    assert "root" not in outcome.err.replace(str(tmp_path), "")


RUN_CASES: list[tuple[str, Callable[[Path], Path], str]] = [
    ("nan-priority", lambda tmp: _in(tmp, "s.yaml", edited("0.3,", ".nan,")), ".nan is not a"),
    ("alias-bomb", lambda tmp: _in(tmp, "s.yaml", alias_bomb()), "expands to more than"),
    ("fifo", _fifo, "is a named pipe (FIFO)"),
    ("extends-dev-zero", _extends("/dev/zero"), "/dev/zero: is a character device"),
]


@pytest.mark.parametrize(
    ("setup", "first_line"),
    [pytest.param(setup, line, id=name) for name, setup, line in RUN_CASES],
)
def test_run_refuses_before_running_anything(
    tmp_path: Path, setup: Callable[[Path], Path], first_line: str
) -> None:
    out = tmp_path / "results"
    assert_refused(run_cli("run", setup(tmp_path), "--out", out, "--quiet"), first_line)
    assert not out.exists()
