"""docs/limits.md is generated from sim/limits.py and stays in step with it."""

from __future__ import annotations

import ast
import inspect
import itertools
import types
from pathlib import Path

import pytest

from sim import limits, limits_doc

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "limits.md"


def test_limits_md_is_up_to_date_with_the_code() -> None:
    assert DOC.read_text(encoding="utf-8") == limits_doc.render(), (
        f"docs/limits.md is out of date with sim/limits.py; run `{limits_doc.REGENERATE}`"
    )


def test_every_documented_constant_is_in_the_document() -> None:
    source = inspect.getsource(limits)
    body = ast.parse(source).body
    documented = [
        node.targets[0].id
        for node, after in itertools.pairwise(body)
        if isinstance(node, ast.Assign)
        and isinstance(after, ast.Expr)
        and isinstance(getattr(after, "value", None), ast.Constant)
    ]
    text = limits_doc.render()
    assert documented and all(f"| `{name}` |" in text for name in documented)


def test_every_upper_case_limit_has_a_docstring() -> None:
    listed = {e.name for s in limits_doc.sections() for e in s.entries}
    numbers = {
        name
        for name, value in vars(limits).items()
        if name.isupper() and isinstance(value, int | float | str) and not name.startswith("_")
    }
    assert numbers <= listed, f"without a docstring: {sorted(numbers - listed)}"


def test_check_exits_1_on_a_stale_document_and_0_once_rewritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = tmp_path / "limits.md"
    doc.write_text("stale\n", encoding="utf-8")
    assert limits_doc.main(["--check", "--doc", str(doc)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert limits_doc.main(["--doc", str(doc)]) == 0
    assert limits_doc.main(["--check", "--doc", str(doc)]) == 0


def test_a_new_constant_shows_up_under_its_section() -> None:
    fake = types.ModuleType("fake_limits")
    source = '''
# -- things: what they are --
#
# Why there are things.

MAX_THINGS = 3
"""Most things. Lift by editing this constant."""

UNDOCUMENTED = 4
'''
    exec(compile(source, "<fake>", "exec"), fake.__dict__)
    sections = limits_doc.sections_of(source, fake)
    assert [(s.title, s.intro) for s in sections] == [
        ("things: what they are", "Why there are things.")
    ]
    assert [(e.name, e.value) for e in sections[0].entries] == [("MAX_THINGS", 3)]


@pytest.mark.parametrize("rule", limits_doc.RULES, ids=lambda r: r.title)
def test_every_rule_names_a_module_that_exists(rule: limits_doc.Rule) -> None:
    assert (ROOT / rule.module).is_file()
