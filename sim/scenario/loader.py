"""Load a scenario file: safe YAML, ``extends:`` chains, strict validation, clear errors.

Every problem is reported as one :class:`Problem` naming the file, the key path, what is
wrong and what is allowed. Files are read by :mod:`sim.scenario.yamlfile` (regular files
of bounded size, bounded YAML); values are worded by :mod:`sim.scenario.messages`. Every
file of a chain is refused as a whole if it is not a scenario (most of its top-level keys
unknown: its keys are not listed), and for any NaN or infinity in it. Nothing here
writes files.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from sim import limits
from sim.scenario import horizon
from sim.scenario.interventions import ACTIONS, CUT_AT_HORIZON
from sim.scenario.messages import describe, non_finite
from sim.scenario.problems import Problem, ScenarioError, excerpt, short_key, short_path
from sim.scenario.schema import Scenario
from sim.scenario.yamlfile import UnreadableFile
from sim.scenario.yamlfile import read_yaml as _read_yaml

__all__ = ["Problem", "ScenarioError", "load_scenario", "read_yaml", "scenario_hash"]


_TOP_KEYS = frozenset({f.alias or n for n, f in Scenario.model_fields.items()} | {"extends"})


def _check_scenario_data(data: dict, name: str) -> None:
    """Refuse a file that is not a scenario, and any NaN or infinity in it.

    A file most of whose top-level keys (at least two) are not scenario keys is refused
    as a whole, without listing them: its keys may be the lines of any text file (an
    ``extends: /etc/shadow``). Raises :class:`UnreadableFile` for that (so an ``extends``
    reports it) and :class:`ScenarioError` naming each non-finite number's key path.
    """
    unknown = sum(key not in _TOP_KEYS for key in data)
    if unknown >= 2 and unknown > len(data) - unknown:
        raise UnreadableFile(
            name,
            f"is not a scenario file: {unknown} of its {len(data)} top-level keys are not "
            "scenario keys; expected a scenario .yaml file (keys: docs/scenario-reference.md)",
        )
    bad = [Problem(name, path, message) for path, message in non_finite(data)]
    if bad:
        raise ScenarioError(bad)


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
    try:
        real = path.resolve()
    except (OSError, ValueError, RuntimeError):
        real = path.absolute()
    if real in seen:
        cycle = " -> ".join(str(p) for p in (*seen, real))
        raise ScenarioError([Problem(str(path), "extends", f"circular extends: {cycle}")])
    data = _read_yaml(path)
    _check_scenario_data(data, str(path))
    parent = data.pop("extends", None)
    if parent is None:
        origin: dict[str, str] = {}
        _record_origin(data, origin, str(path))
        return data, origin
    if not isinstance(parent, str) or not parent.strip():
        raise ScenarioError(
            [Problem(str(path), "extends", f"expected a file path, got {excerpt(parent)}")]
        )
    if len(seen) + 2 > limits.MAX_EXTENDS_CHAIN:
        chain = limits.MAX_EXTENDS_CHAIN
        problem = (
            f"the extends chain is longer than {chain} files; allowed: at most {chain} "
            "(sim.limits.MAX_EXTENDS_CHAIN)"
        )
        raise ScenarioError([Problem(str(path), "extends", problem)])
    parent_path = Path(parent)
    if not parent_path.is_absolute():
        parent_path = path.parent / parent_path
    try:
        base, origin = _resolve_chain(parent_path, (*seen, real))
    except UnreadableFile as exc:  # the extended file itself: say which file named it
        if exc.reason == "file not found":
            where = (
                ""
                if Path(parent).is_absolute()
                else " (a relative path is read from the folder of the file that extends it)"
            )
            problem = f"extended file not found: looked for {short_path(parent_path)}{where}"
        else:
            problem = f"{short_path(parent_path)}: {exc.reason}"
        raise ScenarioError([Problem(str(path), "extends", problem)]) from None
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
            out += ("." if out else "") + short_key(part)
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


def _field_at(loc: tuple[Any, ...]) -> Any:
    """The schema field at ``loc`` (for its declared range), or ``None``."""
    owner = _model_at(loc[:-1]) if loc and isinstance(loc[-1], str) else None
    if owner is None:
        return None
    return next((f for n, f in owner.model_fields.items() if loc[-1] in (n, f.alias)), None)


def _describe(err: dict[str, Any]) -> str:
    kind = err["type"]
    ctx = err.get("ctx", {})
    loc = tuple(err["loc"])
    if kind == "extra_forbidden":
        owner = _model_at(loc[:-1])
        keys = ", ".join(_valid_keys(owner)) if owner else "see docs/scenario-reference.md"
        return f"unknown key {excerpt(str(loc[-1]))}; valid keys: {keys}"
    if kind == "missing":
        return "required key is missing"
    if kind == "union_tag_invalid":
        tag = excerpt(ctx.get("tag"))
        return f"unknown action {tag}; allowed: " + ", ".join(repr(a) for a in ACTIONS)
    if kind == "union_tag_not_found":
        return "missing 'action'; allowed: " + ", ".join(repr(a) for a in ACTIONS)
    described = describe(err, _field_at(loc))
    if described is not None:
        return described
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
        for k, part in enumerate(parts[:-1]):
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                where = ".".join(parts[: k + 1])
                raise ScenarioError(
                    [Problem(str(path), key, f"{where} is a value, not a block of keys")]
                )
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
