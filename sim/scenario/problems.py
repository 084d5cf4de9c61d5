"""Problems with an input file, and how an offending value is shown in one.

A :class:`Problem` names the file, the key path, what is wrong and what is allowed; a
:class:`ScenarioError` carries every problem found and the CLI prints one per line. A
value is never echoed whole: :func:`excerpt` cuts it to
:data:`~sim.limits.MAX_ECHO_CHARS` characters and says how long it was, so that a huge
string or an expanded structure cannot flood a terminal or reveal a file.
"""

from __future__ import annotations

import math
import reprlib
from dataclasses import dataclass
from typing import Any

from sim import limits


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


def one_problem(where: object, message: str, key: str = "") -> ScenarioError:
    """A :class:`ScenarioError` with one problem about ``where`` (a file or folder)."""
    return ScenarioError([Problem(str(where), key, message)])


def cut(text: str, cap: int) -> str:
    """``text`` cut to ``cap`` characters, ending in ``...`` when cut."""
    return text if len(text) <= cap else text[: cap - 3] + "..."


def yaml_number(value: float) -> str:
    """A float as YAML writes it: ``.nan``, ``.inf`` and ``-.inf`` for the non-finite."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return repr(value)


def short_key(key: object) -> str:
    """A mapping key as text for a key path, cut to half of MAX_ECHO_CHARS."""
    return cut(str(key), limits.MAX_ECHO_CHARS // 2)


def short_path(path: object) -> str:
    """A file path as text, cut to four times MAX_ECHO_CHARS (a file's words are never
    echoed, but a real path must stay readable)."""
    return cut(str(path), 4 * limits.MAX_ECHO_CHARS)


_SHORT = reprlib.Repr(maxlevel=2, maxlist=4, maxtuple=4, maxdict=3, maxset=3)


def excerpt(value: Any) -> str:
    """``repr(value)`` in at most about :data:`~sim.limits.MAX_ECHO_CHARS` characters.

    A longer text ends with ``...`` and its full length (``'xxxx...' (300,000
    characters)``); a container shows its first entries and its size. Cost is bounded by
    the excerpt, not by the value.
    """
    cap = limits.MAX_ECHO_CHARS
    if isinstance(value, float):
        return yaml_number(value)
    if isinstance(value, str):
        if len(value) <= cap:
            text = repr(value)
            if len(text) <= cap:
                return text
        head = repr(value[: max(cap - 10, 8)])[: cap - 4]
        return f"{head}... ({len(value):,} characters)"
    if isinstance(value, (list, tuple, dict, set)):
        text = cut(_SHORT.repr(value), cap)
        return f"{text} ({len(value):,} entries)" if "..." in text else text
    try:
        text = repr(value)
    except ValueError:  # an int too long for Python to print
        return f"a {type(value).__name__} too long to print"
    if len(text) <= cap:
        return text
    return f"{text[: cap - 3]}... ({len(text):,} characters)"
