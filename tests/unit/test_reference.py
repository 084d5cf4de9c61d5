"""The generated reference documents: up to date with the code, ODD-shaped, no dead paths."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim import reference
from sim.scenario.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
ODD = DOCS / "odd.md"

ODD_HEADINGS = [
    "1 Purpose and patterns",
    "2 Entities, state variables and scales",
    "3 Process overview and scheduling",
    "4 Design concepts",
    "5 Initialization",
    "6 Input data",
    "7 Submodels",
]


def test_docs_are_up_to_date_with_the_code() -> None:
    stale = reference.out_of_date(DOCS)
    names = ", ".join(str(p.relative_to(ROOT)) for p in stale)
    assert not stale, f"{names} out of date with the code; run `python -m sim.reference`"


def test_check_exits_1_and_names_the_stale_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "odd.md").write_text(ODD.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "scenario-reference.md").write_text("stale\n", encoding="utf-8")
    assert reference.main(["--check", "--docs", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "scenario-reference.md is out of date" in out
    assert "odd.md" not in out
    assert reference.main(["--docs", str(tmp_path)]) == 0
    assert reference.main(["--check", "--docs", str(tmp_path)]) == 0


def test_odd_prose_is_kept_and_generated_sections_rewritten() -> None:
    text = ODD.read_text(encoding="utf-8")
    emptied = reference.MARKER.sub(lambda m: m["begin"] + m["end"], text)
    assert emptied != text
    assert reference.render_odd(emptied) == reference.render_odd(text)


def test_odd_has_the_seven_headings_in_order() -> None:
    headings = re.findall(r"^## (\d .+)$", ODD.read_text(encoding="utf-8"), re.M)
    numbered = [h for h in headings if h[0].isdigit()]
    assert numbered == ODD_HEADINGS


def test_every_module_path_in_odd_exists() -> None:
    paths = set(re.findall(r"\bsim/[\w/]+\.py\b", ODD.read_text(encoding="utf-8")))
    assert paths, "docs/odd.md names no module"
    missing = sorted(p for p in paths if not (ROOT / p).is_file())
    assert not missing, f"docs/odd.md names modules that do not exist: {missing}"


def test_odd_has_a_submodel_for_every_mechanism() -> None:
    text = ODD.read_text(encoding="utf-8")
    modules = reference.mechanisms()
    assert len(modules) == 12
    for module in modules:
        assert re.search(rf"^### 7\.\d+ .*`{reference.module_path(module)}`", text, re.M)


def test_every_scenario_key_is_in_the_scenario_reference() -> None:
    text = reference.scenario_reference()
    for row in reference.key_rows(Scenario):
        assert f"`{row.path}`" in text


def test_parameter_table_reads_ranges_and_choices_from_the_schema() -> None:
    table = reference.parameter_table(Scenario.model_fields["partnership"].annotation, "p")
    assert "| `p.formality` | float | [0, 1] |" in table
    assert "`facilitative`, `directive`, `absent`" in table


def test_mechanism_reads_resolve_to_scenario_keys() -> None:
    for module in reference.mechanisms():
        assert reference.resolve(reference.reads(module), module.__name__)


def test_every_command_and_option_is_in_the_cli_reference() -> None:
    from sim.cli.main import build_parser
    from sim.cli.reference import _subcommands

    text = (DOCS / "cli-reference.md").read_text(encoding="utf-8")
    for name, sub in _subcommands(build_parser()).items():
        assert f"## `partnersim {name}`" in text
        for action in sub._actions:
            for flag in action.option_strings:
                assert flag in text, f"{name} {flag}"


def test_tables_show_the_plausible_range_where_the_schema_declares_one() -> None:
    from sim.scenario.dynamics import FrontlineDynamics

    table = reference.parameter_table(FrontlineDynamics, "d")
    assert table.splitlines()[0].startswith("| key path | type | allowed | default | plausible |")
    assert "| `d.success_floor` | float | [0, 0.5] | 0.02 | [0, 0.05] | probability |" in table
    levers = reference.parameter_table(Scenario.model_fields["partnership"].annotation, "p")
    assert "plausible" not in levers.splitlines()[0]


def test_a_module_without_constants_says_so() -> None:
    from sim.core import users

    assert reference.constants(users) == []
    text = reference.constants_table([users])
    assert text.startswith("None: `sim/core/users.py` defines no numeric")
    assert "|" not in text


def test_per_issue_factor_ranges_and_distributions_are_in_the_plausible_column() -> None:
    from sim.scenario.uncertainty import constants

    rows = {r.path: r for r in reference.key_rows(Scenario)}
    text = reference.scenario_reference()
    factors = [c for c in constants() if c.per_issue]
    assert factors, "the schema declares no per-issue factor"
    for c in factors:
        row = rows[f"issues[].{c.path.removeprefix('issues.')}"]
        want = f"x{reference._num(c.low)} to x{reference._num(c.high)} of each issue's value"
        assert row.plausible == want
        assert f"| `{row.path}` |" in text and f"| {want} |" in text
    assert "| x0.5 to x2 of each issue's value |" in text  # noise_sd and lag_months


def test_a_declared_distribution_is_named_in_the_plausible_column() -> None:
    from sim.scenario.fields import Strict, par

    class Block(Strict):
        rate: float = par(
            1.0, unit="per month", source="test", doc="A rate.", plausible=(0.1, 10.0), ge=0.0
        )
        skewed: float = par(
            1.0,
            unit="per month",
            source="test",
            doc="A rate spread evenly in logs.",
            plausible=(0.1, 10.0),
            distribution="loguniform",
            ge=0.0,
        )

    assert reference.plausible_text(Block, "rate") == "[0.1, 10]"
    assert reference.plausible_text(Block, "skewed") == "[0.1, 10], log-uniform"


def test_the_uncertainty_section_names_every_constant_and_the_levers() -> None:
    from sim.scenario.levers import lever_paths
    from sim.scenario.loader import load_scenario
    from sim.scenario.uncertainty import constants

    text = reference.scenario_reference()
    section = text[text.index("## `uncertainty`") :]
    section = section[: section.index("\n## ", 1)] if "\n## " in section[1:] else section
    paragraph = section[section.index("### What the draws vary") :]
    for word in ("`scale`", "`ranges`", "`design`", "**Constants**", "**Levers**"):
        assert word in paragraph
    constant_paths = {c.path for c in constants()}
    for path in constant_paths - {p for p in constant_paths if p.startswith("dynamics.")}:
        assert f"`{path}`" in paragraph
    assert f"({len(constant_paths)} keys" in paragraph
    levers_part = paragraph[paragraph.index("**Levers**") :]
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    for path in lever_paths(base):
        if path in constant_paths:
            assert f"`{path}`" not in levers_part  # a constant, drawn
        else:  # named, or its whole block is
            assert f"`{path}`" in levers_part or f"`{path.split('.')[0]}`" in levers_part
