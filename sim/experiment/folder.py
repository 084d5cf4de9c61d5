"""Results folders: what kind of result a folder holds, who is writing it, and whether it is
complete.

Every command that writes a results folder (``run``, ``compare``, ``sweep``, ``patterns``,
``robustness``) and every command that reads one (``report``, ``export``, ``analyse``) goes
through this module, so that a folder can never claim to be something it is not.

Kinds
    :data:`KINDS` = ``("run", "compare", "sweep", "patterns", "robustness")``. Every
    ``manifest.json`` carries ``"kind": <kind>``. :func:`kind_of` reads it, or infers it for
    folders written before the field existed (sweep: ``sweep_hash`` in the manifest or a
    ``parts/`` folder; compare: ``comparison.json``; robustness: ``robustness.json``; run:
    ``timeseries.parquet`` and ``summary.json``; patterns: ``patterns.json``); ``None`` for
    an absent or empty folder, or one that holds none of these.

Writers::

    with claim(out, "run", command="partnersim run baseline.yaml"):
        ...                       # long work; the folder is locked, the old result intact
        begin(out, remove=["timeseries.parquet", "figures/*.png"])
        ...                       # write the data files (atomically, one by one)
        finish(out, {"kind": "run", ...})   # manifest last, "complete": true

:func:`claim` refuses (:class:`ScenarioError`, exit 2) an unsafe destination
(:func:`check_destination`), a path that is a file, and a folder holding another kind of
result; it creates the folder and takes the lock file ``.partnersim.lock`` (PID, host,
command, start time; created with ``O_CREAT | O_EXCL``). A folder locked by another live
process is refused, naming its PID; a lock left by a dead process on this host is taken
over with a notice on stderr. The lock is released when the block ends, also on an
exception or Ctrl-C. An ``OSError`` inside the block becomes a :class:`ScenarioError`
naming the file and the reason. :func:`begin` marks the folder incomplete (its manifest
rewritten with ``"complete": false``, or removed if unreadable) and removes the listed old
outputs, before anything is rewritten; :func:`finish` writes the manifest last,
atomically. Between :func:`begin` and :func:`finish` the folder never has a manifest that
says ``complete: true``, so an interrupted or failed write cannot lie.

Readers::

    manifest = read_manifest(folder, ("run", "compare"))

:func:`read_manifest` checks that the folder exists and is a folder, that no live process
holds its lock, that ``manifest.json`` is present, readable JSON and a mapping, that
``complete`` is exactly ``true`` (not ``"no"``, not ``1``) and that the folder's kind is
one of those asked for. Every failure is a :class:`ScenarioError` naming the folder (or its
manifest) and what is wrong.

Folder names and refused destinations (:func:`safe_name`, :func:`check_destination`,
:func:`check_file_destination`) live in :mod:`sim.experiment.destinations`, the lock file in
:mod:`sim.experiment.lockfile`; both are re-exported here.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from sim.experiment.destinations import (
    check_destination,
    check_file_destination,
    check_parents,
    resolved,
    safe_name,
    unsafe_reason,
)
from sim.experiment.io import write_json
from sim.experiment.lockfile import LOCK, describe_holder, live_writer, take_lock
from sim.scenario.loader import Problem, ScenarioError

__all__ = [
    "KINDS",
    "LOCK",
    "MANIFEST",
    "begin",
    "check_destination",
    "check_file_destination",
    "claim",
    "finish",
    "kind_of",
    "live_writer",
    "read_manifest",
    "safe_name",
    "unsafe_reason",
]

KINDS = ("run", "compare", "sweep", "patterns", "robustness")
"""The kinds of results folder, as written in ``manifest.json`` under ``"kind"``."""

MANIFEST = "manifest.json"
LEGACY_KINDS = {"comparison": "compare"}
"""Kind names written by earlier versions, and what they mean now."""

_HELD: set[Path] = set()
"""Folders whose lock this process holds: a nested :func:`claim` of one of them re-enters."""

_NOUN = {
    "run": "run",
    "compare": "comparison",
    "sweep": "sweep",
    "patterns": "pattern report",
    "robustness": "robustness screening",
}


def _err(where: Path | str, message: str, key: str = "") -> ScenarioError:
    return ScenarioError([Problem(str(where), key, message)])


# -- kinds ----------------------------------------------------------------------------------


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _inferred(folder: Path, manifest: Any) -> tuple[str | None, str]:
    """The kind of ``folder`` and the evidence for it, in words."""
    if isinstance(manifest, dict):
        kind = manifest.get("kind")
        if isinstance(kind, str) and LEGACY_KINDS.get(kind, kind) in KINDS:
            return LEGACY_KINDS.get(kind, kind), f"manifest kind '{kind}'"
        if "sweep_hash" in manifest:
            return "sweep", "its manifest has a sweep_hash"
    if (folder / "parts").is_dir():
        return "sweep", "it has parts/"
    if (folder / "comparison.json").exists():
        return "compare", "it has comparison.json"
    if (folder / "robustness.json").exists():
        return "robustness", "it has robustness.json"
    if isinstance(manifest, dict) and "scenarios" in manifest:
        return "compare", "its manifest lists scenarios"
    if (folder / "timeseries.parquet").exists() and (folder / "summary.json").exists():
        return "run", "it has timeseries.parquet and summary.json"
    if isinstance(manifest, dict) and "scenario" in manifest:
        return "run", "its manifest holds a scenario"
    if (folder / "patterns.json").exists():
        return "patterns", "it has patterns.json"
    return None, ""


def _manifest_or_none(folder: Path) -> Any:
    try:
        return _load_json(folder / MANIFEST)
    except (OSError, ValueError):
        return None


def kind_of(folder: Path) -> str | None:
    """The kind of result ``folder`` holds (one of :data:`KINDS`), or ``None``."""
    folder = Path(folder)
    if not folder.is_dir():
        return None
    return _inferred(folder, _manifest_or_none(folder))[0]


# -- writers --------------------------------------------------------------------------------


def _refuse_other_kind(folder: Path, kind: str) -> None:
    if not folder.is_dir():
        return
    held, evidence = _inferred(folder, _manifest_or_none(folder))
    if held is not None and held != kind:
        raise _err(
            folder,
            f"holds a {_NOUN[held]} ({evidence}), not a {_NOUN[kind]}; choose another "
            "--out or delete it",
            "--out",
        )


@contextlib.contextmanager
def claim(folder: Path, kind: str, *, command: str) -> Iterator[Path]:
    """Make ``folder`` this process's ``kind`` results folder for the ``with`` block.

    Refuses (:class:`ScenarioError`) an unsafe destination, a path that exists and is not
    a folder, a folder holding another kind of result, and a folder locked by another live
    process; creates the folder and holds its lock until the block ends (also on an
    exception or Ctrl-C). A claim nested in another claim of the same folder by this
    process re-enters it (the outer one releases the lock). ``OSError`` raised in the
    block becomes a :class:`ScenarioError`. Yields ``folder``.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}; got {kind!r}")
    folder = Path(folder)
    check_destination(folder)
    if folder.exists() and not folder.is_dir():
        raise _err(folder, "exists and is not a folder", "--out")
    check_parents(folder, "--out")
    _refuse_other_kind(folder, kind)
    key = resolved(folder)
    if key in _HELD:  # this process already holds it (a writer inside a command's claim)
        yield folder
        return
    created = [p for p in (folder, *folder.parents) if not p.exists()]
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = take_lock(folder, command)
    except OSError as exc:
        _remove_empty(created)
        raise _os_error(folder, exc) from None
    except BaseException:
        _remove_empty(created)
        raise
    _HELD.add(key)
    try:
        _refuse_other_kind(folder, kind)  # again, now that no one else can write it
        yield folder
    except OSError as exc:
        raise _os_error(folder, exc) from None
    finally:
        _HELD.discard(key)
        with contextlib.suppress(OSError):
            lock.unlink()
        _remove_empty(created)  # a job refused before it wrote anything leaves no trace


def _remove_empty(folders: Sequence[Path]) -> None:
    """Remove the folders (deepest first) that are empty."""
    for path in folders:
        try:
            path.rmdir()
        except OSError:
            return


def _os_error(folder: Path, exc: OSError) -> ScenarioError:
    where = exc.filename if exc.filename else folder
    reason = exc.strerror or type(exc).__name__
    return _err(where, f"cannot write: {reason}")


def begin(folder: Path, remove: Sequence[str] = ()) -> None:
    """Mark ``folder`` incomplete before anything in it is rewritten.

    A readable manifest is rewritten with ``"complete": false`` (its other fields kept, so
    that a sweep can still be resumed); an unreadable one is removed. Then every file
    matching the glob patterns ``remove`` (relative to ``folder``) is deleted: the old
    outputs of this kind that the new write might not replace.
    """
    folder = Path(folder)
    path = folder / MANIFEST
    old = _manifest_or_none(folder)
    if isinstance(old, dict):
        write_json(path, {**old, "complete": False})
    else:
        path.unlink(missing_ok=True)
    for pattern in remove:
        for stale in folder.glob(pattern):
            if stale.is_file() or stale.is_symlink():
                stale.unlink()


def finish(folder: Path, manifest: dict[str, Any]) -> None:
    """Write ``manifest`` (which must carry ``"kind"``, one of :data:`KINDS`) as
    ``folder/manifest.json`` with ``"complete": true``, atomically; call it last."""
    if manifest.get("kind") not in KINDS:
        raise ValueError(f"a manifest's kind must be one of {KINDS}; got {manifest.get('kind')!r}")
    write_json(Path(folder) / MANIFEST, {**manifest, "complete": True})


# -- readers --------------------------------------------------------------------------------


READ_WITH = {
    "run": "read it with partnersim report or partnersim export",
    "compare": "read it with partnersim report or partnersim export",
    "sweep": "read it with partnersim analyse or partnersim export",
    "patterns": "open its patterns.html",
    "robustness": "open its robustness.csv and figures/robustness.png",
}
"""What reads each kind of results folder (said when a command gets the wrong kind)."""


def _names(kinds: Sequence[str]) -> str:
    nouns = [_NOUN[k] for k in kinds]
    return nouns[0] if len(nouns) == 1 else ", ".join(nouns[:-1]) + " or " + nouns[-1]


def read_manifest(folder: Path, kinds: Sequence[str]) -> dict[str, Any]:
    """The manifest of the complete results folder ``folder``, whose kind is in ``kinds``.

    Raises :class:`ScenarioError` naming the folder (or its manifest) and what is wrong:
    not a folder, being written by a live process, no manifest, unreadable or not JSON,
    not a mapping, ``complete`` not exactly ``true``, or another kind of result.
    """
    folder = Path(folder)
    where = folder / MANIFEST
    if not folder.exists():
        raise _err(folder, "no such folder")
    if not folder.is_dir():
        raise _err(folder, f"is not a folder; give a {_names(kinds)} results folder")
    writer = live_writer(folder)
    if writer is not None:
        raise _err(
            folder,
            f"is being written by {describe_holder(writer)}; wait for it to finish "
            f"(or delete {folder / LOCK} if that process is gone)",
        )
    if not where.is_file():
        raise _err(
            where,
            f"missing: not a results folder, or an interrupted or unfinished "
            f"{_names(kinds)}; run it again (a sweep: resume it)",
        )
    try:
        manifest = _load_json(where)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__
        raise _err(where, f"cannot be read as JSON ({reason}); run the job again") from None
    if not isinstance(manifest, dict):
        raise _err(where, f"expected a JSON object, found a {type(manifest).__name__}")
    complete = manifest.get("complete", None)
    if complete is not True:
        said = json.dumps(complete)[:20] if "complete" in manifest else "nothing"
        raise _err(
            where,
            f"'complete' is not true (it says {said}): an interrupted or running job; "
            "run it again, or resume a sweep",
        )
    kind, evidence = _inferred(folder, manifest)
    if kind not in kinds:
        what = f"a {_NOUN[kind]} ({evidence})" if kind else "no recognisable kind of result"
        hint = f"; {READ_WITH[kind]}" if kind in READ_WITH else ""
        raise _err(folder, f"holds {what}; expected a {_names(kinds)} results folder{hint}")
    return manifest
