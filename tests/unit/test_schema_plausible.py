"""Every mechanism constant is a scenario key with a plausible range, and none hides in code.

Sensitivity analysis samples a ``dynamics.*`` key within its plausible range, so each
numeric key needs one: inside its hard bounds (``ge``/``gt``/``le``/``lt``), containing its
default. A point range says the value is not uncertain (a knock-out share held at 1,
say) and is not sampled. A switch (a ``bool`` such as ``trust.complacency``) has no range
and is left out. Behaviour-shaping numbers belong in the schema, where they have
a unit, a source and a range, so no module of ``sim/core`` may define an UPPER_CASE
numeric constant, except the labels listed in :data:`NOT_QUANTITIES`.
"""

from __future__ import annotations

import ast
import importlib
import math
import pkgutil
from pathlib import Path

import annotated_types as at
import pytest
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import sim.core
from sim.scenario.dynamics import Dynamics
from sim.scenario.fields import plausible_range

NOT_QUANTITIES: dict[str, set[str]] = {
    # codes that label a tie's kind (compared for equality, never used as amounts)
    "sim.core.state": {"WITHIN", "PRACTITIONERS", "MANAGERS", "MIXED"},
    # codes of the leadership styles in the compiled parameters (indices of the choices)
    "sim.core.world": {"FACILITATIVE", "DIRECTIVE", "ABSENT"},
}
"""UPPER_CASE numeric names in ``sim/core`` that are labels, not quantities, by module."""


def _numeric_keys() -> list:
    keys = []
    for block, block_field in Dynamics.model_fields.items():
        cls = block_field.annotation
        assert isinstance(cls, type) and issubclass(cls, BaseModel)
        for name, field in cls.model_fields.items():
            if field.annotation in (int, float):
                path = f"dynamics.{block}.{name}"
                keys.append(pytest.param(path, cls, name, field, id=path))
    return keys


def _bounds(field: FieldInfo) -> tuple[float, bool, float, bool]:
    """Lower bound, whether it is open, upper bound, whether it is open."""
    lo, lo_open, hi, hi_open = -math.inf, False, math.inf, False
    for m in field.metadata:
        if isinstance(m, at.Ge):
            lo, lo_open = float(m.ge), False
        elif isinstance(m, at.Gt):
            lo, lo_open = float(m.gt), True
        elif isinstance(m, at.Le):
            hi, hi_open = float(m.le), False
        elif isinstance(m, at.Lt):
            hi, hi_open = float(m.lt), True
    return lo, lo_open, hi, hi_open


def test_the_dynamics_blocks_have_numeric_keys() -> None:
    assert len(_numeric_keys()) > 50


@pytest.mark.parametrize(("path", "cls", "name", "field"), _numeric_keys())
def test_every_dynamics_key_has_a_plausible_range_within_its_bounds(
    path: str, cls: type[BaseModel], name: str, field: FieldInfo
) -> None:
    rng = plausible_range(cls, name)
    assert rng is not None, f"{path} has no plausible range"
    lo, hi = rng
    default = field.default
    assert lo <= hi, f"{path}: plausible range {rng} is reversed"
    assert lo <= default <= hi, f"{path}: default {default} outside plausible {rng}"
    b_lo, lo_open, b_hi, hi_open = _bounds(field)
    assert lo > b_lo if lo_open else lo >= b_lo, f"{path}: {rng} below its lower bound {b_lo}"
    assert hi < b_hi if hi_open else hi <= b_hi, f"{path}: {rng} above its upper bound {b_hi}"


def test_the_range_check_catches_a_range_outside_the_bounds() -> None:
    from pydantic import Field

    from sim.scenario.fields import Strict, par

    class Probe(Strict):
        x: float = par(0.5, unit="u", source="s", doc="d", plausible=(0.2, 1.5), ge=0.0, le=1.0)
        y: float = Field(0.5, gt=-1.0, lt=2.0)

    lo, lo_open, hi, hi_open = _bounds(Probe.model_fields["x"])
    assert (lo, lo_open, hi, hi_open) == (0.0, False, 1.0, False)
    assert plausible_range(Probe, "x") == (0.2, 1.5)
    assert not plausible_range(Probe, "x")[1] <= hi  # the test above would fail on it
    assert _bounds(Probe.model_fields["y"]) == (-1.0, True, 2.0, True)


def _core_modules() -> list[str]:
    return [f"sim.core.{m.name}" for m in pkgutil.iter_modules(sim.core.__path__)]


def _is_number(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float):
        return True
    if isinstance(value, tuple | list) and value:
        return all(_is_number(v) for v in value)
    return False


def upper_case_numbers(module_name: str) -> list[str]:
    """UPPER_CASE names a module defines at its top level whose value is a number or a
    sequence of numbers (names it imports do not count)."""
    module = importlib.import_module(module_name)
    tree = ast.parse(Path(module.__file__ or "").read_text(encoding="utf-8"))
    names: list[str] = []
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        for target in targets:
            elts = target.elts if isinstance(target, ast.Tuple) else [target]
            names += [e.id for e in elts if isinstance(e, ast.Name)]
    return [n for n in names if n.isupper() and _is_number(getattr(module, n, None))]


def test_the_constant_finder_sees_plain_tuple_and_annotated_constants(tmp_path: Path) -> None:
    import sys

    source = (
        "from math import pi as PI\n"
        "A = 0.5\nB, C = 1, 2.0\nD: float = 3.0\nE = (0.5, 0.3)\nF = True\nG = 'x'\n"
        "lower = 4.0\nNAMES = ('a', 'b')\n"
    )
    (tmp_path / "probe_constants.py").write_text(source, encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        assert upper_case_numbers("probe_constants") == ["A", "B", "C", "D", "E"]
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop("probe_constants", None)


@pytest.mark.parametrize("module_name", _core_modules())
def test_no_core_module_hides_a_numeric_constant(module_name: str) -> None:
    found = set(upper_case_numbers(module_name)) - NOT_QUANTITIES.get(module_name, set())
    assert not found, (
        f"{module_name} defines numeric constants {sorted(found)}: declare each in "
        "sim/scenario/dynamics.py with par(default, unit=, source=, doc=, plausible=)"
    )


def test_the_allowed_labels_still_exist() -> None:
    for module_name, names in NOT_QUANTITIES.items():
        assert names <= set(upper_case_numbers(module_name)), module_name
