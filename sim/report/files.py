"""Read the data files of a results folder with one clear error per problem.

A damaged file (truncated, empty, garbage, the wrong shape) raises :class:`ScenarioError`
naming the file and what is wrong, never a library's traceback.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim import limits
from sim.scenario.problems import one_problem

READ_ERRORS = (OSError, ValueError, TypeError, KeyError, IndexError, pa.ArrowException)
"""What pyarrow and pandas raise on a damaged file."""

MAX_REASON_CHARS = limits.MAX_ECHO_CHARS


def reason(exc: BaseException) -> str:
    """The first line of an exception's message, cut short (never a file's contents)."""
    text = str(exc).strip().splitlines()
    return (text[0][:MAX_REASON_CHARS] if text else "") or type(exc).__name__


def read_parquet(
    path: Path, required: Sequence[str] = (), numeric: Sequence[str] = ()
) -> pd.DataFrame:
    """The table in ``path``; refuses a missing or unreadable file, a missing column among
    ``required`` and a column among ``numeric`` that does not hold numbers."""
    if not path.is_file():
        raise one_problem(path, "missing")
    try:
        frame = pq.read_table(path).to_pandas()
    except READ_ERRORS as exc:
        raise one_problem(path, f"cannot be read as Parquet ({reason(exc)})") from None
    lacking = [c for c in required if c not in frame.columns]
    if lacking:
        raise one_problem(path, f"lacks column(s) {', '.join(lacking)}")
    for column in numeric:
        if column in frame.columns and not pd.api.types.is_numeric_dtype(frame[column]):
            raise one_problem(path, f"column {column} holds text, not numbers")
    return frame


def read_json_object(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; refuses a missing, unreadable or non-object file."""
    if not path.is_file():
        raise one_problem(path, "missing")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise one_problem(path, f"cannot be read as JSON ({reason(exc)})") from None
    if not isinstance(data, dict):
        raise one_problem(path, f"expected a JSON object, found a {type(data).__name__}")
    return data


def guarded(path: Path, what: str, read: Callable[[], Any]) -> Any:
    """``read()``, with a damaged file's error turned into one line about ``path``."""
    try:
        return read()
    except READ_ERRORS as exc:
        raise one_problem(path, f"cannot be read as {what} ({reason(exc)})") from None
