"""Reference documentation rendered from the code: parameters, outputs, steps, constants.

``docs/scenario-reference.md`` is generated whole from the scenario schema, and
``docs/cli-reference.md`` from the command-line parser (``sim/cli/reference.py``).
``docs/odd.md`` is written prose with generated sections between
``<!-- BEGIN GENERATED: name -->`` and ``<!-- END GENERATED: name -->``; only those
sections are rewritten. ``python -m sim.reference`` rewrites both documents;
``python -m sim.reference --check`` writes nothing and exits 1, naming the document, when
either differs from what the code generates. Defaults, units and sources are read from
the schema (``sim/scenario/fields.py``), never typed into the documents by hand.
"""

from __future__ import annotations

import argparse
import ast
import fnmatch
import importlib
import inspect
import pkgutil
import re
import sys
import types
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args, get_origin

import annotated_types as at
import numpy as np
from pydantic import BaseModel
from pydantic.fields import FieldInfo

import sim.core
from sim.core import model, network, record, regimes, run
from sim.scenario import interventions
from sim.scenario.fields import plausible_range, provenance
from sim.scenario.levers import LEVER_BLOCKS
from sim.scenario.schema import Issue, Regimes, Scenario
from sim.scenario.uncertainty import ISSUE_PREFIX
from sim.scenario.uncertainty import constants as uncertain_constants

DOCS = Path(__file__).resolve().parents[1] / "docs"
REGENERATE = "python -m sim.reference"

RUN, REG = "sim/core/run.py", "sim/core/regimes.py"
DERIVED: dict[str, tuple[str, str, str]] = {
    "outcome_index_<issue>": (
        "% fall in need",
        "sim/core/outcomes.py",
        "fall in need on one issue",
    ),
    **{name: (unit, RUN, meaning) for name, (unit, meaning) in run.MEASURES.items()},
    "delivery_ratio": ("ratio", REG, "delivered / made in the window; empty if none made"),
    "facade_index": (
        "index 0-1",
        REG,
        "formal activity times the share of the window's commitments not delivered",
    ),
    "added_value_window": (
        "% of need per year",
        REG,
        "added value rate averaged over the regime window",
    ),
    "ground_value_window": (
        "% of need per year",
        REG,
        "ground value rate averaged over the regime window",
    ),
    "formal_activity_window": ("index 0-1", REG, "formal activity averaged over the window"),
    "regime": ("category", REG, "regime of the month: " + ", ".join(regimes.REGIMES)),
}
"""Columns of a run's table not recorded by a mechanism: (unit, module, meaning)."""


def core_modules() -> list[types.ModuleType]:
    """Every module of ``sim.core``, in name order."""
    found = pkgutil.iter_modules(sim.core.__path__)
    return [importlib.import_module(f"sim.core.{info.name}") for info in found]


def mechanisms() -> list[types.ModuleType]:
    """The mechanism modules (docstring opening "Mechanism N, ..."), in the order N."""
    numbered = []
    for module in core_modules():
        match = re.match(r"Mechanism (\d+),", module.__doc__ or "")
        if match:
            numbered.append((int(match[1]), module))
    return [module for _, module in sorted(numbered, key=lambda pair: pair[0])]


def module_path(module: types.ModuleType) -> str:
    """Repository path of a ``sim`` module (``sim/core/trust.py``)."""
    return module.__name__.replace(".", "/") + ".py"


# -- schema walking -------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    """One documented key path of the scenario schema, every cell already as text."""

    path: str
    type: str
    allowed: str
    default: str
    plausible: str
    unit: str
    source: str
    meaning: str


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _union_members(annotation: Any) -> tuple[Any, ...]:
    if get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    if get_origin(annotation) is types.UnionType:
        return get_args(annotation)
    return ()


def _num(x: float) -> str:
    if isinstance(x, float) and x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return str(x)


def _value(v: Any) -> str:
    if v is None:
        return "`null`"
    if isinstance(v, bool):
        return "`true`" if v else "`false`"
    if isinstance(v, int | float):
        return _num(v)
    if isinstance(v, str):
        return f'`"{v}"`'
    return f"`{v!r}`"


def type_name(annotation: Any) -> str:
    """Readable name of a field's type (``float``, ``choice``, ``list of Agency``...)."""
    origin = get_origin(annotation)
    members = _union_members(annotation)
    if origin is Literal:
        return "choice"
    if members:
        if all(_model_of(m) for m in members):
            return "action entry"
        named = [type_name(m) for m in members if m is not type(None)]
        return " or ".join(named) + (" or null" if type(None) in members else "")
    if origin is Annotated:
        return type_name(get_args(annotation)[0])
    if origin is list:
        return f"list of {type_name(get_args(annotation)[0])}"
    if origin is dict:
        key, value = get_args(annotation)
        return f"map {type_name(key)} → {type_name(value)}"
    return getattr(annotation, "__name__", str(annotation))


def allowed(field: FieldInfo) -> str:
    """Allowed values of a field: its Literal choices, or its range from ge/gt/le/lt."""
    ann = field.annotation
    if get_origin(ann) is Literal:
        return ", ".join(f"`{v}`" for v in get_args(ann))
    if ann is bool:
        return "`true`, `false`"
    lo = hi = None
    lo_open = hi_open = False
    min_len = None
    for m in field.metadata:
        if isinstance(m, at.Ge):
            lo = m.ge
        elif isinstance(m, at.Gt):
            lo, lo_open = m.gt, True
        elif isinstance(m, at.Le):
            hi = m.le
        elif isinstance(m, at.Lt):
            hi, hi_open = m.lt, True
        elif isinstance(m, at.MinLen):
            min_len = m.min_length
    if min_len is not None:
        if ann is str:
            return "non-empty"
        return f"at least {min_len} {'entry' if min_len == 1 else 'entries'}"
    if lo is None and hi is None:
        return "—"
    left = "(-∞" if lo is None else ("(" if lo_open else "[") + _num(lo)
    right = "∞)" if hi is None else _num(hi) + (")" if hi_open else "]")
    return f"{left}, {right}"


def plausible_text(model_cls: type[BaseModel], name: str) -> str:
    """The plausible cell of field ``name``: its range (``[0.03, 0.2]``), or for a
    per-item factor ``x0.5 to x2 of each issue's value``; ``, log-uniform`` when the draws
    spread over it so; ``—`` when it declares none."""
    field = model_cls.model_fields[name]
    extra = field.json_schema_extra if isinstance(field.json_schema_extra, dict) else {}
    rng = plausible_range(model_cls, name)
    factor = extra.get("plausible_factor")
    if rng:
        text = f"[{_num(rng[0])}, {_num(rng[1])}]"
    elif factor:
        item = "issue" if model_cls is Issue else "entry"
        text = f"x{_num(float(factor[0]))} to x{_num(float(factor[1]))} of each {item}'s value"
    else:
        return "—"
    distribution = extra.get("distribution", "uniform")
    return text if distribution == "uniform" else f"{text}, {distribution.replace('log', 'log-')}"


def _row(model_cls: type[BaseModel], name: str, field: FieldInfo, path: str) -> Row:
    prov = provenance(model_cls, name)
    if field.is_required():
        default = "required"
    else:
        default = _value(field.get_default(call_default_factory=True))
    return Row(
        path=path,
        type=type_name(field.annotation),
        allowed=allowed(field),
        default=default,
        plausible=plausible_text(model_cls, name),
        unit=prov["unit"] or "—",
        source=prov["source"] or "—",
        meaning=prov["doc"],
    )


def key_rows(model_cls: type[BaseModel], prefix: str = "") -> list[Row]:
    """Every key path under ``model_cls``, depth first in declaration order.

    Nested blocks are recursed into (they have no row of their own). A list of blocks
    (``agencies``) has a row, then rows ``agencies[].<key>`` from the item's model. A list
    of intervention actions has one row; :func:`interventions_tables` documents its entries.
    """
    rows: list[Row] = []
    for name, field in model_cls.model_fields.items():
        path = f"{prefix}.{field.alias or name}" if prefix else field.alias or name
        nested = _model_of(field.annotation)
        if nested is not None:
            rows.extend(key_rows(nested, path))
            continue
        rows.append(_row(model_cls, name, field, path))
        if get_origin(field.annotation) is list:
            item = _model_of(get_args(field.annotation)[0])
            if item is not None:
                rows.extend(key_rows(item, f"{path}[]"))
    return rows


# -- Markdown tables ------------------------------------------------------------------------
def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ").strip()


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table (pipes in cells escaped)."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


FULL = ("key path", "type", "allowed", "default", "plausible", "unit", "source", "meaning")


def _cells(row: Row, columns: Sequence[str] = FULL) -> list[str]:
    return [f"`{row.path}`" if c == "key path" else getattr(row, c) for c in columns]


def rows_table(rows: Sequence[Row], columns: Sequence[str] = FULL) -> str:
    """Markdown table of ``rows`` in ``columns``; the plausible column only when a row
    declares a plausible range (levers and run settings do not)."""
    if all(r.plausible == "—" for r in rows):
        columns = [c for c in columns if c != "plausible"]
    return markdown_table(columns, (_cells(r, columns) for r in rows))


def parameter_table(model_cls: type[BaseModel], prefix: str) -> str:
    """Markdown table of every key path under ``model_cls``, paths starting ``prefix``.

    Columns: key path, type, allowed range or values, default, plausible range (when any
    key has one), unit, source, meaning.
    """
    return rows_table(key_rows(model_cls, prefix))


def _doc_line(cls: type) -> str:
    return (cls.__doc__ or "").strip().splitlines()[0] if cls.__doc__ else ""


def interventions_tables() -> str:
    """Timing keys shared by every intervention, then each action and its own keys."""
    field = Scenario.model_fields["interventions"]
    classes = [m for m in _union_members(get_args(field.annotation)[0]) if _model_of(m)]
    common = [n for n in classes[0].model_fields if all(n in c.model_fields for c in classes)]
    columns = ("key path", "type", "allowed", "default", "meaning")
    timing = []
    for n in common:
        info = classes[0].model_fields[n]
        if n != "action":
            timing.append(_cells(_row(classes[0], n, info, info.alias or n), columns))
    names, actions = [], []
    for cls in classes:
        action = get_args(cls.model_fields["action"].annotation)[0]
        names.append(f"`{action}`")
        for n in [n for n in cls.model_fields if n not in common] or [None]:
            cells = ["—", "", "", "", ""]
            if n is not None:
                cells = _cells(_row(cls, n, cls.model_fields[n], n), columns)
            actions.append([f"`{action}`", _doc_line(cls), *cells])
    levers = ", ".join(f"`{b}`" for b in LEVER_BLOCKS)
    return "\n\n".join(
        [
            f"Each entry has an `action`, one of {', '.join(names)}, and a timing:",
            markdown_table(columns, timing),
            "What each action does, and its own keys:",
            markdown_table(("action", "what it does", *columns), actions),
            f"`set` may change any key under {levers} (the public levers).",
            *docstring_sections(interventions.__doc__ or ""),
        ]
    )


def docstring_sections(doc: str) -> list[str]:
    """The titled sections of a docstring (a title line underlined with ``-``) as Markdown
    (``###`` headings, paragraphs joined into one line each, inline code in single backticks).
    """
    lines = doc.strip().splitlines()
    starts = [
        k for k in range(len(lines) - 1) if lines[k + 1].startswith("---") and lines[k].strip()
    ]
    out = []
    for n, k in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(lines)
        body = "\n".join(lines[k + 2 : end]).strip().replace("``", "`")
        paragraphs = [" ".join(p.split()) for p in body.split("\n\n") if p.strip()]
        out += [f"### {lines[k].strip()}", *paragraphs]
    return out


# -- the scenario reference -----------------------------------------------------------------
def _codes(paths: Iterable[str]) -> str:
    """Key paths in backticks, the last joined by "and"."""
    items = [f"`{p}`" for p in paths]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def uncertainty_text() -> list[str]:
    """Paragraphs on the ``uncertainty:`` block: what ``scale``, ``ranges`` and ``design``
    do, and which keys are constants (drawn) and which are levers (never drawn), listed
    from :func:`sim.scenario.uncertainty.constants` and the schema."""
    found = uncertain_constants()
    paths = [c.path for c in found]
    dynamics = [p for p in paths if p.startswith("dynamics.")]
    all_dynamics = [r.path for r in key_rows(Scenario) if r.path.startswith("dynamics.")]
    undrawn = [p for p in all_dynamics if p not in dynamics]
    other = [p for p in paths if not p.startswith(("dynamics.", ISSUE_PREFIX))]
    named = [p for p in paths if p.startswith(ISSUE_PREFIX)]
    issue = [f"issues[].{p.removeprefix(ISSUE_PREFIX)}" for p in named]
    levers = [
        r.path
        for block in LEVER_BLOCKS
        for r in key_rows(Scenario)
        if r.path.startswith(f"{block}.") and r.path not in paths
    ]
    blocks_whole = [b for b in LEVER_BLOCKS if not any(p.startswith(f"{b}.") for p in paths)]
    partial = [
        f"{_codes(keys)} (the rest of `{b}`)"
        for b in LEVER_BLOCKS
        if b not in blocks_whole and (keys := [p for p in levers if p.startswith(f"{b}.")])
    ]
    one = len(undrawn) == 1
    keep = (
        f"; {_codes(undrawn)} {'has' if one else 'have'} no plausible range and "
        f"{'keeps' if one else 'keep'} the scenario's value"
        if undrawn
        else ""
    )
    return [
        "### What the draws vary",
        "",
        "`partnersim run --uncertainty N`, `partnersim compare --uncertainty N` and a sweep "
        "file's `uncertainty: N` run every scenario (or design point) in N draws of the "
        "model's *constants*, each draw with every replicate and the same random numbers. A "
        "draw sets every constant at once, from a space-filling design over the constants' "
        "effective ranges (`design`: `lhs`, a Latin hypercube, or `sobol`, a scrambled "
        "Sobol sequence, seeded by the root seed). A constant's effective range is its "
        "plausible range in the tables of this reference (the draws spread uniformly over "
        "it unless it says log-uniform), stretched about the scenario's value by `scale` (0 "
        "holds every constant at its value, 2 doubles each range; clipped to the allowed "
        "range), or set outright by `ranges` (`[low, high]`, or one number to hold a "
        "constant there). A constant a scenario sets away from its default is held at "
        "that value unless `ranges` gives it a range; one a sweep fixes or varies is never "
        "drawn.",
        "",
        f"**Constants** ({len(paths)} keys, each with a plausible range; the draws vary "
        f"them): the mechanism constants under `dynamics` ({len(dynamics)} of its "
        f"{len(all_dynamics)} keys{keep}); {_codes(other)}; and, per issue, "
        f"{_codes(issue)}, whose plausible range is a factor of each issue's own value "
        "(one factor for every issue in a draw; in `ranges` they are named "
        f"{_codes(named)}).",
        "",
        f"**Levers** (never drawn: they are the question, not the uncertainty): every key "
        f"under {'; '.join([_codes(blocks_whole), *partial])}. The agencies, the issues' other "
        "keys, the interventions and the run settings describe the area, the policy and "
        "the run, and are never drawn either.",
    ]


def scenario_reference() -> str:
    """The whole of ``docs/scenario-reference.md``: every key path of a scenario file."""
    out = [
        "# Scenario reference",
        "",
        f"<!-- Generated from sim/scenario/schema.py by `{REGENERATE}`; do not edit. -->",
        "",
        "Every key a scenario file may set, with its type, allowed range or values, default,",
        "unit, source and meaning. A key path names a key inside its blocks:",
        "`partnership.leadership.style` is `style` inside `leadership` inside `partnership`;",
        "`agencies[].power` is the `power` key of each entry of the `agencies` list. Ranges",
        "are intervals: `[0, 1]` includes both ends, `(0, ∞)` excludes 0. An unknown key is an",
        "error. A constant (every mechanism constant under `dynamics`, the staff's tie",
        "counts, the regime thresholds, and how each issue responds to work) also has a",
        "plausible range: the values its source supports (for an assumption, the judgement",
        "its source states), within the allowed range; sensitivity analysis and the draws of",
        "the `uncertainty` block sample it there (see `uncertainty` below). The model's step",
        "order and the meaning of the mechanism constants are in `docs/odd.md`.",
    ]
    all_rows = {r.path: r for r in key_rows(Scenario)}
    top: list[Row] = []
    sections: list[str] = []
    for name, field in Scenario.model_fields.items():
        nested = _model_of(field.annotation)
        if nested is None:
            top.append(all_rows[name])
        if nested is not None:
            sections += [f"## `{name}`", "", _doc_line(nested), ""]
            blocks = {k: _model_of(f.annotation) for k, f in nested.model_fields.items()}
            if all(blocks.values()):  # a block of blocks (dynamics): one table per block
                for sub, cls in blocks.items():
                    assert cls is not None
                    path = f"{name}.{sub}"
                    sections += [f"### `{path}`", "", _doc_line(cls), ""]
                    sections += [parameter_table(cls, path), ""]
            else:
                sections += [parameter_table(nested, name), ""]
            if name == "uncertainty":
                sections += [*uncertainty_text(), ""]
        elif get_origin(field.annotation) is list:
            item = _model_of(get_args(field.annotation)[0])
            sections += [f"## `{name}[]`", "", field.description or "", ""]
            if item is not None:
                sections += [parameter_table(item, f"{name}[]"), ""]
            else:
                sections += [interventions_tables(), ""]
    out += ["", "## Top level", "", rows_table(top), ""]
    return "\n".join(out + sections).rstrip() + "\n"


# -- outputs, steps, streams and constants --------------------------------------------------
def _scan(pattern: str) -> dict[str, list[str]]:
    """Names matched by ``pattern`` in the source of ``sim.core``, and the modules using each."""
    found: dict[str, list[str]] = {}
    for module in core_modules():
        matches = re.findall(pattern, inspect.getsource(module))
        names = [m if isinstance(m, str) else next(g for g in m if g) for m in matches]
        for name in dict.fromkeys(names):
            found.setdefault(name, []).append(module_path(module))
    return found


def outputs_table() -> str:
    """Every column of a run's table: recorded outputs, then derived columns."""
    probe = {k: np.zeros(1) for k in regimes.SERIES}
    missing = set(regimes.classify(probe, Regimes())) - {"regime_code"} - set(DERIVED)
    if missing:
        raise ValueError(f"sim/reference.py: derived columns {sorted(missing)} need a meaning")
    # recorded by name in Python, or assigned to the output row ``r`` in a kernel
    by = _scan(r"\brecord\(\s*\"(\w+)\"|\br\.(\w+)\s*=[^=]")
    rows = [
        [f"`{name}`", unit, meaning, ", ".join(f"`{p}`" for p in by.get(name, [])) or "—"]
        for name, (unit, meaning) in record.OUTPUTS.items()
    ]
    rows += [[f"`{n}`", unit, text, f"`{path}`"] for n, (unit, path, text) in DERIVED.items()]
    return markdown_table(["column", "unit", "meaning", "recorded by"], rows)


def step_table() -> str:
    """The numbered step table of ``sim/core/model.py``'s docstring, verbatim."""
    lines = (model.__doc__ or "").splitlines()
    rules = [k for k, line in enumerate(lines) if line.startswith("==")]
    if len(rules) < 2:
        raise ValueError("sim/core/model.py: no step table found in the module docstring")
    return "```text\n" + "\n".join(lines[rules[0] : rules[-1] + 1]) + "\n```"


def regime_rules() -> str:
    """The regime rules of ``sim/core/regimes.py``'s docstring (from "Rules"), verbatim."""
    doc = regimes.__doc__ or ""
    if "Rules" not in doc:
        raise ValueError("sim/core/regimes.py: no 'Rules' paragraph in the module docstring")
    return "```text\n" + doc[doc.index("Rules") :].strip() + "\n```"


def streams_table() -> str:
    """Every named random stream and the modules that draw from it."""
    # by name in Python, or as the world's field ``rng_<name>`` in a kernel (not its set-up)
    users_of = _scan(r"streams\[\"(\w+)\"\]|\bw\.rng_(\w+)\b(?!\s*=[^=])")
    rows = [[f"`{n}`", ", ".join(f"`{p}`" for p in ps)] for n, ps in users_of.items()]
    return markdown_table(["stream", "drawn in"], rows)


def constants(module: types.ModuleType) -> list[tuple[str, float, str]]:
    """Module-level UPPER_CASE numeric constants of ``module``: (name, value, comment)."""
    source = inspect.getsource(module)
    lines = source.splitlines()
    found = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.Assign):
            continue
        names = []
        for target in node.targets:
            elts = target.elts if isinstance(target, ast.Tuple) else [target]
            names += [e.id for e in elts if isinstance(e, ast.Name)]
        line = lines[(node.end_lineno or node.lineno) - 1]
        comment = line.split("  # ", 1)[1].strip() if "  # " in line else ""
        for name in names:
            value = getattr(module, name, None)
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if name.isupper() and numeric:
                found.append((name, value, comment))
    return found


def constants_table(modules: Sequence[types.ModuleType]) -> str:
    """Fixed assumptions: numeric module constants of ``modules`` (no scenario key), or a
    sentence saying there are none."""
    rows = [
        [f"`{name}`", _num(value), comment or "—", f"`{module_path(m)}`"]
        for m in modules
        for name, value, comment in constants(m)
    ]
    if not rows:
        paths = " and ".join(f"`{module_path(m)}`" for m in modules)
        return (
            f"None: {paths} {'defines' if len(modules) == 1 else 'define'} no numeric module "
            "constant; the values used are scenario keys."
        )
    return markdown_table(["constant", "value", "meaning (from the code)", "module"], rows)


def reads(module: types.ModuleType) -> list[str]:
    """The key paths listed after ``Reads:`` in a mechanism module's docstring."""
    match = re.search(r"Reads:(.*?)(?:\.\s|Owns:|$)", module.__doc__ or "", re.S)
    return re.findall(r"``([^`]+)``", match.group(1)) if match else []


def resolve(patterns: Sequence[str], origin: str) -> list[Row]:
    """Schema rows for key paths or ``*`` patterns; a list key may be written ``name[]``."""
    rows = key_rows(Scenario)
    by_path = {r.path: r for r in rows}
    out: list[Row] = []
    for pattern in patterns:
        if "*" in pattern:
            hits = [r for r in rows if fnmatch.fnmatchcase(r.path, pattern)]
        else:
            key = pattern if pattern in by_path else pattern.removesuffix("[]")
            hits = [by_path[key]] if key in by_path else []
        if not hits:
            raise ValueError(f"{origin}: `{pattern}` is not a key of the scenario schema")
        out += [r for r in hits if r not in out]
    return out


MECHANISM_COLUMNS = ("key path", "default", "plausible", "allowed", "unit", "source", "meaning")


def mechanism_section(module: types.ModuleType) -> str:
    """Parameters a mechanism module reads (its docstring's ``Reads:``) and its constants."""
    rows = resolve(reads(module), f"{module_path(module)} Reads")
    parts = [
        f"Parameters read (the *Reads* list of `{module_path(module)}`):",
        rows_table(rows, MECHANISM_COLUMNS),
    ]
    if constants(module):
        parts += ["Fixed assumptions (module constants, not scenario keys):"]
        parts += [constants_table([module])]
    return "\n\n".join(parts)


def odd_sections() -> dict[str, Callable[[], str]]:
    """The generated sections of ``docs/odd.md``, by marker name."""
    sections: dict[str, Callable[[], str]] = {
        "step-table": step_table,
        "outputs": outputs_table,
        "streams": streams_table,
        "regime-rules": regime_rules,
        "initial-constants": lambda: constants_table([model, network]),
    }
    for block in (*LEVER_BLOCKS, "regimes"):
        cls = _model_of(Scenario.model_fields[block].annotation)
        assert cls is not None
        sections[f"levers-{block}"] = lambda c=cls, b=block: parameter_table(c, b)
    for module in mechanisms():
        name = module.__name__.rsplit(".", 1)[1]
        sections[f"mechanism-{name}"] = lambda m=module: mechanism_section(m)
    return sections


MARKER = re.compile(
    r"(?P<begin><!-- BEGIN GENERATED: (?P<name>[\w-]+) -->\n)(?P<body>.*?)"
    r"(?P<end><!-- END GENERATED: (?P=name) -->)",
    re.S,
)


def render_odd(text: str) -> str:
    """``text`` (the ODD document) with every generated section regenerated."""
    sections = odd_sections()
    seen: list[str] = []

    def fill(match: re.Match[str]) -> str:
        name = match["name"]
        if name not in sections:
            raise ValueError(
                f"docs/odd.md: unknown generated section '{name}'; known: {sorted(sections)}"
            )
        seen.append(name)
        return f"{match['begin']}\n{sections[name]().rstrip()}\n\n{match['end']}"

    result = MARKER.sub(fill, text)
    if text.count("<!-- BEGIN GENERATED:") != len(seen):
        raise ValueError("docs/odd.md: a BEGIN GENERATED marker has no matching END marker")
    missing = sorted(set(sections) - set(seen))
    if missing:
        raise ValueError(f"docs/odd.md: generated sections missing: {missing}")
    return result


# -- command line ---------------------------------------------------------------------------
def expected(docs: Path = DOCS) -> dict[Path, str]:
    """What each generated document under ``docs`` should contain."""
    from sim.cli.reference import cli_reference

    odd = docs / "odd.md"
    return {
        docs / "scenario-reference.md": scenario_reference(),
        docs / "cli-reference.md": cli_reference(),
        odd: render_odd(odd.read_text(encoding="utf-8")),
    }


def _stale(wanted: dict[Path, str]) -> list[Path]:
    return [
        p for p, text in wanted.items() if not p.exists() or p.read_text(encoding="utf-8") != text
    ]


def out_of_date(docs: Path = DOCS) -> list[Path]:
    """Documents under ``docs`` that differ from what the code generates."""
    return _stale(expected(docs))


def _show(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Regenerate the reference documents, or (``--check``) report the out-of-date ones."""
    parser = argparse.ArgumentParser(prog=REGENERATE, description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    parser.add_argument("--docs", type=Path, default=DOCS, help="the docs folder")
    args = parser.parse_args(argv)
    try:
        wanted = expected(args.docs)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stale = _stale(wanted)
    if args.check:
        for path in stale:
            print(f"{_show(path)} is out of date with the code; run `{REGENERATE}`")
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {_show(path)}")
    if not stale:
        print("reference documents are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
