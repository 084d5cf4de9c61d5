"""Where results may be written: safe folder names and refused destinations.

:func:`safe_name` turns a scenario name into one path component; :func:`unsafe_reason`
says why a path must not be an output (the filesystem root, home, the project's own
folders, system folders); :func:`check_destination` and :func:`check_file_destination`
raise :class:`ScenarioError` for such paths, for a file path that is a folder and for a
path under a file.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from sim.scenario.problems import one_problem

MAX_NAME_CHARS = 60
"""Longest folder name made from a scenario name by :func:`safe_name`."""


def safe_name(name: str, max_chars: int = MAX_NAME_CHARS) -> str:
    """``name`` as one safe folder-name component.

    Runs of characters other than letters, digits, ``_``, ``.`` and ``-`` become ``_``;
    leading dots and dashes are dropped (no ``..``, no hidden or option-like names); the
    result is cut to ``max_chars`` and is never empty (``unnamed``).
    """
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name).lstrip(".-")[:max_chars]
    return safe or "unnamed"


def project_root() -> Path | None:
    """The repository this package runs from (a folder with ``pyproject.toml`` above ``sim/``)."""
    root = Path(__file__).resolve().parents[2]
    return root if (root / "pyproject.toml").is_file() else None


_PROJECT_FOLDERS = ("sim", "scenarios", "tests", "docs", "notebooks", "benchmarks", ".ci", ".git")
_NOTHING_INSIDE = (".git", "sim")
_SYSTEM = ("/proc", "/sys", "/dev")


def resolved(path: Path) -> Path:
    """``path`` made absolute with symlinks resolved (as far as they resolve)."""
    try:
        return Path(os.path.abspath(path.expanduser())).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return Path(os.path.abspath(path))


def unsafe_reason(path: Path) -> str | None:
    """Why ``path`` must not be written to as an output, or ``None`` if it may be.

    Refused: the filesystem root, the user's home, the project's own folders (repository
    root, ``sim/``, ``scenarios/``, ``tests/``, ``docs/``, ``notebooks/``, ``benchmarks/``,
    ``.ci/``, ``.git/``, and ``results/`` itself, in the repository and in the current
    folder), anything inside ``.git/`` or ``sim/``, and anything under ``/proc``, ``/sys``
    or ``/dev``.
    """
    target = resolved(path)
    if target == Path(target.anchor):
        return "is the filesystem root"
    with contextlib.suppress(RuntimeError, KeyError):
        if target == Path.home().resolve():
            return "is your home folder"
    for system in _SYSTEM:
        if target == Path(system) or Path(system) in target.parents:
            return f"is under {system}, a system folder"
    protected = {resolved(Path("results")): "the results folder itself; give a folder inside it"}
    root = project_root()
    if root is not None:
        protected[root] = "the project's own folder"
        protected[root / "results"] = "the results folder itself; give a folder inside it"
        for name in _PROJECT_FOLDERS:
            protected[root / name] = f"the project's own {name}/ folder"
        for name in _NOTHING_INSIDE:
            if (root / name) in target.parents:
                return f"is inside the project's own {name}/ folder"
    if target in protected:
        return "is " + protected[target]
    return None


def check_destination(path: Path, key: str = "--out") -> None:
    """Refuse (:class:`ScenarioError`) an output path for which :func:`unsafe_reason` holds."""
    reason = unsafe_reason(path)
    if reason:
        raise one_problem(path, f"{reason}; choose another output", key)


def check_file_destination(path: Path, key: str = "--out") -> None:
    """Refuse an output *file* path: unsafe (:func:`unsafe_reason`), an existing folder, or
    one whose parent exists and is not a folder."""
    check_destination(path, key)
    if path.is_dir():
        raise one_problem(path, "is a folder; give a file name", key)
    check_parents(path, key)


def check_parents(path: Path, key: str = "--out") -> None:
    """Refuse ``path`` when its nearest existing parent is not a folder."""
    for above in path.parents:
        if above.exists():
            if not above.is_dir():
                raise one_problem(path, f"{above} is not a folder", key)
            return
