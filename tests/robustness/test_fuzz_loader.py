"""Fuzzing the scenario loader: damaged library files and random YAML-ish text.

Every input must end in a :class:`Scenario` (with finite numbers only) or a
:class:`ScenarioError`, nothing else, within the case time limit; through ``partnersim
check``, in exit 0 or 2 and never a traceback. Derandomized, so CI sees the same examples
every time (about 20 s in all).
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sim.scenario.loader import ScenarioError, load_scenario
from sim.scenario.schema import Scenario
from tests.robustness.conftest import SCENARIOS, run_cli, time_limit

LIBRARY = {path.name: path.read_bytes() for path in sorted(SCENARIOS.glob("*.yaml"))}
YAMLISH = ":-[]{},&*!|>'\"#%@?<= \n\n\n\t.+e_0123456789abcnxyz"

FUZZ = settings(
    max_examples=300,
    deadline=None,  # the case time limit below is the real bound
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def damaged(draw: st.DrawFn) -> tuple[str, bytes]:
    """A library file with a few random truncations, byte flips, line deletions and
    line duplications."""
    name = draw(st.sampled_from(sorted(LIBRARY)))
    data = bytearray(LIBRARY[name])
    for op in draw(st.lists(st.integers(0, 4), min_size=1, max_size=4)):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if op == 0:  # truncate
            del data[at:]
        elif op == 1:  # flip to any byte
            data[at] = draw(st.integers(0, 255))
        elif op == 2:  # flip to a character YAML cares about
            data[at] = ord(draw(st.sampled_from(YAMLISH)))
        else:
            lines = bytes(data).splitlines(keepends=True)
            k = draw(st.integers(0, len(lines) - 1))
            if op == 3:
                del lines[k]
            else:
                lines.insert(k, lines[k] * draw(st.integers(1, 3)))
            data = bytearray(b"".join(lines))
    return name, bytes(data)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the library, so that a damaged file's ``extends:`` still finds
    its (intact) base."""
    path = tmp_path_factory.mktemp("fuzz")
    for name, data in LIBRARY.items():
        (path / name).write_bytes(data)
    return path


BASELINE = yaml.safe_load(LIBRARY["baseline.yaml"])


def _key_paths(data: object, prefix: tuple = ()) -> list[tuple]:
    """Every key path (keys and list indexes) in ``data``."""
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return []
    out: list[tuple] = []
    for key, value in items:
        out.append((*prefix, key))
        out.extend(_key_paths(value, (*prefix, key)))
    return out


KEY_PATHS = _key_paths(BASELINE)


def _at(data: object, where: tuple) -> object:
    for key in where:
        data = data[key]  # type: ignore[index]
    return data


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.sampled_from([math.nan, math.inf, -math.inf]),  # often, not by chance alone
    st.text(max_size=12),
    st.dates(),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4),
    ),
    max_leaves=12,
)


def all_finite(data: object) -> bool:
    """No NaN or infinity anywhere in ``data`` (a scenario as plain values)."""
    if isinstance(data, float):
        return math.isfinite(data)
    if isinstance(data, dict):
        return all(all_finite(v) for v in data.values())
    if isinstance(data, (list, tuple)):
        return all(all_finite(v) for v in data)
    return True


def load_or_refuse(path: Path) -> None:
    with time_limit():
        try:
            scenario = load_scenario(path)
            assert isinstance(scenario, Scenario)
            assert all_finite(scenario.model_dump()), "a scenario with NaN or infinity passed"
        except ScenarioError as exc:
            assert exc.problems
            assert all(len(str(p)) < 2000 for p in exc.problems)


@FUZZ
@given(case=damaged())
def test_a_damaged_library_file_loads_or_is_refused(folder: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    path = folder / f"damaged_{name}"
    path.write_bytes(data)
    load_or_refuse(path)


@FUZZ
@given(text=st.text(alphabet=YAMLISH, max_size=300))
def test_random_yamlish_text_loads_or_is_refused(folder: Path, text: str) -> None:
    path = folder / "random.yaml"
    path.write_text(f"extends: baseline.yaml\n{text}", encoding="utf-8")
    load_or_refuse(path)
    path.write_text(text, encoding="utf-8")
    load_or_refuse(path)


@FUZZ
@given(where=st.sampled_from(KEY_PATHS), value=VALUES)
def test_any_value_at_any_key_loads_or_is_refused(
    folder: Path, where: tuple, value: object
) -> None:
    data = copy.deepcopy(BASELINE)
    _at(data, where[:-1])[where[-1]] = value  # type: ignore[index]
    path = folder / "valued.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    load_or_refuse(path)


NUMBER_PATHS = [
    where
    for where in KEY_PATHS
    if isinstance(_at(BASELINE, where), float) or where[-1] in ("months", "seed")
]


@settings(FUZZ, max_examples=100)
@given(where=st.sampled_from(NUMBER_PATHS), value=st.sampled_from([math.nan, math.inf, -math.inf]))
def test_a_non_finite_number_anywhere_is_refused_by_its_path(
    folder: Path, where: tuple, value: float
) -> None:
    data = copy.deepcopy(BASELINE)
    _at(data, where[:-1])[where[-1]] = value  # type: ignore[index]
    path = folder / "non_finite.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with time_limit(), pytest.raises(ScenarioError) as info:
        load_scenario(path)
    shown = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in where).lstrip(".")
    assert f"{shown}: " in str(info.value).splitlines()[0]
    assert "is not a finite number; allowed: a finite number" in str(info.value)


@settings(FUZZ, max_examples=60)
@given(case=damaged())
def test_check_on_a_damaged_file_exits_0_or_2(folder: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    path = folder / f"cli_{name}"
    path.write_bytes(data)
    outcome = run_cli("check", path)
    assert outcome.code in (0, 2), (outcome.code, outcome.err[:500])
    assert "Traceback" not in outcome.err
    if outcome.code == 2:
        assert outcome.err.strip()
