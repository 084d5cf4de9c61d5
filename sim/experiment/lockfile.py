"""The lock file of a results folder: which live process is writing it.

``.partnersim.lock`` holds the writer's PID, host, command and start time as JSON; it is
created with ``O_CREAT | O_EXCL``, so two processes cannot both take it. A lock whose
process is gone (same host, no such PID) is stale and is taken over with a notice on
stderr; a lock from another host is assumed live.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import os
import socket
import sys
import time
from pathlib import Path
from typing import Any

from sim.scenario.problems import one_problem

LOCK = ".partnersim.lock"
"""Name of the lock file inside a results folder."""

NEW_LOCK_SECONDS = 10.0
"""A lock file still empty after this long was left by a process killed while creating it."""


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    except (OSError, OverflowError, ValueError):
        return False
    return True


def _read_lock(path: Path) -> dict[str, Any] | None:
    """The lock's record, ``{}`` if unreadable, ``None`` if there is no lock."""
    try:
        data = _load_json(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _holder_is_live(path: Path, info: dict[str, Any]) -> bool:
    pid = info.get("pid")
    if not isinstance(pid, int) or isinstance(pid, bool):
        try:  # being created right now, or left by a process killed while creating it
            return time.time() - path.stat().st_mtime < NEW_LOCK_SECONDS
        except OSError:
            return False
    if info.get("host") != socket.gethostname():
        return True  # cannot tell; assume it runs
    return _alive(pid)


def describe_holder(info: dict[str, Any]) -> str:
    if "pid" not in info:
        return "another process (its lock file is being created)"
    text = f"PID {info.get('pid')} on {info.get('host', '?')}"
    command = str(info.get("command", ""))[:80]
    if command:
        text += f" ('{command}'"
        text += f", since {info['started']})" if "started" in info else ")"
    return text


def live_writer(folder: Path) -> dict[str, Any] | None:
    """The lock record of a live process writing ``folder``, or ``None``."""
    path = Path(folder) / LOCK
    info = _read_lock(path)
    if info is None or not _holder_is_live(path, info):
        return None
    return info


def take_lock(folder: Path, command: str) -> Path:
    path = folder / LOCK
    record = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "command": command,
        "started": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    for _attempt in range(3):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            info = _read_lock(path)
            if info is None:
                continue  # released meanwhile
            if _holder_is_live(path, info):
                raise one_problem(
                    folder,
                    f"is being written by {describe_holder(info)}; wait for it to finish, "
                    f"or delete {path} if that process is gone",
                    "--out",
                ) from None
            _remove_stale(path, info)
            continue
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle)
        return path
    raise one_problem(
        folder, "its lock file keeps changing; another process is claiming it", "--out"
    )


def _remove_stale(path: Path, info: dict[str, Any]) -> None:
    """Remove a dead process's lock; only if it is still that same lock (no race with a
    process that took it over meanwhile)."""
    tomb = path.with_name(f"{LOCK}.stale-{os.getpid()}")
    try:
        os.rename(path, tomb)
    except FileNotFoundError:
        return
    if _read_lock(tomb) == info:
        tomb.unlink(missing_ok=True)
        print(
            f"notice: {path.parent}: took over the lock left by {describe_holder(info)}, "
            "which is no longer running",
            file=sys.stderr,
        )
        return
    with contextlib.suppress(OSError):  # someone else's fresh lock: put it back
        os.link(tomb, path)
    tomb.unlink(missing_ok=True)
