"""The loader's limits: regular files only, size, depth, node and chain caps, short echoes,
finite numbers, and one style for out-of-range and wrong-type messages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sim import limits
from sim.scenario.loader import ScenarioError, load_scenario, read_yaml
from tests.robustness.conftest import time_limit

BASE = Path(__file__).resolve().parents[3] / "scenarios" / "baseline.yaml"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def problems(path: Path) -> list[str]:
    with time_limit(), pytest.raises(ScenarioError) as info:
        load_scenario(path)
    lines = [str(p) for p in info.value.problems]
    assert all(len(line) < 400 for line in lines), [line[:200] for line in lines]
    return lines


def extending(tmp_path: Path, body: str, name: str = "x.yaml") -> Path:
    return write(tmp_path, name, f"extends: {BASE}\n{body}")


# -- item 9: regular files only, with a size cap -----------------------------------------


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_as_the_scenario_and_as_extends(tmp_path: Path, device: str) -> None:
    (line,) = problems(Path(device))
    assert line == f"{device}: is a character device, not a regular file; expected a .yaml file"
    (line,) = problems(write(tmp_path, "x.yaml", f"extends: {device}\n"))
    assert line.startswith(f"{tmp_path / 'x.yaml'}: extends: {device}: is a character device")


def test_a_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    (line,) = problems(fifo)
    assert line == f"{fifo}: is a named pipe (FIFO), not a regular file; expected a .yaml file"
    (line,) = problems(write(tmp_path, "x.yaml", "extends: pipe.yaml\n"))
    assert "extends: " in line and "is a named pipe (FIFO)" in line


def test_a_symlink_loop_is_reported_as_such(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").symlink_to(tmp_path / "b.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / "a.yaml")
    (line,) = problems(tmp_path / "a.yaml")
    assert line == f"{tmp_path / 'a.yaml'}: is a symlink loop; expected a .yaml file"
    (line,) = problems(write(tmp_path, "x.yaml", "extends: a.yaml\n"))
    assert "is a symlink loop" in line


def test_a_symlink_to_a_regular_file_is_followed(tmp_path: Path) -> None:
    (tmp_path / "link.yaml").symlink_to(BASE)
    assert load_scenario(tmp_path / "link.yaml").months == 120


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(limits.MAX_INPUT_FILE_BYTES + 1)  # sparse: large to stat, cheap to make
    (line,) = problems(path)
    assert f"is {limits.MAX_INPUT_FILE_BYTES + 1:,} bytes; allowed: at most" in line
    assert "MAX_INPUT_FILE_BYTES" in line


def test_a_file_that_reports_size_0_is_read_only_up_to_the_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(limits, "MAX_INPUT_FILE_BYTES", 16)
    status = Path("/proc/self/status")  # stat says 0 bytes; it holds far more than 16
    assert status.stat().st_size == 0
    (line,) = problems(status)
    assert "is more than 16 bytes; allowed: at most 16 bytes" in line


def test_read_yaml_used_by_sweep_files_has_the_same_guards(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "sweep.yaml")
    with time_limit(), pytest.raises(ScenarioError, match="named pipe"):
        read_yaml(tmp_path / "sweep.yaml")


def test_binary_garbage_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"months: 1\n\xff\xfe\x00garbage")
    (line,) = problems(path)
    assert "is not UTF-8 text" in line


# -- item 10: depth, nodes, chain length, short echoes, no file contents -----------------


def test_deep_nesting_is_refused_without_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")
    (line,) = problems(path)
    assert f"nested deeper than {limits.MAX_YAML_DEPTH} levels" in line


def test_deep_nesting_through_aliases_is_refused(tmp_path: Path) -> None:
    body = "a0: &a0 [1]\n" + "".join(f"a{i}: &a{i} [*a{i - 1}]\n" for i in range(1, 200))
    (line,) = problems(write(tmp_path, "deep_alias.yaml", body))
    assert f"nested deeper than {limits.MAX_YAML_DEPTH} levels" in line


def test_an_alias_bomb_never_expands(tmp_path: Path) -> None:
    body = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        body += f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]\n"
    body += "months: *j\n"
    (line,) = problems(write(tmp_path, "bomb.yaml", body))
    assert f"expands to more than {limits.MAX_YAML_NODES:,} values" in line


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    (line,) = problems(write(tmp_path, "rec.yaml", "a: &a [1, *a]\n"))
    assert "refers to a value that contains it" in line


def test_a_long_extends_chain_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "f0.yaml", BASE.read_text())
    for i in range(1, 1000):
        write(tmp_path, f"f{i}.yaml", f"extends: f{i - 1}.yaml\n")
    (line,) = problems(tmp_path / "f999.yaml")
    assert f"extends chain is longer than {limits.MAX_EXTENDS_CHAIN} files" in line


def test_a_list_as_a_key_is_a_clean_error(tmp_path: Path) -> None:
    (line,) = problems(write(tmp_path, "k.yaml", "? [a, b]\n: 1\n"))
    assert "invalid YAML at line 1" in line and "a key must be text, not a list" in line


def test_a_huge_value_is_echoed_as_a_short_excerpt(tmp_path: Path) -> None:
    (line,) = problems(extending(tmp_path, f"months: '{'9' * 200_000}'\n"))
    assert "(200,000 characters)" in line and "is not a whole number" in line
    assert len(line) < 300


def test_a_huge_unknown_key_is_echoed_as_a_short_excerpt(tmp_path: Path) -> None:
    (line,) = problems(extending(tmp_path, f"partnership:\n  {'k' * 1000}: 1\n"))
    assert "unknown key" in line and "(1,000 characters)" in line


def test_an_extended_text_file_is_not_listed(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.txt", "sshd: x\ndaemon: y\nalice: hunter2\n")
    (line,) = problems(write(tmp_path, "x.yaml", f"extends: {secret}\n"))
    assert line.startswith(f"{tmp_path / 'x.yaml'}: extends: {secret}: is not a scenario file")
    for word in ("sshd", "daemon", "alice", "hunter2"):
        assert word not in line


def test_a_scenario_with_a_few_misspelt_keys_still_lists_them(tmp_path: Path) -> None:
    lines = problems(extending(tmp_path, "montsh: 12\n"))
    assert any("unknown key 'montsh'" in line for line in lines)


def test_merge_keys_are_refused_clearly(tmp_path: Path) -> None:
    body = "partnership:\n  <<: {formality: 0.2}\n"
    (line,) = problems(extending(tmp_path, body))
    assert "'<<' merge keys are not supported" in line and "line 3" in line


@pytest.mark.parametrize(
    "text",
    ["months: 0x_\n", "months: 2020-02-30\n", "months: 0b_\n", "months: 1" + "0" * 5000 + "\n"],
    ids=["hex-without-digits", "impossible-date", "binary-without-digits", "5000-digit-int"],
)
def test_scalars_yaml_cannot_construct_are_clean_errors(tmp_path: Path, text: str) -> None:
    (line,) = problems(write(tmp_path, "v.yaml", text))
    assert "invalid YAML at line 1" in line and "cannot read" in line


# -- item 11: no non-finite number anywhere ------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "where", "shown"),
    [
        ("smoking: 0.3, child", "smoking: .nan, child", "agencies[0].priorities.smoking", ".nan"),
        (
            "- {name: smoking,",
            "- {name: smoking, initial_need: .inf,",
            "issues[0].initial_need",
            ".inf",
        ),
        ("policy_churn: 0.5", "policy_churn: -.inf", "environment.policy_churn", "-.inf"),
        ("strength: 0.5", "strength: 1.0e+999", "partnership.leadership.strength", ".inf"),
    ],
)
def test_non_finite_numbers_are_refused(
    tmp_path: Path, old: str, new: str, where: str, shown: str
) -> None:
    text = BASE.read_text()
    assert old in text
    path = write(tmp_path, "nf.yaml", text.replace(old, new, 1))
    assert f"{path}: {where}: {shown} is not a finite number; allowed: a finite number" in (
        problems(path)
    )


def test_non_finite_in_intervention_changes_is_refused(tmp_path: Path) -> None:
    body = "interventions:\n  - {at: 5, action: set, changes: {partnership.formality: .nan}}\n"
    path = extending(tmp_path, body)
    assert problems(path)[0] == (
        f"{path}: interventions[0].changes.partnership.formality: .nan is not a finite "
        "number; allowed: a finite number"
    )


# -- item 16: YAML 1.1 floats, one style for out-of-range ------------------------------


def test_exponent_without_a_dot_is_explained(tmp_path: Path) -> None:
    (line,) = problems(extending(tmp_path, "environment:\n  policy_churn: 1e-1\n"))
    assert line.endswith(
        "environment.policy_churn: '1e-1' is text to YAML 1.1 (write 1.0e-1 or 0.1); "
        "allowed: a number"
    )
    (line,) = problems(extending(tmp_path, "environment:\n  initiatives_per_year: 2E1\n"))
    assert "'2E1' is text to YAML 1.1 (write 2.0E+1 or 20.0)" in line


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("staff:\n  champions: 1.5\n", "staff.champions: 1.5 is out of range; allowed: 0.0 to 1.0"),
        ("months: 0\n", "months: 0 is out of range; allowed: 1 to 1200"),
        (
            "issues:\n  - {name: smoking, initial_need: 0.0}\n",
            "issues[0].initial_need: 0.0 is out of range; allowed: > 0.0",
        ),
        (
            "interventions:\n  - {at: 0, action: dissolve}\n",
            "interventions[0].at: 0 is out of range; allowed: >= 1",
        ),
        (
            "interventions:\n  - {from: 5, action: set, changes: {environment.policy_churn: 99}}\n",
            "interventions[0].changes.environment.policy_churn: 99.0 is out of range; "
            "allowed: 0.0 to 12.0",
        ),
    ],
    ids=["both-bounds", "int-bounds", "exclusive-lower", "lower-only", "set-change"],
)
def test_out_of_range_messages_read_the_same(tmp_path: Path, body: str, expected: str) -> None:
    lines = problems(extending(tmp_path, body))
    assert any(line.endswith(expected) for line in lines), lines


def test_a_negative_priority_names_its_key(tmp_path: Path) -> None:
    text = BASE.read_text().replace("smoking: 0.3, child", "smoking: -0.3, child", 1)
    path = write(tmp_path, "neg.yaml", text)
    assert f"{path}: agencies[0].priorities.smoking: -0.3 is out of range; allowed: >= 0.0" in (
        problems(path)
    )
