"""Change public levers of a resolved scenario by key path, re-validating the result."""

from __future__ import annotations

import difflib
from typing import Any

from pydantic import BaseModel, ValidationError

from sim.limits import MAX_ECHO_CHARS
from sim.scenario.messages import describe, field_of

LEVER_BLOCKS = ("environment", "partnership", "staff")


def lever_paths(scenario: BaseModel) -> list[str]:
    """Every key path a ``set`` intervention may change (leaves under the lever blocks)."""
    out: list[str] = []

    def walk(model: BaseModel, prefix: str) -> None:
        for name in type(model).model_fields:
            value = getattr(model, name)
            if isinstance(value, BaseModel):
                walk(value, f"{prefix}{name}.")
            else:
                out.append(f"{prefix}{name}")

    for block in LEVER_BLOCKS:
        walk(getattr(scenario, block), f"{block}.")
    return out


def _echo(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_ECHO_CHARS else text[: MAX_ECHO_CHARS - 3] + "..."


def _not_a_lever(path: str, allowed: list[str]) -> str:
    """Why ``path`` is refused: a close lever if there is one, the levers of its block."""
    close = difflib.get_close_matches(path, allowed, n=1)
    hint = f"did you mean {close[0]}? " if close else ""
    block = path.split(".")[0]
    same = [p for p in allowed if p.startswith(block + ".")]
    if same:
        return f"{path}: not a lever; {hint}allowed under {block}: {', '.join(same)}"
    blocks = ", ".join(f"{b}." for b in LEVER_BLOCKS[:-1]) + f" or {LEVER_BLOCKS[-1]}."
    return f"{path}: not a lever; {hint}a lever path starts with {blocks}"


def _validated(
    scenario: BaseModel, changes: dict[str, Any]
) -> tuple[dict[str, BaseModel], list[str]]:
    """The lever blocks with ``changes`` applied, and every problem (``path: message``)."""
    allowed = lever_paths(scenario)
    problems = [_not_a_lever(path, allowed) for path in changes if path not in allowed]
    good = {path: value for path, value in changes.items() if path in allowed}
    data = scenario.model_dump(by_alias=True)
    for path, value in good.items():
        node = data
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    update: dict[str, BaseModel] = {}
    for block in LEVER_BLOCKS:  # in a fixed order, so the problems are too
        if not any(path.split(".")[0] == block for path in good):
            continue
        model = type(getattr(scenario, block))
        try:
            update[block] = model.model_validate(data[block])
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                where = ".".join([block, *(str(p) for p in err["loc"])])
                said = describe(err, field_of(model, err["loc"]))
                said = said or f"{err['msg']} (got {_echo(err.get('input'))})"
                problems.append(f"{where}: {said}")
    return update, problems


def change_problems(scenario: BaseModel, changes: dict[str, Any]) -> list[str]:
    """Everything wrong with ``changes`` (key path -> value) on ``scenario``, one
    ``path: message`` line per problem: each path that is not a lever (with the levers
    allowed), then each value out of its type or range. Empty when all are good."""
    return _validated(scenario, changes)[1]


def apply_changes[M: BaseModel](scenario: M, changes: dict[str, Any]) -> M:
    """Return a copy of ``scenario`` with ``changes`` (key path -> value) applied.

    Raises ``ValueError`` when any path is not a lever or any value is out of its type or
    range; its message is every problem of :func:`change_problems`, joined by ``"; "`` on
    one line.
    """
    update, problems = _validated(scenario, changes)
    if problems:
        raise ValueError("; ".join(problems))
    return scenario.model_copy(update=update)
