"""Change public levers of a resolved scenario by key path, re-validating the result."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

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


def apply_changes[M: BaseModel](scenario: M, changes: dict[str, Any]) -> M:
    """Return a copy of ``scenario`` with ``changes`` (key path -> value) applied.

    Raises ``ValueError`` naming the key path and what is allowed when a path is not a
    lever or a value is out of its type or range.
    """
    allowed = lever_paths(scenario)
    data = scenario.model_dump(by_alias=True)
    for path, value in changes.items():
        if path not in allowed:
            raise ValueError(f"{path}: not a lever; allowed: {', '.join(allowed)}")
        node = data
        parts = path.split(".")
        for part in parts[:-1]:
            node = node[part]
        node[parts[-1]] = value
    update = {}
    for block in {path.split(".")[0] for path in changes}:
        model = type(getattr(scenario, block))
        try:
            update[block] = model.model_validate(data[block])
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            where = ".".join([block, *(str(p) for p in err["loc"])])
            raise ValueError(f"{where}: {err['msg']} (got {err.get('input')!r})") from None
    return scenario.model_copy(update=update)
