"""Load a scenario file: safe YAML, ``extends:`` chains, strict validation, clear errors.

Every problem is reported as one :class:`Problem` naming the file, the key path, what is
wrong and what is allowed. Nothing here writes files.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from sim.scenario import horizon
from sim.scenario.interventions import ACTIONS, CUT_AT_HORIZON
from sim.scenario.schema import Scenario


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a scenario, ready to print on one line."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.path}: " if self.path else f"{self.file}: "
        return where + self.message


class ScenarioError(Exception):
    """A scenario that cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _StrictLoader(yaml.SafeLoader):
    """Safe YAML loader that rejects duplicate keys instead of keeping the last."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in mapping:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key '{key}'", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _read_yaml(path: Path) -> dict[str, Any]:
    name = str(path)
    if not path.exists():
        raise ScenarioError([Problem(name, "", "file not found")])
    if path.is_dir():
        raise ScenarioError([Problem(name, "", "is a directory; expected a scenario .yaml file")])
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError([Problem(name, "", f"cannot be read: {exc}")]) from None
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        what = exc.problem or str(exc)
        raise ScenarioError([Problem(name, "", f"invalid YAML at {line}{what}")]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(name, "", f"invalid YAML: {exc}")]) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(
            [Problem(name, "", f"top level is a {type(data).__name__}; expected a mapping of keys")]
        )
    return data


def _merge(base: dict, over: dict, origin: dict[str, str], file: str, prefix: str = "") -> dict:
    """Deep-merge ``over`` into a copy of ``base``; lists are replaced whole."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value, origin, file, path + ".")
        else:
            out[key] = copy.deepcopy(value)
            for known in [k for k in origin if k == path or k.startswith(path + ".")]:
                del origin[known]
            origin[path] = file
    return out


def _record_origin(data: dict, origin: dict[str, str], file: str, prefix: str = "") -> None:
    for key, value in data.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            _record_origin(value, origin, file, path + ".")
        else:
            origin[path] = file


def _resolve_chain(path: Path, seen: tuple[Path, ...]) -> tuple[dict, dict[str, str]]:
    """Read ``path`` and everything it extends; return merged data and key origins."""
    real = path.resolve()
    if real in seen:
        cycle = " -> ".join(str(p) for p in (*seen, real))
        raise ScenarioError([Problem(str(path), "extends", f"circular extends: {cycle}")])
    data = _read_yaml(path)
    parent = data.pop("extends", None)
    if parent is None:
        origin: dict[str, str] = {}
        _record_origin(data, origin, str(path))
        return data, origin
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError(
            [Problem(str(path), "extends", f"expected a file path, got {parent!r}")]
        )
    parent_path = Path(parent)
    if not parent_path.is_absolute():
        parent_path = path.parent / parent_path
    if not parent_path.exists():
        raise ScenarioError(
            [Problem(str(path), "extends", f"extended file not found: {parent_path}")]
        )
    base, origin = _resolve_chain(parent_path, (*seen, real))
    base.pop("name", None)  # a what-if is named after its own file unless it says otherwise
    base.pop("description", None)
    origin = {k: v for k, v in origin.items() if k not in ("name", "description")}
    return _merge(base, data, origin, str(path)), origin


def _loc_to_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in ACTIONS and out.endswith("]"):
            continue  # the discriminator tag pydantic adds for tagged unions
        else:
            out += ("." if out else "") + str(part)
    return out


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The schema class that owns the mapping at ``loc`` (used to list valid keys)."""
    from sim.scenario import interventions as iv

    model: Any = Scenario
    for part in loc:
        if isinstance(part, int):
            continue
        if part in ACTIONS:
            model = {
                "reorganise": iv.Reorganise,
                "set": iv.SetLevers,
                "leader_leaves": iv.LeaderLeaves,
                "champion_leaves": iv.ChampionLeaves,
                "dissolve": iv.Dissolve,
            }[part]
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return model
        ann = field.annotation
        args = getattr(ann, "__args__", ())
        candidates = [ann, *args]
        model = next(
            (c for c in candidates if isinstance(c, type) and issubclass(c, BaseModel)), None
        )
        if model is None and part == "interventions":
            model = iv.SetLevers
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _valid_keys(model: type[BaseModel]) -> list[str]:
    return [f.alias or name for name, f in model.model_fields.items()]


def _describe(err: dict[str, Any]) -> str:
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx", {})
    loc = tuple(err["loc"])
    if kind == "extra_forbidden":
        owner = _model_at(loc[:-1])
        keys = ", ".join(_valid_keys(owner)) if owner else "see docs/scenario-reference.md"
        return f"unknown key '{loc[-1]}'; valid keys: {keys}"
    if kind == "missing":
        return "required key is missing"
    if kind == "literal_error":
        return f"{value!r} is not allowed; allowed: {ctx.get('expected', '')}"
    if kind == "enum":
        return f"{value!r} is not allowed; allowed: {ctx.get('expected', '')}"
    if kind == "union_tag_invalid":
        return f"unknown action {ctx.get('tag')!r}; allowed: " + ", ".join(repr(a) for a in ACTIONS)
    if kind == "union_tag_not_found":
        return "missing 'action'; allowed: " + ", ".join(repr(a) for a in ACTIONS)
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = {
            "greater_than_equal": ">=",
            "less_than_equal": "<=",
            "greater_than": ">",
            "less_than": "<",
        }[kind]
        limit = next(iter(ctx.values()), "")
        return f"{value!r} is out of range; allowed: {bound} {limit}"
    if kind in (
        "float_type",
        "int_type",
        "bool_type",
        "string_type",
        "dict_type",
        "list_type",
        "model_type",
        "int_from_float",
        "float_parsing",
        "int_parsing",
    ):
        expected = {
            "float_type": "a number",
            "int_type": "a whole number",
            "int_from_float": "a whole number",
            "bool_type": "true or false",
            "string_type": "text",
            "dict_type": "a mapping",
            "list_type": "a list",
            "model_type": "a mapping of keys",
            "float_parsing": "a number",
            "int_parsing": "a whole number",
        }[kind]
        return f"{value!r} is not {expected}; allowed: {expected}"
    if kind == "too_short":
        return f"too few entries; allowed: at least {ctx.get('min_length')}"
    msg = err["msg"]
    return msg.removeprefix("Value error, ")


def _problems_from(exc: ValidationError, origin: dict[str, str], default_file: str) -> list:
    problems: list[Problem] = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = _loc_to_path(loc)
        text = _describe(err)
        if (not path and "\n" in text) or (": " in text and not path):
            # cross-field checks report 'key.path: message' lines of their own
            for line in text.splitlines():
                sub, _, msg = line.partition(": ")
                problems.append(Problem(_file_for(sub, origin, default_file), sub, msg))
            continue
        problems.append(Problem(_file_for(path, origin, default_file), path, text))
    return problems


def _file_for(path: str, origin: dict[str, str], default_file: str) -> str:
    """The file that set ``path`` (or its nearest set ancestor)."""
    probe = path.split("[")[0]
    while probe:
        if probe in origin:
            return origin[probe]
        probe = probe.rpartition(".")[0]
    top = path.split("[")[0].split(".")[0]
    hits = {f for k, f in origin.items() if k.split(".")[0] == top}
    return hits.pop() if len(hits) == 1 else default_file


def read_yaml(path: str | Path) -> dict[str, Any]:
    """Read a YAML mapping safely (duplicate keys are errors); bad input: ScenarioError."""
    return _read_yaml(Path(path))


def load_scenario(
    path: str | Path,
    overrides: dict[str, Any] | None = None,
    notices: list[str] | None = None,
) -> Scenario:
    """Read, resolve and validate a scenario file.

    ``overrides`` maps top-level or dotted key paths to values (e.g. from CLI options)
    and is applied after ``extends`` resolution. Raises :class:`ScenarioError` listing
    every problem; never raises anything else for bad input.

    ``notices``: pass a list when ``months`` in ``overrides`` is the command line's
    ``--months``; interventions past that horizon are then cut or dropped
    (:mod:`sim.scenario.horizon`) and a one-line notice for each is appended to it.
    Without it, as with a horizon set in a file, they are errors.
    """
    path = Path(path)
    data, origin = _resolve_chain(path, ())
    data.setdefault("name", path.stem)
    for key, value in (overrides or {}).items():
        node = data
        parts = key.split(".")
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
        origin[key] = "command line"
    context = horizon.validation_context(overrides, notices)
    try:
        scenario = Scenario.model_validate(data, context=context)
    except ValidationError as exc:
        raise ScenarioError(_problems_from(exc, origin, str(path))) from None
    if notices is None or not context[CUT_AT_HORIZON]:
        return scenario
    return horizon.fit(scenario, origin.get("interventions", str(path)), notices)


def scenario_hash(scenario: Scenario) -> str:
    """Stable SHA-256 of the resolved scenario (independent of file layout and order)."""
    text = json.dumps(scenario.model_dump(mode="json", by_alias=True), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()
