"""Checks of a sweep file beyond its schema, and its problems in words.

:func:`schema_problems` turns the schema's validation errors into one
:class:`~sim.scenario.loader.Problem` per mistake (an unknown key lists the valid keys; a
value is echoed in at most :data:`~sim.limits.MAX_ECHO_CHARS` characters; a file is never
printed). :func:`lever_problems` checks the key paths of ``fixed`` and ``parameters``
(not a lever, or both fixed and swept) and :func:`series_problems` the series a sweep
keeps. :func:`point_count` counts the design points from the spec alone, so that
:func:`check_size` can refuse a job too big before any design table is built.
"""

from __future__ import annotations

import difflib
import math
import textwrap
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ValidationError

from sim import limits
from sim.scenario.loader import Problem, ScenarioError
from sim.scenario.problems import cut
from sim.scenario.schema import Scenario

REMOVED_SERIES = {
    "joint_work_window": "regimes are now judged from what the partnership adds; keep "
    "added_value_window, ground_value_window or joint_work_share instead",
}
"""Series earlier versions recorded, and what to keep instead (named when refused)."""


def derived_series() -> tuple[str, ...]:
    """Series a run derives from the recorded ones: the measures of ``sim.core.run``
    (:data:`~sim.core.run.MEASURES`: the twins' outcomes, added value and ground value)
    and the regime columns (:data:`~sim.core.regimes.COLUMNS`)."""
    from sim.core.regimes import COLUMNS  # here: reading a sweep file need not load the model
    from sim.core.run import MEASURES

    return (*MEASURES, *COLUMNS)


UNCERTAINTY_ALLOWED = (
    "expected a whole number of draws of the model's other constants, 0 or more (got {got}); "
    "their ranges (scale, ranges, design) go in the base scenario's uncertainty: block"
)
"""The problem with a sweep file's ``uncertainty`` value, whatever is wrong with it."""

_LEVEL_TYPES = ("bool", "int", "float", "str")  # the members of a Level union
_BOUNDS = {
    "greater_than_equal": ">=",
    "less_than_equal": "<=",
    "greater_than": ">",
    "less_than": "<",
}


def short(value: Any) -> str:
    """``repr(value)`` cut to :data:`~sim.limits.MAX_ECHO_CHARS` characters."""
    return cut(repr(value), limits.MAX_ECHO_CHARS)


def cut_got(message: str) -> str:
    """A message ending in ``(got <value>)`` with the value cut to a short excerpt."""
    head, sep, got = message.partition(" (got ")
    if not sep or len(got) <= limits.MAX_ECHO_CHARS + 1:
        return message
    return f"{head} (got {got[: limits.MAX_ECHO_CHARS - 3]}...)"


# -- schema errors --------------------------------------------------------------------------


def _walk(
    root: type[BaseModel], loc: Sequence[Any], tags: dict[str, type[BaseModel]]
) -> tuple[list[str], type[BaseModel] | None]:
    """The printable key path of ``loc`` and the model in which its last key was looked up
    (``None`` when it is not a model's key)."""
    path: list[str] = []
    model: type[BaseModel] | None = root
    holder: type[BaseModel] | None = None
    k = 0
    while k < len(loc):
        part = str(loc[k])
        path.append(part)
        holder = model
        field = model.model_fields.get(part) if model is not None else None
        k += 1
        if field is None:
            model = None
            continue
        target = _model_in(field.annotation)
        if part == "design" and k < len(loc) and str(loc[k]) in tags:
            model = tags[str(loc[k])]
            k += 1  # the union's tag is not a key of the file
        elif target is not None and getattr(field.annotation, "__origin__", None) is dict:
            if k < len(loc):  # a lever's key path: not a model's key
                path.append(str(loc[k]))
                k += 1
            model = target
        else:
            model = target
    return path, holder


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside ``annotation`` (itself, ``X | None`` or ``dict[str, X]``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def schema_problems(
    exc: ValidationError, file: str, root: type[BaseModel], tags: dict[str, type[BaseModel]]
) -> list[Problem]:
    """One problem per schema error of a sweep file, unknown keys first."""
    unknown, other, seen = [], [], set()
    for err in exc.errors(include_url=False):
        loc = list(err["loc"])
        kind = err["type"]
        union_member = len(loc) > 1 and loc[-1] in _LEVEL_TYPES and loc[0] in ("fixed",)
        if union_member or (len(loc) > 3 and loc[-1] in _LEVEL_TYPES and "levels" in loc):
            loc = loc[:-1]
        path, owner = _walk(root, loc, tags)
        if kind == "extra_forbidden":
            keys = ", ".join(owner.model_fields) if owner is not None else "see the docs"
            where = ".".join(path[:-1])
            problem = Problem(file, where, f"unknown key '{path[-1]}'; valid keys: {keys}")
            if str(problem) not in seen:
                seen.add(str(problem))
                unknown.append(problem)
            continue
        where = ".".join(path)
        if path == ["uncertainty"]:
            message = UNCERTAINTY_ALLOWED.format(got=short(err.get("input")))
        else:
            message = _message(err, kind, union_member or loc != list(err["loc"]))
        problem = Problem(file, where, message)
        if str(problem) not in seen:
            seen.add(str(problem))
            other.append(problem)
    return unknown + other


def _message(err: dict[str, Any], kind: str, level: bool) -> str:
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if level:
        return f"expected a number, true/false or a name (got {short(value)})"
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        return f"unknown design kind {short(ctx.get('tag'))}; allowed: grid, lhs, sobol, morris"
    if kind == "union_tag_not_found":
        return "missing 'kind'; allowed: grid, lhs, sobol, morris"
    if kind in _BOUNDS:
        limit = next(iter(ctx.values()), "")
        return f"{short(value)} is out of range; allowed: {_BOUNDS[kind]} {limit}"
    if kind == "too_short":
        return "must not be empty"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping of keys to values (got {short(value)})"
    return f"{err['msg']} (got {short(value)})"


# -- levers and series ----------------------------------------------------------------------


def lever_hint(key: str, allowed: Sequence[str]) -> str:
    """Why ``key`` is not a lever and what would be: a close match, the levers of its
    block, or the blocks (the whole list is longer than an error line)."""
    close = difflib.get_close_matches(key, allowed, n=2, cutoff=0.8)
    if close:
        return "not a lever; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
    block = key.split(".")[0]
    mine = [p.removeprefix(block + ".") for p in allowed if p.startswith(block + ".")]
    if mine:
        return f"not a lever; levers under {block}: {', '.join(mine)}"
    blocks = sorted(
        {p.split(".")[0] for p in allowed}, key=[p.split(".")[0] for p in allowed].index
    )
    return (
        f"not a lever; levers are under {', '.join(blocks)} (listed in docs/scenario-reference.md)"
    )


def lever_problems(
    file: str, fixed: Sequence[str], swept: Sequence[str], allowed: Sequence[str]
) -> list[Problem]:
    """Key paths of ``fixed`` and ``parameters`` that are not levers, or are both."""
    problems = []
    for group, keys in (("fixed", fixed), ("parameters", swept)):
        for key in keys:
            if key not in allowed:
                problems.append(Problem(file, f"{group}.{key}", lever_hint(key, allowed)))
    for key in fixed:
        if key in swept:
            problems.append(
                Problem(
                    file,
                    f"fixed.{key}",
                    "is also swept under parameters; a lever is either fixed or swept",
                )
            )
    return problems


def series_names(scenario: Scenario) -> list[str]:
    """Every monthly series a run of ``scenario`` records, in the model's order."""
    from sim.core.record import OUTPUTS

    issues = [f"outcome_index_{name}" for name in scenario.issue_names()]
    return [*OUTPUTS, *issues, *derived_series()]


def series_problems(file: str, keys: Sequence[str] | None, scenario: Scenario) -> list[Problem]:
    """Series keys a run does not record: each named, with the valid keys (wrapped); a
    series earlier versions recorded (:data:`REMOVED_SERIES`) says what replaced it."""
    valid = series_names(scenario)
    problems = []
    for k, key in enumerate(keys or ()):
        if key in REMOVED_SERIES:
            problems.append(
                Problem(
                    file,
                    f"series.keys[{k}]",
                    f"series {key!r} is no longer recorded: {REMOVED_SERIES[key]}",
                )
            )
    removed = {p.path for p in problems}
    for k, key in enumerate(keys or ()):
        if key in valid or f"series.keys[{k}]" in removed:
            continue
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.7)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        listing = textwrap.fill(", ".join(valid), 96, initial_indent="  ", subsequent_indent="  ")
        problems.append(
            Problem(
                file,
                f"series.keys[{k}]",
                f"unknown series {short(key)}{hint} valid keys:\n{listing}",
            )
        )
        break  # one listing is enough; the other unknown keys follow on one line each
    named = {p.path for p in problems}
    for k, key in enumerate(keys or ()):
        if key not in valid and f"series.keys[{k}]" not in named:
            problems.append(Problem(file, f"series.keys[{k}]", f"unknown series {short(key)}"))
    return problems


def _gb(n: float) -> str:
    return f"{n / 1e9:,.1f} GB"


# -- job size -------------------------------------------------------------------------------


def point_count(spec: Any) -> int:
    """Design points of a sweep spec, computed from the spec alone (nothing allocated):
    grid, the product of the level counts; lhs, ``samples``; sobol (first and total
    order), ``base_samples * (k + 2)``; morris, ``trajectories * (k + 1)``."""
    design, pars = spec.design, spec.parameters
    k = len(pars)
    if design.kind == "grid":
        return math.prod(
            len(p.levels) if p.levels is not None else p.steps or 5 for p in pars.values()
        )
    if design.kind == "lhs":
        return design.samples
    if design.kind == "sobol":
        return design.base_samples * (k + 2)
    return design.trajectories * (k + 1)


def check_size(
    spec: Any, base: Scenario, file: str, *, allow_large: bool, workers: int = 1
) -> None:
    """Refuse a sweep too big to run, from its spec and base alone, before any design
    table is built (:class:`ScenarioError`, one line: the estimate and the way out).

    Two checks: :func:`sim.limits.check_job` on the runs (points x draws x replicates), months,
    staff and series kept; and the memory of the design table and the run index
    (:func:`sim.limits.sweep_index_bytes`), refused above :data:`~sim.limits.MEMORY_SHARE`
    of this machine's memory unless ``allow_large``, and above all of it always.
    """
    from sim.experiment.sweep import CHUNK_SECONDS, OUTPUTS, SERIES_DEFAULT

    points = point_count(spec)
    draws = getattr(spec, "uncertainty", 0)
    runs = points * spec.replicates * max(draws, 1)
    k = len(spec.parameters)
    what = f"{points:,} design points x " + (
        f"{draws:,} draw{'s' if draws != 1 else ''} x " if draws else ""
    )
    what += f"{spec.replicates:,} replicate{'s' if spec.replicates != 1 else ''}"
    fewer = "fewer replicates" + (" or draws (uncertainty)" if draws else "")
    hint = f"a smaller design or {fewer} (here {what})"
    index = limits.sweep_index_bytes(points, k, runs)
    machine = limits.machine_memory_bytes()
    if index > machine or (not allow_large and index > limits.MEMORY_SHARE * machine):
        lift = "" if index > machine else f", or {limits.LIFT_FLAG} to run it anyway"
        raise ScenarioError(
            [
                Problem(
                    file,
                    "design",
                    f"job too big{' for this machine' if index > machine else ''}: {what}; "
                    f"its design table and run index alone need about {_gb(index)} "
                    f"of this machine's {_gb(machine)} of memory; use a smaller design or "
                    f"{fewer}{lift}",
                )
            ]
        )
    series = spec.series
    one = limits.scenario_job(base, runs=1, series_kept=0, months_kept=0)
    chunk = max(1, math.ceil(CHUNK_SECONDS / max(one.seconds(), 1e-6)))
    size = limits.scenario_job(
        base,
        runs=runs,
        series_kept=len(series.keys or SERIES_DEFAULT) if series else 0,
        months_kept=base.months // series.every if series else 0,
        runs_in_memory=2 * max(1, workers) * chunk,
        values_per_run=len(OUTPUTS) + k + (7 if draws else 6),
    )
    limits.check_job(
        size, where=file, key="design", allow_large=allow_large, workers=workers, hint=hint
    )
